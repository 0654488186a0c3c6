"""Item pipelines: validate every record against the JSON Schema, drop duplicates.

Thin Scrapy glue: the rules live in the schema and in the extraction code. Every drop is
logged with the URL and the reason and counted under ``scienmag/...`` stats.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter
from jsonschema import Draft202012Validator
from scrapy.exceptions import DropItem
from spidermon.contrib.scrapy.stats import ValidationStatsManager

from scienmag_crawler.fastschema import compile_schema
from scienmag_crawler.items import is_record, plain
from scienmag_crawler.schema import load_schema

if TYPE_CHECKING:
    from typing import Self

    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)


def _path(error: Any) -> str:
    return "/".join(str(p) for p in error.absolute_path) or "(record)"


class ValidateArticlePipeline:
    """Drop records that do not match the checked-in JSON Schema.

    Stats: ``scienmag/validation/valid``, ``scienmag/validation/invalid`` and one
    ``scienmag/validation/errors/<field>`` counter per failing field. The same outcome is
    also counted under spidermon's names (``spidermon/validation/items``,
    ``.../items/errors``, ``.../items/dropped``, ``.../fields/errors/<keyword>/<field>``) so
    spidermon's own validation monitors and reports read it. Spidermon's
    ``ItemValidationPipeline`` is not used because it drops without naming the URL.

    A record is first checked by the schema compiled into plain Python
    (:mod:`scienmag_crawler.fastschema`, same verdicts, a fraction of the time);
    ``jsonschema`` runs only on a record that check rejects, to name the errors.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        schema = load_schema()
        self.validator = Draft202012Validator(schema)
        self.is_valid = compile_schema(schema)
        self.spidermon_stats = ValidationStatsManager(crawler.stats)
        self.spidermon_stats.add_validator("Article", type(self).__name__)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        record = plain(item) if is_record(item) else ItemAdapter(item).asdict()
        self.spidermon_stats.add_item()
        self.spidermon_stats.add_fields(len(record))
        if self.is_valid is not None and self.is_valid(record):
            self.stats.inc_value("scienmag/validation/valid")
            return item
        errors = sorted(self.validator.iter_errors(record), key=lambda e: list(e.absolute_path))
        if not errors:
            self.stats.inc_value("scienmag/validation/valid")
            return item
        self.stats.inc_value("scienmag/validation/invalid")
        for error in errors:
            field = str(error.absolute_path[0]) if error.absolute_path else error.validator
            self.stats.inc_value(f"scienmag/validation/errors/{field}")
            self.spidermon_stats.add_field_error(_path(error), str(error.validator))
        self.spidermon_stats.add_item_with_errors()
        self.spidermon_stats.add_dropped_item()
        details = "; ".join(f"{_path(e)}: {e.message[:120]}" for e in errors[:5])
        raise DropItem(f"invalid record {record.get('url')}: {details}")


class DropDuplicateArticlesPipeline:
    """Emit each canonical URL once per run, even when several URLs lead to the same post."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.seen: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        url = ItemAdapter(item)["url"]
        if url in self.seen:
            self.stats.inc_value("scienmag/duplicates/dropped")
            raise DropItem(f"duplicate record {url}")
        self.seen.add(url)
        return item
