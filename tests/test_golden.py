"""Golden tests: every snapshot article with an expected file, one test per (page, field)."""

from __future__ import annotations

import dataclasses
from functools import cache
from typing import Any

import pytest

from scienmag_crawler.extract import extract_article
from tests.conftest import article_file, expected_slugs, load_expected
from tests.support.expectations import (
    body_forbidden_problems,
    body_order_problems,
    exact_problem,
)


@cache
def record(slug: str) -> dict[str, Any]:
    html = article_file(slug).read_text(encoding="utf-8")
    return dataclasses.asdict(extract_article(html, url=f"https://scienmag.com/{slug}/"))


def _cases() -> list[Any]:
    cases = []
    for slug in expected_slugs():
        expected = load_expected(slug)
        for field in expected.get("exact", {}):
            cases.append(pytest.param(slug, field, id=f"{slug[:40]}-{field}"))
        cases.append(pytest.param(slug, "body", id=f"{slug[:40]}-body"))
    return cases


@pytest.mark.parametrize(("slug", "field"), _cases())
def test_golden_field(slug: str, field: str) -> None:
    expected = load_expected(slug)
    actual = record(slug)
    if field == "body":
        problems = body_order_problems(
            actual["body"], expected["body"].get("contains_in_order", [])
        )
        problems += body_forbidden_problems(
            actual["body"], expected["body"].get("must_not_contain", [])
        )
        assert not problems, "\n".join(problems)
    else:
        problem = exact_problem(actual, field, expected["exact"][field])
        assert problem is None, problem
