"""Crawl progress: the figures and their text, the rich bar, and real crawls in each mode."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import pty
import re
import subprocess
import sys
import threading
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from scrapy import Spider
from scrapy.exceptions import NotConfigured
from scrapy.http import XmlResponse
from scrapy.utils.test import get_crawler

from scienmag_crawler.progress import (
    EXPECTED_ARTICLES,
    EXPECTED_LISTING_PAGES,
    PROGRESS_ATTR,
    CrawlProgress,
    Figures,
    TerminalBar,
    figures_from_stats,
    format_duration,
    format_line,
    format_total,
)
from scienmag_crawler.spiders.articles import ArticlesSpider
from scienmag_crawler.summary import SUMMARY_STATS_ATTR, render_summary, summary_table
from tests.conftest import ROOT, SITE
from tests.support.records import NO_POLITENESS
from tests.support.site_server import SiteServer

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
LINE = re.compile(r"Progress at \S+: (\d+) pages?, (\d+) items?, (\d+) dropped, (\d+) errors?;(.*)")
FINAL = re.compile(
    r"Progress: finished in \S+: (\d+) pages?, (\d+) items?, (\d+) dropped, (\d+) errors?;(.*)"
)


def plain(text: str) -> str:
    """Terminal output without colours and cursor movements."""
    return ANSI.sub("", text).replace("\r", "")


# --- figures and text ---------------------------------------------------------------------
def test_durations_are_short_and_fixed_format() -> None:
    assert [format_duration(s) for s in (0, 9.6, 59.4, 60, 605, 3599, 3600, 86399)] == [
        "0s", "10s", "59s", "1m00s", "10m05s", "59m59s", "1h00m", "23h59m",
    ]  # fmt: skip


def test_figures_count_like_the_run_summary() -> None:
    stats = {
        "response_received_count": 120,
        "item_scraped_count": 48,
        "scienmag/dropped/soft-404": 2,
        "scienmag/dropped/not-html": 1,
        "scienmag/validation/invalid": 1,
        "scienmag/duplicates/dropped": 1,
        "scienmag/errors/http_404": 2,
        "scienmag/errors/timeout": 1,
        "spider_exceptions/count": 1,
    }
    f = figures_from_stats(stats, elapsed=60.0)
    assert (f.pages, f.items, f.dropped, f.errors) == (120, 48, 5, 4)
    assert f.total is None and f.eta is None
    line = format_line(f)
    assert line == (
        "Progress at 1m00s: 120 pages, 48 items, 5 dropped, 4 errors; "
        "120.0 pages/min, 48.0 items/min"
    )
    summary = render_summary({**stats, "elapsed_time_seconds": 60.0})
    assert "dropped: not-html 1, soft-404 2, invalid 1, duplicate 1" in summary
    assert "errors: http_404 2, timeout 1, spider_exception 1" in summary
    assert "48.0 items/min" in summary


def test_a_sitemap_total_counts_every_article_outcome() -> None:
    stats = {
        EXPECTED_ARTICLES: 200,
        "scienmag/articles/extracted": 40,
        "scienmag/dropped/soft-404": 3,
        "scienmag/skipped/older_than_since": 4,
        "scienmag/errors/http_500": 1,
    }
    f = figures_from_stats(stats, elapsed=96.0)
    assert (f.done, f.total, f.unit, f.estimated) == (48, 200, "articles", False)
    assert f.eta == pytest.approx(152 * 96.0 / 48)
    assert format_total(f) == "48/200 articles (24%), ETA 5m04s"


def test_more_done_than_expected_never_gives_a_negative_eta() -> None:
    f = figures_from_stats({EXPECTED_ARTICLES: 10, "scienmag/articles/extracted": 12}, 30.0)
    assert (f.done, f.total, f.eta) == (10, 10, 0.0)
    assert format_total(f) == "10/10 articles (100%), ETA 0s"


def test_a_listing_bound_estimates_the_pages_still_to_come() -> None:
    # 2 of at most 6 listing pages in; they brought 22 requests (listing, articles, next page)
    stats = {
        EXPECTED_LISTING_PAGES: 6,
        "scienmag/listing/pages": 2,
        "scheduler/enqueued": 22,
        "response_received_count": 16,
    }
    f = figures_from_stats(stats, elapsed=40.0)
    assert (f.done, f.total, f.unit, f.estimated) == (16, 66, "pages", True)
    assert format_total(f) == "16/~66 pages (24%), ETA 2m05s"
    # before the first listing page there is nothing to scale: no total yet
    assert figures_from_stats({**stats, "scienmag/listing/pages": 0}, 40.0).total is None


def test_no_eta_before_any_progress() -> None:
    f = Figures(elapsed=5.0, total=100, unit="articles")
    assert f.eta is None
    assert format_total(f) == "0/100 articles (0%), ETA -"


def test_the_last_line_says_how_the_run_ended_and_drops_the_eta() -> None:
    f = Figures(elapsed=130, pages=240, items=96, done=96, total=200, unit="articles")
    assert format_line(f, closed="finished") == (
        "Progress: finished in 2m10s: 240 pages, 96 items, 0 dropped, 0 errors; "
        "110.8 pages/min, 44.3 items/min"
    )
    assert format_line(f, closed="shutdown").startswith("Progress: closed (shutdown) after 2m10s")
    assert "ETA" in format_line(f)


# --- the spider publishes its totals ------------------------------------------------------
def spider(**kwargs: Any) -> ArticlesSpider:
    crawler = get_crawler(ArticlesSpider)
    crawler.stats.open_spider()
    return ArticlesSpider.from_crawler(crawler, **kwargs)


async def start_requests(s: ArticlesSpider) -> list[Any]:
    return [r async for r in s.start()]


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        ({"category": "space,policy", "max_pages": "3"}, 6),
        ({"start_urls": "https://scienmag.com/category/space/", "max_pages": "4"}, 4),
        ({"category": "space"}, None),  # no bound
        ({"max_pages": "3"}, None),  # from the home page the listings are discovered
    ],
)
def test_explicit_listings_with_max_pages_publish_a_bound(
    kwargs: dict[str, str], expected: int | None
) -> None:
    s = spider(**kwargs)
    asyncio.run(start_requests(s))
    assert s.crawler.stats.get_value(EXPECTED_LISTING_PAGES) == expected


def test_sitemap_entries_scheduled_are_counted() -> None:
    s = spider()
    body = (SITE / "scienmag.com" / "post-sitemap.xml").read_bytes()
    response = XmlResponse("https://scienmag.com/post-sitemap.xml", body=body)
    scheduled = list(s.parse_sitemap(response))
    assert scheduled
    assert s.crawler.stats.get_value(EXPECTED_ARTICLES) == len(scheduled)


# --- the extension's settings -------------------------------------------------------------
def test_off_disables_the_extension() -> None:
    with pytest.raises(NotConfigured):
        CrawlProgress.from_crawler(get_crawler(Spider, {"SCIENMAG_PROGRESS": "off"}))


@pytest.mark.parametrize(
    "settings",
    [{"SCIENMAG_PROGRESS": "fancy"}, {"SCIENMAG_PROGRESS_INTERVAL": 0}],
)
def test_bad_settings_are_refused_with_their_name(settings: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=next(iter(settings))):
        CrawlProgress.from_crawler(get_crawler(Spider, settings))


# --- the bar on a forced terminal -----------------------------------------------------------
@pytest.fixture
def root_handlers() -> Iterator[tuple[StringIO, StringIO]]:
    """Two root handlers at INFO: one writing to a stand-in for stderr, one to a log file."""
    terminal, logfile = StringIO(), StringIO()
    handlers = [logging.StreamHandler(terminal), logging.StreamHandler(logfile)]
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.INFO)
    for handler in handlers:
        root.addHandler(handler)
    yield terminal, logfile
    for handler in handlers:
        root.removeHandler(handler)
    root.setLevel(level)


def test_the_bar_shows_the_figures_and_keeps_log_lines_above_it(
    root_handlers: tuple[StringIO, StringIO],
) -> None:
    terminal, logfile = root_handlers
    screen = StringIO()
    bar = TerminalBar(Console(file=screen, force_terminal=True, width=120))
    log = logging.getLogger("scienmag_crawler.test")
    stats = {"item_scraped_count": 48, "response_received_count": 120, "elapsed_time_seconds": 65}
    bar.start([terminal])
    try:
        bar.update(Figures(65, pages=120, items=48, dropped=3, errors=1, done=48, total=200,
                           unit="articles"))  # fmt: skip
        log.warning("Not an article: https://scienmag.com/a-very-long-slug/: soft-404")
        log.info("Progress at 1m05s: ...", extra={PROGRESS_ATTR: True})
        bar.update(Figures(70, pages=130, items=52), closed="finished")
        bar.stop()
        logging.getLogger("scienmag_crawler.summary").info(
            render_summary(stats), extra={SUMMARY_STATS_ATTR: stats}
        )
    finally:
        bar.release()
    shown = plain(screen.getvalue())
    assert "crawling" in shown and "48/200 articles (24%), ETA 3m26s" in shown
    assert "120 pages · 48 items · 3 dropped · 1 error · 110.8 pages/min · 44.3 items/min" in shown
    assert "finished" in shown and "130 pages · 52 items" in shown
    # log lines reach the terminal through the console, whole; progress lines do not
    assert "Not an article: https://scienmag.com/a-very-long-slug/: soft-404" in shown
    assert "Progress at" not in shown
    assert terminal.getvalue() == ""
    # the summary: a table on the terminal, the text in the log file
    assert "Run summary: 48 items written" in shown
    assert re.search(r"pages fetched +120 \(0 listing pages\)", shown)
    assert "items: new" not in shown
    assert "Progress at 1m05s" in logfile.getvalue()
    assert render_summary(stats) in logfile.getvalue()
    # released: the handlers write to their own streams again
    log.info("after the run")
    assert terminal.getvalue() == "after the run\n"


def test_the_extension_draws_on_an_injected_console_and_logs_its_last_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    crawler = get_crawler(Spider)
    crawler.stats.open_spider()
    screen = StringIO()
    ext = CrawlProgress(crawler, "bar", 30.0, console=Console(file=screen, force_terminal=True))
    ext.open_display()
    try:
        for name, value in {"response_received_count": 7, "item_scraped_count": 5,
                            "scienmag/errors/http_503": 2, EXPECTED_ARTICLES: 10,
                            "scienmag/articles/extracted": 5}.items():  # fmt: skip
            crawler.stats.set_value(name, value)
        ext.redraw()
        with caplog.at_level(logging.INFO, logger="scienmag_crawler.progress"):
            ext.spider_closed(Spider("s"), "shutdown")
    finally:
        ext.engine_stopped()
    shown = plain(screen.getvalue())
    assert "7/10 articles (70%)" in shown
    assert "shutdown" in shown and "7 pages · 5 items · 0 dropped · 2 errors" in shown
    (message,) = [r.getMessage() for r in caplog.records]
    assert re.match(r"Progress: closed \(shutdown\) after \S+: 7 pages, 5 items, 0 dropped, 2 errors;",
                    message)  # fmt: skip


def test_the_summary_table_flags_failed_monitors() -> None:
    console = Console(file=StringIO(), width=100, record=True)
    console.print(summary_table({"item_scraped_count": 3, "scienmag/monitors/failed": 2}))
    text = console.export_text()
    assert "Run summary: 3 items written" in text
    assert re.search(r"monitors +FAILED 2", text)


# --- real crawls ----------------------------------------------------------------------------
CATEGORY = ["-a", "category=science-news", "-a", "max_pages=3"]
QUICK = ["-s", "SCIENMAG_PROGRESS_INTERVAL=0.2", "-s", "SCIENMAG_MIN_ITEMS=0", *NO_POLITENESS]


@pytest.fixture(scope="module")
def slow_site() -> Iterator[SiteServer]:
    """The snapshot over HTTP with a delay per response, so that even a crawl of one category
    spans several intervals."""
    with SiteServer(SITE, delay=0.1) as server:
        yield server


@pytest.fixture(scope="module")
def site() -> Iterator[SiteServer]:
    """A shorter delay for whole-site crawls (over 70 pages)."""
    with SiteServer(SITE, delay=0.03) as server:
        yield server


def scrapy_crawl(
    site: SiteServer, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "scrapy.cmdline", "crawl", "articles",
           "-s", f"SCIENMAG_MIRROR_URL={site.url}", *QUICK, *args]  # fmt: skip
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300,
                          env={**os.environ, **(env or {})})  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc


def stat(log: str, name: str) -> int:
    match = re.search(rf"'{re.escape(name)}': (\d+)", log)
    return int(match.group(1)) if match else 0


def records(text: str) -> list[dict[str, Any]]:
    """Records without the crawl time, in URL order: what must not depend on the display."""
    rows = [json.loads(line) for line in text.splitlines() if line.strip()]
    return sorted(({k: v for k, v in r.items() if k != "crawled_at"} for r in rows),
                  key=lambda r: r["url"])  # fmt: skip


@pytest.fixture(scope="module")
def off_records(slow_site: SiteServer, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The category crawl with the extension off: stderr and records."""
    out = tmp_path_factory.mktemp("off") / "articles.jsonl"
    proc = scrapy_crawl(slow_site, *CATEGORY, "-s", "SCIENMAG_PROGRESS=off", "-O", str(out))
    return proc.stderr, records(out.read_text(encoding="utf-8"))


@pytest.mark.e2e
def test_off_leaves_no_trace_but_the_summary(off_records: Any) -> None:
    log, rows = off_records
    assert rows
    assert "Disabled scienmag_crawler.progress.CrawlProgress: SCIENMAG_PROGRESS is off" in log
    enabled = log[log.index("Enabled extensions:") :].split("]", 1)[0]
    assert "scienmag_crawler.summary.RunSummary" in enabled
    assert "CrawlProgress" not in enabled
    assert "[scienmag_crawler.progress]" not in log
    assert f"Run summary: {len(rows)} items written\n  items:" in log


@pytest.mark.e2e
def test_log_lines_off_a_terminal_with_counts_that_add_up(site: SiteServer, tmp_path: Path) -> None:
    """Default settings, stderr a pipe (as under cron or CI): periodic lines, then the last."""
    out = tmp_path / "articles.jsonl"
    log = scrapy_crawl(site, "-O", str(out)).stderr
    written = len(out.read_text(encoding="utf-8").splitlines())
    lines = [tuple(int(n) for n in m.groups()[:4]) for m in LINE.finditer(log)]
    assert len(lines) >= 2, log[-3000:]
    assert lines == sorted(lines)  # counts only grow
    final = FINAL.search(log)
    assert final, log[-3000:]
    pages, items, dropped, errors = (int(n) for n in final.groups()[:4])
    assert pages == stat(log, "response_received_count") and all(p <= pages for p, *_ in lines)
    assert items == written == stat(log, "item_scraped_count")
    dropped_stats = sum(int(n) for n in re.findall(r"'scienmag/dropped/[^']+': (\d+)", log))
    assert dropped == dropped_stats >= 4  # soft-404, empty body, no title, PDF
    assert errors == 0
    # the last line comes right before the summary, which reports the same
    assert log.index(final.group(0)) < log.index("Run summary:")
    assert f"Run summary: {items} items written" in log
    assert f"pages fetched: {pages} (" in log
    # from the home page without max_pages nothing bounds the run: no total, no ETA
    assert "ETA" not in log and "/~" not in log


@pytest.mark.e2e
def test_a_listing_bound_gives_an_eta_and_the_records_do_not_change(
    slow_site: SiteServer, tmp_path: Path, off_records: Any
) -> None:
    out = tmp_path / "articles.jsonl"
    log = scrapy_crawl(slow_site, *CATEGORY, "-s", "SCIENMAG_PROGRESS=log", "-O", str(out)).stderr
    rests = [m.group(5) for m in LINE.finditer(log)]
    assert rests, log[-3000:]
    # a total appears with the first listing page; every line with a total has an ETA
    with_total = [r for r in rests if "/~" in r]
    assert with_total and all(re.search(r"\d+/~\d+ pages \(\d+%\), ETA (\S+)$", r)
                              for r in with_total)  # fmt: skip
    final = FINAL.search(log)
    assert final and "ETA" not in final.group(0)
    assert records(out.read_text(encoding="utf-8")) == off_records[1]


@pytest.mark.e2e
def test_a_harvest_counts_down_the_sitemap_entries(site: SiteServer, tmp_path: Path) -> None:
    log = scrapy_crawl(site, "-s", f"HARVEST_STATE_DIR={tmp_path / 'state'}",
                       "-s", "HARVEST_FSYNC=0").stderr  # fmt: skip
    expected = stat(log, EXPECTED_ARTICLES)
    assert expected > 0
    totals = re.findall(r"; (\d+)/(\d+) articles \(\d+%\), ETA \S+$", log, flags=re.M)
    assert totals, log[-3000:]
    done, total = (int(n) for n in totals[-1])
    assert done <= total <= expected


@pytest.mark.e2e
def test_the_bar_on_a_terminal_leaves_stdout_to_the_records(
    slow_site: SiteServer, off_records: Any
) -> None:
    """``-O -`` with the bar on: stdout holds exactly the records, stderr the bar (rich told it
    is a terminal by TTY_COMPATIBLE), the log lines and the summary table."""
    proc = scrapy_crawl(slow_site, *CATEGORY, "-s", "SCIENMAG_PROGRESS=bar", "-O", "-:jsonlines",
                        env={"TTY_COMPATIBLE": "1", "COLUMNS": "120"})  # fmt: skip
    rows = records(proc.stdout)
    assert rows == off_records[1]
    shown = plain(proc.stderr)
    n = len(rows)
    assert "\x1b[" in proc.stderr  # drawn with terminal control codes
    assert re.search(r"crawling .*\d+/~\d+ pages \(\d+%\), ETA", shown)
    assert re.search(
        rf"✓ finished .* elapsed\n  \d+ pages · {n} items · 0 dropped · 0 errors", shown
    )
    assert "Progress at" not in shown and "Progress: finished" not in shown
    assert re.search(r"pages fetched +\d+ \(3 listing pages\)", shown)
    assert "Dumping Scrapy stats" in shown  # Scrapy's own log still comes through


def run_on_a_pty(args: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run a command with stderr on a pseudo-terminal (stdout a pipe); return its exit status
    and what it drew on the terminal."""
    master, slave = pty.openpty()
    chunks: list[bytes] = []

    def read() -> None:
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:  # the other side is closed
                return
            if not data:
                return
            chunks.append(data)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=slave,
                            env={**os.environ, **env})  # fmt: skip
    os.close(slave)
    proc.communicate(timeout=300)
    reader.join(timeout=30)
    os.close(master)
    return proc.returncode, b"".join(chunks).decode("utf-8", "replace")


@pytest.mark.e2e
def test_auto_draws_the_bar_on_a_real_terminal(slow_site: SiteServer, tmp_path: Path) -> None:
    """Default settings with stderr on a pty: the bar; with LOG_FILE the log keeps the lines."""
    logfile = tmp_path / "crawl.log"
    status, screen = run_on_a_pty(
        [sys.executable, "-m", "scrapy.cmdline", "crawl", "articles", *CATEGORY,
         "-s", f"SCIENMAG_MIRROR_URL={slow_site.url}", *QUICK,
         "-s", f"LOG_FILE={logfile}", "-O", str(tmp_path / "articles.jsonl")],
        env={"TERM": "xterm", "COLUMNS": "120"},
    )  # fmt: skip
    assert status == 0, screen[-3000:]
    shown = plain(screen)
    assert "crawling" in shown and "finished" in shown
    assert re.search(r"pages fetched +\d+ \(3 listing pages\)", shown)  # the summary table
    log = logfile.read_text(encoding="utf-8")
    assert LINE.search(log) and FINAL.search(log)
    assert "Run summary:" in log and "  items: new -" in log
    assert "━" not in log
