"""Article pages parsed without the theme's furniture: the record never reads it.

A JNews single post is about 700 elements, and the post with the page's head is about 250
of them: the header (top bar, three copies of the menus), the related posts, the sidebar,
the footer and the pop-ups are the rest. Parsing them costs libxml2 most of its time on the
page, and every later walk of the tree (the class index, the body walk) pays for them again.
So the page text is trimmed before the parse:

* the header, from ``div.jeg_header_wrapper`` up to ``div.post-wrapper``, is left out when
  it holds as many closers as openers of ``selectors.BALANCED_MARKUP`` (``<div``, comments,
  scripts, styles: whole elements, and no mark inside a comment or a script), nothing of
  ``selectors.RECORD_MARKUP`` (JSON-LD, meta tags, a canonical link, a headline, a
  breadcrumb, a tags box) and no content container;
* everything after the opening tag of the related-posts block is left out, unless it holds
  some of ``selectors.RECORD_MARKUP`` (a plugin's JSON-LD in the footer, a custom template's
  tags box) or no content container comes before it; libxml2 closes what is open at the
  end of the text, as it does for any truncated page.

After the parse, the related-posts block must be the last element, with a content container
before it and none around it (a custom template may print it in the middle of the post);
otherwise the whole page is parsed. A page without these marks (another layout, an AMP
page) is parsed whole: slower, not different. So are pages extracted with ``any_site``,
whose fallbacks read the whole document.

The records of every fixture page, of 2,000 synthetic pages and of the public benchmark's
pages are the same either way (``tests/test_furniture.py``). Where they can differ, the
whole page is misread: markup in the header that swallows the rest of the page when parsed
(an unclosed ``<textarea>``, ``<title>`` or ``<xmp>``), a post with no ``content-inner``
whose sidebar holds an ``entry-content div.content-inner``, a related-posts block inside
the tags box.

The marks are long strings, looked for with ``str.find``, which skips ahead by the length of
what it looks for; ``<body`` is looked for backwards from the header (a few bytes), not
from the top of a page whose head is mostly inline CSS.
"""

from __future__ import annotations

from typing import AnyStr

from lxml import etree
from parsel import Selector

from scienmag_crawler.extract import selectors as css
from scienmag_crawler.extract.document import parse_html


def parse_article_html(page: str | bytes, base_url: str | None = None) -> Selector:
    """A ``Selector`` over ``page`` as :func:`parse_html` makes it, less the furniture
    that can be left out of it safely."""
    trimmed = trim_furniture(page) if isinstance(page, (str, bytes)) else None
    if trimmed is not None:
        selector = parse_html(trimmed, base_url)
        if tail_cut_is_sound(selector.root):
            return selector
    return parse_html(page, base_url)


def trim_furniture(page: AnyStr) -> AnyStr | None:
    """``page`` less its header furniture and what follows the related-posts block's opening
    tag; ``None`` when the tail cannot be cut (the header cut alone is not worth a copy)."""
    marks = _BYTE_MARKS if isinstance(page, bytes) else _TEXT_MARKS
    start, stop = _header(page, marks)
    tail = page.find(marks.tail, max(stop, 0))
    if tail < 0:
        return None
    if start >= 0:
        post = stop
        body = page.rfind(marks.body, 0, start)  # looked for backwards: a few bytes
    else:
        post = body = page.rfind(marks.body, 0, tail)
    if body < 0 or not _holds(page, marks.content, post, tail):
        return None
    end = page.find(marks.tag_end, tail) + 1
    if not end or _holds(page, marks.record, end, len(page)):
        return None
    if start < 0:
        return page[:end]
    return page[:start] + page[stop:end]


def tail_cut_is_sound(root: etree._Element) -> bool:
    """True when the last element of a trimmed tree is the related-posts block, with a
    content container before it and none around it: the cut left no part of the post out."""
    last = root
    while len(last):
        last = last[-1]
    if css.TAIL_FURNITURE_CLASS not in _classes(last):
        return False
    content = set(css.CONTENT_CLASSES)
    before = False
    for element in (last, *last.iterancestors()):
        if content.intersection(_classes(element)):
            return False
        before = before or any(
            _holds_content(e, content) for e in element.itersiblings(preceding=True)
        )
    return before


def _holds_content(element: etree._Element, content: set[str]) -> bool:
    """``element`` is a content container or holds one."""
    return any(content.intersection(_classes(e)) for e in element.iter() if isinstance(e.tag, str))


def _header(page: AnyStr, marks: _Marks) -> tuple[int, int]:
    """Where the header furniture starts and stops; (-1, -1) when it stays: it must be whole
    elements and parts (as many closers as openers of each kind), holding nothing the record
    reads and no content container."""
    start = page.find(marks.header_start)
    stop = page.find(marks.header_stop, start) if start >= 0 else -1
    if stop < 0:
        return -1, -1
    for opener, closer in marks.balanced:
        if page.count(opener, start, stop) != page.count(closer, start, stop):
            return -1, -1
    if _holds(page, marks.record, start, stop) or _holds(page, marks.content, start, stop):
        return -1, -1
    return start, stop


def _holds(page: AnyStr, marks: tuple[AnyStr, ...], start: int, stop: int) -> bool:
    return any(page.find(mark, start, stop) >= 0 for mark in marks)


def _classes(element: etree._Element) -> list[str]:
    value = element.get("class") if isinstance(element.tag, str) else None
    return value.split() if value else []


class _Marks:
    """The strings looked for, as text or as UTF-8 bytes (a page may be either)."""

    def __init__(self, encode: bool) -> None:
        def as_(text: str) -> str | bytes:
            return text.encode() if encode else text

        self.body = as_("<body")
        self.tag_end = as_(">")
        self.header_start, self.header_stop = (as_(m) for m in css.HEADER_FURNITURE)
        self.tail = as_(css.TAIL_FURNITURE)
        self.record = tuple(as_(m) for m in css.RECORD_MARKUP)
        self.content = tuple(as_(m) for m in css.CONTENT_CLASSES)
        self.balanced = tuple((as_(a), as_(b)) for a, b in css.BALANCED_MARKUP)


_TEXT_MARKS, _BYTE_MARKS = _Marks(encode=False), _Marks(encode=True)
