"""Crawl the public URLs from a mirror: same site, other origin (a local test server, a cache).

With ``SCIENMAG_MIRROR_URL = "http://127.0.0.1:8080"`` every request to a host listed in
``SCIENMAG_MIRROR_HOSTS`` is fetched from the mirror instead, at the download-handler level:
middlewares (robots.txt, redirects, retries, offsite, dedup) and callbacks only ever see the
public ``https://scienmag.com/...`` URL, and so does the output.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from scrapy.core.downloader.handlers.base import BaseDownloadHandler
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.exceptions import NotConfigured
from scrapy.utils.misc import build_from_crawler

from scienmag_crawler.download_handlers import route_web_schemes

if TYPE_CHECKING:
    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response
    from scrapy.settings import BaseSettings


def mirrored_url(url: str, mirror: str) -> str:
    """``url`` with scheme and host taken from ``mirror``.

    >>> mirrored_url("https://scienmag.com/a/?p=1", "http://127.0.0.1:8080")
    'http://127.0.0.1:8080/a/?p=1'
    """
    parts, base = urlsplit(url), urlsplit(mirror)
    return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))


class MirrorDownloadHandler(BaseDownloadHandler):
    """Fetch mirrored hosts from ``SCIENMAG_MIRROR_URL``; anything else as usual."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.mirror = crawler.settings.get("SCIENMAG_MIRROR_URL")
        if not self.mirror:
            raise NotConfigured("SCIENMAG_MIRROR_URL is not set")
        self.hosts = {h.lower() for h in crawler.settings.getlist("SCIENMAG_MIRROR_HOSTS")}
        self.http = build_from_crawler(HTTP11DownloadHandler, crawler)

    async def download_request(self, request: Request) -> Response:
        if (urlsplit(request.url).hostname or "").lower() not in self.hosts:
            return await self.http.download_request(request)
        local = request.replace(url=mirrored_url(request.url, self.mirror))
        response = await self.http.download_request(local)
        return response.replace(url=request.url, request=request)

    async def close(self) -> None:
        await self.http.close()


class MirrorAddon:
    """Installs :class:`MirrorDownloadHandler` when ``SCIENMAG_MIRROR_URL`` is set."""

    def update_settings(self, settings: BaseSettings) -> None:
        if not settings.get("SCIENMAG_MIRROR_URL") or settings.get("SNAPSHOT_DIR"):
            return
        route_web_schemes(settings, f"{__name__}.MirrorDownloadHandler")
