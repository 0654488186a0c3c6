"""``scienmag-report``: one self-contained HTML page, checked as text and in headless Chromium."""

from __future__ import annotations

import base64
import dataclasses
import json
import os
import re
import struct
import subprocess
import sys
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from scienmag_crawler.analysis import cli_report
from scienmag_crawler.analysis.charts import categories_chart, months_chart
from scienmag_crawler.analysis.records import Merged, Problem, Source
from scienmag_crawler.analysis.report import coverage_fields, render_html, summarise
from tests.conftest import ROOT
from tests.support.chromium import find_chromium, load_page
from tests.support.records import make_article
from tests.support.snapshot_crawl import snapshot_crawl

SECTIONS = [
    "per-month",
    "per-category",
    "coverage",
    "speakers",
    "organisations",
    "contacts",
    "newest",
    "problems",
]


class Page(HTMLParser):
    """Collects what the self-containment checks need from the report's HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: Counter[str] = Counter()
        self.refs: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.ids: list[str] = []
        self.styles: list[str] = []
        self.low_fields: list[str] = []
        self._in_style = False
        self._in_low_row = False
        self._field_cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        a = dict(attrs)
        for name in ("src", "href", "action", "srcset", "poster", "data"):
            if a.get(name) is not None:
                self.refs.append((tag, name, str(a[name])))
        if a.get("style"):
            self.styles.append(str(a["style"]))
        if a.get("id"):
            self.ids.append(str(a["id"]))
        self._in_style = tag == "style"
        if tag == "tr":
            self._in_low_row = a.get("class") == "low"
        self._field_cell = tag == "td" and a.get("class") == "field" and self._in_low_row

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles.append(data)
        if self._field_cell:
            self.low_fields.append(data)
            self._field_cell = False


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    return page


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def crawl_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return snapshot_crawl(tmp_path_factory)


@pytest.fixture(scope="module")
def records(crawl_file: Path) -> list[dict[str, Any]]:
    return load_jsonl(crawl_file)


@pytest.fixture(scope="module")
def report(crawl_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    assert cli_report.main([str(crawl_file), "-o", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def html(report: Path) -> str:
    return report.read_text(encoding="utf-8")


def merged_of(records: list[dict[str, Any]], problems: list[Problem] | None = None) -> Merged:
    return Merged(
        records=records,
        sources=[Source("in.jsonl", i + 1) for i in range(len(records))],
        problems=problems or [],
        files=["in.jsonl"],
        valid=len(records),
    )


# --- content ---------------------------------------------------------------------------------


def test_the_report_has_every_section(html: str) -> None:
    page = parse(html)
    assert [i for i in page.ids if i in SECTIONS] == SECTIONS
    for heading in (
        "Articles per month by category",
        "Field coverage",
        "Most-quoted speakers",
        "Most-mentioned organisations",
        "Contacts found",
        "Newest articles",
    ):
        assert f"<h2>{heading}" in html
    assert page.tags["img"] == 2  # the two charts


def test_field_coverage_lists_every_field_with_a_bar_and_flags_the_sparse_ones(
    html: str, records: list[dict[str, Any]]
) -> None:
    coverage = html[html.index('id="coverage"') : html.index('id="speakers"')]
    for name in coverage_fields():
        assert f'<td class="field">{name}' in coverage
    # a good crawl: no field below its floor; `change` (null outside harvests) is optional
    page = parse(coverage)
    assert page.low_fields == []
    assert "optional" in coverage and "≥ 95%" in coverage  # categories' monitor floor
    widths = re.findall(r'<span style="width:([\d.]+)%">', coverage)
    assert len(widths) == len(coverage_fields())
    with_subtitle = sum(1 for r in records if r["subtitle"])
    assert f"{with_subtitle / len(records) * 100:.1f}" in widths


def test_a_field_emptied_by_a_layout_break_is_flagged_at_its_own_floor(
    records: list[dict[str, Any]],
) -> None:
    # categories lost on a fifth of the articles: 80 % is under the monitors' 95 % floor,
    # while the same 80 % of tags (floor 50 %) is fine
    broken = [
        {**r, "categories": [], "tags": []} if i % 5 == 0 else r for i, r in enumerate(records)
    ]
    data = summarise(merged_of(broken))
    low = {c.field for c in data.coverage if c.low}
    assert "categories" in low
    assert "tags" not in low
    charts = {"months": months_chart(data), "categories": categories_chart(data)}
    html = render_html(data, charts, title="t")
    assert "categories" in parse(html).low_fields


def test_aggregates_match_the_records(records: list[dict[str, Any]]) -> None:
    data = summarise(merged_of(records), top=5, newest=7)
    assert sum(sum(m.values()) for m in data.per_month.values()) == len(records)
    assert data.months[0] == min(r["published_date"] for r in records)[:7]
    assert data.months[-1] == max(r["published_date"] for r in records)[:7]
    assert len(data.months) == len(set(data.months))
    speakers = Counter(q["speaker"] for r in records for q in r["quotes"] if q["speaker"])
    assert [(s.name, s.quotes) for s in data.speakers][:1] == [speakers.most_common(1)[0]]
    assert len(data.speakers) == 5
    assert data.quote_count == sum(len(r["quotes"]) for r in records)
    assert [n.published_date for n in data.newest] == sorted(
        (r["published_date"] for r in records), reverse=True
    )[:7]
    assert data.contact_counts["emails"] == sum(len(r["contacts"]["emails"]) for r in records)
    top_org = data.organisations[0]
    assert top_org.articles == max(
        Counter(o["name"].casefold() for r in records for o in r["organisations"]).values()
    )
    title = next(c for c in data.coverage if c.field == "title")
    assert (title.filled, title.total) == (len(records), len(records))


def test_newest_articles_link_to_their_pages(html: str, records: list[dict[str, Any]]) -> None:
    newest = html[html.index('id="newest"') : html.index('id="problems"')]
    latest = max(records, key=lambda r: (r["published_date"], r["published"]))
    assert f'<a href="{latest["url"]}">' in newest
    assert newest.count("<a href=") == 20


def test_record_text_is_escaped() -> None:
    evil = '<script>alert(1)</script> & "quotes"'
    record = dataclasses.asdict(
        make_article(
            title=evil,
            categories=["Science News", "<b>Cat</b>"],
            quotes=[{"text": "a b c d", "speaker": evil, "speaker_role": evil, "paragraph": 0}],
            organisations=[
                {
                    "name": evil,
                    "acronym": None,
                    "founded": None,
                    "headquarters": None,
                    "website": None,
                    "facts": [],
                    "member_counts": [],
                    "social": [],
                }
            ],
        )
    )
    record["url"] = 'https://scienmag.com/a/"onmouseover="x'
    page = render_html(
        summarise(merged_of([record], [Problem("<in>.jsonl", 3, "<bad>")])), {}, title=evil
    )
    assert "<script" not in page and "<b>Cat" not in page and "&lt;b&gt;Cat" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;" in page
    assert 'href="https://scienmag.com/a/&quot;onmouseover=&quot;x"' in page
    assert "&lt;in&gt;.jsonl:3: &lt;bad&gt;" in page


def test_input_problems_are_listed_in_the_report(
    records: list[dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "run.jsonl"
    src.write_text(json.dumps(records[0]) + "\n{broken\n", encoding="utf-8")
    out = tmp_path / "r.html"
    assert cli_report.main([str(src), "-o", str(out), "--min-coverage", "80%"]) == 0
    assert f"{src}:2: invalid JSON" in capsys.readouterr().err
    page = out.read_text(encoding="utf-8")
    assert f"{src}:2: invalid JSON" in page
    assert "fields below 80% are flagged" in page


def test_nothing_usable_exits_1_without_a_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "old.jsonl"
    src.write_text('{"url": "https://scienmag.com/a/", "schema_version": "1.0"}\n', "utf-8")
    out = tmp_path / "r.html"
    assert cli_report.main([str(src), "-o", str(out)]) == 1
    assert f"{src}:1: schema_version 1.0 is older than 1.2" in capsys.readouterr().err
    assert not out.exists()


# --- self-contained ----------------------------------------------------------------------------


def test_the_report_is_self_contained(html: str, records: list[dict[str, Any]]) -> None:
    page = parse(html)
    assert page.tags["script"] == page.tags["link"] == page.tags["iframe"] == 0
    article_urls = {r["url"] for r in records}
    for tag, attr, value in page.refs:
        if attr == "src":
            assert value.startswith("data:image/svg+xml;base64,"), (tag, value[:60])
        else:
            assert tag == "a" and value in article_urls, (tag, attr, value)
    assert sum(1 for tag, _, _ in page.refs if tag == "a") >= 20
    css = "\n".join(page.styles)
    assert "@import" not in css and "url(" not in css


def test_charts_are_svg_without_external_references(html: str) -> None:
    charts = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert len(charts) == 2
    for encoded in charts:
        svg = base64.b64decode(encoded).decode("utf-8")
        assert "<svg" in svg and "<path" in svg
        assert "<image" not in svg and "<script" not in svg
        for ref in re.findall(r'(?:xlink:)?href="([^"]*)"', svg):
            assert ref.startswith("#"), ref


def test_charts_are_deterministic(records: list[dict[str, Any]]) -> None:
    data = summarise(merged_of(records))
    assert months_chart(data).data == months_chart(data).data
    assert categories_chart(data).data == categories_chart(data).data


def test_the_report_command_does_not_import_scrapy() -> None:
    code = (
        "import sys; from scienmag_crawler.analysis import cli_report; "
        "print('scrapy' in sys.modules, 'matplotlib.pyplot' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.split() == ["False", "False"]


# --- in a real browser ------------------------------------------------------------------------

CHECK_SCRIPT = """
Promise.all([...document.images].map(img => img.decode().then(
    () => ({alt: img.alt, width: img.naturalWidth, height: img.naturalHeight,
            shown: img.getBoundingClientRect().width}),
    err => ({alt: img.alt, error: String(err)}))))
  .then(images => ({
    images,
    sections: [...document.querySelectorAll("section[id]")].map(s => s.id),
    coverageRows: document.querySelectorAll("#coverage tbody tr").length,
    bars: [...document.querySelectorAll("#coverage .bar > span")]
        .map(s => s.getBoundingClientRect().width),
    title: document.title,
  }))
"""


@pytest.fixture(scope="module")
def chromium() -> str:
    path = find_chromium()
    if path is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("chromium is required in CI (installed by .ci/run)")
        pytest.skip("chromium is not installed")
    return path


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_report_renders_in_headless_chromium(
    chromium: str, report: Path, tmp_path: Path
) -> None:
    result = load_page(
        chromium,
        report.as_uri(),
        tmp_path / "profile",
        script=CHECK_SCRIPT,
        width=1280,
        height=2000,
    )
    assert result.errors == []
    # nothing but the file itself and its inline images was requested
    assert result.requests[0] == report.as_uri()
    assert all(u.startswith("data:image/svg+xml") for u in result.requests[1:])
    value = result.value
    assert value["title"] == cli_report.DEFAULT_TITLE
    assert [s for s in value["sections"] if s in SECTIONS] == SECTIONS
    assert len(value["images"]) == 2
    for img in value["images"]:
        assert "error" not in img, img
        assert img["width"] > 300 and img["height"] > 150 and img["shown"] > 300, img
    assert value["coverageRows"] == len(coverage_fields())
    assert max(value["bars"]) > 100  # the CSS bars have a visible length

    shot = tmp_path / "report.png"
    shot.write_bytes(result.screenshot)
    assert png_size(result.screenshot) == (1280, 2000)
    with Image.open(shot) as image:
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 200  # charts and text, not a blank page
    # the chart's category colours are on screen (tab10 blue, the most frequent category)
    assert any(rgb == (31, 119, 180) for _, rgb in colours)


def test_undated_any_site_records_are_counted_but_not_charted(
    records: list[dict[str, Any]],
) -> None:
    undated = dict(records[0], url="https://example.org/story", published=None)
    undated["published_date"] = None
    data = summarise(merged_of([*records, undated]))
    assert data.articles == len(records) + 1
    assert sum(sum(m.values()) for m in data.per_month.values()) == len(records)
    assert "https://example.org/story" not in {n.url for n in data.newest}
    charts = {"months": months_chart(data), "categories": categories_chart(data)}
    assert "<h2>" in render_html(data, charts, title="t")
