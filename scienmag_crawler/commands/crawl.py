"""``scrapy crawl`` that exits non-zero when the run's monitors failed.

Scrapy's own ``crawl`` exits 0 whenever the spider ran, so cron or scrapyd cannot tell a
healthy harvest from one whose records came out empty after a layout change. Exit codes:
0 = the run passed its monitors, 1 = the crawl could not start (Scrapy's own), 2 = the
monitors failed (``scienmag/monitors/failed`` > 0 in any crawler's stats).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from scienmag_crawler.monitors import FAILED_STAT

if TYPE_CHECKING:
    import argparse

    from scrapy import Spider
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

#: exit status of a run whose monitors failed
MONITORS_FAILED_EXIT = 2


class Command(ScrapyCrawlCommand):
    """Scrapy's ``crawl``, plus exit status 2 when monitors failed."""

    def __init__(self) -> None:
        super().__init__()
        #: the process forgets its crawlers once they finish; keep them to read their stats
        self.started: list[Crawler] = []

    def _create_crawler(self, spidercls: type[Spider] | str) -> Crawler:
        crawler = super()._create_crawler(spidercls)
        self.started.append(crawler)
        return crawler

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        super().run(args, opts)
        if self.exitcode:
            return
        failed = sum((c.stats.get_value(FAILED_STAT) or 0) for c in self.started if c.stats)
        if failed:
            logger.error("Exit status %d: %d monitors failed", MONITORS_FAILED_EXIT, failed)
            self.exitcode = MONITORS_FAILED_EXIT
