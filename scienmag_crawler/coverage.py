"""``FieldCoveragePipeline``: count, per record field, how many items have it filled.

A layout change rarely breaks a crawl outright: it empties fields. Counting how often each
field is non-empty lets the monitors (``scienmag_crawler.monitors``) turn "categories are
suddenly empty everywhere" into a failed run instead of a quietly worse dataset.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

PREFIX = "scienmag/coverage"
ITEMS_STAT = f"{PREFIX}/items"


def is_filled(value: Any) -> bool:
    """True unless the value is None or an empty string, list or dict.

    Nested records count as filled when any of their members is (``contacts`` is filled when
    any of its lists holds something); ``0`` and ``False`` are values, not gaps.

    >>> [is_filled(v) for v in (None, "", " ", [], {}, {"emails": [], "phones": []}, 0)]
    [False, False, False, False, False, False, True]
    >>> is_filled({"emails": [], "phones": ["+44"]})
    True
    """
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, dict):
        return any(is_filled(v) for v in value.values())
    if isinstance(value, list | tuple | set):
        return bool(value)
    if ItemAdapter.is_item(value):
        return any(is_filled(v) for v in ItemAdapter(value).values())
    return True


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
