"""``articles``: crawl Scienmag listings and turn every article page into a record.

The spider only routes: which links to follow, when to stop paginating. Everything about
what a page says is :func:`scienmag_crawler.extract.extract_article`, shared with
``scienmag-extract``.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime
from functools import cached_property
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.exceptions import (
    DownloadCancelledError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Response, TextResponse
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.reactor import is_asyncio_reactor_installed
from scrapy.utils.sitemap import Sitemap
from twisted.python.failure import Failure

from scienmag_crawler.extract import ArticlePage, NotAnArticle, parse_article_html
from scienmag_crawler.extract import selectors as css
from scienmag_crawler.extract.dates import parse_visible_date
from scienmag_crawler.extraction_pool import ExtractionPool, WorkerDied
from scienmag_crawler.harvest.state import Delivered, HarvestState
from scienmag_crawler.items import Article
from scienmag_crawler.middlewares import TruncatedBody
from scienmag_crawler.progress import EXPECTED_ARTICLES, EXPECTED_LISTING_PAGES
from scienmag_crawler.safety import PrivateAddressRefused

SITE = "https://scienmag.com"


def is_html(response: Response) -> bool:
    """True for an HTML response, judged by its Content-Type (Scrapy maps some binary types,
    PDF included, to TextResponse)."""
    kind = response.headers.get("Content-Type", b"").decode("latin-1").lower()
    if kind:
        return "html" in kind
    return isinstance(response, TextResponse) and response.text.lstrip()[:1] == "<"


def is_newer(lastmod: str | None, delivered: str | None) -> bool:
    """True when a sitemap ``lastmod`` is later than the delivered version's date (or when
    either cannot be read: fetching once too often is cheaper than missing a change).

    >>> is_newer("2025-05-22T15:02:00+00:00", "2025-05-22T14:20:00+00:00")
    True
    >>> is_newer("2025-05-22", "2025-05-22T14:20:00+00:00")
    False
    """
    if not lastmod or not delivered:
        return lastmod is not None and delivered is None
    try:
        new, old = datetime.fromisoformat(lastmod), datetime.fromisoformat(delivered)
    except ValueError:
        return True
    if new.tzinfo is None or old.tzinfo is None or len(lastmod) == 10 or len(delivered) == 10:
        return new.date() > old.date()
    return new > old


def _split(value: str | None) -> list[str]:
    return [v.strip() for v in (value or "").split(",") if v.strip()]


class ArticlesSpider(scrapy.Spider):
    """Crawl from the home page (default), ``-a category=space[,policy]`` or
    ``-a start_urls=URL[,URL]``; bound a run with ``-a max_pages=N`` (listing pages per
    listing) and ``-a since=YYYY-MM-DD`` (stop paginating once listings are older)."""

    name = "articles"

    def __init__(
        self,
        category: str | None = None,
        start_urls: str | None = None,
        max_pages: str | int | None = None,
        since: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        urls = [f"{SITE}/category/{c.strip('/')}/" for c in _split(category)]
        urls += _split(start_urls) if isinstance(start_urls, str) else list(start_urls or [])
        self.start_urls = urls or [f"{SITE}/"]
        #: from the home page the spider discovers categories; with explicit starts it does not
        self.follow_categories = not urls
        #: category listings already requested (the first page of each)
        self._categories_requested: set[str] = set()
        self.allowed_domains = sorted({urlsplit(u).hostname or "" for u in self.start_urls})
        self.max_pages = self._positive_int("max_pages", max_pages)
        #: most listing pages of a run started on explicit listings (progress display's total);
        #: 0 from the home page: its listings are discovered, so there is no such bound
        self.expected_listing_pages = len(urls) * self.max_pages if self.max_pages else None
        try:
            self.since = date.fromisoformat(since) if since else None
        except ValueError:
            raise ValueError(f"since must be a date YYYY-MM-DD, got {since!r}") from None

    @staticmethod
    def _positive_int(name: str, value: str | int | None) -> int | None:
        if value in (None, ""):
            return None
        try:
            number = int(value)  # type: ignore[arg-type]
        except ValueError:
            number = 0
        if number < 1:
            raise ValueError(f"{name} must be a whole number of at least 1, got {value!r}")
        return number

    @cached_property
    def delivered(self) -> dict[str, Delivered] | None:
        """In harvest mode (``HARVEST_STATE_DIR``), what earlier runs delivered; else None."""
        state_dir = self.settings.get("HARVEST_STATE_DIR")
        if not state_dir:
            return None
        state = HarvestState(state_dir)
        try:
            return state.delivered()
        finally:
            state.close()

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if self.expected_listing_pages:
            self.crawler.stats.set_value(EXPECTED_LISTING_PAGES, self.expected_listing_pages)
        if self.extraction_pool is not None:
            self.crawler.stats.set_value(
                "scienmag/extraction/processes", self.extraction_pool.processes
            )
            await self.extraction_pool.start()
        for url in self.start_urls:
            yield scrapy.Request(url, callback=self.parse, errback=self.on_error)
        if self.delivered is not None and self.follow_categories:
            # a whole-site harvest also reads the sitemaps (changed posts) and the feed
            for url in self.settings.getlist("SCIENMAG_SITEMAP_URLS"):
                yield scrapy.Request(url, callback=self.parse_sitemap, errback=self.on_error)
            for url in self.settings.getlist("SCIENMAG_FEED_URLS"):
                yield scrapy.Request(url, callback=self.parse_feed, errback=self.on_error)

    def _is_known(self, url: str) -> bool:
        if self.delivered is not None and url in self.delivered:
            self.crawler.stats.inc_value("scienmag/harvest/skipped_known")
            return True
        return False

    # --- sitemaps and feed (harvest discovery) ------------------------------------------
    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        """Yoast sitemap index → post sitemaps → posts new or changed since delivery."""
        sitemap = Sitemap(response.body)
        if sitemap.type == "sitemapindex":
            follow = [re.compile(p) for p in self.settings.getlist("SCIENMAG_SITEMAP_FOLLOW")]
            for entry in sitemap:
                loc = entry.get("loc", "")
                if any(p.search(loc) for p in follow):
                    yield response.follow(loc, callback=self.parse_sitemap, errback=self.on_error)
            return
        delivered = self.delivered or {}
        for entry in sitemap:
            url, lastmod = entry.get("loc"), entry.get("lastmod")
            if not url:
                continue
            if self.since and lastmod and lastmod[:10] < self.since.isoformat():
                continue
            known = delivered.get(url)
            if known is not None and not is_newer(lastmod, known.lastmod):
                self.crawler.stats.inc_value("scienmag/harvest/skipped_known")
                continue
            # the total the progress display counts down (feed items are in the sitemaps too)
            self.crawler.stats.inc_value(EXPECTED_ARTICLES)
            yield response.follow(url, callback=self.parse_article, errback=self.on_error)

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        """RSS items not delivered yet."""
        if not isinstance(response, TextResponse):
            return
        for link in response.xpath("//item/link/text()").getall():
            if not self._is_known(link.strip()):
                yield response.follow(link.strip(), callback=self.parse_article,
                                      errback=self.on_error)  # fmt: skip

    # --- listings -----------------------------------------------------------------------
    def parse(self, response: Response, page_no: int = 1) -> Iterator[scrapy.Request | Article]:
        """A listing page (home, category, tag): articles, pagination, categories."""
        if not self._is_html_page(response):
            return
        page = ArticlePage(response.selector, response.url)
        if page.kind is None:  # a start URL that is an article itself
            yield from self._extract_here(response, page)
            return
        self.crawler.stats.inc_value("scienmag/listing/pages")
        dates: list[str | None] = []
        links: list[str] = []
        unknown = 0
        for post in response.css(css.LISTING_POST_CSS):
            link = post.css(css.LISTING_POST_LINK_CSS).get()
            if not link:
                continue
            posted = parse_visible_date(
                " ".join(post.css(css.LISTING_POST_DATE_CSS).xpath(".//text()").getall())
            )
            dates.append(posted)
            if self.since and posted and date.fromisoformat(posted) < self.since:
                self.crawler.stats.inc_value("scienmag/listing/skipped_older_than_since")
                continue
            url = response.urljoin(link)
            links.append(url)
            if not self._is_known(url):
                unknown += 1
                yield response.follow(url, callback=self.parse_article, errback=self.on_error)
        if links and not unknown and self.delivered is not None:
            # a harvest stops where the listing holds only what it already has
            self.crawler.stats.inc_value("scienmag/harvest/stopped_known")
        else:
            yield from self._next_page(response, page_no, dates)
        if self.follow_categories:
            for link in response.xpath(css.CATEGORY_LINK_XPATH).getall():
                # every listing links every category (the menu): each is requested once, not
                # yielded again from every page for the dupefilter to drop
                url = response.urljoin(link)
                if url not in self._categories_requested:
                    self._categories_requested.add(url)
                    yield response.follow(url, callback=self.parse, errback=self.on_error)

    def _next_page(
        self, response: Response, page_no: int, dates: list[str | None]
    ) -> Iterator[scrapy.Request]:
        for query in css.PAGINATION_NEXT_CSS:
            link = response.css(query).get()
            if link:
                break
        else:
            return
        stats = self.crawler.stats
        if self.max_pages is not None and page_no >= self.max_pages:
            stats.inc_value("scienmag/listing/stopped_max_pages")
            return
        known = [date.fromisoformat(d) for d in dates if d]
        # listings are newest first: once a page reaches older posts, the next holds only older
        if self.since and known and min(known) < self.since:
            stats.inc_value("scienmag/listing/stopped_since")
            return
        yield response.follow(
            link, callback=self.parse, errback=self.on_error, cb_kwargs={"page_no": page_no + 1}
        )

    # --- articles -----------------------------------------------------------------------
    @cached_property
    def extraction_pool(self) -> ExtractionPool | None:
        """Worker processes extracting article pages (``SCIENMAG_EXTRACTION_PROCESSES``), or
        None: extraction runs in the callback. Its workers start with the crawl."""
        processes = self.settings.getint("SCIENMAG_EXTRACTION_PROCESSES")
        if processes < 1:
            return None
        if not is_asyncio_reactor_installed():
            self.logger.warning(
                "SCIENMAG_EXTRACTION_PROCESSES=%d ignored: extraction workers need the asyncio "
                "reactor (TWISTED_REACTOR); extracting in the crawl's process",
                processes,
            )
            return None
        return ExtractionPool(
            processes, timeout=self.settings.getfloat("SCIENMAG_EXTRACTION_TIMEOUT")
        )

    def parse_article(
        self, response: Response, page: ArticlePage | None = None
    ) -> Iterator[Article] | AsyncIterator[Article]:
        """One article page → one record, or a logged, counted drop.

        Extracted in a worker process when the crawl has an :attr:`extraction_pool` (the
        callback then returns an async iterator, awaiting the worker), else right here.
        """
        if not self._is_html_page(response):
            return iter(())
        pool = self.extraction_pool
        if pool is None or page is not None:
            return self._extract_here(response, page)
        return self._extract_in_pool(pool, response)

    def _is_html_page(self, response: Response) -> bool:
        if is_html(response) and isinstance(response, TextResponse):
            return True
        kind = response.headers.get("Content-Type", b"unknown").decode("latin-1")
        self.logger.warning("Not an article: %s: not HTML (%s)", response.url, kind)
        self.crawler.stats.inc_value("scienmag/dropped/not-html")
        return False

    def _extract_here(self, response: Response, page: ArticlePage | None) -> Iterator[Article]:
        # parsed apart from ``response.selector``: a plain lxml tree, without the theme's
        # furniture (``extract/furniture.py``), extracts in less time
        page = page or ArticlePage(parse_article_html(response.text, response.url), response.url)
        try:
            item = page.to_item()
        except NotAnArticle as exc:
            self._drop_not_article(response, exc)
            return
        if self._accept(item):
            yield item

    async def _extract_in_pool(
        self, pool: ExtractionPool, response: Response
    ) -> AsyncIterator[Article]:
        try:
            item = await pool.extract(response.url, response.body, response.encoding)
        except NotAnArticle as exc:
            self._drop_not_article(response, exc)
            return
        except WorkerDied as exc:
            self.logger.error("Dropped %s: %s", response.url, exc)
            self.crawler.stats.inc_value("scienmag/dropped/worker-died")
            return
        if self._accept(item):
            yield item

    def _drop_not_article(self, response: Response, exc: NotAnArticle) -> None:
        self.logger.warning("Not an article: %s: %s (%s)", response.url, exc.detail, exc.reason)
        self.crawler.stats.inc_value(f"scienmag/dropped/{exc.reason}")

    def _accept(self, item: Article) -> bool:
        """Date the record and count how it was extracted; False when older than ``since``."""
        stats = self.crawler.stats
        if self.since and date.fromisoformat(item.published_date) < self.since:
            stats.inc_value("scienmag/skipped/older_than_since")
            return False
        item.crawled_at = datetime.now(UTC).isoformat(timespec="seconds")
        stats.inc_value("scienmag/articles/extracted")
        # provenance counts: a body from a fallback layer means the JNews layout was not
        # found (drift); FallbackBodyMonitor fails the run on too many of them
        layer = item.extraction.get("body", "none")
        stats.inc_value(f"scienmag/extraction/body/{layer}")
        stats.inc_value(f"scienmag/extraction/published/{item.extraction.get('published')}")
        if layer != "jnews":
            self.logger.info("Body by the %s fallback, not the JNews layout: %s", layer, item.url)
        return True

    async def closed(self, reason: str) -> None:
        pool = self.__dict__.get("extraction_pool")
        if pool is not None:
            await pool.close()
            if pool.deaths:
                self.crawler.stats.set_value("scienmag/extraction/worker_deaths", pool.deaths)

    def on_error(self, failure: Failure) -> None:
        """Log a failed request with the URL the spider asked for and a reason an operator can
        act on, and count it by kind (``scienmag/errors/<kind>``)."""
        request = failure.request  # type: ignore[attr-defined]
        meta, exc = request.meta, failure.value
        message = failure.getErrorMessage()
        attempts = f" after {meta['retry_times'] + 1} attempts" if meta.get("retry_times") else ""
        if failure.check(HttpError):
            status = exc.response.status
            kind, reason = f"http_{status}", f"HTTP {status}{attempts}"
        elif failure.check(DownloadTimeoutError):
            limit = meta.get("download_timeout", self.crawler.settings.getfloat("DOWNLOAD_TIMEOUT"))
            kind = "timeout"
            reason = f"timeout: no complete response within {limit:g} s{attempts}"
        elif failure.check(ResponseDataLossError):
            kind = "truncated"
            reason = f"truncated body: connection closed before the declared length{attempts}"
        elif failure.check(TruncatedBody):
            kind, reason = "truncated", message
        elif failure.check(DownloadCancelledError):
            limit = meta.get("download_maxsize", self.crawler.settings.getint("DOWNLOAD_MAXSIZE"))
            kind = "too_large"
            reason = f"too large: body over DOWNLOAD_MAXSIZE ({limit} bytes), download cancelled"
        elif failure.check(gzip.BadGzipFile, zlib.error, EOFError):
            kind = "bad_encoding"
            reason = f"undecodable compressed body: {type(exc).__name__}: {message}"
        elif failure.check(PrivateAddressRefused):
            kind, reason = "private_address", message
        elif failure.check(IgnoreRequest) and "max redirections" in message:
            kind = "redirect_limit"
            reason = f"redirect loop: gave up after {meta.get('redirect_times', 0)} redirects"
        elif failure.check(DownloadFailedError):
            kind = "connection_lost"
            reason = f"connection lost before a complete response{attempts}: {message}"
        else:
            kind = type(exc).__name__
            reason = f"{kind}: {message}"
        asked = (meta.get("redirect_urls") or [request.url])[0]
        if asked != request.url and kind != "private_address":
            reason += f" (redirected to {request.url})"
        self.logger.warning("Failed %s: %s", asked, reason)
        self.crawler.stats.inc_value(f"scienmag/errors/{kind}")
