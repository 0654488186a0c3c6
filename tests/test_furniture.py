"""Article pages parsed without the theme's furniture: the cuts are made on the snapshot's
pages, never change a record, and are not made where they could lose part of the post."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from scienmag_crawler.extract import (
    ArticlePage,
    NotAnArticle,
    extract_article,
    furniture,
    parse_article_html,
    parse_html,
)
from scienmag_crawler.extract import selectors as css
from scienmag_crawler.extract.furniture import tail_cut_is_sound, trim_furniture
from tests.conftest import FIXTURES, SITE, article_file, expected_slugs

SLUG = "global-radar-network-tracks-1200-near-earth-asteroids-in-its-first-year"
URL = f"https://scienmag.com/{SLUG}/"
PAGES = [
    *sorted((SITE / "scienmag.com").glob("*/index.html")),
    *sorted((FIXTURES / "variants").glob("*.html")),
]
RELATED = '<div class="jnews_related_post_container">'


def _page() -> str:
    return article_file(SLUG).read_text(encoding="utf-8")


def _record(page: Any, url: str = URL) -> dict[str, Any] | tuple[str, str]:
    try:
        record = dataclasses.asdict(ArticlePage(page, url).to_item())
    except NotAnArticle as exc:
        return ("not an article", exc.reason)
    record.pop("crawled_at")
    return record


def _content_at(page: str) -> int:
    return page.index("content-inner", page.index("<body"))


def _classes(tree: etree._Element) -> set[str]:
    return {c for el in tree.iter() if isinstance(el.tag, str) for c in el.get("class", "").split()}


@pytest.mark.parametrize(
    "path", PAGES, ids=lambda p: p.parent.name if p.name == "index.html" else p.stem
)
def test_records_are_the_same_as_from_the_whole_page(path: Path) -> None:
    page = path.read_text(encoding="utf-8")
    url = f"https://scienmag.com/{path.parent.name}/"
    assert _record(parse_article_html(page, url), url) == _record(parse_html(page, url), url)


@pytest.mark.parametrize("slug", expected_slugs())
def test_article_pages_of_the_snapshot_are_parsed_without_furniture(slug: str) -> None:
    page = article_file(slug).read_text(encoding="utf-8")
    whole = parse_html(page).root
    trimmed = parse_article_html(page).root
    left = _classes(trimmed)
    # related posts, sidebar, footer, pop-ups and mobile menu are gone
    furniture = {
        "jeg_sidebar",
        "widget_jnews_popular",
        "jeg_footer",
        "jeg_popup",
        "jeg_mobile_wrapper",
    }
    assert furniture <= _classes(whole)
    assert not furniture & left
    related = [
        el for el in trimmed.iter("div") if css.TAIL_FURNITURE_CLASS in el.get("class", "").split()
    ]
    assert len(related) == 1 and len(related[0]) == 0  # an empty block, the tree's last
    # and the post is all there
    assert {"jeg_post_title", "jeg_meta_date", "entry-content"} <= left
    assert ("jeg_post_tags" in left) == ("jeg_post_tags" in _classes(whole))
    assert sum(1 for _ in trimmed.iter()) < 2 / 3 * sum(1 for _ in whole.iter())


def test_text_and_utf8_bytes_are_trimmed_alike() -> None:
    page = _page()
    trimmed = trim_furniture(page)
    assert trimmed is not None
    assert trim_furniture(page.encode()) == trimmed.encode()
    assert trimmed.endswith(RELATED)
    assert trimmed == page[: page.index(RELATED) + len(RELATED)]


@pytest.mark.parametrize("tags", [True, False], ids=["tags-after", "no-tags"])
def test_related_block_inside_the_content_keeps_the_whole_page(tags: bool) -> None:
    """A custom template may print related posts in the middle of the post: what follows
    them is still the article, and the page is parsed whole. With the tags box after them,
    the text says so; without, the tree does."""
    page = _page() if tags else _page().replace("jeg_post_tags", "jeg_post_labels")
    whole = extract_article(page, URL)
    at = page.index("</p>", _content_at(page)) + len("</p>")
    block = f"{RELATED}<article class='jeg_post'><h3>Another story</h3></article></div>"
    moved = page[:at] + block + page[at:]

    trimmed = trim_furniture(moved)
    if tags:
        assert trimmed is None
    else:
        assert trimmed is not None and trimmed.endswith(RELATED)
        assert not tail_cut_is_sound(parse_html(trimmed).root)
    sel = parse_article_html(moved, URL)
    assert "jeg_footer" in _classes(sel.root)  # parsed whole
    assert extract_article(moved, URL).body == whole.body
    assert _record(sel) == _record(parse_html(moved, URL))


def test_json_ld_after_the_post_keeps_the_tail() -> None:
    page = _page()
    script = '<script type="application/ld+json">{"@type": "NewsArticle"}</script>'
    moved = page.replace("</body>", f"{script}</body>")
    assert trim_furniture(moved) is None
    assert "jeg_footer" in _classes(parse_article_html(moved).root)


@pytest.mark.parametrize(
    "extra",
    [
        pytest.param("<h1 class='jeg_logo'>Scienmag</h1>", id="headline"),
        pytest.param('<nav class="jeg_breadcrumbs"><a href="/c/">Space</a></nav>', id="breadcrumb"),
        pytest.param('<meta property="article:tag" content="Space">', id="meta"),
        pytest.param(
            '<link rel="canonical" href="https://scienmag.com/elsewhere/">', id="canonical"
        ),
        pytest.param('<div class="jeg_post_tags"><a href="/tag/x/">X</a></div>', id="tags"),
        pytest.param('<span class="tags-links"><a href="/tag/x/">X</a></span>', id="wp-tags"),
        pytest.param(
            '<div class="entry-content"><div class="content-inner"><p>More.</p></div></div>',
            id="content",
        ),
    ],
)
def test_tail_holding_what_the_record_reads_is_kept(extra: str) -> None:
    """Plugins print meta tags and breadcrumbs in footers, custom templates put the tags box
    or the content itself anywhere: the whole page is parsed when the tail holds any of it."""
    page = _page()
    footer = page.index('<div class="jeg_footer')
    changed = page[:footer] + extra + page[footer:]
    assert trim_furniture(page) is not None
    assert trim_furniture(changed) is None
    assert _record(parse_article_html(changed, URL)) == _record(parse_html(changed, URL))


def test_no_cut_without_content_before_the_related_block() -> None:
    """The content classes' names alone (in the head's inline CSS here) are not a content
    container: the tree has none, so the page is parsed whole."""
    page = _page()
    body = page.index("<body")
    no_content = page[:body] + page[body:].replace("content-inner", "content-x")
    no_content = no_content[:body] + no_content[body:].replace("entry-content", "entry-x")
    trimmed = trim_furniture(no_content)
    assert trimmed is not None and not tail_cut_is_sound(parse_html(trimmed).root)
    sel = parse_article_html(no_content, URL)
    assert "jeg_footer" in _classes(sel.root)
    assert _record(sel) == _record(parse_html(no_content, URL))


def test_related_mark_in_a_script_is_not_a_cut() -> None:
    page = _page()
    at = page.index("</p>", _content_at(page)) + len("</p>")
    script = f"<script>document.write('{RELATED}');</script><p>After the script.</p>"
    changed = (page[:at] + script + page[at:]).replace("jeg_post_tags", "jeg_post_labels")
    trimmed = trim_furniture(changed)
    assert trimmed is not None  # the mark is found in the text ...
    assert not tail_cut_is_sound(parse_html(trimmed).root)  # ... and the tree says otherwise
    assert "After the script." in extract_article(changed, URL).body


def test_pages_without_the_marks_are_left_whole() -> None:
    assert trim_furniture("<html><body><p>Nothing of the theme.</p></body></html>") is None
    for name in ("amp-reader-template", "elementor-custom-template"):
        page = (FIXTURES / "variants" / f"{name}.html").read_text(encoding="utf-8")
        assert css.TAIL_FURNITURE not in page or trim_furniture(page) is None


def test_an_amp_page_is_parsed_whole() -> None:
    """AMP's content container is not JNews's: a related-posts mark on it cuts nothing."""
    page = (FIXTURES / "variants" / "amp-reader-template.html").read_text(encoding="utf-8")
    changed = page.replace("</article>", f"</article>{RELATED}</div>", 1)
    assert RELATED in changed
    assert trim_furniture(changed) is None


def test_other_sites_and_other_inputs_are_parsed_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """``any_site`` fallbacks read the whole document (htmldate, ``//article//time``); a
    bytearray is parsed as before, untrimmed."""
    trimmed: list[object] = []
    real = furniture.trim_furniture

    def spy(page: Any) -> Any:
        trimmed.append(page)
        return real(page)

    monkeypatch.setattr(furniture, "trim_furniture", spy)
    page = _page()
    assert extract_article(page, URL, any_site=True).title == extract_article(page, URL).title
    assert trimmed == [page]  # only the scienmag.com extraction trimmed
    sel = parse_article_html(bytearray(page.encode()), URL)
    assert "jeg_footer" in _classes(sel.root)


def test_related_block_before_the_content_keeps_the_whole_page() -> None:
    """Related posts printed above the post's content (a child theme's hook), and the name
    of a content class earlier in the text (a plugin's inline settings): the content after
    the block keeps the page whole."""
    page = _page().replace("jeg_post_tags", "jeg_post_labels")
    related = page[page.index(RELATED) : page.index('<div class="jnews_popup_post_container')]
    page = page.replace(related, "")
    content = page.index('<div class="entry-content')
    settings = '<script>var progress = {"selector": ".entry-content"};</script>'
    moved = page[:content] + settings + related + page[content:]

    assert trim_furniture(moved) is None
    assert _record(parse_article_html(moved, URL)) == _record(parse_html(moved, URL))
    assert extract_article(moved, URL).body == extract_article(page, URL).body


def test_related_block_inside_a_second_content_container_keeps_the_whole_page() -> None:
    """A content container before the block is not enough: the block must not sit inside
    one either (here a teaser box with the content class comes first)."""
    page = _page().replace("jeg_post_tags", "jeg_post_labels")
    whole = extract_article(page, URL)
    entry = page.index('<div class="entry-content')
    teaser = '<div class="entry-content teaser"><p>A teaser.</p></div>'
    at = page.index("</p>", _content_at(page)) + len("</p>")
    moved = page[:entry] + teaser + page[entry:at] + RELATED + "</div>" + page[at:]

    trimmed = trim_furniture(moved)
    assert trimmed is not None
    assert not tail_cut_is_sound(parse_html(trimmed).root)
    assert _record(parse_article_html(moved, URL)) == _record(parse_html(moved, URL))
    assert extract_article(moved, URL).body == whole.body
