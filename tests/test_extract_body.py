"""Body extraction rules on small inline pages."""

from __future__ import annotations

import pytest
from parsel import Selector

from scienmag_crawler.extract import selectors as css
from scienmag_crawler.extract.body import (
    compile_drop_rules,
    dropped_nodes,
    extract_links,
    extract_paragraphs,
    find_content,
    is_boilerplate,
    walk_content,
)
from scienmag_crawler.extract.loaders import clean_paragraphs
from tests.conftest import ROOT


def paragraphs(inner: str) -> list[str]:
    sel = Selector(
        text=f"<div class='entry-content'><div class='content-inner'>{inner}</div></div>"
    )
    content = find_content(sel)
    assert content is not None
    return list(clean_paragraphs(extract_paragraphs(content)))


@pytest.mark.parametrize(
    ("inner", "expected"),
    [
        ("<p>One <b>bold</b> word.</p><p>Two</p>", ["One bold word.", "Two"]),
        ("<p>Name<br>Role<br/>email@example.org</p>", ["Name\nRole\nemail@example.org"]),
        ("<h2>Heading</h2><ul><li>a</li><li>b <i>c</i></li></ul>", ["Heading", "a", "b c"]),
        ("<figure><img alt='x'><figcaption>Caption text</figcaption></figure>", ["Caption text"]),
        (
            "<table><tr><th>k</th><th>v</th></tr><tr><td>1</td><td>2</td></tr></table>",
            ["k | v", "1 | 2"],
        ),
        ("<blockquote><p>Quoted words here.</p></blockquote>", ["Quoted words here."]),
        (
            "<p>Kept</p><div class='jeg_ad jnews_content_inline_ads'><p>ADVERTISEMENT</p></div>",
            ["Kept"],
        ),
        (
            "<p>Kept</p><div class='jnews_inline_related_post_wrapper'><p>Read also</p>"
            "<h3><a>Some other post</a></h3></div><p>After</p>",
            ["Kept", "After"],
        ),
        ("<p>Text<script>var x = 1;</script> tail</p><style>p{}</style>", ["Text tail"]),
        ("<p>A&nbsp;&amp;&nbsp;B &#8217;s</p>", ["A & B ’s"]),
        (
            "<p>Before</p><div class='jeg_share_button share-float'><a>Share on Facebook</a></div>",
            ["Before"],
        ),
        ("<p>Read also: Another story entirely</p><p>Real text.</p>", ["Real text."]),
        ("<p>   </p><p>\u200bOnly\u00a0this</p>", ["Only this"]),
    ],
    ids=[
        "inline",
        "br",
        "heading-list",
        "caption",
        "table",
        "blockquote",
        "inline-ad",
        "inline-related",
        "script-style",
        "entities",
        "share-float",
        "read-also",
        "empty",
    ],
)
def test_paragraphs(inner: str, expected: list[str]) -> None:
    assert paragraphs(inner) == expected


def test_deeply_nested_markup_does_not_recurse() -> None:
    # 1,500 levels is past Python's recursion limit but within what libxml2 keeps
    inner = "<div>" * 1500 + "<p>deep</p>" + "</div>" * 1500
    assert paragraphs(inner + "<p>after</p>") == ["deep", "after"]


def test_markup_deeper_than_the_parser_keeps_does_not_fail() -> None:
    # libxml2 stops nesting at ~2,000 levels and drops what lies deeper; no exception
    inner = "<div>" * 5000 + "<p>deep</p>" + "</div>" * 5000
    assert isinstance(paragraphs(inner), list)


@pytest.mark.parametrize(
    "text",
    [
        "65 SHARES",
        "592 VIEWS",
        "Share26Tweet16",
        "Reading Time: 4 mins read",
        "Tags: space, law",
        "ADVERTISEMENT",
        "Previous Post",
        "Join 4,860 other subscribers",
    ],
)
def test_boilerplate_paragraphs(text: str) -> None:
    assert is_boilerplate(text)


@pytest.mark.parametrize(
    "text",
    ["Share the knowledge: a new programme opens.", "Tagging birds is hard.", "Next steps follow."],
)
def test_article_sentences_are_not_boilerplate(text: str) -> None:
    assert not is_boilerplate(text)


def test_cloudflare_protected_email_is_decoded_in_the_body() -> None:
    inner = (
        "<p>Contact: <a href='/cdn-cgi/l/email-protection#543931303d35143c3b2023317a3b2633' "
        "class='__cf_email__' data-cfemail='543931303d35143c3b2023317a3b2633'>[email&#160;protected]</a>"
        " today.</p>"
    )
    assert paragraphs(inner) == ["Contact: media@hotwe.org today."]


@pytest.mark.parametrize(
    ("inner", "expected"),
    [
        (
            "<p>Kept</p><figure><img src='data:image/svg+xml,%3Csvg%3E' data-lazy-src='/a.jpg'>"
            "<noscript><img src='/a.jpg'></noscript><figcaption>Only once</figcaption></figure>",
            ["Kept", "Only once"],
        ),
        (
            "<p>Text <noscript><span>Text again</span></noscript>goes on.</p>",
            ["Text goes on."],
        ),
        (
            "<div class='container-lazyload preview-lazyload'><a class='lazy-load-youtube "
            "preview-lazyload' href='https://youtu.be/x'>https://youtu.be/x</a></div><p>After</p>",
            ["After"],
        ),
        (
            "<p>Before</p><div class='jpwt-donation-widget jeg_col_2o3'><h3>Support us</h3>"
            "<p>Buy us a coffee</p></div><div class='wp-block-jetpack-donations'><p>Give</p></div>",
            ["Before"],
        ),
        (
            "<p>Before</p><div class='jeg_authorbox'><h3 class='jeg_author_name'>A. Writer</h3>"
            "<p class='jeg_author_desc'>Writes things.</p></div><div class='saboxplugin-wrap'>"
            "<p>Bio</p></div>",
            ["Before"],
        ),
        (
            "<p>Before</p><div id='comments' class='jeg_comments'><ol class='commentlist'><li>"
            "<p>Great post!</p></li></ol></div><div id='respond' class='comment-respond'>"
            "<h3>Leave a Reply</h3></div>",
            ["Before"],
        ),
        (
            "<div class='jeg_featured featured_image'><p class='wp-caption-text'>Gallery caption</p>"
            "</div><p>Text</p>",
            ["Text"],
        ),
        (
            "<p>Before</p><div class='amp_ad_wrapper jnews_amp_inline_content_ads'>"
            "<amp-ad type='adsense'>Ad</amp-ad></div><p>After</p>",
            ["Before", "After"],
        ),
        ("<p>Uno</p><p>Publicidad</p><p>Lee también: Otra noticia</p>", ["Uno"]),
        ("<p>Eins</p><p>Anzeige</p><p>Lesen Sie auch: Eine andere Meldung</p>", ["Eins"]),
        ("<p>نص</p><p>اقرأ أيضاً: خبر آخر</p><p>الوسوم: علوم</p>", ["نص"]),
        (
            "<p>Minified<p>without end tags<ul><li>one<li>two</ul>",
            ["Minified", "without end tags", "one", "two"],
        ),
    ],
    ids=[
        "lazy-image-noscript-copy",
        "noscript-inline",
        "video-facade",
        "donation-appeals",
        "author-boxes",
        "comments",
        "featured-gallery-in-content",
        "amp-ad",
        "spanish-labels",
        "german-labels",
        "arabic-labels",
        "optional-end-tags",
    ],
)
def test_variant_furniture(inner: str, expected: list[str]) -> None:
    assert paragraphs(inner) == expected


def test_right_to_left_paragraph_is_kept_as_written() -> None:
    text = "طوّر الفريق تقنية كريسبر (CRISPR)\u200f، ونُشرت الدراسة؟"
    assert paragraphs(f"<p dir='rtl'>{text}</p>") == [text]


def test_drop_rules_accept_simple_selectors_only() -> None:
    rules = compile_drop_rules(["amp-ad", ".jeg_ad", "#respond", "div.note"])
    assert "amp-ad" in rules.tags and ("div", "note") in rules.tag_classes
    with pytest.raises(ValueError, match="simple selector"):
        compile_drop_rules([".a .b"])
    with pytest.raises(ValueError, match="simple selector"):
        compile_drop_rules(["[data-x]"])


def test_every_content_drop_selector_is_simple() -> None:
    rules = compile_drop_rules(css.CONTENT_DROP_CSS)
    assert len(rules.tags) + len(rules.classes) + len(rules.ids) + len(rules.tag_classes) == len(
        set(css.CONTENT_DROP_CSS)
    )


def test_content_node_itself_is_never_dropped() -> None:
    sel = Selector(text="<div class='jeg_featured'><div class='jeg_ad'>x</div><p>y</p></div>")
    content = sel.css("div.jeg_featured")[0]
    assert {el.get("class") for el in dropped_nodes(content)} == {"jeg_ad"}


NESTED_FURNITURE = """<div class='content-inner'><p>Keep <a href='/a'>this</a>.</p>
<div class='jeg_ad'><div class='jeg_share_button'><a href='/share'>Share</a></div>tail</div>
<div class='jeg_featured'><p>Figure</p></div><ul><li>Item <a href='/b'>b</a></li></ul>
<div class='jeg_share_button'><script>x</script><a href='/s'>s</a></div>end</div>"""


@pytest.mark.parametrize(
    "page",
    [
        NESTED_FURNITURE,
        *sorted((ROOT / "fixtures" / "site" / "scienmag.com").glob("*/index.html"))[:8],
        *sorted((ROOT / "fixtures" / "variants").glob("*.html")),
    ],
    ids=lambda p: "nested" if isinstance(p, str) else (p.parent.name[:30] or p.stem),
)
def test_one_walk_finds_what_search_then_walk_finds(page: object) -> None:
    text = page if isinstance(page, str) else page.read_text(encoding="utf-8")  # type: ignore[attr-defined]
    content = find_content(Selector(text=text), (".content-inner", *css.CONTENT_CSS))
    if content is None:
        pytest.skip("no content node")
    dropped = dropped_nodes(content)
    blocks, roots = walk_content(content)
    assert blocks == extract_paragraphs(content, dropped)
    assert extract_links(content, roots) == extract_links(content, dropped)
    # the roots are furniture, and every furniture node lies in one of them
    assert roots <= dropped
    assert all(el in roots or any(a in roots for a in el.iterancestors()) for el in dropped)
