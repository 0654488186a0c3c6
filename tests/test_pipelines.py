"""Pipelines honour the schema, count what they drop, and drop duplicates."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from itemadapter import ItemAdapter
from jsonschema import Draft202012Validator
from scrapy.exceptions import DropItem
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from scienmag_crawler.fastschema import compile_schema
from scienmag_crawler.items import Quote
from scienmag_crawler.pipelines import DropDuplicateArticlesPipeline, ValidateArticlePipeline
from scienmag_crawler.schema import load_schema
from tests.support.records import make_article

article = make_article


def test_valid_record_passes_and_is_counted() -> None:
    crawler = get_crawler()
    pipeline = build_from_crawler(ValidateArticlePipeline, crawler)
    item = article()
    assert pipeline.process_item(item) is item
    assert crawler.stats.get_value("scienmag/validation/valid") == 1


def test_invalid_record_is_dropped_with_url_and_field() -> None:
    crawler = get_crawler()
    pipeline = build_from_crawler(ValidateArticlePipeline, crawler)
    with pytest.raises(DropItem, match=r"https://scienmag.com/a/.*published_date"):
        pipeline.process_item(article(published_date="27/08/2024", body=""))
    assert crawler.stats.get_value("scienmag/validation/invalid") == 1
    assert crawler.stats.get_value("scienmag/validation/errors/published_date") == 1
    assert crawler.stats.get_value("scienmag/validation/errors/body") == 1
    # the same outcome under spidermon's names, for its validation monitors and reports
    assert crawler.stats.get_value("spidermon/validation/items/errors") == 1
    assert crawler.stats.get_value("spidermon/validation/items/dropped") == 1
    assert crawler.stats.get_value("spidermon/validation/fields/errors/pattern/published_date")


def test_duplicates_by_canonical_url_are_dropped() -> None:
    crawler = get_crawler()
    pipeline = build_from_crawler(DropDuplicateArticlesPipeline, crawler)
    pipeline.process_item(article())
    pipeline.process_item(article(url="https://scienmag.com/b/"))
    with pytest.raises(DropItem, match="duplicate"):
        pipeline.process_item(article(title="Same post, other path"))
    assert crawler.stats.get_value("scienmag/duplicates/dropped") == 1


def _mutations(record: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The record with one value changed at a time: wrong types, empty, missing, extra."""
    odd_values: list[Any] = [None, "", "x", 0, 1, 1.0, 1.5, -3, True, [], {}, ["x"], [1], {"a": 1}]
    for key, value in record.items():
        for odd in odd_values:
            yield {**record, key: odd}
        yield {k: v for k, v in record.items() if k != key}
        if isinstance(value, list) and value and isinstance(value[0], dict):
            for inner in value[0]:
                for odd in odd_values:
                    yield {**record, key: [{**value[0], inner: odd}, *value[1:]]}
        if isinstance(value, dict):
            for inner in value:
                for odd in odd_values:
                    yield {**record, key: {**value, inner: odd}}
                yield {**record, key: {k: v for k, v in value.items() if k != inner}}
            yield {**record, key: {**value, "extra": 1}}
    yield {**record, "extra": 1}
    yield {**record, "extraction": {**record.get("extraction", {}), "mode": "any-site"}}


def test_compiled_schema_gives_jsonschema_verdicts() -> None:
    schema = load_schema()
    is_valid = compile_schema(schema)
    assert is_valid is not None, "the record schema uses a keyword fastschema lacks"
    validator = Draft202012Validator(schema)
    quote = Quote(text="We did it, and it works.", speaker="Jane Doe", paragraph=0)
    base = ItemAdapter(article(quotes=[quote])).asdict()
    checked = 0
    for record in [base, *_mutations(base)]:
        assert is_valid(record) == validator.is_valid(record), record
        checked += 1
    assert checked > 400


def test_compile_schema_declines_unknown_keywords() -> None:
    assert compile_schema({"type": "string", "format": "date"}) is None
    assert compile_schema({"properties": {"a": {"uniqueItems": True}}}) is None
    assert compile_schema({"enum": [1, 2]}) is None
    check = compile_schema({"type": "integer", "minimum": 1})
    assert check is not None
    assert [check(v) for v in (1, 1.0, 0, True, "1")] == [True, True, False, False, False]
