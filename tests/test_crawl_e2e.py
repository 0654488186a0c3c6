"""End-to-end: real ``scrapy crawl`` processes over HTTP (127.0.0.1) and over the snapshot."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from scienmag_crawler.schema import load_schema
from tests.conftest import ROOT, SITE, expected_slugs
from tests.support.records import NO_POLITENESS
from tests.support.site_server import SiteServer

pytestmark = pytest.mark.e2e

#: the live-site politeness is pointless against a local server and would slow the tests
FAST = [*NO_POLITENESS, "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]


def crawl(tmp_path: Path, *args: str) -> tuple[list[dict[str, Any]], str]:
    """Run the ``articles`` spider in a subprocess; return its records and its log."""
    tmp_path.mkdir(parents=True, exist_ok=True)
    out = tmp_path / "articles.jsonl"
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy.cmdline", "crawl", "articles", "-O", str(out), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    lines = out.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines], proc.stderr


def snapshot_article_urls() -> set[str]:
    return {f"https://scienmag.com/{slug}/" for slug in expected_slugs()}


def assert_full_crawl(records: list[dict[str, Any]], log: str) -> None:
    urls = [r["url"] for r in records]
    assert len(urls) == len(set(urls)), "an article was emitted twice"
    assert set(urls) == snapshot_article_urls()
    validator = Draft202012Validator(load_schema())
    assert all(validator.is_valid(r) for r in records)
    for reason, url in [
        ("soft-404", "https://scienmag.com/nasa-budget-hearing-postponed/"),
        ("empty-body", "https://scienmag.com/placeholder-post-awaiting-content/"),
        ("no-title", "https://scienmag.com/untitled-draft-research-note/"),
        (
            "not-html",
            "https://scienmag.com/wp-content/uploads/2024/08/cospar-assembly-programme.pdf",
        ),
    ]:
        assert f"'scienmag/dropped/{reason}': 1" in log
        assert f"Not an article: {url}" in log
    assert "'offsite/filtered': 1" in log
    assert "127.0.0.1" not in json.dumps(records)


def test_full_crawl_over_http(tmp_path: Path, site_server: SiteServer) -> None:
    records, log = crawl(tmp_path, "-s", f"SCIENMAG_MIRROR_URL={site_server.url}", *FAST)
    assert_full_crawl(records, log)
    assert "/robots.txt" in site_server.requests
    fetched = [p for p in site_server.requests if p != "/robots.txt"]
    assert len(fetched) == len(set(fetched)), "a page was fetched twice"


def test_full_crawl_from_the_snapshot(tmp_path: Path) -> None:
    records, log = crawl(tmp_path, "-s", f"SNAPSHOT_DIR={SITE}")
    assert_full_crawl(records, log)


def test_extraction_workers_give_the_records_of_in_process_extraction(tmp_path: Path) -> None:
    """Two worker processes and none: the same records (crawled_at aside), counts and drops."""
    pooled, pooled_log = crawl(
        tmp_path / "pooled", "-s", f"SNAPSHOT_DIR={SITE}", "-s", "SCIENMAG_EXTRACTION_PROCESSES=2"
    )
    here, here_log = crawl(
        tmp_path / "here", "-s", f"SNAPSHOT_DIR={SITE}", "-s", "SCIENMAG_EXTRACTION_PROCESSES=0"
    )
    assert_full_crawl(pooled, pooled_log)

    def by_url(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        return {r["url"]: {k: v for k, v in r.items() if k != "crawled_at"} for r in records}

    assert "'scienmag/extraction/processes': 2" in pooled_log  # the workers did extract
    assert "scienmag/extraction/processes" not in here_log
    assert by_url(pooled) == by_url(here)
    for log in (pooled_log, here_log):
        assert "'scienmag/dropped/soft-404': 1" in log
        assert "worker_deaths" not in log and "died while extracting" not in log


def test_category_crawl_drops_a_listing_linked_as_an_article(
    tmp_path: Path, site_server: SiteServer
) -> None:
    records, log = crawl(
        tmp_path, "-a", "category=marine", "-s", f"SCIENMAG_MIRROR_URL={site_server.url}", *FAST
    )
    assert records and all("Marine" in r["categories"] for r in records)
    assert "Not an article: https://scienmag.com/category/climate/" in log
    assert "'scienmag/dropped/listing': 1" in log


def test_missing_pages_are_logged_with_url_and_reason(tmp_path: Path) -> None:
    url = "https://scienmag.com/this-post-does-not-exist/"
    # the run delivers nothing on purpose: the item-count monitor must not fail it here
    records, log = crawl(
        tmp_path,
        "-a",
        f"start_urls={url}",
        "-s",
        f"SNAPSHOT_DIR={SITE}",
        "-s",
        "SCIENMAG_MIN_ITEMS=0",
    )
    assert records == []
    assert f"Failed {url}: HTTP 404" in log
    assert "'scienmag/errors/http_404': 1" in log
