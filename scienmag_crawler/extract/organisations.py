"""Organisation facts from "About X" / "Note to Editors" passages."""

from __future__ import annotations

from collections.abc import Sequence

from scienmag_crawler.items import Organisation


def extract_organisations(paragraphs: Sequence[str]) -> list[Organisation]:
    """One record per organisation described at the end of a press release."""
    return []
