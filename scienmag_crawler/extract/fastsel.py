"""Selector look-ups without a parsel ``Selector`` per match, and a page's meta tags at once.

``Selector.css``/``.xpath`` wrap every node they find in a new ``Selector``, and most callers
keep only the first node, or only the nodes' text. Here a CSS query is translated once (by
parsel's own translator, so it selects exactly what ``Selector.css`` selects), compiled once
as an ``lxml.etree.XPath`` and run on the lxml node, returning lxml nodes or strings.

``meta_tags`` reads every ``<meta>`` of a page in one pass over the tree instead of one
XPath scan of the whole document per property looked up.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from lxml import etree
from parsel import Selector
from parsel.csstranslator import HTMLTranslator

_TRANSLATOR = HTMLTranslator()
_TEXT = etree.XPath(".//text()")


@lru_cache(maxsize=512)
def compiled_css(query: str) -> etree.XPath:
    """The compiled XPath of a CSS query, as ``Selector.css`` would run it."""
    return etree.XPath(_TRANSLATOR.css_to_xpath(query))


@lru_cache(maxsize=512)
def compiled_xpath(query: str) -> etree.XPath:
    """A compiled XPath expression (without parsel's namespace prefixes)."""
    return etree.XPath(query)


def _root(node: Selector | etree._Element) -> Any:
    return node.root if isinstance(node, Selector) else node


def css_nodes(node: Selector | etree._Element, query: str) -> list[Any]:
    """The lxml nodes ``node.css(query)`` selects, in document order."""
    root = _root(node)
    if not isinstance(root, etree._Element):
        return []
    result = compiled_css(query)(root)
    return result if isinstance(result, list) else [result]


@lru_cache(maxsize=512)
def first_match_query(query: str) -> str:
    """``query`` without the groups that can never give its first match.

    In ``"a, a b"`` every ``a b`` node lies inside an ``a`` node, which comes first in
    document order: the first node of the union is the first ``a``, found by one scan.

    >>> first_match_query(".x, .x span, .y")
    '.x, .y'
    >>> first_match_query("div.a, .b")
    'div.a, .b'
    """
    groups = _groups(query)
    if groups is None:
        return query  # only plain selector lists are pruned
    kept = [g for g in groups if not any(g.startswith(f"{h} ") for h in groups if h != g)]
    return ", ".join(kept)


def _groups(query: str) -> list[str] | None:
    """The comma-separated groups of a plain selector list (``None`` for anything else)."""
    if any(c in query for c in "()[]:'\""):
        return None
    return [g.strip() for g in query.split(",")]


@lru_cache(maxsize=512)
def worth_trying(queries: tuple[str, ...]) -> tuple[str, ...]:
    """``queries`` without those that cannot match once the earlier ones matched nothing.

    A group's nodes all match its last compound selector: ``.a h2.b`` finds nothing where
    ``h2.b`` found nothing, so after ``h2.b`` it is not tried.

    >>> worth_trying(("h2.b", ".a h2.b", ".c"))
    ('h2.b', '.c')
    """
    failed: set[str] = set()
    kept = []
    for query in queries:
        groups = _groups(query)
        if groups is None or not all(g.split()[-1] in failed for g in groups if g):
            kept.append(query)
        failed.update(groups or ())
    return tuple(kept)


def first_css(node: Selector, queries: tuple[str, ...] | str) -> Selector | None:
    """The first node matching the first query that matches anything (as a ``Selector``)."""
    for query in (queries,) if isinstance(queries, str) else worth_trying(queries):
        found = css_nodes(node, first_match_query(query))
        if found:
            return Selector(root=found[0], type="html")
    return None


def first_attribute(sel: Selector, tag: str, attribute: str, value: str, wanted: str) -> str | None:
    """``//tag[@attribute=value]/@wanted`` (the first), by lxml's tag iteration instead of
    an XPath scan of every node."""
    root = _root(sel)
    if not isinstance(root, etree._Element):
        return None
    for element in root.getroottree().iter(tag):
        if element.get(attribute) == value and (found := element.get(wanted)) is not None:
            return found
    return None


def texts(node: Selector | etree._Element) -> list[str]:
    """``node.xpath(".//text()").getall()``: every text node under ``node``."""
    root = _root(node)
    if not isinstance(root, etree._Element):
        return []
    return [str(t) for t in _TEXT(root)]


_CHILD_TEXTS = etree.XPath("text()", smart_strings=False)


def element_texts(sel: Selector, tag: str, attribute: str, value: str) -> list[str]:
    """``//tag[@attribute=value]/text()``: the text children of those elements, in document
    order, by lxml's tag iteration instead of an XPath scan of every node."""
    root = _root(sel)
    if not isinstance(root, etree._Element):
        return []
    return [
        text
        for element in root.getroottree().iter(tag)
        if element.get(attribute) == value
        for text in _CHILD_TEXTS(element)
    ]


def meta_tags(sel: Selector) -> dict[str, str]:
    """``content`` of the page's ``<meta>`` tags by ``property``, and by ``name`` for those
    in ``<head>``; the first in document order wins.

    The same answers as ``//head/meta[@property=$n or @name=$n]/@content |
    //meta[@property=$n]/@content`` for each name ``n``, from one pass over the tree.
    """
    root = _root(sel)
    if not isinstance(root, etree._Element):
        return {}
    document = root.getroottree().getroot()
    if _LAST_PAGE and _LAST_PAGE[0] is document:
        return _LAST_PAGE[1]  # the metadata fields ask for a handful of tags per page
    found: dict[str, str] = {}
    for meta in document.getroottree().iter("meta"):
        content = meta.get("content")
        if content is None:
            continue
        prop = meta.get("property")
        if prop is not None:
            found.setdefault(prop, content)
        name = meta.get("name")
        parent = meta.getparent()
        if name is not None and parent is not None and parent.tag == "head":
            found.setdefault(name, content)
    _LAST_PAGE[:] = [document, found]  # holds the page's tree: its id cannot be reused
    return found


#: the last page's document root and its meta tags
_LAST_PAGE: list[Any] = []
