"""Downloader middlewares (Scrapy glue only)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from protego import Protego
from scrapy.exceptions import NotConfigured
from scrapy.utils.httpobj import urlparse_cached

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Request
    from scrapy.crawler import Crawler
    from scrapy.http import Response

logger = logging.getLogger(__name__)


class RobotsCrawlDelayMiddleware:
    """Honour robots.txt ``Crawl-delay``, which Scrapy's RobotsTxtMiddleware ignores.

    Reads the directive from each host's robots.txt response and keeps that host's download
    slot delay at or above it, even after AutoThrottle lowers it. Enabled by
    ``SCIENMAG_OBEY_CRAWL_DELAY`` (on for the live site, off for snapshot replay); capped by
    ``SCIENMAG_MAX_CRAWL_DELAY`` so a hostile value cannot stall a run.
    """

    def __init__(self, crawler: Crawler, user_agent: str, max_delay: float) -> None:
        self.crawler = crawler
        self.user_agent = user_agent
        self.max_delay = max_delay
        self.delays: dict[str, float] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        settings = crawler.settings
        if not (
            settings.getbool("ROBOTSTXT_OBEY")
            and settings.getbool("SCIENMAG_OBEY_CRAWL_DELAY", True)
        ):
            raise NotConfigured
        agent = settings.get("ROBOTSTXT_USER_AGENT") or settings.get("USER_AGENT")
        return cls(crawler, agent, settings.getfloat("SCIENMAG_MAX_CRAWL_DELAY", 30.0))

    def _floor(self, request: Request) -> None:
        host = urlparse_cached(request).hostname or ""
        delay = self.delays.get(host)
        engine = self.crawler.engine
        if delay is None or engine is None:
            return
        key = request.meta.get("download_slot") or host
        slot = engine.downloader.slots.get(key)
        if slot is not None and slot.delay < delay:
            slot.delay = delay

    def process_request(self, request: Request) -> None:
        self._floor(request)

    def process_response(self, request: Request, response: Response) -> Response:
        if urlparse_cached(request).path == "/robots.txt" and response.status == 200:
            host = urlparse_cached(request).hostname or ""
            delay = Protego.parse(
                response.text
                if hasattr(response, "text")
                else response.body.decode("utf-8", "replace")
            ).crawl_delay(self.user_agent)
            if delay:
                self.delays[host] = min(float(delay), self.max_delay)
                logger.info(
                    "robots.txt of %s asks for Crawl-delay %ss: using %ss",
                    host,
                    delay,
                    self.delays[host],
                )
                self.crawler.stats.set_value(
                    f"scienmag/robots/crawl_delay/{host}", self.delays[host]
                )
        self._floor(request)
        return response
