"""Shared fixtures: paths to the snapshot, loaded pages, a local server for e2e crawls."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.site_server import SiteServer

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SITE = FIXTURES / "site"
EXPECTED = FIXTURES / "expected"


def article_file(slug: str) -> Path:
    """The snapshot file of the article ``slug``."""
    return SITE / "scienmag.com" / slug / "index.html"


def expected_slugs() -> list[str]:
    """Slugs of the articles that have an expected record."""
    return sorted(p.stem for p in EXPECTED.glob("*.json"))


def load_expected(slug: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXPECTED / f"{slug}.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="session")
def site_server() -> Iterator[SiteServer]:
    """The snapshot served over HTTP on 127.0.0.1 (one per test session)."""
    with SiteServer(SITE) as server:
        yield server
