"""Body extraction rules on small inline pages."""

from __future__ import annotations

import pytest
from parsel import Selector

from scienmag_crawler.extract.body import extract_paragraphs, find_content, is_boilerplate
from scienmag_crawler.extract.loaders import clean_paragraphs


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
