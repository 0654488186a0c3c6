"""Dates: machine-readable ISO values first, human-written dates through dateparser last.

Output is always ISO 8601: the full date-time with its UTC offset when the source gives
one, else the date alone (a time without a zone is ambiguous, so it is not reported).
dateparser is imported lazily: most pages carry a machine-readable date and never need it,
and its import dominates the command-line tool's cold start.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

_ISO = re.compile(
    r"^\s*(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<time>\d{2}:\d{2}(?::\d{2})?)(?P<frac>\.\d+)?\s*(?P<tz>Z|[+-]\d{2}:?\d{2})?)?\s*$"
)
#: visible formats tried with strptime before falling back to dateparser (fast path)
_VISIBLE_FORMATS = (
    "%B %d, %Y",
    "%b %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%Y-%m-%d",
    "%A, %B %d, %Y",
    "%B %d %Y",
    "%d. %B %Y",
)
_DATEPARSER_SETTINGS: dict[str, Any] = {
    "PREFER_DAY_OF_MONTH": "first",
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": False,
    # absolute dates only: "3 days ago" / "hace 3 días" would depend on the crawl's clock
    "PARSERS": ["custom-formats", "absolute-time"],
}
#: Levantine / Iraqi month names (used beside or instead of the Egyptian ones in Arabic dates),
#: mapped to the names dateparser knows; longest first so "كانون الثاني" wins over "كانون"
_ARABIC_MONTHS = {
    "كانون الثاني": "يناير",
    "كانون الأول": "ديسمبر",
    "تشرين الأول": "أكتوبر",
    "تشرين الثاني": "نوفمبر",
    "شباط": "فبراير",
    "آذار": "مارس",
    "نيسان": "أبريل",
    "أيار": "مايو",
    "حزيران": "يونيو",
    "تموز": "يوليو",
    "آب": "أغسطس",
    "أيلول": "سبتمبر",
}
_ARABIC_MONTH_NAMES = "|".join(sorted(map(re.escape, _ARABIC_MONTHS), key=len, reverse=True))
#: "آب/أغسطس", "أغسطس (آب)": the two names of one month side by side
_ARABIC_DOUBLE_MONTH = re.compile(
    rf"(?:\b({_ARABIC_MONTH_NAMES})\s*/\s*)|(?:\s*[/(]\s*({_ARABIC_MONTH_NAMES})\s*\)?)"
)
_ARABIC_MONTH = re.compile(rf"\b({_ARABIC_MONTH_NAMES})\b")
#: the Arabic marker of a Gregorian year ("2024م"); Hijri dates ("هـ") are left alone
_GREGORIAN_MARK = re.compile(r"(\d)\s*م(?=\s|$|[،,])")
#: how many leading words ("Publicado el", "Veröffentlicht am", "Posted on") may be skipped
_MAX_LABEL_WORDS = 3


def parse_iso(value: str | None) -> str | None:
    """Normalise an ISO 8601 value; ``None`` when it is not one.

    >>> parse_iso("2024-08-27T09:15:00+00:00")
    '2024-08-27T09:15:00+00:00'
    >>> parse_iso("2024-08-27T09:15:00Z")
    '2024-08-27T09:15:00+00:00'
    >>> parse_iso("2024-08-27T09:15:00.123+0200")
    '2024-08-27T09:15:00+02:00'
    >>> parse_iso("2024-08-27 09:15")
    '2024-08-27'
    >>> parse_iso("August 27, 2024") is None
    True
    """
    if not value:
        return None
    match = _ISO.match(value)
    if not match:
        return None
    date, time, tz = match["date"], match["time"], match["tz"]
    try:
        datetime.strptime(date, "%Y-%m-%d")
    except ValueError:
        return None
    if not time or not tz:
        return date
    if len(time) == 5:
        time += ":00"
    if tz == "Z":
        tz = "+00:00"
    elif ":" not in tz:
        tz = f"{tz[:3]}:{tz[3:]}"
    return f"{date}T{time}{tz}"


def parse_visible_date(text: str | None, language: str | None = None) -> str | None:
    """Parse a human-written date ("August 27, 2024", "27 août 2024") to ``YYYY-MM-DD``.

    ``language`` (the page's ``lang``, e.g. ``es-ES``) tells dateparser which month names and
    day/month order to expect; a leading label ("Publicado el") is skipped; relative dates
    ("3 days ago") are refused, since they change with the time of the crawl.

    >>> parse_visible_date("August 27, 2024")
    '2024-08-27'
    >>> parse_visible_date("27 de agosto de 2024", "es")
    '2024-08-27'
    >>> parse_visible_date("الثلاثاء، 27 آب 2024", "ar")
    '2024-08-27'
    >>> parse_visible_date("3 days ago") is None
    True
    >>> parse_visible_date("no date here") is None
    True
    """
    if not text:
        return None
    text = " ".join(text.split())
    for fmt in _VISIBLE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date().isoformat()
        except ValueError:
            continue
    lang = language.split("-")[0].split("_")[0].lower() if language else None
    if lang == "ar" or _ARABIC_MONTH.search(text):
        text = _normalise_arabic_date(text)
    words = text.split(" ")
    for skip in range(min(_MAX_LABEL_WORDS, len(words) - 1) + 1):
        parsed = _dateparse(" ".join(words[skip:]), lang)
        if parsed:
            return parsed
    return None


def _normalise_arabic_date(text: str) -> str:
    """One month name per month (the Egyptian one) and no Gregorian-year marker.

    >>> _normalise_arabic_date("27 آب/أغسطس 2024م")
    '27 أغسطس 2024'
    >>> _normalise_arabic_date("27 أغسطس (آب) 2024")
    '27 أغسطس 2024'
    """
    text = _ARABIC_DOUBLE_MONTH.sub(lambda m: "" if m.group(1) else " ", text)
    text = _ARABIC_MONTH.sub(lambda m: _ARABIC_MONTHS[m.group(1)], text)
    text = _GREGORIAN_MARK.sub(r"\1", text)
    return " ".join(text.split())


def _dateparse(text: str, language: str | None) -> str | None:
    """dateparser with the page's language first, then with any language."""
    import dateparser  # noqa: PLC0415 - lazy: slow import, rarely needed

    for languages in ([language], None) if language else (None,):
        try:
            parsed = dateparser.parse(text, languages=languages, settings=_DATEPARSER_SETTINGS)
        except (ValueError, OverflowError):
            parsed = None
        if parsed is not None:
            return parsed.date().isoformat()
    return None


def date_part(value: str) -> str:
    """The ``YYYY-MM-DD`` part of an ISO value.

    >>> date_part("2024-08-27T09:15:00+00:00")
    '2024-08-27'
    """
    return value[:10]
