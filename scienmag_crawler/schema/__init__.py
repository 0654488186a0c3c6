"""The record's JSON Schema: generated from the item classes, checked in, loaded at run time.

The generated part (types, descriptions) comes from ``ItemAdapter.get_json_schema``; the
constraints a type hint cannot say (date patterns, non-empty strings, required keys) are kept
here as data. Regenerate with ``python -m scienmag_crawler.schema`` after changing ``items.py``.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from itemadapter import ItemAdapter

from scienmag_crawler.fastschema import load_record_schema
from scienmag_crawler.items import SCHEMA_VERSION, Article

SCHEMA_FILE = "article.schema.json"

ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
ISO_DATE_OR_DATETIME = r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)?)?$"

#: Constraints added to the generated properties of ``Article``.
ARTICLE_CONSTRAINTS: dict[str, dict[str, Any]] = {
    "url": {"pattern": r"^https?://[^\s/]+/"},
    "title": {"minLength": 1},
    "body": {"minLength": 1},
    "published": {"type": ["string", "null"], "pattern": ISO_DATE_OR_DATETIME},
    "published_date": {"type": ["string", "null"], "pattern": ISO_DATE},
    "modified": {"pattern": ISO_DATE_OR_DATETIME},
    "word_count": {"minimum": 1},
    "schema_version": {"const": SCHEMA_VERSION},
    "change": {"enum": ["new", "updated", None]},
}


#: ``published`` may only be null in ``scienmag-extract --any-site`` records (pages of other
#: sites that state no date); every crawl record and every default-mode record has a date
DATE_REQUIRED_UNLESS_ANY_SITE: dict[str, Any] = {
    "$comment": "published and published_date are null only in records made by "
    "scienmag-extract --any-site (extraction.mode = any-site) from a page that states no "
    "date; otherwise they are strings",
    "if": {
        "not": {
            "required": ["extraction"],
            "properties": {
                "extraction": {
                    "required": ["mode"],
                    "properties": {"mode": {"const": "any-site"}},
                }
            },
        }
    },
    "then": {"properties": {"published": {"type": "string"}, "published_date": {"type": "string"}}},
}


def _require_all(schema: dict[str, Any]) -> None:
    """Every key of every object is always present in a record (null or empty when unknown)."""
    if schema.get("type") == "object" and "properties" in schema:
        schema["required"] = list(schema["properties"])
    for value in schema.values():
        if isinstance(value, dict):
            _require_all(value)
    for prop in schema.get("properties", {}).values():
        items = prop.get("items")
        if isinstance(items, dict):
            _require_all(items)


def build_schema() -> dict[str, Any]:
    """Build the record's JSON Schema from the item classes plus ``ARTICLE_CONSTRAINTS``."""
    generated = ItemAdapter.get_json_schema(Article)
    for name, extra in ARTICLE_CONSTRAINTS.items():
        generated["properties"][name].update(extra)
    _require_all(generated)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://scienmag-crawler.example/schema/article/{SCHEMA_VERSION}",
        "title": "Scienmag article record",
        "description": (Article.__doc__ or "").strip(),
        **generated,
        **DATE_REQUIRED_UNLESS_ANY_SITE,
    }


@cache
def load_schema() -> dict[str, Any]:
    """The checked-in schema, read through importlib.resources (works from a wheel too)."""
    return load_record_schema()


def main() -> None:
    """Write the generated schema next to this module."""
    path = files(__package__).joinpath(SCHEMA_FILE)
    text = json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"
    with open(str(path), "w", encoding="utf-8") as fh:  # noqa: PTH123
        fh.write(text)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
