"""Direct quotations and their speakers, from the body paragraphs."""

from __future__ import annotations

from collections.abc import Sequence

from scienmag_crawler.items import Quote


def extract_quotes(paragraphs: Sequence[str]) -> list[Quote]:
    """Every direct quotation of a person in ``paragraphs``, in order."""
    return []
