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


def first_css(node: Selector, queries: tuple[str, ...] | str) -> Selector | None:
    """The first node matching the first query that matches anything (as a ``Selector``)."""
    for query in (queries,) if isinstance(queries, str) else queries:
        found = css_nodes(node, query)
        if found:
            return Selector(root=found[0], type="html")
    return None


def texts(node: Selector | etree._Element) -> list[str]:
    """``node.xpath(".//text()").getall()``: every text node under ``node``."""
    root = _root(node)
    if not isinstance(root, etree._Element):
        return []
    return [str(t) for t in _TEXT(root)]


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
