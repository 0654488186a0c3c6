"""Tiny text helpers shared by every extractor. Pure functions on ``str``."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import NamedTuple

_SPACES = re.compile(r"[^\S\n]+")
_NEWLINE_RUNS = re.compile(r" *\n[\s]*")
#: characters that never show and never change a word: zero-width space, word joiner, byte
#: order mark, soft hyphen. Not the zero-width (non-)joiner (U+200C, U+200D): they shape
#: Persian, Urdu and Indic words and join emoji sequences.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"), None)


def _visible(text: str) -> str:
    """``text`` without the invisible characters. ``str.translate`` takes a dictionary
    look-up per character once the text holds any non-ASCII character (typographic quotes
    and dashes are enough): 45 µs for a 500-character paragraph, against well under 1 µs
    for four substring tests that are almost always false."""
    if "\u200b" in text or "\u2060" in text or "\ufeff" in text or "\u00ad" in text:
        return text.translate(_INVISIBLE)
    return text


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

    Zero-width joiners are letters' business, not whitespace ("می‌خواهم", "I want"):

    >>> normalise_whitespace("\\u200bمی\\u200cخواهم") == "می\\u200cخواهم"
    True
    """
    return " ".join(_visible(text).split())


def normalise_lines(text: str) -> str:
    """Like :func:`normalise_whitespace` but keep single line breaks (from ``<br>``).

    Every body paragraph passes here more than once (when its block is read, when the
    paragraphs are cleaned, when the record is loaded), so results are remembered, and a
    result maps to itself: normalising is idempotent.

    >>> normalise_lines(" Media contact:\\n  Jane  Doe \\n\\n jane@example.org ")
    'Media contact:\\nJane Doe\\njane@example.org'
    """
    found = _NORMALISED_LINES.get(text)
    if found is not None:
        return found
    clean = unicodedata.normalize("NFC", _visible(text)).replace("\u00a0", " ")
    if not clean.isprintable() or "  " in clean:
        # (printable: no whitespace but single spaces, the common case, left as it is)
        clean = _SPACES.sub(" ", clean)
        if "\n" in clean:
            clean = _NEWLINE_RUNS.sub("\n", clean)
    clean = clean.strip()
    if len(_NORMALISED_LINES) >= _MAX_REMEMBERED:
        _NORMALISED_LINES.clear()  # bounded: a page's paragraphs at a time, not a crawl's
    _NORMALISED_LINES[text] = _NORMALISED_LINES[clean] = clean
    return clean


#: :func:`normalise_lines` results (input → output and output → output)
_NORMALISED_LINES: dict[str, str] = {}
_MAX_REMEMBERED = 1024


def forget_normalised_lines() -> None:
    """Empty :func:`normalise_lines`' memo."""
    _NORMALISED_LINES.clear()


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


class _Hit(NamedTuple):
    at: int
    stop: int

    def start(self) -> int:
        return self.at

    def end(self) -> int:
        return self.stop


class Literals:
    """A guard or needle made of plain strings, for :func:`finditer_at` and
    :func:`finditer_lines`: its ``search`` finds the first of them by ``str.find``, a scan in
    C. ``re`` tries an alternation such as ``://|[Ww][Ww][Ww]\\.`` at every position where
    one of its branches could start (every "w" of the text), twenty times slower.

    >>> Literals("://", "www.").search("see www.x.org or http://y", 0)
    _Hit(at=4, stop=8)
    """

    def __init__(self, *needles: str) -> None:
        self.needles = needles

    def search(self, text: str, pos: int = 0) -> _Hit | None:
        """The leftmost occurrence of any of the strings at or after ``pos``."""
        best, length = -1, 0
        for needle in self.needles:
            at = text.find(needle, pos)
            if at >= 0 and (best < 0 or at < best):
                best, length = at, len(needle)
        return None if best < 0 else _Hit(best, best + length)

    def scanner(self, text: str) -> Callable[[int], _Hit | None]:
        """``search`` over ``text`` for positions that never go back: where each string
        occurs next is remembered, so a string absent from the rest of the text (most of
        the eight spellings of "www.") is not looked for again at every call.

        >>> search = Literals("ab", "x").scanner("ab ab x")
        >>> search(0), search(1), search(6), search(7)
        (_Hit(at=0, stop=2), _Hit(at=3, stop=5), _Hit(at=6, stop=7), None)
        """
        needles = self.needles
        nearest = [text.find(needle) for needle in needles]  # -1: not in the rest of the text
        last = 0

        def search(pos: int) -> _Hit | None:
            nonlocal last
            if pos < last:
                return self.search(text, pos)
            last = pos
            best, length = -1, 0
            for k, at in enumerate(nearest):
                if 0 <= at < pos:
                    at = nearest[k] = text.find(needles[k], pos)
                if at >= 0 and (best < 0 or at < best):
                    best, length = at, len(needles[k])
            return None if best < 0 else _Hit(best, best + length)

        return search


Guard = re.Pattern[str] | Literals


def _searcher(guard: Guard, text: str) -> Callable[[int], _Hit | re.Match[str] | None]:
    """``guard.search`` bound to ``text``, for positions that never go back."""
    if isinstance(guard, Literals):
        return guard.scanner(text)
    return partial(guard.search, text)


def finditer_at(
    rx: re.Pattern[str], needle: Guard, text: str, shift: int = 0
) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)`` for a pattern whose every match starts ``shift`` characters after
    a match of ``needle``; ``rx`` is tried only there.

    A pattern opening with a lookbehind or ``\\b`` gives ``re`` no first character to scan
    for, so it is tried at every position; a needle opening with literals is scanned for in C.
    Same matches, in the same order, as ``rx.finditer(text)``.

    >>> rx = re.compile(r"(?<![\\w+])\\+(\\d+)")
    >>> [m.group(1) for m in finditer_at(rx, re.compile(r"\\+"), "a+1 +22 ++3")]
    ['22']
    """
    search = _searcher(needle, text)
    pos = 0
    while (hit := search(max(0, pos - shift))) is not None:
        start = hit.start() + shift
        if start > len(text):
            return
        match = rx.match(text, start)
        if match:
            yield match
            pos = max(match.end(), start + 1)
        else:
            pos = start + 1


def finditer_near(
    rx: re.Pattern[str], needle: re.Pattern[str], text: str, lead: int
) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)`` for a pattern whose every match starts at a match of
    ``needle`` or ``lead`` characters before one (an optional word such as "on " ahead of
    what the needle finds); ``rx`` is tried only there, the earlier place first.

    :func:`finditer_at` takes one place per needle. A needle that opens with the optional
    word would have no first character either, and be scanned for as slowly as ``rx``.

    >>> rx = re.compile(r"(?:\\bon |(?<= ))X (@\\w+)")
    >>> [m.group() for m in finditer_near(rx, re.compile("X @"), "on X @a, X @b, moon X @c", 3)]
    ['on X @a', 'X @b', 'X @c']
    """
    pos = 0
    while (hit := needle.search(text, pos)) is not None:
        at = hit.start()
        match = rx.match(text, at - lead) if at - lead >= pos else None
        match = match or rx.match(text, at)
        if match:
            yield match
            pos = max(match.end(), at + 1)
        else:
            pos = at + 1


def finditer_lines(
    rx: re.Pattern[str], guard: Guard, text: str, lines_above: int = 0
) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)`` for a pattern that never matches across a line break, run only
    on the lines where ``guard`` (something every match contains) occurs.

    With ``lines_above``, a match may also start that many lines above the line of its guard
    (a pattern whose ``\\s`` may cross a line break before the guarded part). Neighbouring
    lines are scanned as one stretch, so a match is never cut in two; as in a scan of the whole
    text, ``$`` matches only at the end of a stretch, not at every line end.

    >>> rx = re.compile(r"(?<![\\w.])\\w+@\\w+\\.org")
    >>> [m.group() for m in finditer_lines(rx, re.compile("@"), "x\\na@b.org c@d.org\\ny")]
    ['a@b.org', 'c@d.org']
    >>> rx = re.compile(r"see\\s(\\w+\\.org)")
    >>> [m.group(1) for m in finditer_lines(rx, re.compile(r"\\.o"), "a\\nsee\\nb.org", 1)]
    ['b.org']
    """
    start = end = -1  # the stretch of lines waiting to be scanned
    search = _searcher(guard, text)
    pos = 0
    while (hit := search(pos)) is not None:
        line_start = text.rfind("\n", 0, hit.start()) + 1
        for _ in range(lines_above):
            line_start = text.rfind("\n", 0, max(line_start - 1, 0)) + 1
        line_end = text.find("\n", hit.end())
        line_end = len(text) if line_end < 0 else line_end
        if start >= 0 and line_start <= end + 1:
            end = line_end  # touches the stretch: one scan for both
        else:
            if start >= 0:
                yield from rx.finditer(text, start, end)
            start, end = line_start, line_end
        pos = line_end + 1
    if start >= 0:
        yield from rx.finditer(text, start, end)


def iter_nonempty(values: Iterable[str | None]) -> Iterator[str]:
    """Yield whitespace-normalised values that are not empty."""
    for value in values:
        if value and (clean := normalise_whitespace(value)):
            yield clean
