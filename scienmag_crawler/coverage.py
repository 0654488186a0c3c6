"""``FieldCoveragePipeline``: count, per record field, how many items have it filled.

A layout change rarely breaks a crawl outright: it empties fields. Counting how often each
field is non-empty lets the monitors (``scienmag_crawler.monitors``) turn "categories are
suddenly empty everywhere" into a failed run instead of a quietly worse dataset.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter

from scienmag_crawler.filled import is_filled

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

PREFIX = "scienmag/coverage"
ITEMS_STAT = f"{PREFIX}/items"


def coverage_stat(field: str) -> str:
    """Stat name holding how many items had ``field`` filled."""
    return f"{PREFIX}/{field}"


class FieldCoveragePipeline:
    """Count ``scienmag/coverage/items`` and ``scienmag/coverage/<field>`` (items with the
    field non-empty). Place it after validation and de-duplication so that it measures the
    records that are delivered (or, in harvest mode, would be if they had changed)."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        self.stats.inc_value(ITEMS_STAT)
        for field, value in ItemAdapter(item).items():
            # zero counters too, so a field that is never filled still shows up as 0
            self.stats.inc_value(coverage_stat(field), count=int(is_filled(value)))
        return item
