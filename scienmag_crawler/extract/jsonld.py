"""JSON-LD: flatten Yoast-style ``@graph`` blocks into a list of typed objects."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from parsel import Selector

from scienmag_crawler.extract import fastsel

ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "BlogPosting",
        "ReportageNewsArticle",
        "ScholarlyArticle",
        "AnalysisNewsArticle",
        "TechArticle",
        "Report",
    }
)


def _flatten(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for child in node:
            yield from _flatten(child)
    elif isinstance(node, dict):
        if "@graph" in node:
            yield from _flatten(node["@graph"])
        else:
            yield node


def iter_jsonld(sel: Selector) -> Iterator[dict[str, Any]]:
    """Yield every JSON-LD object of the page; undecodable blocks are skipped.

    >>> html = '<script type="application/ld+json">{"@graph": [{"@type": "WebPage"}]}</script>'
    >>> [o["@type"] for o in iter_jsonld(Selector(text=html))]
    ['WebPage']
    """
    for raw in fastsel.element_texts(sel, "script", "type", "application/ld+json"):
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            continue
        yield from _flatten(data)


def types_of(obj: dict[str, Any]) -> set[str]:
    """The ``@type`` of an object as a set (it may be a string or a list)."""
    kind = obj.get("@type")
    if isinstance(kind, str):
        return {kind}
    if isinstance(kind, list):
        return {k for k in kind if isinstance(k, str)}
    return set()


def find_by_type(objs: Iterable[dict[str, Any]], wanted: Iterable[str]) -> dict[str, Any] | None:
    """First object whose type is one of ``wanted``, ignoring case: some themes (JNews AMP
    among them) print ``"@type": "article"``, which consumers such as Google accept.

    >>> find_by_type([{"@type": "WebPage"}, {"@type": "article", "n": 1}], {"Article"})["n"]
    1
    """
    wanted = frozenset(w.casefold() for w in wanted)
    return next((o for o in objs if {t.casefold() for t in types_of(o)} & wanted), None)


def resolve(objs: Iterable[dict[str, Any]], ref: Any) -> Any:
    """Follow a ``{"@id": ...}`` reference to the object it names, else return it as is."""
    if isinstance(ref, dict) and set(ref) == {"@id"}:
        target = ref["@id"]
        return next((o for o in objs if o.get("@id") == target), ref)
    return ref
