"""Downloader middlewares (Scrapy glue only)."""

from __future__ import annotations

import logging
import zlib
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import TYPE_CHECKING

from protego import Protego
from scrapy import Request, signals
from scrapy.downloadermiddlewares.offsite import OffsiteMiddleware
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import TextResponse
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.task import deferLater
from w3lib.url import canonicalize_url

if TYPE_CHECKING:
    from typing import Self

    from scrapy import Spider
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


class LostRedirectMiddleware(OffsiteMiddleware):
    """Scrapy's offsite filter, plus a warning for a redirect that Scrapy drops in silence.

        A redirect is a new request that goes back through the scheduler, and there Scrapy's
        offsite filter and dupefilter discard it with a DEBUG line and no errback, so the page
        asked for vanishes from the run unnoticed. This reports both, like the spider's
        ``on_error``, as a WARNING naming the URL asked for and counted by kind:

        - ``Failed <asked>: redirected off-site to <url>``:
          ``scienmag/errors/redirect_offsite`` (the target is outside ``allowed_domains``);
        - ``Failed <asked>: redirected to <url>, already fetched or queued``:
          ``scienmag/errors/redirect_duplicate`` (the target is a URL of the request's own
          redirect chain, so the dupefilter's refusal ends a loop and the page is lost).

    A redirect to a page the run fetched or queued through another link (``/a`` to ``/a/``
    when ``/a/`` is linked too) loses nothing: it is logged at INFO and counted as
    ``scienmag/redirect/to_known``, so it does not count against the warning monitors.

        ``<url>`` reads ``<target> via <hop>, ...`` when the redirect went through other URLs
        first. A redirect the run follows (http to https, a trailing slash, a moved post) is not
        reported. Replaces ``scrapy.downloadermiddlewares.offsite.OffsiteMiddleware`` in the
        settings: catching the filter's own ``IgnoreRequest`` reports what it actually dropped
        instead of guessing its policy; ``request_dropped`` is what the scheduler sends for a
        request its dupefilter refused.
    """

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        middleware = super().from_crawler(crawler)
        crawler.signals.connect(middleware.request_dropped, signal=signals.request_dropped)
        return middleware

    def request_scheduled(self, request: Request, spider: Spider) -> None:
        # only this path drops in silence: at download time the errback gets the exception
        try:
            super().request_scheduled(request, spider)
        except IgnoreRequest:
            self._report(request, "redirect_offsite", "redirected off-site to {url}")
            raise

    def request_dropped(self, request: Request, spider: Spider) -> None:
        chain = request.meta.get("redirect_urls")
        if request.dont_filter or not chain:
            return
        if canonicalize_url(request.url) in {canonicalize_url(u) for u in chain}:
            self._report(
                request, "redirect_duplicate", "redirected to {url}, already fetched or queued"
            )
        else:  # fetched through another link: nothing is lost
            logger.info(
                "Redirect of %s to %s not followed: already fetched or queued",
                chain[0],
                request.url,
            )
            self.stats.inc_value("scienmag/redirect/to_known")

    def _report(self, request: Request, kind: str, reason: str) -> None:
        chain = request.meta.get("redirect_urls")
        if not chain:
            return  # a link, not a redirect: dropping it is the filters' normal work
        target = request.url + (f" via {', '.join(chain[1:])}" if len(chain) > 1 else "")
        logger.warning("Failed %s: %s", chain[0], reason.format(url=target))
        self.stats.inc_value(f"scienmag/errors/{kind}")


class RetryAfterMiddleware(RetryMiddleware):
    """Scrapy's retries, but waiting as long as a 429/503 ``Retry-After`` header asks
    (seconds or an HTTP date), capped by ``SCIENMAG_MAX_RETRY_AFTER``. Scrapy's own
    RetryMiddleware retries at once, which is exactly what an overloaded server asked us not
    to do. Replaces ``scrapy.downloadermiddlewares.retry.RetryMiddleware`` in the settings."""

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler.settings)
        self.crawler = crawler
        self.max_wait = crawler.settings.getfloat("SCIENMAG_MAX_RETRY_AFTER", 60.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    async def process_response(self, request: Request, response: Response) -> Request | Response:  # type: ignore[override]
        result = super().process_response(request, response)
        if result is response or not isinstance(result, Request):
            return result
        wait = retry_after_seconds(response.headers.get("Retry-After"), self.max_wait)
        if wait:
            logger.info("%s asked to retry after %ss (%s): waiting", request.url, wait,
                        response.status)  # fmt: skip
            self.crawler.stats.inc_value("scienmag/retry/retry_after_waits")
            # imported late: importing the reactor at module load would install the wrong one
            from twisted.internet import reactor  # noqa: PLC0415

            await maybe_deferred_to_future(deferLater(reactor, wait, lambda: None))
        return result


def retry_after_seconds(value: bytes | None, cap: float) -> float:
    """Seconds a ``Retry-After`` header asks for (delta or HTTP date), within ``[0, cap]``.

    >>> [retry_after_seconds(v, 60) for v in (b"2", b"3600", b"soon")]
    [2.0, 60, 0.0]
    """
    if not value:
        return 0.0
    text = value.decode("latin-1").strip()
    try:
        seconds = float(text)
    except ValueError:
        try:
            when = parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return 0.0
        if when.tzinfo is None:
            return 0.0
        seconds = (when - datetime.now(UTC)).total_seconds()
    return min(max(seconds, 0.0), cap)


#: charsets servers wrongly declare for UTF-8 pages
_LEGACY_CHARSETS = frozenset({"iso-8859-1", "latin-1", "latin1", "windows-1252", "cp1252", "ascii",
                              "us-ascii"})  # fmt: skip


class Utf8CharsetMiddleware:
    """Read a page as UTF-8 when its header declares a legacy charset but the body is valid
    UTF-8 with non-ASCII bytes: such a body is all but never real Latin-1 (mis-decoding it
    turns ‘quotes’ into â€˜quotesâ€™), and the page's own ``<meta charset>`` usually agrees."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        if not isinstance(response, TextResponse):
            return response
        declared = (response.headers.get("Content-Type") or b"").decode("latin-1").lower()
        charset = declared.partition("charset=")[2].split(";")[0].strip(" \"'")
        if charset not in _LEGACY_CHARSETS or response.body.isascii():
            return response
        try:
            response.body.decode("utf-8")
        except UnicodeDecodeError:
            return response
        logger.info("%s declares %s but is UTF-8: read as UTF-8", response.url, charset)
        self.stats.inc_value("scienmag/fixed/charset")
        return response.replace(encoding="utf-8")


class TruncatedBody(IgnoreRequest):
    """A response body that stops before its end (here: a gzip stream cut short)."""


class TruncatedGzipMiddleware:
    """Refuse a gzip body whose stream ends early. Scrapy's decompression keeps whatever a cut
    stream yields, so a half-sent article would become a shortened record; this runs before
    it (higher order number) and only checks that the stream is complete."""

    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats
        self.max_size = crawler.settings.getint("DOWNLOAD_MAXSIZE")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        return cls(crawler)

    def process_response(self, request: Request, response: Response) -> Response:
        encoding = (response.headers.get("Content-Encoding") or b"").decode("latin-1").lower()
        if "gzip" not in encoding or request.method == "HEAD" or not response.body:
            return response
        if gzip_is_complete(response.body, self.max_size):
            return response
        self.stats.inc_value("scienmag/refused/truncated_gzip")
        raise TruncatedBody("truncated body: the gzip stream ends before its end marker")


def gzip_is_complete(data: bytes, max_size: int = 0) -> bool:
    """True when ``data`` holds a whole gzip stream (or is not gzip at all: not ours to judge).

    >>> import gzip
    >>> whole = gzip.compress(b"x" * 1000)
    >>> gzip_is_complete(whole), gzip_is_complete(whole[: len(whole) // 2])
    (True, False)
    """
    if not data.startswith(b"\x1f\x8b"):
        return True
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    produced = 0
    try:
        for start in range(0, len(data), 65536):
            produced += len(inflater.decompress(data[start : start + 65536], 1 << 20))
            while inflater.unconsumed_tail:
                produced += len(inflater.decompress(inflater.unconsumed_tail, 1 << 20))
                if max_size and produced > max_size:
                    return True  # the size limit, not this check, deals with it
            if inflater.eof:
                return True
    except zlib.error:
        return True  # corrupt rather than cut: the decompression middleware reports it
    return inflater.eof
