"""Every CSS selector of the JNews layout, named by meaning, in one place.

A theme change should be a diff of this file. Selectors are scoped to the main post so that
related posts, popular posts and the top bar (which all carry their own titles and dates)
never leak into the record. Lists are tried in order; the first that matches wins.
"""

from __future__ import annotations

# --- page kind -------------------------------------------------------------------------
BODY_CLASS_XPATH = "/html/body/@class"
HTML_LANG_XPATH = "/html/@lang"
#: ``article:tag`` meta tags (one per tag), where neither the tags box nor JSON-LD has them
META_TAGS_XPATH = "//meta[@property='article:tag']/@content"
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
#: the container of the post being read; related/popular blocks sit outside or after it.
#: ``div.jeg_main`` is what JNews's single.php prints around every single-post template: it
#: also holds the full-width header of templates 4, 5, 6, 9 and 10 (``div.jeg_featured_big``,
#: outside ``div.jeg_singlepage``) and the builder-made custom templates (``.custom_post_template``)
MAIN_POST_CSS = (
    "div.jeg_main",
    "div.jeg_singlepage",
    "div.jeg_main_content",
    "div.jeg_inner_content",
    "article.amp-wp-article",  # AMP reader template (JNews AMP, AMP plugin, AMP for WP)
    "article.post",
    "main",
)
TITLE_CSS = (
    "h1.jeg_post_title",  # every JNews template, and the builder widget (jeg_custom_title_wrapper)
    ".entry-header h1",
    "h1.entry-title",
    "h1.post-title",
    "h1.amp-wp-title",  # AMP reader template
    ".elementor-widget-theme-post-title .elementor-heading-title",  # Elementor Pro "Post Title"
)
SUBTITLE_CSS = ("h2.jeg_post_subtitle", ".entry-header h2.jeg_post_subtitle")
#: the main post's meta block (byline, date, categories); never a listing item's meta
POST_META_CSS = (
    ".jeg_meta_container",
    ".entry-header .jeg_post_meta",
    ".entry-header",
    ".jeg_custom_meta_wrapper",  # JNews / Epic News Element "Post Meta" builder widget
    ".amp-wp-article-header",  # AMP reader template
)
#: a byline is shown (then its links, even none, are the authors; JSON-LD is not consulted)
BYLINE_CSS = ".jeg_meta_author, .amp-wp-byline"
#: byline names: JNews links each author; AMP prints the name in a span
AUTHOR_LINKS_CSS = ".jeg_meta_author a, .amp-wp-byline .amp-wp-author"
#: ``time[datetime]`` of the post meta (AMP's visible text is relative: "3 days ago")
DATE_TIME_CSS = (
    ".jeg_meta_date time[datetime], time.entry-date[datetime], .amp-wp-posted-on time[datetime]"
)
DATE_TEXT_CSS = ".jeg_meta_date"
READING_TIME_CSS = ".jeg_meta_reading_time, .jeg_meta_reading_time span"
CATEGORY_LINKS_CSS = ".jeg_meta_category a"
#: category links printed after the content instead of in the meta block (AMP footer)
FOOTER_CATEGORY_LINKS_CSS = ".amp-wp-tax-category a"
BREADCRUMB_CSS = "#breadcrumbs, .jeg_breadcrumbs"
#: the crumbs of a breadcrumb: its links, and the spans holding no link (the current post)
BREADCRUMB_PARTS_XPATH = ".//a | .//span[not(.//a)]"
#: breadcrumb text that is a separator, never a crumb (left-pointing ones in right-to-left pages)
BREADCRUMB_SEPARATORS = frozenset({"»", "›", ">", "/", "|", "«", "‹", "<", "\\"})
TAG_LINKS_CSS = (".jeg_post_tags a", ".tags-links a", ".amp-wp-tax-tag a")
#: the featured image; lazy-loading plugins keep the real URL in a data attribute
FEATURED_IMAGE_CSS = ".jeg_featured img, .amp-wp-article-featured-image amp-img"
#: image attributes holding the real URL, lazy-loading ones first (``src`` may be a placeholder)
IMAGE_URL_ATTRIBUTES = ("data-lazy-src", "data-src", "data-original", "src")

#: AMP reader template: the article, and parts that only JNews AMP prints around it (its content
#: has no ``jeg_`` ancestor and the body class is empty)
AMP_ARTICLE_CSS = "article.amp-wp-article"
JNEWS_AMP_MARKERS_CSS = ".jeg_share_button.share-amp, .amp_ad_wrapper, .jeg_mobile_wrapper"

#: the post HTML, most specific first
CONTENT_CSS = (
    "div.entry-content div.content-inner",  # JNews templates 1-10 and the "Post Content" widget
    "div.entry-content",  # legacy template, and themes without content-inner
    "div.jeg_inner_content div.content-inner",
    "div.amp-wp-article-content",  # AMP reader template
)

#: nodes inside the content that are never article text. Simple selectors only (``tag``,
#: ``.class``, ``#id``, ``tag.class``): they are matched in one pass over the content tree.
CONTENT_DROP_CSS = (
    # code, embeds and forms: no article text, and lazy-loading plugins' <noscript> copies of
    # images and iframes (the text around them is already outside the copy)
    "script",
    "style",
    "noscript",
    "template",
    "form",
    "iframe",
    "svg",
    "button",
    "amp-ad",
    "amp-embed",
    "amp-social-share",
    "amp-analytics",
    # share bars (JNews top/bottom/float, Jetpack sharing)
    ".jeg_share_button",
    ".jeg_sharelist",
    ".share-float",
    ".jeg_share_top_container",
    ".jeg_share_bottom_container",
    ".sharedaddy",
    # ads: JNews ad slots, JNews AMP ad slots, Ad Inserter, AdSense, WordAds, Quads
    ".jeg_ad",
    ".jnews_content_inline_ads",
    ".amp_ad_wrapper",
    ".code-block",
    ".adsbygoogle",
    ".wpcnt",
    ".quads-location",
    # inline "related" boxes: JNews inline related, Jetpack, YARPP, Contextual Related Posts
    ".jnews_inline_related_post_wrapper",
    ".jnews_inline_related_post",
    ".jp-relatedposts",
    ".yarpp-related",
    ".crp_related",
    # blocks JNews prints after the content, found inside it on custom and child templates
    ".jeg_post_tags",
    ".jeg_custom_tag_wrapper",
    ".jnews_prev_next_container",
    ".jnews_related_post_container",
    ".jeg_custom_related_wrapper",
    ".jnews_popup_post_container",
    # featured image / gallery / video that templates 4 and 6 repeat inside the content
    ".jeg_featured",
    ".jeg_feature_video_wrapper",
    # author boxes: JNews, Simple Author Box, PublishPress Authors
    ".jnews_author_box_container",
    ".jeg_authorbox",
    ".saboxplugin-wrap",
    ".pp-multiple-authors-boxes-wrapper",
    # donation appeals: JNews Pay Writer widget and meta button, Jetpack Donations, GiveWP
    ".jpwt-donation-widget",
    ".jeg_meta_donation",
    ".wp-block-jetpack-donations",
    ".give-form-wrap",
    ".give-embed-form-wrapper",
    # comment sections: JNews (WordPress, Facebook, Disqus), wpDiscuz, the reply form
    ".jnews_comment_container",
    ".jeg_comments",
    ".comment-wrapper",
    "#comments",
    "#respond",
    ".comment-respond",
    "#disqus_thread",
    "#wpdcom",
    ".wpdiscuz_top_clearing",
    # click-to-load video facades of lazy-loading plugins (their text is the video URL)
    ".container-lazyload",
    ".rll-youtube-player",
)

# --- theme furniture left out of the parse (``furniture.py``) --------------------------
#: the first block JNews prints after the post: related posts, then the sidebar, footer,
#: pop-ups and scripts; nothing from here on is part of the record
TAIL_FURNITURE_CLASS = "jnews_related_post_container"
TAIL_FURNITURE = f'<div class="{TAIL_FURNITURE_CLASS}'
#: what the record may read outside the post, as the HTML spells it (JSON-LD, meta tags, the
#: canonical link, a headline, a breadcrumb, a tags box, a content container): a tail holding
#: any of it is parsed
RECORD_MARKUP = (
    "application/ld+json",
    "<meta",
    "canonical",
    "<h1",
    "breadcrumb",
    "jeg_post_tags",
    "tags-links",
    "entry-content",
    "content-inner",
)
#: the classes of the post's content containers (``CONTENT_CSS``): one must come before the
#: related posts, and none may hold them (an AMP page, whose content is
#: ``amp-wp-article-content``, is parsed whole)
CONTENT_CLASSES = frozenset({"entry-content", "content-inner"})

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
#: category links, not their pagination (followed by "next" only): a listing's pagination can
#: hold a link per page of the category, each a ``Selector`` when picked out and dropped
CATEGORY_LINK_XPATH = "//a[contains(@href, '/category/') and not(contains(@href, '/page/'))]/@href"
