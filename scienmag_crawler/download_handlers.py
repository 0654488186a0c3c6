"""Shared by the add-ons that swap how http/https URLs are fetched (snapshot, mirror)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from scrapy.settings import BaseSettings


def route_web_schemes(settings: BaseSettings, handler: str) -> None:
    """Make ``handler`` (an import path) download every http and https request."""
    handlers = settings.getdict("DOWNLOAD_HANDLERS")
    handlers.update({"http": handler, "https": handler})
    settings.set("DOWNLOAD_HANDLERS", handlers, priority="addon")
