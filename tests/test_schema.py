"""The checked-in JSON Schema matches the item classes, and records validate against it."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import pytest
from jsonschema import Draft202012Validator

from scienmag_crawler.extract import extract_article
from scienmag_crawler.items import SCHEMA_VERSION, Article
from scienmag_crawler.schema import build_schema, load_schema
from tests.conftest import article_file, expected_slugs
from tests.support.records import make_article


def test_checked_in_schema_matches_item_classes() -> None:
    assert load_schema() == build_schema(), "run: python -m scienmag_crawler.schema"


def test_schema_is_valid_and_documents_every_field() -> None:
    schema = load_schema()
    Draft202012Validator.check_schema(schema)
    fields = {f.name for f in dataclasses.fields(Article)}
    assert set(schema["properties"]) == fields
    assert set(schema["required"]) == fields
    undocumented = [n for n, p in schema["properties"].items() if not p.get("description")]
    assert not undocumented
    assert schema["properties"]["schema_version"]["const"] == SCHEMA_VERSION


def test_spec_core_fields_are_present() -> None:
    core = {
        "url",
        "title",
        "published",
        "published_date",
        "modified",
        "authors",
        "categories",
        "tags",
        "body",
        "quotes",
        "contacts",
        "organisations",
    }
    assert core <= set(load_schema()["properties"])


@pytest.mark.parametrize("slug", expected_slugs())
def test_snapshot_records_validate(slug: str) -> None:
    html = article_file(slug).read_text(encoding="utf-8")
    record = dataclasses.asdict(extract_article(html, url=f"https://scienmag.com/{slug}/"))
    errors = [e.message for e in Draft202012Validator(load_schema()).iter_errors(record)]
    assert not errors


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("published", "27 August 2024"),
        ("published_date", "2024-08-27T00:00"),
        ("title", ""),
        ("body", ""),
        ("authors", "Ada"),
        ("url", "not a url"),
    ],
)
def test_schema_rejects_bad_values(field: str, value: object) -> None:
    record = dataclasses.asdict(make_article())
    assert Draft202012Validator(load_schema()).is_valid(record)
    record[field] = value
    assert not Draft202012Validator(load_schema()).is_valid(record)


def test_extraction_code_never_imports_scrapy() -> None:
    import ast  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    package = Path(__file__).resolve().parent.parent / "scienmag_crawler"
    for path in [*package.joinpath("extract").glob("*.py"), package / "items.py"]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else ([node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            )
            assert not any(n.split(".")[0] == "scrapy" for n in names), path


def test_extraction_runs_without_scrapy_installed() -> None:
    # sys.modules["scrapy"] = None makes every "import scrapy" fail, as if it were not installed
    code = (
        "import sys; sys.modules['scrapy'] = None\n"
        "from scienmag_crawler.extract import extract_article\n"
        'a = extract_article(\'<html><head><meta property="article:published_time" '
        'content="2024-01-02T00:00:00+00:00"></head><body class="single-post">'
        '<h1 class="jeg_post_title">T</h1><div class="entry-content"><p>Words.</p></div>'
        "</body></html>', 'https://scienmag.com/t/')\n"
        "print(a.title, a.published_date)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["T", "2024-01-02"]
