"""The offline snapshot (fixtures/site) is reproducible and consistent.

These tests read the committed snapshot and rebuild it from fixtures/source with
fixtures/build_snapshot.py; nothing is fetched.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import pytest

ROOT = Path(__file__).parent.parent
FIXTURES = ROOT / "fixtures"
SITE = FIXTURES / "site" / "scienmag.com"
BUILDER = FIXTURES / "build_snapshot.py"
SEED_TEXT = Path("/work/shared/seed/000_ed8cc9af9164c823.txt")
SEED_SLUG = (
    "cospar-to-sign-memorandum-of-understanding-with-asia-pacific-space-cooperation-organisation"
)
BASE = "https://scienmag.com"
SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SKIPPED_TAGS = {"script", "style", "noscript"}


def normalise(text: str) -> str:
    return " ".join(text.split())


def visible_text(page: Path) -> str:
    """Text a reader sees, top to bottom: text nodes joined as they are, plus image alt texts.

    Like the text browser that produced the seed text, an ``<img>`` contributes its ``alt``.
    """
    root = lxml.html.fromstring(page.read_bytes())
    parts: list[str] = []

    def walk(el: lxml.html.HtmlElement) -> None:
        if not isinstance(el.tag, str) or el.tag in SKIPPED_TAGS:
            return
        if el.tag == "img" and el.get("alt"):
            parts.append(f" {el.get('alt')} ")
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)

    body = root.find("body")
    assert body is not None, f"{page}: no <body>"
    walk(body)
    return normalise("".join(parts))


def file_for(url: str) -> Path:
    """Snapshot file of an absolute scienmag.com URL (README: "URL -> file mapping")."""
    parts = urlsplit(url)
    assert parts.netloc == "scienmag.com", url
    path = parts.path.lstrip("/")
    if not path or path.endswith("/"):
        index = SITE / path / "index.html"
        return index if index.exists() else SITE / path / "index.xml"
    return SITE / path


def article_urls() -> set[str]:
    return {f"{BASE}/{p.stem}/" for p in (FIXTURES / "source" / "articles").glob("*.json")}


def category_pages() -> list[Path]:
    return sorted((SITE / "category").rglob("index.html"))


# (a) reproducibility -------------------------------------------------------------------------


def test_rebuild_reproduces_the_committed_snapshot(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, str(BUILDER), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    rebuilt = tmp_path / "scienmag.com"
    committed = {p.relative_to(SITE).as_posix() for p in SITE.rglob("*") if p.is_file()}
    fresh = {p.relative_to(rebuilt).as_posix() for p in rebuilt.rglob("*") if p.is_file()}
    assert fresh == committed, "rebuild the snapshot: python fixtures/build_snapshot.py"
    changed = sorted(
        path for path in fresh if (rebuilt / path).read_bytes() != (SITE / path).read_bytes()
    )
    assert not changed, f"files differ from a fresh build: {changed[:10]}"


def test_builder_rejects_a_bad_source_naming_the_file(tmp_path: Path) -> None:
    source = tmp_path / "source"
    (source / "articles").mkdir(parents=True)
    (source / "pages").mkdir()
    (source / "site.json").write_bytes((FIXTURES / "source" / "site.json").read_bytes())
    bad = source / "articles" / "broken.json"
    bad.write_text(
        json.dumps({"slug": "broken", "title": "Broken", "published": "2025-01-01"}),
        encoding="utf-8",
    )
    result = subprocess.run(
        [sys.executable, str(BUILDER), "--source", str(source), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "broken.json" in result.stderr


# (b) the seed page's furniture is faithful ----------------------------------------------------


def seed_lines() -> list[str]:
    lines = []
    for line in SEED_TEXT.read_text(encoding="utf-8").splitlines():
        text = normalise(line.lstrip().removeprefix("•"))  # list bullets are the text browser's
        if text:
            lines.append(text)
    return lines


@pytest.mark.skipif(not SEED_TEXT.exists(), reason="seed text not available")
def test_seed_page_text_contains_every_seed_line_in_order() -> None:
    text = visible_text(SITE / SEED_SLUG / "index.html")
    position = 0
    for number, line in enumerate(seed_lines(), start=1):
        found = text.find(line, position)
        assert found >= 0, f"seed line {number} not found after offset {position}: {line!r}"
        position = found + len(line)


# (c) listings ----------------------------------------------------------------------------------


LISTING_DATE = "%B %d, %Y"


def listing_entries(page: Path) -> list[tuple[str, str]]:
    root = lxml.html.fromstring(page.read_bytes())
    entries = []
    for article in root.cssselect(".jnews_archive_content_wrapper article.jeg_post"):
        link = article.cssselect("h3.jeg_post_title a")[0]
        date = normalise(article.cssselect("div.jeg_meta_date")[0].text_content())
        entries.append((link.get("href"), date))
    return entries


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One test per category listing page, found at collection time (not at import)."""
    if "category_page" in metafunc.fixturenames:
        pages = category_pages()
        ids = [p.parent.relative_to(SITE).as_posix() for p in pages]
        metafunc.parametrize("category_page", pages, ids=ids)


def test_category_listing_is_newest_first(category_page: Path) -> None:
    entries = listing_entries(category_page)
    dates = [datetime.strptime(date, LISTING_DATE) for _, date in entries]
    assert dates == sorted(dates, reverse=True)


def test_pagination_links_resolve(category_page: Path) -> None:
    root = lxml.html.fromstring(category_page.read_bytes())
    for link in root.cssselect("div.jeg_pagination a"):
        href = link.get("href")
        assert re.search(r"/category/[^/]+/(page/\d+/)?$", href), href
        assert file_for(href).exists(), f"{category_page}: pagination link {href} has no file"


def test_pagination_shows_the_ends_and_the_current_pages_neighbours(category_page: Path) -> None:
    """As JNews prints it: the first and last pages, the current one's neighbours, and one
    "…" for each run of pages left out (a large category does not link every page)."""
    root = lxml.html.fromstring(category_page.read_bytes())
    numbers = root.cssselect("div.jeg_pagination .page_number")
    if not numbers:
        return  # a category of one page has no pagination
    info = root.cssselect("div.jeg_pagination .page_info")[0].text_content()
    current, total = map(int, re.fullmatch(r"Page (\d+) of (\d+)", info).groups())
    shown = [n.text_content() for n in numbers]
    expected: list[str] = []
    for n in range(1, total + 1):
        if n in (1, total) or abs(n - current) <= 1:
            expected.append(str(n))
        elif expected[-1] != "…":
            expected.append("…")
    assert shown == expected


def test_science_news_lists_every_article_once() -> None:
    listed = []
    for page in sorted((SITE / "category" / "science-news").rglob("index.html")):
        listed += [url for url, _ in listing_entries(page)]
    assert sorted(listed) == sorted(article_urls())


# (d) sitemaps and feed -------------------------------------------------------------------------


def parse_xml(path: Path) -> lxml.etree._Element:
    return lxml.etree.fromstring(path.read_bytes())


def test_sitemaps_list_every_article_once_with_lastmod() -> None:
    index = parse_xml(SITE / "sitemap_index.xml")
    locs = [el.text for el in index.iter(f"{SITEMAP_NS}loc")]
    assert f"{BASE}/post-sitemap.xml" in locs
    seen: list[str] = []
    for loc in locs:
        sitemap = parse_xml(file_for(loc))
        for url in sitemap.iter(f"{SITEMAP_NS}url"):
            assert url.find(f"{SITEMAP_NS}lastmod") is not None, loc
            seen.append(url.find(f"{SITEMAP_NS}loc").text)
    posts = [url for url in seen if url in article_urls()]
    assert sorted(posts) == sorted(article_urls())
    assert len(posts) == len(set(posts))


def test_feed_lists_the_newest_articles_once() -> None:
    feed = parse_xml(SITE / "feed" / "index.xml")
    links = [item.findtext("link") for item in feed.iter("item")]
    assert len(links) == len(set(links)) == min(10, len(article_urls()))
    assert set(links) <= article_urls()
    for item in feed.iter("item"):
        assert item.findtext("pubDate") and item.findtext("guid") and item.findtext("title")
