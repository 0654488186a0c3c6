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
    # the header (with today's date), share bars, related posts, sidebar, footer and pop-ups
    # are gone
    furniture = {"jeg_top_date", "jeg_main_menu", "jeg_sidebar", "jeg_footer", "jeg_popup"}
    assert furniture <= _classes(whole)
    assert not (furniture | {"jeg_share_top_container", "share-float", "jeg_share_stats"}) & left
    related = [
        el for el in trimmed.iter("div") if css.TAIL_FURNITURE_CLASS in el.get("class", "").split()
    ]
    assert len(related) == 1 and len(related[0]) == 0  # an empty block, the tree's last
    # and the post is all there
    assert {"jeg_post_title", "jeg_meta_date", "entry-content"} <= left
    assert ("jeg_post_tags" in left) == ("jeg_post_tags" in _classes(whole))
    assert sum(1 for _ in trimmed.iter()) < sum(1 for _ in whole.iter()) / 2


def test_text_and_utf8_bytes_are_trimmed_alike() -> None:
    page = _page()
    trimmed = trim_furniture(page)
    assert trimmed is not None
    assert trim_furniture(page.encode()) == trimmed.encode()
    assert trimmed.endswith(RELATED)
    assert 'class="jeg_header_wrapper' not in trimmed
    assert '<div class="post-wrapper' in trimmed


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
        pytest.param('<div class="jeg_ad">', id="unbalanced"),
        pytest.param("<h1 class='jeg_logo'>Scienmag</h1>", id="headline"),
        pytest.param('<nav class="jeg_breadcrumbs"></nav>', id="breadcrumb"),
        pytest.param('<div class="content-inner"><p>Text.</p></div>', id="content"),
    ],
)
@pytest.mark.parametrize(
    ("stretch", "inside"),
    [
        pytest.param('<div class="jeg_header_wrapper">', "jeg_top_date", id="header"),
        pytest.param('<div class="jeg_share_top_container">', "jeg_share_stats", id="share-bar"),
    ],
)
def test_stretch_holding_what_the_record_reads_is_kept(
    extra: str, stretch: str, inside: str
) -> None:
    page = _page()
    at = page.index(stretch) + len(stretch)
    changed = page[:at] + extra + page[at:]
    trimmed = trim_furniture(changed)
    assert trimmed is not None and trimmed.endswith(RELATED)  # the other cuts are made
    left = _classes(parse_html(trimmed).root)
    assert extra in trimmed and inside in left
    assert not {"jeg_top_date", "jeg_share_stats"} - {inside} & left
    assert _record(parse_article_html(changed, URL)) == _record(parse_html(changed, URL))


def test_no_cut_without_content_before_the_related_block() -> None:
    page = _page()
    content_at = page.index("<body")
    no_content = page[:content_at] + page[content_at:].replace("content-inner", "content-x")
    no_content = no_content.replace("entry-content", "entry-x")
    assert trim_furniture(no_content) is None


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
    assert trim_furniture(_page().replace("<body", "<BODY")) is None
    for name in ("amp-reader-template", "elementor-custom-template"):
        page = (FIXTURES / "variants" / f"{name}.html").read_text(encoding="utf-8")
        assert css.TAIL_FURNITURE not in page or trim_furniture(page) is None
