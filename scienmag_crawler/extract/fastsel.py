"""Selector look-ups without a parsel ``Selector`` per match, and a page's meta tags at once.

``Selector.css``/``.xpath`` wrap every node they find in a new ``Selector``, and most callers
keep only the first node, or only the nodes' text. Here a CSS query is translated once (by
parsel's own translator, so it selects exactly what ``Selector.css`` selects), compiled once
as an ``lxml.etree.XPath`` and run on the lxml node, returning lxml nodes or strings.

``meta_tags`` reads every ``<meta>`` of a page in one pass over the tree instead of one
XPath scan of the whole document per property looked up.

The theme's own classes (``jeg_…``) are indexed per page by one scan: a query made only of
compounds such as ``.jeg_meta_container`` or ``div.jeg_main`` is answered from the index,
not by an XPath that tests the class of every element again. A query of compounds joined
by descendant combinators (``div.entry-content div.content-inner``) starts from the elements
of its last compound and checks their ancestors. An ``#id`` looked up in the whole page is
found through the parser's ID table.
"""

from __future__ import annotations

import re
import weakref
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any, Generic, TypeVar

from lxml import etree
from parsel import Selector
from parsel.csstranslator import HTMLTranslator

_TRANSLATOR = HTMLTranslator()

T = TypeVar("T")


class LastPage(Generic[T]):
    """A value worked out once per page (or node) and kept for the one last asked about:
    several fields of a record read the same meta tags, class index or meta block, and
    pages are extracted one after another. Holding the key node keeps its tree alive, so a
    later page's node can never take its identity. Trees must not change after the value is
    made (extraction never changes them). :func:`forget_pages` lets go of every one."""

    __slots__ = ("__weakref__", "_key", "_value")

    def __init__(self) -> None:
        self._key: object = None
        self._value: T | None = None
        _MEMOS.add(self)

    def get(self, key: object, make: Callable[[], T]) -> T:
        """The value for ``key``, made by ``make()`` unless ``key`` was the last one.

        >>> last, page, other = LastPage(), object(), object()
        >>> last.get(page, lambda: 1), last.get(page, lambda: 2), last.get(other, lambda: 3)
        (1, 1, 3)
        """
        if self._key is not key:
            self._value, self._key = make(), key
        return self._value  # type: ignore[return-value]

    def forget(self) -> None:
        self._key = self._value = None


_MEMOS: weakref.WeakSet[LastPage[Any]] = weakref.WeakSet()


def forget_pages() -> None:
    """Let go of what every :class:`LastPage` keeps of the last page, and so of its tree.

    Called once a record is made: kept until the next page, the tree was freed in the
    middle of that page's extraction, with none of it left in the CPU's caches and its
    memory not yet free for the next page's parse."""
    for memo in list(_MEMOS):
        memo.forget()


@lru_cache(maxsize=512)
def compiled_css(query: str) -> etree.XPath:
    """The compiled XPath of a CSS query, as ``Selector.css`` would run it."""
    return etree.XPath(_TRANSLATOR.css_to_xpath(query))


@lru_cache(maxsize=512)
def compiled_xpath(query: str) -> etree.XPath:
    """``query`` compiled once (``Selector.xpath`` compiles it on every call)."""
    return etree.XPath(query, smart_strings=False)


def xpath(node: Selector | etree._Element, query: str) -> list[Any]:
    """What ``node.xpath(query)`` selects, as lxml nodes or plain strings."""
    root = _root(node)
    if not isinstance(root, etree._Element):
        return []
    if (path := child_path(query)) is not None:
        return _follow(root, *path)
    result = compiled_xpath(query)(root)
    return result if isinstance(result, list) else [result]


_CHILD_PATH = re.compile(r"(?:/[a-z][a-z0-9]*)+(?:/@[a-z][\w-]*)?")


@lru_cache(maxsize=512)
def child_path(query: str) -> tuple[tuple[str, ...], str | None] | None:
    """The element names and the attribute of an absolute path of child steps
    (``/html/body/@class``), else ``None``. Such a path is followed from the document's
    root element (a few steps) instead of by an XPath run, whose set-up alone costs more.

    >>> child_path("/html/body/@class"), child_path("/html"), child_path("//meta")
    ((('html', 'body'), 'class'), (('html',), None), None)
    """
    if _CHILD_PATH.fullmatch(query) is None:
        return None
    steps = query.split("/")[1:]
    attribute = steps.pop()[1:] if steps[-1].startswith("@") else None
    return tuple(steps), attribute


def _follow(node: etree._Element, steps: tuple[str, ...], attribute: str | None) -> list[Any]:
    document = node.getroottree().getroot()
    found = [document] if document.tag == steps[0] else []
    for name in steps[1:]:
        found = [child for element in found for child in element.iterchildren(name)]
    if attribute is None:
        return found
    return [value for element in found if (value := element.get(attribute)) is not None]


def xpath_first(node: Selector | etree._Element, query: str) -> Any | None:
    """``node.xpath(query).get()``, unserialised: the first node or string, else ``None``."""
    found = xpath(node, query)
    return found[0] if found else None


def _root(node: Selector | etree._Element) -> Any:
    return node.root if isinstance(node, Selector) else node


def css_nodes(node: Selector | etree._Element, query: str) -> list[Any]:
    """The lxml nodes ``node.css(query)`` selects, in document order."""
    root = _root(node)
    if not isinstance(root, etree._Element):
        return []
    if (tag_test := tag_query(query)) is not None:
        return list(_tag_nodes(root, *tag_test))
    if (chains := descendant_chains(query)) is not None:
        return _chain_nodes(root, chains)
    result = compiled_css(query)(root)
    return result if isinstance(result, list) else [result]


def _tag_nodes(root: etree._Element, tag: str, attribute: str | None) -> Iterator[Any]:
    """The elements of ``tag`` at or under ``root`` (having ``attribute``, when given), in
    document order, from lxml's walk."""
    if attribute is None:
        return root.iter(tag)
    return (element for element in root.iter(tag) if element.get(attribute) is not None)


_TAG_QUERY = re.compile(r"([a-zA-Z][\w-]*)(?:\[([a-zA-Z][\w-]*)\])?")


@lru_cache(maxsize=512)
def tag_query(query: str) -> tuple[str, str | None] | None:
    """``(tag, attribute)`` for a query that is a tag name, maybe with an attribute that must
    be present (``a``, ``a[href]``), else ``None``. Such a query is answered by lxml's walk
    of the elements of that tag (the node itself included, as in ``descendant-or-self``)
    instead of an XPath run: the body's links and a tag box's links, read on every page.
    Names are lower-cased, as the HTML translator and lxml's HTML parser do.

    >>> tag_query("a[href]"), tag_query("A"), tag_query("a.x"), tag_query("a[href='x']")
    (('a', 'href'), ('a', None), None, None)
    """
    m = _TAG_QUERY.fullmatch(query.strip())
    if m is None:
        return None
    return m.group(1).lower(), m.group(2).lower() if m.group(2) else None


# --- the theme's classes, indexed per page ------------------------------------------------

INDEXED_CLASS_MARK = "jeg_"
"""Elements whose class holds this are indexed: every JNews layout class carries it."""
#: the whole page's marked elements, in document order, through their class attributes (a
#: third quicker in libxml2 than testing every element's class). ``/descendant::*`` visits
#: the elements only; ``//`` is ``/descendant-or-self::node()/``, which also steps through
#: every text node and the document node: a quarter slower.
_INDEX_SCAN = etree.XPath(f"/descendant::*/@class[contains(., '{INDEXED_CLASS_MARK}')]/..")
_NAME = r"-?[_a-zA-Z][\w-]*"  # a CSS identifier (no escapes)
_XML_SPACE = re.compile("[ \t\r\n]+")
"""What XPath's ``normalize-space`` (and so a CSS class test) splits a class list on."""


class _ClassIndex:
    """The page's elements whose class holds the mark, in document order; the elements of
    one class are picked out the first time that class is asked for (a page has hundreds of
    marked elements and a record asks for a handful of classes).

    The class attributes are kept as one string, each between NUL characters (which no
    attribute value holds): a class is found by ``str.find`` over it, not by a test of
    every element in Python, and a hit is one of the class names when whitespace or a NUL
    stands on both sides of it."""

    def __init__(self, document: etree._Element) -> None:
        self._elements = _INDEX_SCAN(document)
        classes = [element.get("class", "") for element in self._elements]
        self._joined = "\0" + "\0".join(classes) + "\0"
        self._by_name: dict[str, list[tuple[int, Any]]] = {}

    def get(self, name: str) -> list[tuple[int, Any]]:
        """(document position, element) of the elements having the class ``name``."""
        found = self._by_name.get(name)
        if found is None:
            found = self._by_name[name] = []
            joined, size = self._joined, len(name)
            at = joined.find(name) if name else -1
            n, counted = 0, 1  # the element whose attribute holds ``at``: NULs before it
            while at != -1:
                if joined[at - 1] in _CLASS_EDGE and joined[at + size] in _CLASS_EDGE:
                    n += joined.count("\0", counted, at)
                    counted = at
                    if not found or found[-1][0] != n:
                        found.append((n, self._elements[n]))
                at = joined.find(name, at + 1)
        return found

    def under(self, root: etree._Element, found: list[tuple[int, Any]]) -> list[tuple[int, Any]]:
        """The entries of ``found`` (picked out by :meth:`get`) that are ``root`` or lie inside
        it. The elements inside one element follow it in document order, in one run: when
        ``root`` is indexed itself, the entries before it are passed over without a look
        and the first one after the run ends the search. (A class of the post's meta block
        is also on every related post's: each of those took a walk up to the page's root.)"""
        if root.getparent() is None:
            return found
        # for a few entries, a walk up from each costs less than finding ``root``'s position
        start = self._position(root) if len(found) > _FEW else None
        if start is None:
            return [(n, element) for n, element in found if _within(element, root)]
        inside = []
        for n, element in found[bisect_left(found, start, key=_entry_position) :]:
            if n != start and not _within(element, root):
                break
            inside.append((n, element))
        return inside

    def _position(self, element: etree._Element) -> int | None:
        """Where ``element`` is in the index (``None`` when it is not indexed), found among
        the elements of one of its indexed classes."""
        value = element.get("class")
        name = _indexed_class(_XML_SPACE.split(value)) if value else None
        if name is None:
            return None
        return next((n for n, e in self.get(name) if e is element), None)


def _indexed_class(classes: Iterable[str]) -> str | None:
    """The first of ``classes`` the class index holds (one with the mark), else ``None``."""
    return next((c for c in classes if INDEXED_CLASS_MARK in c), None)


#: up to this many entries, :meth:`_ClassIndex.under` walks up from each instead
_FEW = 4
#: what may stand on either side of a class name in ``_ClassIndex._joined``
_CLASS_EDGE = frozenset(" \t\r\n\0")


def _class_index(root: etree._Element) -> _ClassIndex:
    """The class index of the page ``root`` belongs to."""
    document = root.getroottree().getroot()
    return _CLASS_INDEX.get(document, lambda: _ClassIndex(document))


_CLASS_INDEX: LastPage[_ClassIndex] = LastPage()


def _within(element: Any, root: etree._Element) -> bool:
    """``element`` is ``root`` or lies inside it."""
    while element is not None:
        if element is root:
            return True
        element = element.getparent()
    return False


def _entry_position(entry: tuple[int, Any]) -> int:
    return entry[0]


# --- compounds joined by descendant combinators --------------------------------------------

#: a compound selector: the tag (or ``None``) and the classes an element must have
Compound = tuple[str | None, frozenset[str]]
_TAG_AND_CLASSES = re.compile(rf"([a-zA-Z][\w-]*)?((?:\.{_NAME})*)")


@lru_cache(maxsize=512)
def descendant_chains(query: str) -> tuple[tuple[Compound, ...], ...] | None:
    """Each group of ``query`` as its compounds (a tag, classes, or both) in the order of
    the descendant combinators joining them, else ``None`` (the query runs as XPath).

    A last compound with neither a tag nor an indexed class is found by an XPath run, which
    costs as much as the query's own on a small node: a query of several groups needing one
    (``.a .b, .c``) is left to its XPath.

    >>> descendant_chains("div.a p.b, p")
    ((('div', frozenset({'a'})), ('p', frozenset({'b'}))), (('p', frozenset()),))
    >>> descendant_chains("div > p") is None, descendant_chains(".a .b, .c") is None
    (True, True)
    """
    groups = _groups(query)
    if groups is None:
        return None
    chains = []
    for group in groups:
        chain = []
        for part in group.split():
            m = _TAG_AND_CLASSES.fullmatch(part)
            if m is None:
                return None
            tag = m.group(1).lower() if m.group(1) else None
            chain.append((tag, frozenset(m.group(2).split(".")[1:])))
        if not chain:
            return None
        chains.append(tuple(chain))
    if len(chains) > 1 and any(map(_needs_class_test, chains)):
        return None
    return tuple(chains)


def _needs_class_test(chain: tuple[Compound, ...]) -> bool:
    """The chain's last compound is found by an XPath test of a class (no tag, no index)."""
    tag, classes = chain[-1]
    return tag is None and _indexed_class(classes) is None


def _chain_nodes(root: etree._Element, chains: tuple[tuple[Compound, ...], ...]) -> list[Any]:
    """What ``compiled_css`` selects for ``chains``: the elements matching a chain's last
    compound, from the class index, lxml's tag walk or an XPath test of one class, each
    kept when its ancestors (up to ``root``) match the compounds before, nearest first.

    The translated XPath tests every element's class list against the first compound, then
    every element below a match against the next (the content node's query costs 0.13 ms
    on a theme page); the elements of the last compound are few."""
    found: list[Any] = []
    groups = 0  # groups that found elements: with two or more, document order is restored
    for chain in chains:
        nodes = [e for e in _compound_nodes(root, chain[-1]) if _has_ancestors(e, chain, root)]
        if nodes:
            found += nodes
            groups += 1
    if groups > 1:
        found = sorted({id(e): e for e in found}.values(), key=_document_path)
    return found


def _compound_nodes(root: etree._Element, compound: Compound) -> list[Any]:
    """The elements at or under ``root`` matching ``compound``, in document order."""
    tag, classes = compound
    key = _indexed_class(classes)
    if key is not None:
        index = _class_index(root)
        # the index has the key class checked: a compound of that class alone needs the tag
        fitting = [
            (n, e)
            for n, e in index.get(key)
            if (tag is None or e.tag == tag) and (len(classes) == 1 or _matches(e, compound))
        ]
        return [e for _, e in index.under(root, fitting)]
    if not classes:
        return list(root.iter(tag or etree.Element))
    return [e for e in _class_test(tag, max(classes, key=len))(root) if _matches(e, compound)]


@lru_cache(maxsize=512)
def _class_test(tag: str | None, name: str) -> etree.XPath:
    """The elements whose class attribute holds ``name`` (as a substring: a prefilter). A
    class name (``_NAME``) holds no quote."""
    return etree.XPath(f"descendant-or-self::{tag or '*'}[contains(@class, '{name}')]")


def _matches(element: Any, compound: Compound) -> bool:
    tag, classes = compound
    if tag is not None and element.tag != tag:
        return False
    if not classes:
        return True
    value = element.get("class")
    if not value:
        return False
    for name in classes:  # most elements tested hold none: a substring test says so quickly
        if name not in value:
            return False
    return classes <= set(_XML_SPACE.split(value))


def _has_ancestors(element: Any, chain: tuple[Compound, ...], root: etree._Element) -> bool:
    """The compounds before the last of ``chain`` match ``element``'s ancestors, in order,
    the first at ``root`` or below it."""
    k = len(chain) - 2
    while k >= 0:
        if element is root:
            return False
        element = element.getparent()
        if _matches(element, chain[k]):
            k -= 1
    return True


_ID = etree.XPath("id($name)")


def _first_node(root: etree._Element, query: str) -> Any | None:
    """The first node of ``query`` under ``root``; an ``#id`` group of a whole-page query is
    looked up in the parser's ID table first."""
    groups = _groups(query)
    if root.getparent() is None and groups and len(groups) > 1 and any(map(_is_id, groups)):
        firsts = [_first_node(root, g) for g in groups]
        present = [f for f in firsts if f is not None]
        return min(present, key=_document_path) if present else None
    if groups is not None and len(groups) == 1 and _is_id(groups[0]) and root.getparent() is None:
        name = groups[0][1:]
        found = _ID(root, name=name)
        # the table also holds <a name="…"> anchors (and one element per name, the first):
        # only an element whose id it is can be the answer, else the page is scanned
        if found and found[0].get("id") == name:
            return found[0]
        if not found:
            return None
    if (tag_test := tag_query(query)) is not None:
        return next(_tag_nodes(root, *tag_test), None)
    if (chains := descendant_chains(query)) is not None:
        firsts = [f for chain in chains if (f := _first_of_chain(root, chain)) is not None]
        if len(firsts) > 1:
            return min(firsts, key=_document_path)
        return firsts[0] if firsts else None
    nodes = css_nodes(root, query)
    return nodes[0] if nodes else None


def _first_of_chain(root: etree._Element, chain: tuple[Compound, ...]) -> Any | None:
    """The first element ``_chain_nodes`` gives for one chain, without finding them all: the
    elements of its last compound are tried in document order until one has the ancestors.
    Those of a tag are walked by lxml, the classes tested as they come: the content node
    (``div.entry-content div.content-inner``) is the fortieth of a post's hundred and more
    ``div`` elements, and an XPath test of every ``div`` class took 90 µs."""
    tag, classes = chain[-1]
    if tag is None or _indexed_class(classes) is not None:
        candidates = iter(_compound_nodes(root, chain[-1]))
    else:
        candidates = (e for e in root.iter(tag) if not classes or _matches(e, chain[-1]))
    return next((e for e in candidates if _has_ancestors(e, chain, root)), None)


_ID_GROUP = re.compile(rf"#{_NAME}")


@lru_cache(maxsize=512)
def _is_id(group: str) -> bool:
    return _ID_GROUP.fullmatch(group) is not None


def _document_path(element: Any) -> list[int]:
    """Child positions from the root down to ``element``: sorts elements in document order."""
    path = []
    parent = element.getparent()
    while parent is not None:
        path.append(parent.index(element))
        element, parent = parent, parent.getparent()
    return path[::-1]


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


@lru_cache(maxsize=512)
def _groups(query: str) -> tuple[str, ...] | None:
    """The comma-separated groups of a plain selector list (``None`` for anything else);
    worked out once per query, as every look-up of a first node asks."""
    if any(c in query for c in "()[]:'\""):
        return None
    return tuple(g.strip() for g in query.split(","))


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
    root = _root(node)
    if not isinstance(root, etree._Element):
        return None
    for query in (queries,) if isinstance(queries, str) else worth_trying(queries):
        found = _first_node(root, first_match_query(query))
        if found is not None:
            return Selector(root=found, type="html")
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


def element_classes(element: etree._Element) -> list[str]:
    """The class names of ``element``; none for comments and processing instructions."""
    value = element.get("class") if isinstance(element.tag, str) else None
    return value.split() if value else []


def texts(node: Selector | etree._Element) -> list[str]:
    """``node.xpath(".//text()").getall()``: every text node under ``node``, from lxml's
    text iterator (the same strings in the same order; an XPath run costs more to set up
    than to walk the few nodes of a title, a byline link or a crumb)."""
    root = _root(node)
    if not isinstance(root, etree._Element) or not isinstance(root.tag, str):
        return []
    return list(root.itertext())


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
    return _META_TAGS.get(document, lambda: _read_meta_tags(document))


def _read_meta_tags(document: etree._Element) -> dict[str, str]:
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
    return found


_META_TAGS: LastPage[dict[str, str]] = LastPage()
