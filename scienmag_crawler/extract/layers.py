"""Where the body comes from: the JNews layout, then WordPress conventions, then trafilatura.

The layers are tried in order. The fallbacks run only when the page has no JNews content
node at all, so they can never replace the JNews layout on a JNews page (an empty JNews post
stays empty). Which layer answered goes into ``Article.extraction["body"]``; a fallback on
scienmag.com means the theme changed (drift), and the crawl's monitors fail the run.

* ``jnews``: the theme's content container (``selectors.CONTENT_CSS``) inside JNews markup
  (an ancestor with a ``jeg_`` class or the ``jnews`` body class), walked by ``body.py``
  with the theme furniture skipped.
* ``wordpress``: on a page WordPress marks as a single post (``single-post``/``postid-N``
  body class), the ``.entry-content`` container of WordPress themes, walked the same way
  with common plugin furniture (share bars, related posts) skipped as well.
* ``generic``: trafilatura on the whole page (comments excluded, precision favoured), for
  any other layout. It is imported only when this layer runs: JNews pages never pay for it.

Both fallbacks drop lines that repeat the headline, which the record holds as ``title``.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from lxml import etree
from parsel import Selector

from scienmag_crawler.extract import fastsel
from scienmag_crawler.extract import selectors as css
from scienmag_crawler.extract.body import (
    compile_drop_rules,
    extract_links,
    is_jnews_amp_page,
    walk_content,
)
from scienmag_crawler.extract.body import find_content as find_first_content
from scienmag_crawler.extract.loaders import clean_paragraphs

JNEWS = "jnews"
WORDPRESS = "wordpress"
GENERIC = "generic"
NONE = "none"  # no layer found a content node
#: layers that mean "the JNews layout was not found" on scienmag.com
FALLBACK_LAYERS = frozenset({WORDPRESS, GENERIC})

#: the content container of WordPress themes in general (core themes, underscores-based
#: ones); wider guesses (``.post-content``, ``.article-content``) often match a wrapper with
#: the headline, byline and related posts, and measured worse than the generic layer
WORDPRESS_CONTENT_CSS = (".entry-content",)
#: furniture that WordPress plugins and themes put inside the content container
WORDPRESS_DROP_CSS = (
    *css.CONTENT_DROP_CSS,
    ".sharing",
    ".share-buttons",
    ".social-share",
    ".addtoany_share_save_container",
    ".yarpp-related",
    ".related-posts",
    ".wp-block-buttons",
    ".post-tags",
    ".tags-links",
    ".author-box",
    ".comments-area",
    "aside",
)
_WORDPRESS_DROP_RULES = compile_drop_rules(WORDPRESS_DROP_CSS)

#: the precise trafilatura result is kept unless it is under this share of the default
#: result's words (then precision mode dropped the article itself, not just furniture)
GENERIC_MIN_PRECISE_SHARE = 0.25

_NON_WORD = re.compile(r"\W+")


@dataclass
class Body:
    """The body paragraphs, the links inside them and the layer that produced them."""

    layer: str
    paragraphs: list[str] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)


def in_jnews_layout(node: Selector) -> bool:
    """True when the node sits in JNews markup: an ancestor (or itself) carries a ``jeg_``
    class or the ``jnews`` body class. A plain WordPress page has neither."""
    root = node.root
    if not isinstance(root, etree._Element):
        return False
    for el in (root, *root.iterancestors()):
        if any(c == "jnews" or c.startswith("jeg_") for c in fastsel.element_classes(el)):
            return True
    return False


def is_wordpress_post(sel: Selector) -> bool:
    """WordPress marks a single post in ``<body class>`` (``single-post``, ``postid-N``)."""
    classes = (fastsel.xpath_first(sel, css.BODY_CLASS_XPATH) or "").split()
    return "single-post" in classes or any(c.startswith("postid-") for c in classes)


def jnews_body(main: Selector, sel: Selector) -> Body | None:
    """The JNews layer: the theme's content node, when it sits in JNews markup."""
    node = find_first_content(main)
    if node is None:  # not ``or``: a Selector's truth value serialises its whole node
        node = find_first_content(sel)
    if node is None or not (in_jnews_layout(node) or is_jnews_amp_page(sel)):
        return None
    blocks, dropped = walk_content(node)
    return Body(
        layer=JNEWS,
        paragraphs=list(clean_paragraphs(blocks)),
        links=extract_links(node, dropped),
    )


def wordpress_body(
    main: Selector, sel: Selector, headlines: Sequence[str | None] = ()
) -> Body | None:
    """The WordPress layer: a generic theme content node on a single-post page."""
    if not is_wordpress_post(sel):
        return None
    node = find_first_content(main, WORDPRESS_CONTENT_CSS)
    if node is None:
        node = find_first_content(sel, WORDPRESS_CONTENT_CSS)
    if node is None:
        return None
    blocks, dropped = walk_content(node, _WORDPRESS_DROP_RULES)
    paragraphs = list(clean_paragraphs(blocks))
    return Body(
        layer=WORDPRESS,
        paragraphs=drop_headlines(paragraphs, headlines),
        links=extract_links(node, dropped),
    )


def generic_text(html: str, url: str | None = None) -> str:
    """Main text of any page by trafilatura, one paragraph per line ("" when none).

    Comments are left out (they are not the article). Precision mode drops more furniture,
    but on some layouts it drops the article too; then the default result is used.
    """
    trafilatura = importlib.import_module("trafilatura")  # lazy: ~0.5 s import
    options: dict[str, Any] = {"url": url, "include_comments": False, "deduplicate": False}
    precise = trafilatura.extract(html, favor_precision=True, **options) or ""
    default = trafilatura.extract(html, **options) or ""
    if len(precise.split()) >= GENERIC_MIN_PRECISE_SHARE * len(default.split()):
        return str(precise)
    return str(default)


def _key(text: str) -> str:
    return _NON_WORD.sub(" ", text).strip().casefold()


def drop_headlines(paragraphs: list[str], headlines: Sequence[str | None]) -> list[str]:
    """Paragraphs without lines that repeat the headline (generic extractors keep the
    ``h1`` that the record already has as ``title``).

    >>> drop_headlines(["Big news", "Text."], ["Big News!"])
    ['Text.']
    """
    keys = {_key(h) for h in headlines if h} - {""}
    return [p for p in paragraphs if _key(p) not in keys]


def generic_body(sel: Selector, url: str | None, headlines: Sequence[str | None]) -> Body:
    """The generic layer: trafilatura's text of the whole page, headline lines dropped."""
    text = generic_text(sel.get(), url)
    lines = [line for line in text.split("\n") if line.strip()]
    return Body(layer=GENERIC, paragraphs=drop_headlines(list(clean_paragraphs(lines)), headlines))


def extract_body(
    main: Selector,
    sel: Selector,
    url: str | None,
    headlines: Callable[[], Sequence[str | None]] = tuple,
) -> Body:
    """The body from the first layer that yields paragraphs; layer ``none`` when none does.

    The fallbacks only run when there is no JNews content node at all: an empty JNews post
    stays empty (and is dropped as such) rather than being filled from the page around it.
    ``headlines`` gives the texts the fallbacks drop as repeated headlines (asked for only
    when one runs).
    """
    jnews = jnews_body(main, sel)
    if jnews is not None:
        return jnews
    repeated = headlines()
    wordpress = wordpress_body(main, sel, repeated)
    if wordpress is not None and wordpress.paragraphs:
        return wordpress
    generic = generic_body(sel, url, repeated)
    return generic if generic.paragraphs else Body(layer=NONE)
