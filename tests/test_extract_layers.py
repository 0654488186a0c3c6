"""Body layers (JNews, WordPress, generic), their provenance, and ``any_site`` mode."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest
from jsonschema import Draft202012Validator
from parsel import Selector

from scienmag_crawler.extract import NotAnArticle, extract_article
from scienmag_crawler.extract.generic import (
    extract_generic_published,
    extract_modified_with_source,
)
from scienmag_crawler.extract.jsonld import iter_jsonld
from scienmag_crawler.extract.layers import (
    GENERIC,
    JNEWS,
    WORDPRESS,
    drop_headlines,
    in_jnews_layout,
    jnews_body,
)
from scienmag_crawler.extract.page import ArticlePage
from scienmag_crawler.schema import load_schema
from tests.conftest import ROOT, article_file, expected_slugs

URL = "https://example.org/2021/03/04/otters/"
HEAD = (
    "<title>Otters | Example</title><link rel='canonical' href='https://example.org/otters/'>"
    "<meta property='og:type' content='article'><meta property='og:title' content='Otters return'>"
    "<meta property='article:published_time' content='2021-03-04T08:00:00+00:00'>"
)
#: five real-looking paragraphs: enough text for a generic extractor to take it as an article
PARAGRAPHS = [
    "Sea otters in the bay have doubled in number over the past decade, according to a "
    "survey published on Tuesday by the regional wildlife office.",
    "The researchers counted the animals from boats and from the cliffs every month, and "
    "they compared the totals with the counts made by volunteers since 2011.",
    "Kelp forests recovered at the same time, because otters eat the sea urchins that "
    "graze on young kelp, the report says, which in turn shelters young fish.",
    "Fishermen in the harbour said that they had noticed more otters near the piers, and "
    "that the animals no longer seemed afraid of boats or people.",
    "The office plans to repeat the survey next year and to tag a small number of otters "
    "to learn how far they travel along the coast during the winter months.",
]
BODY_HTML = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
NAV = "<nav><ul><li><a href='/'>Home</a></li><li><a href='/news/'>News</a></li></ul></nav>"
FOOTER = "<footer><p>© 2021 Example News. All rights reserved.</p></footer>"


def jnews_page(content: str = f"<div class='content-inner'>{BODY_HTML}</div>") -> str:
    return (
        f"<html lang='en'><head>{HEAD}</head>"
        "<body class='single single-post postid-7 jnews jsc_normal'><div class='jeg_viewport'>"
        "<div class='jeg_main_content'><div class='jeg_inner_content'>"
        "<div class='entry-header'><h1 class='jeg_post_title'>Otters return</h1></div>"
        f"<div class='entry-content'>{content}</div></div></div></div></body></html>"
    )


def wordpress_page(body_class: str = "single single-post postid-9") -> str:
    return (
        f"<html lang='en'><head>{HEAD}</head><body class='{body_class}'>{NAV}"
        "<article class='post'><h1 class='entry-title'>Otters return</h1>"
        f"<div class='entry-content'>{BODY_HTML}"
        "<div class='sharedaddy'><a href='https://facebook.com/share'>Share on Facebook</a></div>"
        f"</div></article>{FOOTER}</body></html>"
    )


def plain_page(head: str = HEAD, extra: str = "") -> str:
    return (
        f"<html lang='en'><head>{head}</head><body>{NAV}<main><h1>Otters return</h1>"
        f"<div class='story'>{BODY_HTML}</div>{extra}</main>{FOOTER}</body></html>"
    )


# --- which layer answers -------------------------------------------------------------------
def test_jnews_layout_gives_the_body_and_says_so() -> None:
    article = extract_article(jnews_page(), URL)
    assert article.extraction["body"] == JNEWS
    assert article.body.split("\n\n") == PARAGRAPHS


def test_old_jnews_template_without_content_inner_is_still_jnews() -> None:
    article = extract_article(jnews_page(BODY_HTML), URL)
    assert article.extraction["body"] == JNEWS
    assert article.body.split("\n\n") == PARAGRAPHS


def test_wordpress_post_without_jnews_markup_uses_the_wordpress_layer() -> None:
    article = extract_article(wordpress_page(), URL)
    assert article.extraction["body"] == WORDPRESS
    assert article.body.split("\n\n") == PARAGRAPHS  # share bar and headline left out


def test_other_layouts_use_the_generic_layer() -> None:
    article = extract_article(plain_page(), URL)
    assert article.extraction["body"] == GENERIC
    assert "Sea otters in the bay have doubled" in article.body
    assert "to learn how far they travel" in article.body
    assert "All rights reserved" not in article.body
    assert "Otters return" not in article.body  # the headline is the title, not body


def test_entry_content_without_single_post_classes_is_not_the_wordpress_layer() -> None:
    article = extract_article(wordpress_page(body_class="page-template"), URL)
    assert article.extraction["body"] == GENERIC


def test_an_empty_jnews_post_stays_empty_instead_of_falling_back() -> None:
    page = jnews_page("<div class='content-inner'></div>").replace(
        "</body>", f"<div class='jnews_related_post_container'>{BODY_HTML}</div></body>"
    )
    with pytest.raises(NotAnArticle) as err:
        extract_article(page, URL)
    assert err.value.reason == "empty-body"


def test_quotes_and_contacts_work_on_a_fallback_body() -> None:
    extra = (
        "<p>“We have never seen so many otters in the bay before,” said Maria Lopez, a "
        "biologist at the wildlife office.</p><p>Media contact: press@example.org</p>"
    )
    html = wordpress_page().replace("</div></article>", f"{extra}</div></article>")
    article = extract_article(html, URL)
    assert article.extraction["body"] == WORDPRESS
    assert [q.speaker for q in article.quotes] == ["Maria Lopez"]
    assert article.contacts.emails == ["press@example.org"]


def test_in_jnews_layout_looks_at_ancestors() -> None:
    sel = Selector(text=jnews_page() + "")
    assert in_jnews_layout(sel.css(".content-inner")[0])
    plain = Selector(text=wordpress_page())
    assert not in_jnews_layout(plain.css(".entry-content")[0])


def test_drop_headlines_ignores_case_and_punctuation_only() -> None:
    paragraphs = ["Otters Return!", "Otters return to the bay.", "Text"]
    assert drop_headlines(paragraphs, ["otters return", None]) == paragraphs[1:]


# --- the snapshot: JNews always wins -------------------------------------------------------
@pytest.mark.parametrize("slug", expected_slugs())
def test_snapshot_pages_take_their_body_from_the_jnews_layout(slug: str) -> None:
    html = article_file(slug).read_text(encoding="utf-8")
    page = ArticlePage(Selector(text=html), f"https://scienmag.com/{slug}/")
    found = jnews_body(page.main, page.selector)
    assert found is not None and found.paragraphs
    article = page.to_item()
    assert article.extraction["body"] == JNEWS
    assert article.body.split("\n\n") == found.paragraphs


def test_jnews_pages_never_import_the_generic_extractor() -> None:
    code = (
        "import sys; from scienmag_crawler.extract import extract_article; "
        f"extract_article(open({str(article_file(expected_slugs()[0]))!r}).read()); "
        "print('trafilatura' in sys.modules, 'htmldate' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.split() == ["False", "False"]


# --- any-site mode -------------------------------------------------------------------------
NO_DATE_HEAD = "<title>Otters | Example</title>"


def test_a_page_without_a_date_is_dropped_by_default_but_kept_with_any_site() -> None:
    html = plain_page(NO_DATE_HEAD)
    with pytest.raises(NotAnArticle) as err:
        extract_article(html, "https://example.org/otters/")
    assert err.value.reason == "not-an-article"  # no og:type, JSON-LD or post classes
    article = extract_article(html, "https://example.org/otters/", any_site=True)
    assert article.published is None and article.published_date is None
    assert article.title == "Otters return"
    assert article.extraction["mode"] == "any-site"
    assert article.extraction["published"] == "none"
    record = dataclasses.asdict(article)
    assert Draft202012Validator(load_schema()).is_valid(record)
    # the same dateless record outside any-site mode is invalid
    del record["extraction"]["mode"]
    assert not Draft202012Validator(load_schema()).is_valid(record)


def test_any_site_still_rejects_listings_and_soft_404s() -> None:
    for body_class, reason in (("archive category", "listing"), ("error404", "soft-404")):
        html = wordpress_page(body_class=body_class)
        with pytest.raises(NotAnArticle) as err:
            extract_article(html, URL, any_site=True)
        assert err.value.reason == reason


def test_any_site_dates_come_from_the_url_when_nothing_else_states_one() -> None:
    article = extract_article(plain_page(NO_DATE_HEAD), URL, any_site=True)
    assert (article.published, article.extraction["published"]) == ("2021-03-04", "url")


def test_scienmag_mode_keeps_its_strict_date_rules() -> None:
    og = "<meta property='og:type' content='article'><meta property='og:title' content='Otters'>"
    head = NO_DATE_HEAD + og
    html = plain_page(head, "<time datetime='2021-03-05T10:00:00Z'>5 March</time>")
    with pytest.raises(NotAnArticle) as err:
        extract_article(html, URL)
    assert err.value.reason == "no-date"
    article = extract_article(html, URL, any_site=True)
    assert (article.published, article.extraction["published"]) == (
        "2021-03-05T10:00:00+00:00",
        "time",
    )


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        (
            '<script type="application/ld+json">{"@type": "WebPage", '
            '"datePublished": "2020-01-02T03:04:05Z"}</script>',
            "",
            ("2020-01-02T03:04:05+00:00", "jsonld"),
        ),
        ("<meta name='parsely-pub-date' content='2020-01-02'>", "", ("2020-01-02", "meta")),
        ("<meta name='sailthru.date' content='20200102'>", "", ("2020-01-02", "meta")),
        (
            "",
            "<span itemprop='datePublished' datetime='2020-01-02'>x</span>",
            ("2020-01-02", "time"),
        ),
        ("", "<article><time datetime='2020-01-02'>2 Jan</time></article>", ("2020-01-02", "time")),
        ("", "", (None, None)),
    ],
    ids=["jsonld-any-type", "meta-name", "meta-compact", "itemprop", "article-time", "none"],
)
def test_generic_published_sources(head: str, body: str, expected: tuple[str | None, ...]) -> None:
    html = (
        f"<html><head>{head}</head><body><div>{body}</div><p>no date in the text</p></body></html>"
    )
    sel = Selector(text=html)
    assert extract_generic_published(sel, list(iter_jsonld(sel)), "https://e.org/x") == expected


def test_modified_source_is_reported() -> None:
    sel = Selector(
        text="<html><head><meta property='article:modified_time' "
        "content='2021-03-06T09:00:00+00:00'></head></html>"
    )
    assert extract_modified_with_source(sel, []) == ("2021-03-06T09:00:00+00:00", "meta")
    sel = Selector(
        text='<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
        '"dateModified": "2021-03-07"}</script></head></html>'
    )
    assert extract_modified_with_source(sel, list(iter_jsonld(sel))) == ("2021-03-07", "jsonld")
    bare = Selector(text="<html><head><meta property='og:updated_time' content='2021-03-08'>")
    assert extract_modified_with_source(bare, []) == (None, None)
    assert extract_modified_with_source(bare, [], any_site=True) == ("2021-03-08", "meta")
