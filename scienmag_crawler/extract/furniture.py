"""Article pages parsed without the furniture that follows the post: the record never reads it.

A JNews single post is about 700 elements. After the post come the related posts, the
sidebar, the footer, the pop-ups and the mobile menu: about 350 of them (a quarter of the
text), which libxml2 would build and every later walk of the tree (the class index, the body
walk) would pass over. So the page text is cut after the opening tag of the related-posts
block, which JNews prints right after the post; libxml2 closes what is open at the end of
the text, as it does for any truncated page. The cut is made only when

* what is cut off holds none of ``selectors.RECORD_MARKUP``, the things the record may read
  outside the post (a plugin's JSON-LD or meta tags in the footer, a custom template's tags
  box or breadcrumb, a headline, the post's content printed below the related posts);
* after the parse, the related-posts block is the tree's last element, a content container
  comes before it and none holds it (a custom template may print related posts in the
  middle of the post, or above it).

Otherwise the whole page is parsed: a page without the block (another layout, an AMP page)
is slower, not different. Pages extracted with ``any_site`` are parsed whole, as their
fallbacks read the whole document.

The records of every fixture page, of 2,000 synthetic pages and of the public benchmark's
pages are the same either way (``tests/test_furniture.py``). Where they can differ, the
whole page is misread: a legacy post with no ``content-inner`` whose sidebar holds an
``entry-content div.content-inner``, related posts printed inside the tags box, markup
after the block that swallows the rest of the page.

The marks are long strings, looked for with ``str.find``: the block from the top of the
page, the content classes backwards from the block.
"""

from __future__ import annotations

from typing import AnyStr

from lxml import etree
from parsel import Selector

from scienmag_crawler.extract import selectors as css
from scienmag_crawler.extract.document import parse_html
from scienmag_crawler.extract.fastsel import element_classes


def parse_article_html(page: str | bytes, base_url: str | None = None) -> Selector:
    """A ``Selector`` over ``page`` as :func:`parse_html` makes it, less the furniture
    after the post when that can be left out safely."""
    trimmed = trim_furniture(page) if isinstance(page, (str, bytes)) else None
    if trimmed is not None:
        selector = parse_html(trimmed, base_url)
        if tail_cut_is_sound(selector.root):
            return selector
    return parse_html(page, base_url)


def trim_furniture(page: AnyStr) -> AnyStr | None:
    """``page`` up to the end of the related-posts block's opening tag; ``None`` when what
    follows holds something the record reads, or no content container comes before it."""
    marks = _BYTE_MARKS if isinstance(page, bytes) else _TEXT_MARKS
    tail = page.find(marks.tail)
    if tail < 0 or not any(page.rfind(mark, 0, tail) >= 0 for mark in marks.content):
        return None
    end = page.find(marks.tag_end, tail) + 1
    if not end or any(page.find(mark, end) >= 0 for mark in marks.record):
        return None
    return page[:end]


def tail_cut_is_sound(root: etree._Element) -> bool:
    """True when the last element of a trimmed tree is the related-posts block, with a
    content container before it and none around it: the cut left no part of the post out."""
    last = root
    while len(last):
        last = last[-1]
    if css.TAIL_FURNITURE_CLASS not in element_classes(last):
        return False
    before = False
    for element in (last, *last.iterancestors()):
        if _is_content(element):
            return False
        if not before:
            earlier = element.itersiblings(preceding=True)
            before = any(_holds_content(sibling) for sibling in earlier)
    return before


def _is_content(element: etree._Element) -> bool:
    return not css.CONTENT_CLASSES.isdisjoint(element_classes(element))


def _holds_content(element: etree._Element) -> bool:
    """``element`` is a content container or holds one."""
    return any(map(_is_content, element.iter()))


class _Marks:
    """The strings looked for, as text or as UTF-8 bytes (a page may be either)."""

    def __init__(self, encode: bool) -> None:
        def as_(text: str) -> str | bytes:
            return text.encode() if encode else text

        self.tag_end = as_(">")
        self.tail = as_(css.TAIL_FURNITURE)
        self.record = tuple(as_(m) for m in css.RECORD_MARKUP)
        self.content = tuple(as_(m) for m in sorted(css.CONTENT_CLASSES))


_TEXT_MARKS, _BYTE_MARKS = _Marks(encode=False), _Marks(encode=True)
