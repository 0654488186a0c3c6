"""Small valid records and crawl settings shared by the tests."""

from __future__ import annotations

import dataclasses
from typing import Any

from scienmag_crawler.items import Article

#: the live-site politeness, pointless against a local server or a snapshot: switched off
NO_POLITENESS = [
    "-s", "DOWNLOAD_DELAY=0",
    "-s", "AUTOTHROTTLE_ENABLED=0",
    "-s", "SCIENMAG_OBEY_CRAWL_DELAY=0",
]  # fmt: skip


def make_article(**changes: Any) -> Article:
    """A minimal schema-valid record, with ``changes`` applied."""
    base = Article(
        url="https://scienmag.com/a/",
        title="A title",
        published="2024-08-27",
        published_date="2024-08-27",
        body="Some words.",
        word_count=2,
    )
    return dataclasses.replace(base, **changes)
