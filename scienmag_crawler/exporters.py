"""Feed exporters: Scrapy's JSON and JSON Lines exporters, fed plain values.

Scrapy's exporters hand each nested dataclass of a record (quotes, contacts, organisations)
to the JSON encoder's fallback, which walks it with itemadapter: a record took about as long
to write as to validate. Here each field's value is turned into dicts and lists first
(:func:`scienmag_crawler.items.plain`), so the encoder never needs the fallback. The text
written is the same, byte for byte; field serializers and the export options still apply.
"""

from __future__ import annotations

from typing import Any

from scrapy.exporters import JsonItemExporter, JsonLinesItemExporter

from scienmag_crawler.items import plain


class _PlainFields:
    def serialize_field(self, field: Any, name: str, value: Any) -> Any:
        return plain(super().serialize_field(field, name, value))  # type: ignore[misc]


class PlainJsonLinesItemExporter(_PlainFields, JsonLinesItemExporter):
    """JSON Lines (``-O out.jsonl``), one record a line."""


class PlainJsonItemExporter(_PlainFields, JsonItemExporter):
    """A JSON array (``-O out.json``)."""
