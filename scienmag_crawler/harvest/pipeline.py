"""``HarvestPipeline``: deliver each article once, and again only when it changes."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import DropItem, NotConfigured

from scienmag_crawler.harvest.output import JsonLinesAppender
from scienmag_crawler.harvest.state import HarvestState, fingerprint

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


class HarvestPipeline:
    """Active when ``HARVEST_STATE_DIR`` is set. Unchanged articles are dropped (INFO, counted
    as ``scienmag/harvest/skipped_unchanged``); new and changed ones get ``change`` set to
    ``new``/``updated``, are appended to this run's own file ``runs/<run id>.jsonl`` and only
    then marked delivered. Runs that died are reconciled first (see ``harvest.state``)."""

    def __init__(self, crawler: Crawler, state_dir: str) -> None:
        self.crawler = crawler
        self.stats = crawler.stats
        self.state = HarvestState(state_dir)
        recovered = self.state.reconcile()
        if recovered:
            logger.info("Harvest: %d records of an interrupted run marked delivered", recovered)
            self.stats.set_value("scienmag/harvest/recovered", recovered)
        self.run_id, self.output_path = self.state.start_run()
        self.output = JsonLinesAppender(
            self.output_path, durable=crawler.settings.getbool("HARVEST_FSYNC", True)
        )
        self.stats.set_value("scienmag/harvest/output", str(self.output_path))
        logger.info("Harvest run %s writes %s", self.run_id, self.output_path)
        crawler.signals.connect(self.spider_closed, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        state_dir = crawler.settings.get("HARVEST_STATE_DIR")
        if not state_dir:
            raise NotConfigured("HARVEST_STATE_DIR is not set")
        return cls(crawler, state_dir)

    def process_item(self, item: Any) -> Any:
        adapter = ItemAdapter(item)
        record = adapter.asdict()
        known = self.state.get(record["url"])
        if known is not None and known.fingerprint == fingerprint(record):
            self.stats.inc_value("scienmag/harvest/skipped_unchanged")
            raise DropItem(f"unchanged since last delivery: {record['url']}", log_level="INFO")
        change = "new" if known is None else "updated"
        adapter["change"] = change
        record["change"] = change
        self.output.write(record)
        self.state.mark_delivered(record, self.run_id)
        self.stats.inc_value(f"scienmag/harvest/{change}")
        return item

    def spider_closed(self, reason: str) -> None:
        self.output.close()
        self.state.finish_run(self.run_id, reason)
        self.state.close()
