"""Theme variants: every page of ``fixtures/variants/`` against its expected record.

The pages are JNews as other sites and other years print it (single-post templates 2-10,
builder-made and AMP pages, minified and lazy-loading output, furniture inside the content,
Spanish, German and Arabic pages). One test per (page, field), so a failure names both.
"""

from __future__ import annotations

import dataclasses
import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from parsel import Selector

from scienmag_crawler.extract import extract_article
from scienmag_crawler.extract import selectors as css
from scienmag_crawler.extract.body import (
    dropped_nodes,
    extract_paragraphs,
    find_content,
    is_jnews_amp_page,
)
from scienmag_crawler.extract.loaders import clean_paragraphs
from scienmag_crawler.extract.metadata import first_css
from scienmag_crawler.schema import load_schema
from tests.support.expectations import body_forbidden_problems, exact_problem

VARIANTS = Path(__file__).resolve().parent.parent / "fixtures" / "variants"
NAMES = sorted(p.stem for p in VARIANTS.glob("*.json"))
AMP = "amp-reader-template"


@cache
def expected(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((VARIANTS / f"{name}.json").read_text(encoding="utf-8"))
    return data


@cache
def record(name: str) -> dict[str, Any]:
    html = (VARIANTS / f"{name}.html").read_text(encoding="utf-8")
    return dataclasses.asdict(extract_article(html, url=expected(name)["url"]))


def _exact_cases() -> list[Any]:
    return [
        pytest.param(name, field, id=f"{name}-{field}")
        for name in NAMES
        for field in expected(name)["exact"]
    ]


def test_every_variant_page_has_an_expected_record() -> None:
    pages = sorted(p.stem for p in VARIANTS.glob("*.html"))
    assert pages == NAMES
    assert len(NAMES) >= 20


@pytest.mark.parametrize("name", NAMES)
def test_variant_record_validates(name: str) -> None:
    errors = [e.message for e in Draft202012Validator(load_schema()).iter_errors(record(name))]
    assert not errors


@pytest.mark.parametrize(("name", "field"), _exact_cases())
def test_variant_field(name: str, field: str) -> None:
    problem = exact_problem(record(name), field, expected(name)["exact"][field])
    assert problem is None, problem


@pytest.mark.parametrize("name", NAMES)
def test_variant_body_is_exactly_the_post_text(name: str) -> None:
    paragraphs = expected(name)["body"]["paragraphs"]
    body = record(name)["body"]
    assert body.startswith(paragraphs[0])
    assert body.endswith(paragraphs[-1])
    assert body.split("\n\n") == paragraphs


@pytest.mark.parametrize("name", NAMES)
def test_variant_body_has_no_furniture(name: str) -> None:
    forbidden = expected(name)["body"]["must_not_contain"]
    assert forbidden, "every variant page lists the furniture that must stay out"
    problems = body_forbidden_problems(record(name)["body"], forbidden)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", NAMES)
def test_variant_is_read_by_the_jnews_layer(name: str) -> None:
    extraction = record(name)["extraction"]
    for key, value in expected(name)["extraction"].items():
        assert extraction.get(key) == value, f"extraction[{key!r}]"


@pytest.mark.parametrize(
    "name",
    [n for n in NAMES if expected(n)["extraction"]["published"] == "visible"],
)
def test_visible_only_dates_are_never_a_neighbours_date(name: str) -> None:
    # the page's related posts, popular posts and top bar all show other dates
    published = record(name)["published"]
    assert published == expected(name)["exact"]["published"]
    assert len(published) == 10


def test_right_to_left_text_is_kept_intact() -> None:
    rec = record("lang-ar-rtl-visible-date-only")
    first = rec["body"].split("\n\n")[0]
    assert first.endswith("كريسبر (CRISPR)\u200f.")
    assert "«" in rec["body"] and "؟" in rec["body"]
    assert rec["title"] == "باحثون يطوّرون أصنافاً من نخيل التمر تتحمّل ملوحة التربة"
    assert rec["authors"] == ["سارة الحربي"]


@pytest.mark.parametrize(
    "name",
    ["lang-es-visible-date-only", "lang-de-visible-date-only", "lang-ar-rtl-visible-date-only"],
)
def test_reading_time_is_read_in_any_language(name: str) -> None:
    assert record(name)["reading_time_minutes"] == 3


def test_lazy_images_leave_no_placeholder_or_markup() -> None:
    rec = record("lazy-load-plugin-output")
    body = rec["body"]
    for junk in ("data:image", "svg", "jeg-empty", "youtube.com", "dataLayer", "<", "views"):
        assert junk not in body
    assert body.count("Two of the five drones during a survey flight") == 1
    # no og:image: the featured image's lazy-loaded URL, not its placeholder
    assert (
        rec["image"] == "https://scienmag.com/wp-content/uploads/2025/05/drone-swarm-pipeline.jpg"
    )


def test_amp_content_node_gives_the_post_text() -> None:
    # the JNews parts alone on the AMP page: main post, content node, furniture, paragraphs
    sel = Selector(text=(VARIANTS / f"{AMP}.html").read_text(encoding="utf-8"))
    assert is_jnews_amp_page(sel)
    main = first_css(sel, css.MAIN_POST_CSS)
    assert main is not None and main.root.tag == "article"
    content = find_content(main)
    assert content is not None
    paragraphs = list(clean_paragraphs(extract_paragraphs(content, dropped_nodes(content))))
    assert paragraphs == expected(AMP)["body"]["paragraphs"]


def test_only_jnews_amp_pages_are_recognised_as_such() -> None:
    for name in NAMES:
        sel = Selector(text=(VARIANTS / f"{name}.html").read_text(encoding="utf-8"))
        assert is_jnews_amp_page(sel) == (name == AMP), name
