"""Helpers the crawl benchmark loads into ``scrapy crawl`` (``benchmarks/`` on PYTHONPATH).

- ``articles-noop``: the ``articles`` spider with a no-op article callback (same routing,
  listings and pagination; article pages are downloaded and dropped unread), selected with
  ``-s SPIDER_MODULES=noop_spider``.
- ``JsonFileStatsCollector``: Scrapy's stats collector that also writes the final stats to
  ``BENCH_STATS_FILE`` as JSON (``-s STATS_CLASS=noop_spider.JsonFileStatsCollector``), so the
  figures survive ``-s LOG_LEVEL=WARNING``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from scrapy.http import Response
from scrapy.statscollectors import MemoryStatsCollector

from scienmag_crawler.extract import ArticlePage
from scienmag_crawler.items import Article
from scienmag_crawler.spiders.articles import ArticlesSpider


class NoopArticlesSpider(ArticlesSpider):
    """``articles`` with article pages dropped unread: the cost of everything but extraction."""

    name = "articles-noop"
    #: nothing to extract: no worker processes either
    extraction_pool = None

    def parse_article(
        self, response: Response, page: ArticlePage | None = None
    ) -> Iterator[Article]:
        self.crawler.stats.inc_value("bench/noop/articles")
        yield from ()


class JsonFileStatsCollector(MemoryStatsCollector):
    """Writes the closing stats to the ``BENCH_STATS_FILE`` setting as JSON."""

    def _persist_stats(self, stats: dict[str, Any]) -> None:
        super()._persist_stats(stats)
        target = self._crawler.settings.get("BENCH_STATS_FILE")
        if target:
            Path(target).write_text(json.dumps(stats, default=str, indent=1), encoding="utf-8")
