"""Monitoring: field coverage, the spidermon monitors, the report, the exit status, the
summary; and end to end, that a layout change fails the run loudly."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from scrapy import Spider
from scrapy.crawler import Crawler
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler
from spidermon.contrib.scrapy.runners import SpiderMonitorRunner

from scienmag_crawler import settings as project_settings
from scienmag_crawler.commands.crawl import MONITORS_FAILED_EXIT
from scienmag_crawler.coverage import FieldCoveragePipeline
from scienmag_crawler.items import Article, Contacts, Phone
from scienmag_crawler.monitors import (
    FAILED_STAT,
    PASSED_STAT,
    SpiderCloseMonitorSuite,
    failure_lines,
)
from scienmag_crawler.summary import render_summary
from tests.conftest import ROOT, SITE, expected_slugs
from tests.support.layout_drift import LAYOUT_DRIFT, build_drifted_site
from tests.support.records import make_article

#: spidermon's log writer uses the deprecated Spider.log (filtered for crawls in monitors.py)
pytestmark = pytest.mark.filterwarnings(
    "ignore:Spider.log:scrapy.exceptions.ScrapyDeprecationWarning"
)

#: the project's monitoring thresholds, as a crawl would see them
MONITOR_SETTINGS = {k: v for k, v in vars(project_settings).items() if k.startswith("SCIENMAG_")}


def article(**changes: Any) -> Article:
    """A record with the optional fields filled, so that coverage has something to count."""
    base = {"categories": ["Science News"], "tags": ["Space"], "summary": "S", "language": "en-US"}
    return make_article(**{**base, **changes})


# --- coverage ------------------------------------------------------------------------------
def test_coverage_counts_non_empty_fields_and_items() -> None:
    crawler = get_crawler()
    pipeline = build_from_crawler(FieldCoveragePipeline, crawler)
    pipeline.process_item(article())
    pipeline.process_item(article(tags=[], summary="", authors=["A. Author"], modified=None))
    stats = crawler.stats
    assert stats.get_value("scienmag/coverage/items") == 2
    assert stats.get_value("scienmag/coverage/title") == 2
    assert stats.get_value("scienmag/coverage/tags") == 1
    assert stats.get_value("scienmag/coverage/summary") == 1
    assert stats.get_value("scienmag/coverage/authors") == 1
    # never filled still shows up, as 0
    assert stats.get_value("scienmag/coverage/modified") == 0


def test_contacts_count_as_one_field_filled_when_any_list_is() -> None:
    crawler = get_crawler()
    pipeline = build_from_crawler(FieldCoveragePipeline, crawler)
    pipeline.process_item(article())
    pipeline.process_item(article(contacts=Contacts(phones=[Phone(raw="1", e164="+441")])))
    assert crawler.stats.get_value("scienmag/coverage/contacts") == 1
    assert not any(k.startswith("scienmag/coverage/contacts/") for k in crawler.stats.get_stats())


# --- the monitors ---------------------------------------------------------------------------
def healthy_stats(**changes: Any) -> dict[str, Any]:
    """Stats of a good run of 40 article pages: 36 articles, 4 odd pages dropped."""
    stats: dict[str, Any] = {
        "finish_reason": "finished",
        "item_scraped_count": 36,
        "log_count/WARNING": 4,
        "scienmag/articles/extracted": 36,
        "scienmag/dropped/soft-404": 1,
        "scienmag/dropped/not-html": 1,
        "scienmag/dropped/no-title": 1,
        "scienmag/dropped/empty-body": 1,
        "scienmag/coverage/items": 36,
        "scienmag/extraction/body/jnews": 36,
    }
    for field in ("url", "title", "published", "published_date", "body", "categories"):
        stats[f"scienmag/coverage/{field}"] = 36
    for field in ("tags", "summary", "language", "word_count"):
        stats[f"scienmag/coverage/{field}"] = 36
    stats.update(changes)
    return {k: v for k, v in stats.items() if v is not None}


def run_monitors(stats: dict[str, Any], **settings: Any) -> tuple[Crawler, list[str]]:
    """Run the spider-close suite over ``stats``; return the crawler and failure lines."""
    crawler = get_crawler(settings_dict={**MONITOR_SETTINGS, **settings})
    for key, value in stats.items():
        crawler.stats.set_value(key, value)
    runner = SpiderMonitorRunner(spider=Spider(name="articles"))
    result = runner.run(
        SpiderCloseMonitorSuite(crawler=crawler),
        stats=crawler.stats.get_stats(),
        crawler=crawler,
        spider=None,
        job=None,
        stats_history=[],
    )
    return crawler, failure_lines(result)


def test_a_healthy_run_passes_every_monitor() -> None:
    crawler, failures = run_monitors(healthy_stats())
    assert failures == []
    assert crawler.stats.get_value(FAILED_STAT) == 0
    assert crawler.stats.get_value(PASSED_STAT) == 9


@pytest.mark.parametrize(
    ("changes", "settings", "expected"),
    [
        ({"item_scraped_count": 0, "scienmag/coverage/items": 0}, {}, "item count 0 < 1"),
        ({}, {"SCIENMAG_MIN_ITEMS": 100}, "item count 36 < 100"),
        ({"scienmag/coverage/body": 35}, {}, "coverage of body 0.97 < 1.00"),
        ({"scienmag/coverage/categories": 0}, {}, "coverage of categories 0.00 < 0.95"),
        ({"scienmag/coverage/tags": 9}, {}, "coverage of tags 0.25 < 0.50"),
        ({"log_count/ERROR": 1}, {}, "errors logged 1 > 0"),
        ({"log_count/WARNING": 40}, {}, "warnings per item 1.11 > 0.50"),
        ({}, {"SCIENMAG_MAX_WARNINGS": 3}, "warnings 4 > 3"),
        (
            {"scienmag/validation/invalid": 2, "scienmag/validation/errors/published_date": 2},
            {},
            "invalid items 2 > 0 (SCIENMAG_MAX_INVALID_ITEMS; failing fields: published_date)",
        ),
        ({"scienmag/dropped/soft-404": 20}, {}, "dropped pages 0.39 > 0.25"),
        ({"scienmag/dropped/no-date": 4}, {}, "extraction failures 0.14 > 0.10"),
        ({"finish_reason": "closespider_timeout"}, {}, "finish reason 'closespider_timeout'"),
        (
            {"scienmag/extraction/body/jnews": 33, "scienmag/extraction/body/generic": 3},
            {},
            "bodies from fallback layers 0.08 > 0.00 of 36 records "
            "(generic=3; SCIENMAG_MAX_FALLBACK_SHARE)",
        ),
        (
            {
                "scienmag/extraction/body/jnews": 30,
                "scienmag/extraction/body/wordpress": 4,
                "scienmag/extraction/body/generic": 2,
            },
            {"SCIENMAG_MAX_FALLBACK_SHARE": 0.1},
            "bodies from fallback layers 0.17 > 0.10 of 36 records (generic=2, wordpress=4;",
        ),
    ],
)
def test_each_monitor_fails_and_names_what_broke(
    changes: dict[str, Any], settings: dict[str, Any], expected: str
) -> None:
    crawler, failures = run_monitors(healthy_stats(**changes), **settings)
    assert len(failures) == 1, failures
    assert expected in failures[0]
    assert crawler.stats.get_value(FAILED_STAT) == 1


def test_a_few_fallback_bodies_pass_when_the_threshold_allows_them() -> None:
    stats = healthy_stats(
        **{"scienmag/extraction/body/jnews": 35, "scienmag/extraction/body/wordpress": 1}
    )
    assert run_monitors(stats, SCIENMAG_MAX_FALLBACK_SHARE=0.05)[1] == []
    assert "FallbackBodyMonitor" in run_monitors(stats)[1][0]


def test_coverage_failures_name_every_broken_field(caplog: pytest.LogCaptureFixture) -> None:
    stats = healthy_stats(**{"scienmag/coverage/categories": 0, "scienmag/coverage/title": 30})
    with caplog.at_level(logging.ERROR, logger="scienmag_crawler.monitors"):
        _, failures = run_monitors(stats)
    assert "coverage of title 0.83 < 1.00; coverage of categories 0.00 < 0.95" in failures[0]
    report = caplog.text
    assert "Monitors FAILED (1 of 9)" in report
    assert "FieldCoverageMonitor: coverage of title 0.83 < 1.00" in report


def test_a_harvest_run_with_nothing_new_passes() -> None:
    stats = healthy_stats(
        item_scraped_count=0,
        **{
            "scienmag/articles/extracted": 2,
            "scienmag/coverage/items": 0,
            "scienmag/harvest/skipped_known": 113,
            "scienmag/harvest/skipped_unchanged": 2,
        },
    )
    _, failures = run_monitors(stats, HARVEST_STATE_DIR="/tmp/state")
    assert failures == []


def test_summary_reports_items_drops_errors_and_rate() -> None:
    text = render_summary(
        healthy_stats(
            **{
                "scienmag/harvest/new": 3,
                "scienmag/harvest/skipped_unchanged": 5,
                "scienmag/errors/http_404": 2,
                "response_received_count": 90,
                "scienmag/listing/pages": 31,
                "elapsed_time_seconds": 30.0,
                FAILED_STAT: 2,
            }
        )
    )
    assert "items: new 3, updated 0, skipped unchanged 5" in text
    assert "dropped: empty-body 1, no-title 1, not-html 1, soft-404 1" in text
    assert "pages fetched: 90 (31 listing pages)" in text
    assert "errors: http_404 2" in text
    assert "elapsed 30.0 s, 72.0 items/min, 3.00 pages/s" in text
    assert "monitors: FAILED 2" in text


# --- end to end: exit status and the report --------------------------------------------------
def scrapy_crawl(tmp_path: Path, site: Path) -> subprocess.CompletedProcess[str]:
    out = tmp_path / "articles.jsonl"
    return subprocess.run(
        [sys.executable, "-m", "scrapy.cmdline", "crawl", "articles",
         "-s", f"SNAPSHOT_DIR={site}", "-O", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


@pytest.mark.e2e
def test_the_snapshot_crawl_passes_its_monitors_and_exits_0(tmp_path: Path) -> None:
    proc = scrapy_crawl(tmp_path, SITE)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "Monitors passed (9)" in proc.stderr
    assert "'scienmag/monitors/failed': 0" in proc.stderr
    assert f"Run summary: {len(expected_slugs())} items written" in proc.stderr
    assert "monitors: passed" in proc.stderr


@pytest.mark.e2e
def test_a_layout_change_fails_the_monitors_and_exits_non_zero(tmp_path: Path) -> None:
    drifted = build_drifted_site(SITE, tmp_path / "site")
    proc = scrapy_crawl(tmp_path, drifted)
    log = proc.stderr
    assert proc.returncode == MONITORS_FAILED_EXIT, log[-3000:]
    assert "Monitors FAILED" in log
    # the report names the broken field and its threshold, and the lost records
    assert re.search(r"FieldCoverageMonitor: coverage of categories 0\.\d\d < 0\.95", log)
    assert re.search(r"DroppedItemsMonitor: extraction failures 0\.\d\d > 0\.10", log)
    assert "no-date=4" in log
    assert "monitors: FAILED 2" in log


@pytest.mark.e2e
def test_a_renamed_content_container_gives_fallback_records_and_fails_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the theme update also renames the content wrapper: no JNews content node is left
    monkeypatch.setitem(LAYOUT_DRIFT, "entry-content", "post-entry-v2")
    drifted = build_drifted_site(SITE, tmp_path / "site")
    proc = scrapy_crawl(tmp_path, drifted)
    log = proc.stderr
    assert proc.returncode == MONITORS_FAILED_EXIT, log[-3000:]
    records = [
        json.loads(line)
        for line in (tmp_path / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    # records still come, every one saying that its body came from the generic fallback
    assert len(records) >= len(expected_slugs()) - 4
    assert {r["extraction"]["body"] for r in records} == {"generic"}
    assert all(r["body"] for r in records)
    assert "'scienmag/extraction/body/generic'" in log
    assert re.search(
        r"FallbackBodyMonitor: bodies from fallback layers 1\.00 > 0\.00 of \d+ records "
        r"\(generic=\d+; SCIENMAG_MAX_FALLBACK_SHARE\)",
        log,
    )


def test_the_drift_rewrites_post_pages_only(tmp_path: Path) -> None:
    drifted = build_drifted_site(SITE, tmp_path / "site")
    slug = "cospar-to-sign-memorandum-of-understanding-with-asia-pacific-space-cooperation-organisation"
    post = (drifted / "scienmag.com" / slug / "index.html").read_text(encoding="utf-8")
    tokens = {t for attr in re.findall(r'(?:class|id)="([^"]*)"', post) for t in attr.split()}
    assert "post-body" in tokens
    assert not tokens & set(LAYOUT_DRIFT)
    home = (drifted / "scienmag.com" / "index.html").read_text(encoding="utf-8")
    assert home == (SITE / "scienmag.com" / "index.html").read_text(encoding="utf-8")
