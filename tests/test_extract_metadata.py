"""Metadata sources and their order, on small inline pages."""

from __future__ import annotations

import pytest
from parsel import Selector

from scienmag_crawler.extract import NotAnArticle, extract_article
from scienmag_crawler.extract.dates import parse_iso, parse_visible_date
from scienmag_crawler.extract.jsonld import iter_jsonld

JSONLD = """<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
 {"@type":"WebPage","@id":"https://scienmag.com/x/#webpage"},
 {"@type":"NewsArticle","headline":"LD headline","datePublished":"2024-08-27T09:15:00+00:00",
  "dateModified":"2024-08-28T10:00:00+00:00","author":[{"@id":"#p1"}],"keywords":["Space law","Policy"]},
 {"@type":"Person","@id":"#p1","name":"Ada Lovelace"},
 {"@type":"BreadcrumbList","itemListElement":[{"@type":"ListItem","position":1,"name":"Home"},
  {"@type":"ListItem","position":2,"name":"Science News"},{"@type":"ListItem","position":3,"name":"Space"},
  {"@type":"ListItem","position":4,"name":"The post"}]}]}</script>"""


def page(head: str = "", main: str = "", body_class: str = "single single-post postid-1") -> str:
    return (
        f"<html lang='en-GB'><head>{head}</head><body class='{body_class}'>"
        "<div class='jeg_top_bar'><div class='jeg_top_date'>Thursday, May 22, 2025</div></div>"
        f"<div class='jeg_main_content'>{main}"
        "<div class='jnews_related_post_container'><article class='jeg_post'>"
        "<h3 class='jeg_post_title'><a href='/r/'>Related</a></h3>"
        "<div class='jeg_meta_date'><a>May 21, 2025</a></div></article></div></div></body></html>"
    )


URL = "https://scienmag.com/x/"
CONTENT = "<div class='entry-content'><div class='content-inner'><p>Body text.</p></div></div>"
HEADER = "<div class='entry-header'><h1 class='jeg_post_title'>The post</h1></div>"


def test_jsonld_graph_wins_and_is_flattened() -> None:
    article = extract_article(page(JSONLD, HEADER + CONTENT), "https://scienmag.com/x/")
    assert article.published == "2024-08-27T09:15:00+00:00"
    assert article.modified == "2024-08-28T10:00:00+00:00"
    assert article.authors == ["Ada Lovelace"]
    assert article.tags == ["Space law", "Policy"]
    assert article.categories == ["Science News", "Space"]
    assert article.extraction["published"] == "jsonld"
    assert article.language == "en-GB"


def test_visible_date_comes_from_the_post_meta_not_top_bar_or_related() -> None:
    meta = "<div class='jeg_meta_container'><div class='jeg_meta_date'><a>August 27, 2024</a></div></div>"
    article = extract_article(page("", HEADER + meta + CONTENT), URL)
    assert article.published == "2024-08-27"
    assert article.extraction["published"] == "visible"


def test_time_element_gives_offset() -> None:
    meta = (
        "<div class='jeg_meta_container'><div class='jeg_meta_date'>"
        "<time datetime='2019-04-09T19:00:00+00:00'>April 9, 2019</time></div></div>"
    )
    article = extract_article(page("", HEADER + meta + CONTENT), URL)
    assert article.published == "2019-04-09T19:00:00+00:00"
    assert article.extraction["published"] == "time"


def test_page_with_only_related_dates_has_no_date() -> None:
    with pytest.raises(NotAnArticle) as info:
        extract_article(page("", HEADER + CONTENT))
    assert info.value.reason == "no-date"


@pytest.mark.parametrize(
    ("body_class", "reason"),
    [
        ("error404", "soft-404"),
        ("archive category category-space", "listing"),
        ("page page-id-2", "page"),
        ("", "not-an-article"),
    ],
)
def test_non_articles_are_refused_with_a_reason(body_class: str, reason: str) -> None:
    with pytest.raises(NotAnArticle) as info:
        extract_article(page("", HEADER + CONTENT, body_class=body_class))
    assert info.value.reason == reason


def test_missing_title_and_empty_body() -> None:
    meta = "<meta property='article:published_time' content='2024-01-01T00:00:00+00:00'>"
    with pytest.raises(NotAnArticle, match="no-title"):
        extract_article(page(meta, CONTENT))
    empty = "<div class='entry-content'><div class='content-inner'><div class='jeg_share_button'>Share</div></div></div>"
    with pytest.raises(NotAnArticle, match="empty-body"):
        extract_article(page(meta, HEADER + empty))


def test_byline_authors_win_over_jsonld() -> None:
    meta = (
        "<div class='jeg_meta_container'><div class='jeg_meta_author'>by "
        "<a href='/author/a/'>Zoë Ólafsdóttir</a> <a href='/author/b/'>Łukasz Wójcik</a></div></div>"
    )
    article = extract_article(page(JSONLD, HEADER + meta + CONTENT), URL)
    assert article.authors == ["Zoë Ólafsdóttir", "Łukasz Wójcik"]


def test_undecodable_jsonld_is_skipped() -> None:
    sel = Selector(
        text='<script type="application/ld+json">{broken</script>'
        '<script type="application/ld+json">[{"@type":"Thing"}]</script>'
    )
    assert [o["@type"] for o in iter_jsonld(sel)] == ["Thing"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-08-27T09:15:00+01:00", "2024-08-27T09:15:00+01:00"),
        ("2024-02-30T00:00:00Z", None),
        ("2024-08-27", "2024-08-27"),
        ("", None),
        ("yesterday", None),
    ],
)
def test_parse_iso(value: str, expected: str | None) -> None:
    assert parse_iso(value) == expected


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("27 August 2024", None, "2024-08-27"),
        ("Aug 27, 2024", None, "2024-08-27"),
        ("2024-08-27", None, "2024-08-27"),
        ("Tuesday, August 27, 2024", None, "2024-08-27"),
        ("27. August 2024", "de", "2024-08-27"),
        ("27 août 2024", "fr-FR", "2024-08-27"),
        ("August 2024", None, None),
        ("27 de agosto de 2024", "es-ES", "2024-08-27"),
        ("martes, 27 de agosto de 2024", "es", "2024-08-27"),
        ("12. März 2025", "de-DE", "2025-03-12"),
        ("14 أكتوبر، 2024", "ar", "2024-10-14"),
        ("١٤ أكتوبر ٢٠٢٤", "ar", "2024-10-14"),
        ("الثلاثاء، 27 آب 2024", "ar", "2024-08-27"),
        ("27 آب/أغسطس 2024م", "ar", "2024-08-27"),
        ("Publicado el 27 de agosto de 2024", "es", "2024-08-27"),
        ("Veröffentlicht am 12. März 2025", "de", "2025-03-12"),
        ("Posted on August 27, 2024", None, "2024-08-27"),
        ("06/08/2024", "es", "2024-08-06"),
        ("3 days ago", "en", None),
        ("hace 3 días", "es", None),
        ("vor 2 Stunden", "de", None),
        ("منذ 3 أيام", "ar", None),
        ("yesterday", None, None),
    ],
)
def test_parse_visible_date(text: str, lang: str | None, expected: str | None) -> None:
    assert parse_visible_date(text, lang) == expected


def test_relative_visible_date_is_not_a_publication_date() -> None:
    # JNews can print "3 days ago"; that would change with the time of the crawl
    meta = (
        "<div class='jeg_meta_container'><div class='jeg_meta_date'><a>3 days ago</a></div></div>"
    )
    with pytest.raises(NotAnArticle, match="no-date"):
        extract_article(page("", HEADER + meta + CONTENT), URL)


def test_spanish_visible_date_uses_the_page_language() -> None:
    html = page(
        "",
        HEADER + "<div class='jeg_meta_container'><div class='jeg_meta_date'>"
        "<a>6 de agosto de 2024</a></div></div>" + CONTENT,
    ).replace("lang='en-GB'", "lang='es-ES'")
    article = extract_article(html, URL)
    assert (article.published, article.language) == ("2024-08-06", "es-ES")


@pytest.mark.parametrize(
    ("home", "separator"),
    [("Inicio", "›"), ("Startseite", "»"), ("الرئيسية", "‹"), ("Home", "/")],
)
def test_breadcrumb_front_page_is_dropped_in_any_language(home: str, separator: str) -> None:
    crumbs = (
        f"<div class='jeg_breadcrumbs'><div id='breadcrumbs'><span><a href='https://x.example/'>{home}"
        f"</a></span> {separator} <span><a href='https://x.example/category/c/'>Ciencia</a></span>"
        f" <i class='fa fa-angle-left'></i> <span class='breadcrumb_last_link'>"
        "<a href='https://x.example/category/b/'>Biología</a></span></div></div>"
    )
    meta = "<meta property='article:published_time' content='2024-01-01T00:00:00+00:00'>"
    article = extract_article(page(meta, crumbs + HEADER + CONTENT), URL)
    assert article.categories == ["Ciencia", "Biología"]


def test_jsonld_breadcrumb_front_page_is_dropped_by_its_url() -> None:
    graph = (
        '<script type="application/ld+json">{"@graph":[{"@type":"NewsArticle",'
        '"datePublished":"2024-01-01T00:00:00+00:00"},{"@type":"BreadcrumbList","itemListElement":['
        '{"@type":"ListItem","position":1,"name":"Inicio","item":"https://x.example/"},'
        '{"@type":"ListItem","position":2,"name":"Biología","item":"https://x.example/category/b/"},'
        '{"@type":"ListItem","position":3,"name":"The post"}]}]}</script>'
    )
    assert extract_article(page(graph, HEADER + CONTENT), URL).categories == ["Biología"]


def test_article_section_is_the_last_category_source() -> None:
    graph = (
        '<script type="application/ld+json">{"@type":"NewsArticle","datePublished":'
        '"2024-01-01T00:00:00+00:00","articleSection":["Space","Policy"]}</script>'
    )
    assert extract_article(page(graph, HEADER + CONTENT), URL).categories == ["Space", "Policy"]


def test_fullscreen_header_outside_the_singlepage_is_the_posts_header() -> None:
    # templates 4 and 5 print title and meta in div.jeg_featured_big, before div.jeg_singlepage
    html = (
        "<html lang='en'><body class='single single-post postid-1 jeg_single_tpl_5'>"
        "<div class='jeg_top_date'>Thursday, May 22, 2025</div><div class='jeg_main '>"
        "<div class='jeg_container'><div class='jeg_featured_big'><div class='jeg_fs_content'>"
        "<div class='entry-header'><div class='container'><h1 class='jeg_post_title'>Fullscreen</h1>"
        "<div class='jeg_meta_container'><div class='jeg_post_meta jeg_post_meta_2'>"
        "<div class='jeg_meta_author'><span class='meta_text'>by</span><a href='/a/'>Ann Lee</a></div>"
        "<div class='jeg_meta_date'><a href='#'>December 3, 2024</a></div></div></div></div></div>"
        "</div></div><div class='jeg_content jeg_singlepage'>" + CONTENT + "<div class="
        "'jnews_related_post_container'><article class='jeg_post'><h3 class='jeg_post_title'>"
        "<a href='/r/'>Other</a></h3><div class='jeg_meta_date'><a>May 21, 2025</a></div>"
        "</article></div></div></div></div></body></html>"
    )
    article = extract_article(html, URL)
    assert (article.title, article.published, article.authors) == (
        "Fullscreen",
        "2024-12-03",
        ["Ann Lee"],
    )


def test_builder_meta_widget_is_the_post_meta() -> None:
    widget = (
        "<div class='jeg_custom_title_wrapper'><h1 class='jeg_post_title'>Built</h1></div>"
        "<div class='jeg_post_meta jeg_custom_meta_wrapper'><div class='meta_left'>"
        "<div class='jeg_meta_date'><a>February 4, 2025</a></div><div class='jeg_meta_category'>"
        "<span><span class='meta_text'>in</span> <a rel='category tag'>Chemistry</a></span></div>"
        "</div></div>"
    )
    article = extract_article(page("", widget + CONTENT), URL)
    assert (article.title, article.published, article.categories) == (
        "Built",
        "2025-02-04",
        ["Chemistry"],
    )


def test_amp_byline_title_and_footer_taxonomy() -> None:
    html = (
        "<html amp lang='en'><head><script type='application/ld+json'>{\"@type\":\"NewsArticle\","
        '"datePublished":"2025-04-23T05:00:00+00:00"}</script></head><body class=\'\'>'
        "<article class='amp-wp-article'><header class='amp-wp-article-header'>"
        "<h1 class='amp-wp-title'>On the Moon</h1><ul class='amp-wp-meta'><li class='amp-wp-byline'>"
        "<span class='amp-wp-author author vcard'>Keiko Tanabe</span></li><li class='amp-wp-posted-on'>"
        "<time datetime='2025-04-23T05:00:00+00:00'>7 months ago</time></li></ul></header>"
        "<div class='amp-wp-article-content'><p>Body.</p></div><footer class='amp-wp-article-footer'>"
        "<div class='amp-wp-meta amp-wp-tax-category'>Categories: <a rel='category tag'>Space</a></div>"
        "<div class='amp-wp-meta amp-wp-tax-tag'>Tags: <a rel='tag'>Moon</a></div></footer>"
        "</article></body></html>"
    )
    article = extract_article(html, URL)
    assert article.title == "On the Moon"
    assert article.authors == ["Keiko Tanabe"]
    assert (article.categories, article.tags) == (["Space"], ["Moon"])


def test_lazy_featured_image_gives_the_real_url_not_the_placeholder() -> None:
    meta = "<meta property='article:published_time' content='2024-01-01T00:00:00+00:00'>"
    featured = (
        "<div class='jeg_featured featured_image'><img src='data:image/svg+xml,%3Csvg%3E' "
        "data-lazy-src='/wp-content/uploads/real.jpg' alt=''></div>"
    )
    article = extract_article(page(meta, HEADER + featured + CONTENT), URL)
    assert article.image == "https://scienmag.com/wp-content/uploads/real.jpg"


def test_loader_cleans_each_field_with_its_own_processors() -> None:
    from itemloaders.processors import TakeFirst  # noqa: PLC0415

    from scienmag_crawler.extract.loaders import ArticleLoader  # noqa: PLC0415

    def load(loader: ArticleLoader) -> dict[str, object]:
        loader.add_value("title", "  A\u00a0title \n here ")
        loader.add_value("authors", ["Ana  Ruiz", "Ana Ruiz", " Li Wei"])
        loader.add_value("summary", ["", "  first ", "second"])
        return dict(loader.load_item())

    expected = {"title": "A title here", "authors": ["Ana Ruiz", "Li Wei"], "summary": "first"}
    assert load(ArticleLoader()) == expected
    assert load(ArticleLoader()) == expected  # processors found once, same answers

    class FirstAuthor(ArticleLoader):
        authors_out = TakeFirst()

    # a subclass's own processors, not the ones found for the parent class
    assert load(FirstAuthor())["authors"] == "Ana Ruiz"
    assert load(ArticleLoader())["authors"] == ["Ana Ruiz", "Li Wei"]
