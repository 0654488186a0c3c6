"""Title and dates of pages from any site (``scienmag-extract --any-site``).

The JNews rules in ``metadata.py`` look for dates only in the main post's meta block, which
other sites do not have. These functions are the wider search used when those rules find
nothing, still machine-readable sources first, each answer labelled with its source:
``jsonld`` (any object's ``datePublished``), ``meta`` (the many ``<meta>`` names news sites
use, microdata ``itemprop``), ``time`` (an article's ``<time datetime>``), ``url`` (a
``/YYYY/MM/DD/`` path) and, last, ``visible`` (htmldate's reading of the page text).
"""

from __future__ import annotations

import importlib
import re
from typing import Any

from parsel import Selector

from scienmag_crawler.extract import fastsel
from scienmag_crawler.extract import metadata as meta
from scienmag_crawler.extract.dates import parse_iso
from scienmag_crawler.extract.jsonld import types_of

#: ``<meta>`` names and properties that hold a publication date, most specific first
PUBLISHED_META_NAMES = (
    "article:published_time",
    "og:published_time",
    "og:article:published_time",
    "datepublished",
    "article.published",
    "parsely-pub-date",
    "sailthru.date",
    "publish-date",
    "publish_date",
    "publishdate",
    "pubdate",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "date",
)
#: ``<meta>`` names and properties that hold a last-modified date
MODIFIED_META_NAMES = ("article:modified_time", "og:updated_time", "datemodified", "dc.modified")
TIME_XPATHS = (
    "//time[@pubdate][@datetime]/@datetime",
    "//*[@itemprop='datePublished']/@datetime",
    "(//article//time[@datetime])[1]/@datetime",
    "(//main//time[@datetime])[1]/@datetime",
)
_URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-]([01]\d)[/-]([0-3]\d)(?:/|[^\d]|$)")
_NUMERIC_DATE = re.compile(r"^\s*(\d{4})(\d{2})(\d{2})\s*$")


def extract_generic_title(sel: Selector) -> str | None:
    """The page's first ``h1``, else its ``<title>``: a headline on pages without metadata."""
    for node in (*sel.css("h1")[:1], *sel.xpath("//title")[:1]):
        text = meta.node_text(node)
        if text:
            return text
    return None


def headlines(sel: Selector, title: str | None) -> list[str | None]:
    """Texts a page repeats as its headline: the record's title, ``og:title``, the first
    ``h1`` (later ``h1``s are often the article's own section headings)."""
    first_h1 = meta.node_text(next(iter(sel.css("h1")), None))
    return [title, meta.meta_content(sel, "og:title"), first_h1]


def _meta_values(sel: Selector) -> dict[str, str]:
    """``<meta>`` name/property/itemprop (lower-cased) → first non-empty content (read once
    per page: the published and the modified date both look here)."""
    return _META_VALUES.get(sel.root, lambda: _read_meta_values(sel))


_META_VALUES: fastsel.LastPage[dict[str, str]] = fastsel.LastPage()


def _read_meta_values(sel: Selector) -> dict[str, str]:
    found: dict[str, str] = {}
    for node in sel.xpath("//meta[@content]"):
        content = (node.attrib.get("content") or "").strip()
        for attr in ("property", "name", "itemprop"):
            name = (node.attrib.get(attr) or "").strip().lower()
            if name and content:
                found.setdefault(name, content)
    return found


def parse_machine_date(value: str | None) -> str | None:
    """An ISO value, or the compact ``YYYYMMDD`` some sites use, as ISO 8601.

    >>> parse_machine_date("20191118")
    '2019-11-18'
    >>> parse_machine_date("2019-11-18T10:00:00Z")
    '2019-11-18T10:00:00+00:00'
    >>> parse_machine_date("yesterday") is None
    True
    """
    if not value:
        return None
    if match := _NUMERIC_DATE.match(value):
        return parse_iso("-".join(match.groups()))
    return parse_iso(value)


def _jsonld_date(objs: list[dict[str, Any]], key: str) -> str | None:
    """``key`` of the first JSON-LD object that has one, page objects (``WebPage``) last."""
    ordered = sorted(objs, key=lambda o: bool(types_of(o) & {"WebPage", "WebSite"}))
    for obj in ordered:
        value = obj.get(key)
        if isinstance(value, str) and (parsed := parse_machine_date(value)):
            return parsed
    return None


def date_from_url(url: str | None) -> str | None:
    """The ``YYYY-MM-DD`` of a ``/2019/11/18/`` style URL path.

    >>> date_from_url("https://example.org/2019/11/18/story-slug/")
    '2019-11-18'
    >>> date_from_url("https://example.org/story-2019") is None
    True
    """
    match = _URL_DATE.search(url or "")
    return parse_iso("-".join(match.groups())) if match else None


def extract_generic_published(
    sel: Selector, objs: list[dict[str, Any]], url: str | None
) -> tuple[str | None, str | None]:
    """Publication date of any page, and its source (see the module docstring)."""
    if value := _jsonld_date(objs, "datePublished"):
        return value, "jsonld"
    metas = _meta_values(sel)
    for name in PUBLISHED_META_NAMES:
        if value := parse_machine_date(metas.get(name)):
            return value, "meta"
    for query in TIME_XPATHS:
        if value := parse_machine_date(sel.xpath(query).get()):
            return value, "time"
    if value := date_from_url(url):
        return value, "url"
    if value := visible_date(sel):
        return value, "visible"
    return None, None


def visible_date(sel: Selector) -> str | None:
    """A date written in the page, by htmldate (imported only when it is needed).

    Its extensive search is off: that one guesses from any date-like text, down to
    "© 2021" (read as 1 January 2021), which is worse than no date."""
    htmldate = importlib.import_module("htmldate")
    found = htmldate.find_date(sel.get(), extensive_search=False, original_date=True)
    return parse_iso(found) if isinstance(found, str) else None


def extract_modified_with_source(
    sel: Selector, objs: list[dict[str, Any]], any_site: bool = False
) -> tuple[str | None, str | None]:
    """Last-modified date and its source: the JNews rules, then (any site) wider metadata."""
    found = meta.extract_modified(sel, objs)
    if found[0] or not any_site:
        return found
    if value := _jsonld_date(objs, "dateModified"):
        return value, "jsonld"
    metas = _meta_values(sel)
    for name in MODIFIED_META_NAMES:
        if value := parse_machine_date(metas.get(name)):
            return value, "meta"
    return None, None
