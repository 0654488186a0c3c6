"""``RunSummary``: a short end-of-run summary a person can read, logged at INFO.

Scrapy's stats dump at the end of a run is complete but long and unsorted by meaning; an
operator looking at a scheduled harvest wants: what came out, what was dropped and why, what
failed, how long it took and how fast it went. When the progress bar is on a terminal
(:mod:`scienmag_crawler.progress`) the terminal shows the same summary as a table under the
bar; log files keep the text.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from rich.table import Table
from scrapy import signals

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


def by_suffix(stats: Mapping[str, Any], prefix: str) -> dict[str, int]:
    """The non-zero counters under ``prefix``, by the rest of their key, sorted.

    >>> by_suffix({"x/a": 2, "x/b": 0, "y/c": 1}, "x/")
    {'a': 2}
    """
    return {
        k[len(prefix) :]: v
        for k, v in sorted(stats.items())
        if k.startswith(prefix) and isinstance(v, int | float) and v
    }


def prefix_total(stats: Mapping[str, Any], prefix: str) -> int:
    """The sum of the counters under ``prefix`` (every reason pages were dropped, say)."""
    return int(sum(by_suffix(stats, prefix).values()))


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items()) or "none"


def dropped_counts(stats: Mapping[str, Any]) -> dict[str, int]:
    """Records not written, by reason: pages that were no article, invalid, duplicates.
    Shared with the live progress display so both report the same figure."""
    dropped = by_suffix(stats, "scienmag/dropped/")
    if stats.get("scienmag/validation/invalid"):
        dropped["invalid"] = stats["scienmag/validation/invalid"]
    if stats.get("scienmag/duplicates/dropped"):
        dropped["duplicate"] = stats["scienmag/duplicates/dropped"]
    return dropped


def error_counts(stats: Mapping[str, Any]) -> dict[str, int]:
    """Failed requests by kind, plus exceptions raised in the spider's callbacks (a bug an
    operator must hear about as much as a failed download)."""
    errors = by_suffix(stats, "scienmag/errors/")
    if stats.get("spider_exceptions/count"):
        errors["spider_exception"] = stats["spider_exceptions/count"]
    return errors


def summary_rows(stats: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(label, value) pairs of the summary: one source for the log text and the table."""
    items = stats.get("item_scraped_count", 0)
    # outside harvest mode there is no new/updated: "-" rather than a misleading 0
    harvest = any(k.startswith("scienmag/harvest/") for k in stats)
    new = stats.get("scienmag/harvest/new", 0) if harvest else "-"
    updated = stats.get("scienmag/harvest/updated", 0) if harvest else "-"
    skipped = by_suffix(stats, "scienmag/harvest/skipped_")
    pages = stats.get("response_received_count", 0)
    elapsed = float(stats.get("elapsed_time_seconds") or 0.0)
    per_min = items / elapsed * 60 if elapsed else 0.0
    per_s = pages / elapsed if elapsed else 0.0
    rows = [
        ("items", f"new {new}, updated {updated}, skipped {_counts(skipped)}"),
        ("dropped", _counts(dropped_counts(stats))),
        ("pages fetched", f"{pages} ({stats.get('scienmag/listing/pages', 0)} listing pages)"),
        ("errors", _counts(error_counts(stats))),
        ("elapsed", f"{elapsed:.1f} s, {per_min:.1f} items/min, {per_s:.2f} pages/s"),
    ]
    if "scienmag/monitors/failed" in stats:
        failed = stats["scienmag/monitors/failed"]
        rows.append(("monitors", f"FAILED {failed}" if failed else "passed"))
    return rows


def summary_title(stats: Mapping[str, Any]) -> str:
    return f"Run summary: {stats.get('item_scraped_count', 0)} items written"


def render_summary(stats: Mapping[str, Any]) -> str:
    """The summary text for a run's stats (pure, for tests and reuse).

    >>> print(render_summary({"item_scraped_count": 3, "elapsed_time_seconds": 60.0,
    ...     "response_received_count": 6, "scienmag/dropped/soft-404": 1}))
    Run summary: 3 items written
      items: new -, updated -, skipped none
      dropped: soft-404 1
      pages fetched: 6 (0 listing pages)
      errors: none
      elapsed 60.0 s, 3.0 items/min, 0.10 pages/s
    """
    lines = [summary_title(stats)]
    for label, value in summary_rows(stats):
        # "elapsed" reads as a sentence, the others as "label: value"
        lines.append(f"  {label} {value}" if label == "elapsed" else f"  {label}: {value}")
    return "\n".join(lines)


def summary_table(stats: Mapping[str, Any]) -> Table:
    """The same summary as a rich table, for the terminal when the progress bar is shown
    (a bar followed by indented log text would read as two different reports)."""
    failed = bool(stats.get("scienmag/monitors/failed"))
    table = Table(
        title=summary_title(stats),
        title_justify="left",
        title_style="bold red" if failed else "bold",
        show_header=False,
        box=None,
        padding=(0, 1),
        pad_edge=True,  # indented under the title, like the log text
    )
    table.add_column(style="bold")
    table.add_column()
    for label, value in summary_rows(stats):
        table.add_row(label, value, style="red" if label == "monitors" and failed else None)
    return table


#: log-record attribute carrying the run's stats, so a terminal display (the progress bar)
#: can show the summary as a table instead of the text; other handlers (LOG_FILE) get the text
SUMMARY_STATS_ATTR = "scienmag_summary_stats"


class RunSummary:
    """Log :func:`render_summary` when the spider closes. Registered after spidermon so the
    monitors' outcome (``scienmag/monitors/failed``) is part of it."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        ext = cls(crawler)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        return ext

    def spider_closed(self, spider: Spider, reason: str) -> None:
        assert self.crawler.stats is not None
        stats = dict(self.crawler.stats.get_stats())
        logger.info(render_summary(stats), extra={SUMMARY_STATS_ATTR: stats})
