"""Contact details stated in the article: emails, phones, websites, social accounts, people."""

from __future__ import annotations

from collections.abc import Sequence

from scienmag_crawler.items import Contacts


def extract_contacts(
    paragraphs: Sequence[str], links: Sequence[tuple[str, str]] = (), language: str | None = None
) -> Contacts:
    """Contact points in ``paragraphs`` and the body's ``links`` (href, text)."""
    return Contacts()
