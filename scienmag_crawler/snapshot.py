"""Offline replay: serve ``https://scienmag.com/...`` requests from a snapshot folder.

The snapshot is laid out by URL (``<SNAPSHOT_DIR>/<host>/<path>``, folders holding
``index.html`` or ``index.xml``). Responses keep the real URL, so output never shows where a
page was read from. Paths are resolved strictly inside the snapshot: ``..``, encoded
traversal and symlinks leading outside are refused.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Headers
from scrapy.responsetypes import responsetypes

from scienmag_crawler.download_handlers import route_web_schemes
from scienmag_crawler.extract.batch import default_jobs

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import BaseSettings

INDEX_FILES = ("index.html", "index.xml")
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}


class SnapshotPathError(IgnoreRequest):
    """The URL maps outside the snapshot folder."""


def resolve_snapshot_path(root: Path, url: str) -> Path | None:
    """The file serving ``url`` inside ``root``; ``None`` when the snapshot lacks it.

    Raises :class:`SnapshotPathError` when the URL would escape ``root``.

    >>> import tempfile; root = Path(tempfile.mkdtemp())
    >>> resolve_snapshot_path(root, "https://scienmag.com/%2e%2e/%2e%2e/etc/passwd")
    Traceback (most recent call last):
    ...
    scienmag_crawler.snapshot.SnapshotPathError: path escapes the snapshot: https://scienmag.com/%2e%2e/%2e%2e/etc/passwd
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    segments = [unquote(s) for s in parts.path.split("/")]
    if (
        not host
        or host.startswith(".")
        or any(s in {".", ".."} or "\\" in s or "\x00" in s or "/" in s for s in segments)
    ):
        raise SnapshotPathError(f"path escapes the snapshot: {url}")
    root = root.resolve()
    target = root.joinpath(host, *[s for s in segments if s])
    candidates = (
        [target / name for name in INDEX_FILES]
        if parts.path.endswith("/") or not parts.path
        else [target, *(target / name for name in INDEX_FILES)]
    )
    for candidate in candidates:
        real = candidate.resolve()
        if not real.is_relative_to(root):
            raise SnapshotPathError(f"path escapes the snapshot: {url}")
        if real.is_file():
            return real
    return None


def content_type(path: Path) -> str:
    """Content-Type header for a snapshot file, by its extension."""
    if path.name == "index.xml" and path.parent.name == "feed":
        return "application/rss+xml; charset=utf-8"
    return (
        CONTENT_TYPES.get(path.suffix)
        or mimetypes.guess_type(path.name)[0]
        or "application/octet-stream"
    )


class SnapshotDownloadHandler(BaseDownloadHandler):
    """Download handler for http/https that reads from ``SNAPSHOT_DIR`` instead of the network.

    A missing file is a 404 response, like a web server would send; a path escaping the
    snapshot is refused with :class:`SnapshotPathError`.
    """

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        directory = crawler.settings.get("SNAPSHOT_DIR")
        if not directory:
            raise NotConfigured("SNAPSHOT_DIR is not set")
        self.root = Path(directory).resolve()
        if not self.root.is_dir():
            raise NotConfigured(f"SNAPSHOT_DIR {directory!r} is not a folder")

    def _read(self, request: Request) -> tuple[int, dict[str, Any], bytes]:
        path = resolve_snapshot_path(self.root, request.url)
        if path is None:
            return 404, {"Content-Type": "text/plain"}, b"not in snapshot"
        return 200, {"Content-Type": content_type(path)}, path.read_bytes()

    async def download_request(self, request: Request) -> Response:
        # A local file read takes microseconds: cheaper inline than a thread hand-off.
        status, headers, body = self._read(request)
        header_obj = Headers(headers)
        respcls = responsetypes.from_args(headers=header_obj, url=request.url, body=body)
        return respcls(
            url=request.url,
            status=status,
            headers=header_obj,
            body=body,
            flags=["snapshot"],
            request=request,
        )


#: most extraction workers an offline crawl starts by itself: Scrapy's one process keeps
#: about this many pages in flight (CONCURRENT_REQUESTS), so more would wait, holding memory
MAX_EXTRACTION_PROCESSES = 8


def extraction_processes() -> int:
    """Extraction workers for an offline crawl: one per CPU up to 8, or none on one CPU.

    Not one per *spare* CPU: Scrapy's own process waits on its workers part of the time, and
    measured on 2 CPUs, 2 workers crawl faster than 1 (README "Performance").
    """
    cpus = default_jobs()
    return min(cpus, MAX_EXTRACTION_PROCESSES) if cpus > 1 else 0


class SnapshotReplayAddon:
    """Switches the crawl to offline replay when ``SNAPSHOT_DIR`` is set.

    Reading files needs none of the live site's politeness (delays, AutoThrottle, robots
    crawl-delay, 2 requests per domain): they are relaxed at "spider" priority, above the
    project settings, so that only a ``-s`` on the command line overrides them. Without
    waits the crawl is CPU-bound: article pages are extracted in worker processes
    (:func:`extraction_processes`).
    """

    def update_settings(self, settings: BaseSettings) -> None:
        if not settings.get("SNAPSHOT_DIR"):
            return
        route_web_schemes(settings, f"{__name__}.SnapshotDownloadHandler")
        for name, value in {
            "AUTOTHROTTLE_ENABLED": False,
            "DOWNLOAD_DELAY": 0,
            "SCIENMAG_OBEY_CRAWL_DELAY": False,
            "CONCURRENT_REQUESTS_PER_DOMAIN": 16,
            "RETRY_ENABLED": False,
            "SCIENMAG_EXTRACTION_PROCESSES": extraction_processes(),
        }.items():
            settings.set(name, value, priority="spider")
