"""Is this page an article? WordPress says so in ``<body class>``; metadata backs it up."""

from __future__ import annotations

from parsel import Selector

from scienmag_crawler.extract import fastsel
from scienmag_crawler.extract import selectors as css
from scienmag_crawler.extract.jsonld import ARTICLE_TYPES, find_by_type
from scienmag_crawler.extract.metadata import JsonObjects, meta_content

#: what each reason code means, for log lines
KIND_DETAILS = {
    "soft-404": "the page is a soft 404 (body class error404) served with status 200",
    "listing": "the page is a listing (home, category, tag or author archive)",
    "page": "the page is a static WordPress page, not a post",
    "not-an-article": "no sign of a post: no single-post body class, og:type article or "
    "JSON-LD Article",
}


def classify_page(sel: Selector, objs: JsonObjects) -> str | None:
    """``None`` for an article page, else the reason code of what it is instead.

    A soft 404 wins over everything (it may still carry a post-like layout); explicit
    single-post classes win over listing classes; without body classes the page must declare
    itself an article through ``og:type`` or JSON-LD.
    """
    classes = set((fastsel.xpath_first(sel, css.BODY_CLASS_XPATH) or "").split())
    if "error404" in classes:
        return "soft-404"
    if classes & css.ARTICLE_BODY_CLASSES or any(c.startswith("postid-") for c in classes):
        return None
    for cls, reason in css.NON_ARTICLE_BODY_CLASSES.items():
        if cls in classes:
            return reason
    if meta_content(sel, "og:type") == "article" or find_by_type(objs, ARTICLE_TYPES):
        return None
    return "not-an-article"
