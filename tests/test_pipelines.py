"""Pipelines honour the schema, count what they drop, and drop duplicates."""

from __future__ import annotations

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from scienmag_crawler.pipelines import DropDuplicateArticlesPipeline, ValidateArticlePipeline
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
