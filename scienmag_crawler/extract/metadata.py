"""Record metadata: each field from the most reliable source that has it.

Every ``extract_*`` function returns a value or ``None`` (lists: empty) and is usable on its
own. Functions returning a source label as well feed ``Article.extraction``, so users can see
which layer answered: ``jsonld`` > ``meta`` > ``time`` (a ``<time datetime>``) > ``visible``.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree
from parsel import Selector

from scienmag_crawler.extract import fastsel
from scienmag_crawler.extract import selectors as css
from scienmag_crawler.extract.dates import parse_iso, parse_visible_date
from scienmag_crawler.extract.jsonld import ARTICLE_TYPES, find_by_type, resolve
from scienmag_crawler.extract.text import iter_nonempty, normalise_whitespace, unique

JsonObjects = list[dict[str, Any]]

#: "Reading Time: 4 mins read", "Tiempo de lectura: 4 minutos", "Lesezeit: 4 Min.", "4 دقائق"
_READING_TIME = re.compile(r"(\d+)\s*(?:min|دقائق|دقيقة)", re.IGNORECASE)
_BYLINE_PREFIX = re.compile(r"^(by|written by|posted by)\s+", re.IGNORECASE)


def first_css(sel: Selector, queries: tuple[str, ...] | str) -> Selector | None:
    """The first node matching the first query that matches anything (queries compiled
    once, no ``Selector`` made for the other matches)."""
    return fastsel.first_css(sel, queries)


def node_text(node: Selector | etree._Element | None) -> str | None:
    """All text under a node, whitespace-normalised; ``None`` when empty."""
    if node is None:
        return None
    return normalise_whitespace(" ".join(fastsel.texts(node))) or None


def meta_content(sel: Selector, *names: str) -> str | None:
    """Content of the first ``<meta property|name=...>`` present among ``names`` (from
    ``<head>`` for ``name``; ``property`` anywhere). The page's meta tags are read once."""
    tags = fastsel.meta_tags(sel)
    for name in names:
        value = tags.get(name)
        if value and value.strip():
            return value.strip()
    return None


def jsonld_article(objs: JsonObjects) -> dict[str, Any] | None:
    """The Article/NewsArticle/BlogPosting object of the page, if any (looked for once per
    page: six fields of a record ask for it)."""
    return _JSONLD_ARTICLE.get(objs, lambda: find_by_type(objs, ARTICLE_TYPES))


_JSONLD_ARTICLE: fastsel.LastPage[dict[str, Any] | None] = fastsel.LastPage()


# --- url, title -------------------------------------------------------------------------
def extract_url(sel: Selector, page_url: str | None) -> str | None:
    """Canonical URL: ``link rel=canonical``, then ``og:url``, then the URL the page came from."""
    for value in (
        fastsel.first_attribute(sel, "link", "rel", "canonical", "href"),
        meta_content(sel, "og:url"),
    ):
        if value and value.strip().startswith(("http://", "https://")):
            return value.strip()
    return page_url


def extract_title(main: Selector, sel: Selector, objs: JsonObjects) -> str | None:
    """Headline: the post's ``h1``, then ``og:title``, then JSON-LD ``headline``."""
    article = jsonld_article(objs) or {}
    candidates = (
        node_text(first_css(main, css.TITLE_CSS)),
        meta_content(sel, "og:title"),
        article.get("headline") if isinstance(article.get("headline"), str) else None,
    )
    return next(iter_nonempty(candidates), None)


def extract_subtitle(main: Selector) -> str | None:
    """The standfirst under the headline (``h2.jeg_post_subtitle``)."""
    return node_text(first_css(main, css.SUBTITLE_CSS))


# --- dates ------------------------------------------------------------------------------
_NOWHERE = Selector(text="<html></html>")


def _post_meta(main: Selector) -> Selector:
    """The main post's meta block; an empty node when there is none (never the whole page,
    which would let a related post's date or byline in). Several fields read it: the last
    answer is kept."""

    def find() -> Selector:
        found = first_css(main, css.POST_META_CSS)
        return _NOWHERE if found is None else found  # a Selector's truth value serialises it

    return _POST_META.get(main.root, find)


_POST_META: fastsel.LastPage[Selector] = fastsel.LastPage()


def extract_published(
    main: Selector, sel: Selector, objs: JsonObjects, language: str | None = None
) -> tuple[str | None, str | None]:
    """Publication date and its source. Never the top-bar date or a related post's date:
    DOM lookups are confined to the main post's meta block."""
    article = jsonld_article(objs) or {}
    if value := parse_iso(_str(article.get("datePublished"))):
        return value, "jsonld"
    if value := parse_iso(meta_content(sel, "article:published_time")):
        return value, "meta"
    post_meta = _post_meta(main)
    times = fastsel.css_nodes(post_meta, css.DATE_TIME_CSS)  # each has its datetime
    if times and (value := parse_iso(times[0].get("datetime"))):
        return value, "time"
    if value := parse_visible_date(node_text(first_css(post_meta, css.DATE_TEXT_CSS)), language):
        return value, "visible"
    return None, None


def extract_modified(sel: Selector, objs: JsonObjects) -> tuple[str | None, str | None]:
    """Last-modified date when stated, and its source: JSON-LD ``dateModified``, then
    ``article:modified_time``."""
    article = jsonld_article(objs) or {}
    if value := parse_iso(_str(article.get("dateModified"))):
        return value, "jsonld"
    if value := parse_iso(meta_content(sel, "article:modified_time")):
        return value, "meta"
    return None, None


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


# --- people and taxonomy ----------------------------------------------------------------
def extract_authors(main: Selector, objs: JsonObjects) -> list[str]:
    """Visible byline names; without a byline, JSON-LD ``author`` persons (never an org)."""
    post_meta = _post_meta(main)
    names = [
        _BYLINE_PREFIX.sub("", n)
        for n in iter_nonempty(
            node_text(a) for a in fastsel.css_nodes(post_meta, css.AUTHOR_LINKS_CSS)
        )
    ]
    if names or fastsel.css_nodes(post_meta, css.BYLINE_CSS):
        return unique(names)
    article = jsonld_article(objs) or {}
    authors = article.get("author")
    people = authors if isinstance(authors, list) else [authors]
    found = []
    for person in people:
        person = resolve(objs, person)
        if isinstance(person, dict) and person.get("@type") == "Person":
            found.append(_str(person.get("name")))
    return unique(iter_nonempty(found))


def _is_home_link(href: str | None) -> bool:
    """A breadcrumb link to the site's front page ("Home", "Inicio", "Startseite", "الرئيسية")."""
    return href is not None and urlsplit(href.strip()).path in ("", "/")


def extract_categories(
    sel: Selector, main: Selector, objs: JsonObjects, title: str | None
) -> list[str]:
    """Breadcrumb path without the front page and the post itself, outermost first; then the
    JSON-LD breadcrumb, the post meta's category links and JSON-LD ``articleSection``.

    The front page is recognised by its link (the site root), so its label may be in any
    language; the English word "Home" is dropped as well for crumbs without a link.
    """
    crumb = first_css(sel, css.BREADCRUMB_CSS)
    if crumb is not None:
        texts: list[str | None] = []
        for node in fastsel.xpath(crumb, css.BREADCRUMB_PARTS_XPATH):
            if node.tag == "a" and _is_home_link(node.get("href")):
                continue
            texts.append(node_text(node))
        parts = [
            p
            for p in iter_nonempty(texts)
            if p not in css.BREADCRUMB_SEPARATORS and p.lower() != "home" and p != title
        ]
        if parts:
            return unique(parts)
    breadcrumbs = find_by_type(objs, ["BreadcrumbList"])
    if breadcrumbs:
        names = []
        for item in breadcrumbs.get("itemListElement") or []:
            if not isinstance(item, dict):
                continue
            target = item.get("item")
            name = _str(item.get("name"))
            if name is None and isinstance(target, dict):
                name = _str(target.get("name"))
            url = target.get("@id") if isinstance(target, dict) else target
            if isinstance(url, str) and _is_home_link(url):
                continue
            names.append(name)
        names = [n for n in iter_nonempty(names) if n.lower() != "home" and n != title]
        if names:
            return unique(names)
    links = fastsel.css_nodes(_post_meta(main), css.CATEGORY_LINKS_CSS) or fastsel.css_nodes(
        main, css.FOOTER_CATEGORY_LINKS_CSS
    )
    if links:
        return unique(iter_nonempty(node_text(a) for a in links))
    section = (jsonld_article(objs) or {}).get("articleSection")
    sections = [section] if isinstance(section, str) else section
    if isinstance(sections, list):
        return unique(iter_nonempty(s for s in sections if isinstance(s, str)))
    return []


def extract_tags(main: Selector, sel: Selector, objs: JsonObjects) -> list[str]:
    """Post tags: the tags box, else JSON-LD ``keywords``, else ``article:tag`` meta."""
    box = first_css(main, tuple(q.rsplit(" ", 1)[0] for q in css.TAG_LINKS_CSS))
    if box is not None:
        tags = unique(iter_nonempty(node_text(a) for a in fastsel.css_nodes(box, "a")))
        if tags:
            return tags
    keywords = (jsonld_article(objs) or {}).get("keywords")
    if isinstance(keywords, str):
        keywords = keywords.split(",")
    if isinstance(keywords, list):
        return unique(iter_nonempty(k for k in keywords if isinstance(k, str)))
    return unique(iter_nonempty(fastsel.xpath(sel, css.META_TAGS_XPATH)))


# --- the rest ---------------------------------------------------------------------------
def extract_summary(sel: Selector) -> str | None:
    """The page's own description."""
    value = meta_content(sel, "og:description", "description")
    return normalise_whitespace(value) if value else None


def extract_image(main: Selector, sel: Selector, page_url: str | None) -> str | None:
    """Featured image URL: ``og:image``, else the featured image element's real URL (a lazy
    loader's ``data-*`` attribute before a placeholder ``src``; ``data:`` URIs never)."""
    value = meta_content(sel, "og:image")
    if not value:
        node = first_css(main, css.FEATURED_IMAGE_CSS)
        candidates = [] if node is None else [node.root.get(a) for a in css.IMAGE_URL_ATTRIBUTES]
        value = next((v for v in candidates if v and not v.startswith("data:")), None)
    return urljoin(page_url or "", value.strip()) if value else None


def extract_language(sel: Selector) -> str | None:
    """The page's language tag (``<html lang>``, else ``og:locale``)."""
    lang = fastsel.xpath_first(sel, css.HTML_LANG_XPATH) or meta_content(sel, "og:locale")
    return lang.strip().replace("_", "-") if lang and lang.strip() else None


def extract_reading_time(main: Selector) -> int | None:
    """Minutes from "Reading Time: 4 mins read"."""
    text = node_text(first_css(main, css.READING_TIME_CSS))
    match = _READING_TIME.search(text or "")
    return int(match.group(1)) if match else None
