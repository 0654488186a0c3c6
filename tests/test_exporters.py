"""The feed exporters write what Scrapy's own exporters write, byte for byte, and ``plain``
gives what itemadapter gives, for real records of the snapshot and the variant pages."""

from __future__ import annotations

import io
from typing import Any

import pytest
from itemadapter import ItemAdapter
from scrapy.exporters import JsonItemExporter, JsonLinesItemExporter

from scienmag_crawler.exporters import PlainJsonItemExporter, PlainJsonLinesItemExporter
from scienmag_crawler.extract import extract_article
from scienmag_crawler.items import Article, is_record, plain
from tests.conftest import FIXTURES, article_file, expected_slugs


def _records() -> list[Article]:
    pages = [article_file(slug) for slug in expected_slugs()]
    pages += sorted((FIXTURES / "variants").glob("*.html"))
    return [extract_article(p.read_bytes(), "https://scienmag.com/x/") for p in pages]


RECORDS = _records()


def _export(exporter_cls: type, items: list[Any], **options: Any) -> bytes:
    out = io.BytesIO()
    exporter = exporter_cls(out, **options)
    exporter.start_exporting()
    for item in items:
        exporter.export_item(item)
    exporter.finish_exporting()
    return out.getvalue()


@pytest.mark.parametrize(
    ("ours", "scrapys"),
    [
        (PlainJsonLinesItemExporter, JsonLinesItemExporter),
        (PlainJsonItemExporter, JsonItemExporter),
    ],
)
@pytest.mark.parametrize(
    "options",
    [{"encoding": "utf-8"}, {}, {"encoding": "utf-8", "fields_to_export": ["url", "quotes"]}],
    ids=["utf-8", "ascii", "some-fields"],
)
def test_exporters_write_what_scrapy_writes(ours: type, scrapys: type, options: dict) -> None:
    written = _export(ours, RECORDS, **options)
    assert written == _export(scrapys, RECORDS, **options)
    assert written.count(b'"quotes"') == len(RECORDS)


def test_plain_is_the_itemadapter_dict() -> None:
    assert any(r.quotes and r.contacts.people for r in RECORDS)  # nested parts are exercised
    for record in RECORDS:
        assert is_record(record)
        as_dict = plain(record)
        assert as_dict == ItemAdapter(record).asdict()
        assert list(as_dict) == list(ItemAdapter(record).field_names())


def test_other_items_are_left_to_itemadapter() -> None:
    assert not is_record({"url": "x"})
    assert plain({"a": [{"b": 1}]}) == {"a": [{"b": 1}]}


def test_crawl_settings_use_these_exporters() -> None:
    from scrapy.utils.project import get_project_settings  # noqa: PLC0415

    exporters = get_project_settings().getdict("FEED_EXPORTERS")
    assert {exporters[k] for k in ("jsonl", "jsonlines", "jl")} == {
        f"{PlainJsonLinesItemExporter.__module__}.{PlainJsonLinesItemExporter.__name__}"
    }
