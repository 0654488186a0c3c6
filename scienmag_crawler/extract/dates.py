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
}


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

    >>> parse_visible_date("August 27, 2024")
    '2024-08-27'
    >>> parse_visible_date("27 de agosto de 2024", "es")
    '2024-08-27'
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
    import dateparser  # noqa: PLC0415 - lazy: slow import, rarely needed

    languages = [language.split("-")[0].lower()] if language else None
    try:
        parsed = dateparser.parse(text, languages=languages, settings=_DATEPARSER_SETTINGS)
    except (ValueError, OverflowError):
        parsed = None
    if parsed is None and languages:
        parsed = dateparser.parse(text, settings=_DATEPARSER_SETTINGS)
    return parsed.date().isoformat() if parsed else None


def date_part(value: str) -> str:
    """The ``YYYY-MM-DD`` part of an ISO value.

    >>> date_part("2024-08-27T09:15:00+00:00")
    '2024-08-27'
    """
    return value[:10]
