"""The article body: the post's content node turned into paragraphs in reading order.

The walk is iterative (``lxml.etree.iterwalk``), so deeply nested markup cannot exhaust
Python's recursion limit, and it skips whole subtrees of theme furniture (share bars, ads,
inline related posts) instead of copying and pruning the tree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from lxml import etree
from parsel import Selector

from scienmag_crawler.extract import selectors as css
from scienmag_crawler.extract.text import normalise_lines

#: elements that end a paragraph before and after themselves
BLOCK_TAGS = frozenset(
    {
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "figure",
        "figcaption",
        "blockquote",
        "table",
        "thead",
        "tbody",
        "tfoot",
        "tr",
        "caption",
        "pre",
        "section",
        "article",
        "header",
        "footer",
        "aside",
        "address",
        "details",
        "summary",
        "hr",
        "center",
        "main",
        "nav",
    }
)
CELL_TAGS = frozenset({"td", "th"})

#: whole paragraphs that are theme or plugin furniture even when they sit inside the content
BOILERPLATE_PARAGRAPHS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        r"^(advertisement|sponsored|ads?)$",
        r"^(read also|read more|see also|related( posts?)?|you may also like)\s*:?.{0,300}$",
        r"^share( this( article)?)?\s*:?$",
        r"^(share|tweet|pin)\s*\d*(\s*(share|tweet|pin)\s*\d*)*$",
        r"^\d[\d,.]*\s*(shares?|views?)$",
        r"^reading time\s*:.*$",
        r"^tags?\s*:.*$",
        r"^(previous|next) post$",
        r"^subscribe to .{0,80}$",
        r"^join [\d,]+ other subscribers$",
    )
)


def find_content(sel: Selector, candidates: Iterable[str] = css.CONTENT_CSS) -> Selector | None:
    """The first content container that matches, or ``None``."""
    for query in candidates:
        found = sel.css(query)
        if found:
            return found[0]
    return None


_DROP_QUERY = ", ".join(css.CONTENT_DROP_CSS)


def dropped_nodes(content: Selector) -> set[etree._Element]:
    """Roots of the furniture subtrees inside the content (one union query, one tree pass)."""
    return {node.root for node in content.css(_DROP_QUERY)}


def iter_blocks(root: etree._Element, skip: set[etree._Element] = frozenset()) -> list[str]:  # type: ignore[assignment]
    """Text of each block element under ``root``, in document order, whitespace-normalised.

    Inline text is gathered into the enclosing block; ``<br>`` becomes a line break; table
    cells are separated by `` | ``; subtrees in ``skip`` contribute only their tail text.
    """
    blocks: list[str] = []
    buf: list[str] = []

    def flush() -> None:
        if buf:
            text = normalise_lines("".join(buf))
            buf.clear()
            if text:
                blocks.append(text)

    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, el in walker:
        if event in ("comment", "pi"):
            if el.tail:
                buf.append(el.tail)
            continue
        tag = el.tag if isinstance(el.tag, str) else ""
        if event == "start":
            if el in skip:
                walker.skip_subtree()
                continue
            if tag in BLOCK_TAGS:
                flush()
            elif tag == "br":
                buf.append("\n")
            elif tag in CELL_TAGS and el.getprevious() is not None:
                buf.append(" | ")
            cf_hex = _cf_hex(el) if tag in ("a", "span") else None
            email = decode_cfemail(cf_hex) if cf_hex else None
            if email:
                # Cloudflare hides addresses as "[email protected]": write the real one
                buf.append(email)
                walker.skip_subtree()
                continue
            if el.text and el not in skip:
                buf.append(el.text)
        else:
            if tag in BLOCK_TAGS:
                flush()
            if el is not root and el.tail:
                buf.append(el.tail)
    flush()
    return blocks


def decode_cfemail(hex_string: str) -> str | None:
    """Decode Cloudflare's email protection (``data-cfemail``: key byte, then XORed bytes).

    >>> decode_cfemail("543931303d35143c3b2023317a3b2633")
    'media@hotwe.org'
    >>> decode_cfemail("zz") is None
    True
    """
    try:
        data = bytes.fromhex(hex_string)
    except ValueError:
        return None
    if len(data) < 2:
        return None
    key = data[0]
    try:
        return bytes(b ^ key for b in data[1:]).decode("utf-8")
    except UnicodeDecodeError:
        return None


def _cf_hex(el: etree._Element) -> str | None:
    """The encoded address of a Cloudflare-protected email element, if it is one."""
    if el.get("data-cfemail"):
        return el.get("data-cfemail")
    href = el.get("href") or ""
    marker = "/cdn-cgi/l/email-protection#"
    return href.split(marker, 1)[1] if marker in href else None


def extract_links(
    content: Selector, dropped: set[etree._Element] | None = None
) -> list[tuple[str, str]]:
    """(href, text) of every link in the content, outside the dropped furniture."""
    dropped = dropped_nodes(content) if dropped is None else dropped
    links = []
    for a in content.css("a[href]"):
        node = a.root
        if any(anc in dropped for anc in node.iterancestors()) or node in dropped:
            continue
        links.append((node.get("href", ""), normalise_lines(node.text_content())))
    return links


def is_boilerplate(paragraph: str) -> bool:
    """True for a paragraph that is theme/plugin furniture ("Read also: ...", "65 SHARES")."""
    return any(p.match(paragraph) for p in BOILERPLATE_PARAGRAPHS)


def extract_paragraphs(content: Selector, dropped: set[etree._Element] | None = None) -> list[str]:
    """Raw blocks of the content node (headings, list items, captions included), widgets skipped.

    Paragraph-level boilerplate is removed afterwards by the loader's processors.
    """
    root = content.root
    if not isinstance(root, etree._Element):
        return []
    return iter_blocks(root, dropped_nodes(content) if dropped is None else dropped)
