"""Tiny text helpers shared by every extractor. Pure functions on ``str``."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

_SPACES = re.compile(r"[^\S\n]+")
_NEWLINE_RUNS = re.compile(r" *\n[\s]*")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)

HONORIFICS = (
    "prof",
    "professor",
    "dr",
    "mr",
    "mrs",
    "ms",
    "miss",
    "mx",
    "sir",
    "dame",
    "madam",
    "pr",  # French "professeur" (Pr Claire Delorme)
    "dra",  # Spanish "doctora"
    "ing",  # "ingegnere", "ingeniero": an engineer's title in Italy and Latin America
    "associate professor",
    "assistant professor",
    "assoc prof",
    "asst prof",
    "emeritus professor",
)
_HONORIFIC_RE = re.compile(
    r"^(?:(?:" + "|".join(sorted(map(re.escape, HONORIFICS), key=len, reverse=True)) + r")\.?\s+)+",
    re.IGNORECASE,
)


#: a company suffix ending a name, full stop included ("Polar Cell Technologies Inc.")
COMPANY_SUFFIX = re.compile(r"\b(?:Inc|Ltd|Corp|Co|Plc|LLC|S\.A|N\.V|B\.V|AG|SE)\.$")


def normalise_whitespace(text: str) -> str:
    """Collapse runs of whitespace (non-breaking spaces included) into one space, and strip.

    >>> normalise_whitespace("  COSPAR\\u00a0to  sign\\n MoU ")
    'COSPAR to sign MoU'
    """
    return " ".join(text.translate(_INVISIBLE).split())


def normalise_lines(text: str) -> str:
    """Like :func:`normalise_whitespace` but keep single line breaks (from ``<br>``).

    >>> normalise_lines(" Media contact:\\n  Jane  Doe \\n\\n jane@example.org ")
    'Media contact:\\nJane Doe\\njane@example.org'
    """
    text = unicodedata.normalize("NFC", text.translate(_INVISIBLE)).replace("\u00a0", " ")
    text = _SPACES.sub(" ", text)
    return _NEWLINE_RUNS.sub("\n", text).strip()


def strip_honorifics(name: str) -> str:
    """Drop leading titles from a person's name.

    >>> strip_honorifics("Prof. Dr. Pascale Ehrenfreund")
    'Pascale Ehrenfreund'
    >>> strip_honorifics("Ms Leigh Fergus")
    'Leigh Fergus'
    """
    return _HONORIFIC_RE.sub("", name.strip())


def normalise_name_case(name: str) -> str:
    """Title-case words written in capitals, leave mixed-case words alone.

    >>> normalise_name_case("Leigh FERGUS")
    'Leigh Fergus'
    >>> normalise_name_case("Jean-PIERRE McDONALD")
    'Jean-Pierre McDONALD'
    """

    def fix(word: str) -> str:
        parts = word.split("-")
        return "-".join(p.capitalize() if len(p) > 1 and p.isupper() else p for p in parts)

    return " ".join(fix(w) for w in name.split())


def unique(values: Iterable[str]) -> list[str]:
    """Keep the first occurrence of each value, in order, dropping empty strings.

    >>> unique(["Space", "", "Policy", "Space"])
    ['Space', 'Policy']
    """
    return list(dict.fromkeys(v for v in values if v))


def iter_nonempty(values: Iterable[str | None]) -> Iterator[str]:
    """Yield whitespace-normalised values that are not empty."""
    for value in values:
        if value and (clean := normalise_whitespace(value)):
            yield clean
