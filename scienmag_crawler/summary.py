"""``RunSummary``: a short end-of-run summary a person can read, logged at INFO.

Scrapy's stats dump at the end of a run is complete but long and unsorted by meaning; an
operator looking at a scheduled harvest wants: what came out, what was dropped and why, what
failed, how long it took and how fast it went.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from scrapy import signals

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


def _by_suffix(stats: dict[str, Any], prefix: str) -> dict[str, int]:
    return {
        k[len(prefix) :]: v
        for k, v in sorted(stats.items())
        if k.startswith(prefix) and isinstance(v, int | float) and v
    }


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{k} {v}" for k, v in counts.items()) or "none"


def render_summary(stats: dict[str, Any]) -> str:
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
    items = stats.get("item_scraped_count", 0)
    # outside harvest mode there is no new/updated: "-" rather than a misleading 0
    harvest = any(k.startswith("scienmag/harvest/") for k in stats)
    new = stats.get("scienmag/harvest/new", 0) if harvest else "-"
    updated = stats.get("scienmag/harvest/updated", 0) if harvest else "-"
    skipped = _by_suffix(stats, "scienmag/harvest/skipped_")
    dropped = _by_suffix(stats, "scienmag/dropped/")
    if stats.get("scienmag/validation/invalid"):
        dropped["invalid"] = stats["scienmag/validation/invalid"]
    if stats.get("scienmag/duplicates/dropped"):
        dropped["duplicate"] = stats["scienmag/duplicates/dropped"]
    errors = _by_suffix(stats, "scienmag/errors/")
    pages = stats.get("response_received_count", 0)
    elapsed = float(stats.get("elapsed_time_seconds") or 0.0)
    per_min = items / elapsed * 60 if elapsed else 0.0
    per_s = pages / elapsed if elapsed else 0.0
    lines = [
        f"Run summary: {items} items written",
        f"  items: new {new}, updated {updated}, skipped {_counts(skipped)}",
        f"  dropped: {_counts(dropped)}",
        f"  pages fetched: {pages} ({stats.get('scienmag/listing/pages', 0)} listing pages)",
        f"  errors: {_counts(errors)}",
        f"  elapsed {elapsed:.1f} s, {per_min:.1f} items/min, {per_s:.2f} pages/s",
    ]
    if "scienmag/monitors/failed" in stats:
        failed = stats["scienmag/monitors/failed"]
        lines.append(f"  monitors: {'FAILED ' + str(failed) if failed else 'passed'}")
    return "\n".join(lines)


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
        logger.info(render_summary(self.crawler.stats.get_stats()))
