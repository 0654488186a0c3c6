"""Article pages parsed without the theme's furniture: the record never reads it.

A JNews single post is about 700 elements, and fewer than 200 are the post and its head:
the header (top bar, three copies of the menus), the share bars, the related posts, the
sidebar, the footer and the pop-ups are the rest. Parsing them costs libxml2 most of its
time on the page, and every later walk of the tree (the class index, the body walk) pays
for them again. So the page text is trimmed before the parse:

* the stretches of ``selectors.FURNITURE_BETWEEN`` (the header up to the post wrapper, the
  share bars up to the content) are left out when they hold as many ``</div>`` as ``<div``
  (whole elements: what follows is their sibling, as before) and none of
  ``selectors.BETWEEN_RECORD_MARKUP`` (a headline, a breadcrumb, JSON-LD, the content);
* everything after the opening tag of the related-posts block is left out, unless it holds
  some of ``selectors.TAIL_RECORD_MARKUP`` (JSON-LD in the footer, a custom template's tags
  box, the AMP footer) or no content container comes before it; libxml2 closes what is
  open at the end of the text, as it does for any truncated page.

After the parse, the related-posts block must be the last element and must not sit inside
a content container (a custom template may print it in the middle of the post); otherwise
the whole page is parsed. A layout without these marks is parsed whole: slower, not
different. The records of every fixture page, of 2,000 synthetic pages and of the public
benchmark's pages are the same either way (``tests/test_furniture.py``).

The marks are long strings, looked for with ``str.find``, which skips ahead by the length of
what it looks for; ``<body`` is looked for backwards from the first cut (a few bytes), not
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
    trimmed = trim_furniture(page)
    if trimmed is not None:
        selector = parse_html(trimmed, base_url)
        if tail_cut_is_sound(selector.root):
            return selector
    return parse_html(page, base_url)


def trim_furniture(page: AnyStr) -> AnyStr | None:
    """``page`` less its furniture: the stretches of ``FURNITURE_BETWEEN`` and what follows
    the related-posts block's opening tag; ``None`` when the tail cannot be cut (the other
    cuts alone are not worth a copy)."""
    marks = _BYTE_MARKS if isinstance(page, bytes) else _TEXT_MARKS
    cuts = _stretches(page, marks)
    tail = page.find(marks.tail, cuts[-1][1] if cuts else 0)
    if tail < 0:
        return None
    # the body's start, looked for backwards from the first cut: a few bytes
    body = page.rfind(marks.body, 0, cuts[0][0] if cuts else tail)
    if body < 0 or not _holds(page, marks.content, body, tail):
        return None
    end = page.find(marks.tag_end, tail) + 1
    if not end or _holds(page, marks.tail_record, end, len(page)):
        return None
    kept, at = [], 0
    for start, stop in cuts:
        kept.append(page[at:start])
        at = stop
    kept.append(page[at:end])
    return page[:0].join(kept)


def tail_cut_is_sound(root: etree._Element) -> bool:
    """True when the last element of a trimmed tree is the related-posts block, outside
    every content container: the cut left no part of the post out."""
    last = root
    while len(last):
        last = last[-1]
    if css.TAIL_FURNITURE_CLASS not in _classes(last):
        return False
    content = set(css.CONTENT_CLASSES)
    return not any(content.intersection(_classes(up)) for up in last.iterancestors())


def _stretches(page: AnyStr, marks: _Marks) -> list[tuple[int, int]]:
    """The stretches of ``FURNITURE_BETWEEN`` that can be left out, in page order: each a
    run of whole elements (as many ``</div>`` as ``<div``) holding nothing the record reads."""
    found, at = [], 0
    for start_mark, stop_mark in marks.between:
        start = page.find(start_mark, at)
        stop = page.find(stop_mark, start) if start >= 0 else -1
        if (
            stop < 0
            or page.count(marks.div_open, start, stop) != page.count(marks.div_close, start, stop)
            or _holds(page, marks.between_record, start, stop)
        ):
            continue
        found.append((start, stop))
        at = stop
    return found


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
        self.div_open, self.div_close = as_("<div"), as_("</div")
        self.between = tuple((as_(a), as_(b)) for a, b in css.FURNITURE_BETWEEN)
        self.tail = as_(css.TAIL_FURNITURE)
        self.between_record = tuple(as_(m) for m in css.BETWEEN_RECORD_MARKUP)
        self.tail_record = tuple(as_(m) for m in css.TAIL_RECORD_MARKUP)
        self.content = tuple(as_(m) for m in css.CONTENT_CLASSES)


_TEXT_MARKS, _BYTE_MARKS = _Marks(encode=False), _Marks(encode=True)
