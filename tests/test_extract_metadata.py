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
    ],
)
def test_parse_visible_date(text: str, lang: str | None, expected: str | None) -> None:
    assert parse_visible_date(text, lang) == expected
