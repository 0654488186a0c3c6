"""Every CSS selector of the JNews layout, named by meaning, in one place.

A theme change should be a diff of this file. Selectors are scoped to the main post so that
related posts, popular posts and the top bar (which all carry their own titles and dates)
never leak into the record. Lists are tried in order; the first that matches wins.
"""

from __future__ import annotations

# --- page kind -------------------------------------------------------------------------
BODY_CLASS_XPATH = "/html/body/@class"
#: body classes WordPress gives to a single post
ARTICLE_BODY_CLASSES = frozenset({"single-post", "single-format-standard"})
#: body classes of pages that are certainly not articles, with the reason reported
NON_ARTICLE_BODY_CLASSES = {
    "error404": "soft-404",
    "search-no-results": "soft-404",
    "archive": "listing",
    "category": "listing",
    "tag": "listing",
    "author": "listing",
    "home": "listing",
    "blog": "listing",
    "page": "page",
    "search": "listing",
}

# --- the main post (everything below is looked up inside it) -------------------------
#: the container of the post being read; related/popular blocks sit outside or after it
MAIN_POST_CSS = (
    "div.jeg_singlepage",
    "div.jeg_main_content",
    "div.jeg_inner_content",
    "article.post",
    "main",
)
TITLE_CSS = ("h1.jeg_post_title", ".entry-header h1", "h1.entry-title", "h1.post-title")
SUBTITLE_CSS = ("h2.jeg_post_subtitle", ".entry-header h2.jeg_post_subtitle")
#: the main post's meta block (byline, date, categories); never a listing item's meta
POST_META_CSS = (".jeg_meta_container", ".entry-header .jeg_post_meta", ".entry-header")
AUTHOR_LINKS_CSS = ".jeg_meta_author a"
DATE_TIME_CSS = ".jeg_meta_date time[datetime], time.entry-date[datetime]"
DATE_TEXT_CSS = ".jeg_meta_date"
READING_TIME_CSS = ".jeg_meta_reading_time, .jeg_meta_reading_time span"
CATEGORY_LINKS_CSS = ".jeg_meta_category a"
BREADCRUMB_CSS = "#breadcrumbs, .jeg_breadcrumbs"
TAG_LINKS_CSS = (".jeg_post_tags a", ".tags-links a")
FEATURED_IMAGE_CSS = ".jeg_featured img"

#: the post HTML, most specific first
CONTENT_CSS = (
    "div.entry-content div.content-inner",
    "div.entry-content",
    "div.jeg_inner_content div.content-inner",
)

#: nodes inside the content that are never article text (theme widgets, ads, embeds' code)
CONTENT_DROP_CSS = (
    "script",
    "style",
    "noscript",
    "template",
    "form",
    "iframe",
    "svg",
    "button",
    ".jeg_share_button",
    ".jeg_sharelist",
    ".share-float",
    ".jeg_share_top_container",
    ".jeg_share_bottom_container",
    ".jeg_ad",
    ".jnews_content_inline_ads",
    ".jnews_inline_related_post_wrapper",
    ".jnews_inline_related_post",
    ".jeg_post_tags",
    ".jnews_prev_next_container",
    ".jnews_related_post_container",
    ".jnews_author_box_container",
    ".jeg_authorbox",
    ".jnews_comment_container",
    ".sharedaddy",
    ".jp-relatedposts",
    ".wpcnt",
    ".code-block",
    ".adsbygoogle",
)

# --- listings (home, category, tag pages) ----------------------------------------------
LISTING_POST_CSS = "article.jeg_post"
LISTING_POST_LINK_CSS = ".jeg_post_title a::attr(href)"
LISTING_POST_DATE_CSS = ".jeg_meta_date"
PAGINATION_NEXT_CSS = (
    ".jeg_pagination a.next::attr(href)",
    ".jeg_navigation a.page_nav.next::attr(href)",
    "a.next.page-numbers::attr(href)",
    "link[rel=next]::attr(href)",
)
CATEGORY_LINK_XPATH = "//a[contains(@href, '/category/')]/@href"
