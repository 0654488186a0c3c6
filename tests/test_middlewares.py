"""robots.txt Crawl-delay is honoured (Scrapy ignores the directive on its own)."""

from __future__ import annotations

import gzip
import logging
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from scrapy import Request, Spider, signals
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from scienmag_crawler.middlewares import (
    LostRedirectMiddleware,
    RobotsCrawlDelayMiddleware,
    TruncatedGzipMiddleware,
    Utf8CharsetMiddleware,
    gzip_is_complete,
    retry_after_seconds,
)

ROBOTS = b"User-agent: *\nDisallow: /wp-admin/\nCrawl-delay: 2\n"


def middleware(**settings: object) -> tuple[RobotsCrawlDelayMiddleware, SimpleNamespace]:
    crawler = get_crawler(settings_dict={"ROBOTSTXT_OBEY": True, **settings})
    slot = SimpleNamespace(delay=0.5)
    crawler.engine = SimpleNamespace(downloader=SimpleNamespace(slots={"scienmag.com": slot}))  # type: ignore[assignment]
    return build_from_crawler(RobotsCrawlDelayMiddleware, crawler), slot


def robots_response(body: bytes = ROBOTS) -> tuple[Request, TextResponse]:
    request = Request("https://scienmag.com/robots.txt")
    return request, TextResponse(request.url, body=body, request=request, encoding="utf-8")


def test_crawl_delay_raises_the_slot_delay_and_keeps_it_up() -> None:
    mw, slot = middleware()
    mw.process_response(*robots_response())
    assert slot.delay == 2.0
    slot.delay = 0.1  # as AutoThrottle would after fast responses
    mw.process_request(Request("https://scienmag.com/some-post/"))
    assert slot.delay == 2.0


def test_crawl_delay_is_capped() -> None:
    mw, slot = middleware(SCIENMAG_MAX_CRAWL_DELAY=5)
    mw.process_response(*robots_response(b"User-agent: *\nCrawl-delay: 86400\n"))
    assert slot.delay == 5.0


def test_no_directive_leaves_the_delay_alone() -> None:
    mw, slot = middleware()
    mw.process_response(*robots_response(b"User-agent: *\nDisallow:\n"))
    assert slot.delay == 0.5


def test_off_for_snapshot_replay() -> None:
    with pytest.raises(NotConfigured):
        middleware(SCIENMAG_OBEY_CRAWL_DELAY=False)


# --- Retry-After, charset, cut gzip ----------------------------------------------------------
def test_retry_after_header_values() -> None:
    future = (datetime.now(UTC) + timedelta(seconds=30)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert 25 <= retry_after_seconds(future.encode(), 60) <= 30
    assert retry_after_seconds(b"120", 60) == 60
    assert retry_after_seconds(None, 60) == 0.0


def _charset_mw() -> Utf8CharsetMiddleware:
    return build_from_crawler(Utf8CharsetMiddleware, get_crawler())


def test_utf8_page_declared_latin1_is_read_as_utf8() -> None:
    body = "<html><body><h1>Warm seawater and the ‘Doomsday Glacier,’ α</h1></body></html>".encode()
    response = HtmlResponse("https://scienmag.com/a/", body=body,
                            headers={"Content-Type": "text/html; charset=iso-8859-1"})  # fmt: skip
    fixed = _charset_mw().process_response(Request(response.url), response)
    assert fixed.css("h1::text").get() == "Warm seawater and the ‘Doomsday Glacier,’ α"


def test_real_latin1_page_is_left_alone() -> None:
    body = "<html><body><h1>Café</h1></body></html>".encode("latin-1")
    response = HtmlResponse("https://scienmag.com/a/", body=body,
                            headers={"Content-Type": "text/html; charset=iso-8859-1"})  # fmt: skip
    same = _charset_mw().process_response(Request(response.url), response)
    assert same is response and same.css("h1::text").get() == "Café"


def test_cut_gzip_stream_is_refused_whole_one_passes() -> None:
    mw = build_from_crawler(TruncatedGzipMiddleware, get_crawler())
    data = gzip.compress(("<p>" + "text " * 5000 + "</p>").encode())
    request = Request("https://scienmag.com/a/")
    whole = Response(request.url, body=data, headers={"Content-Encoding": "gzip"})
    assert mw.process_response(request, whole) is whole
    cut = Response(
        request.url, body=data[: len(data) * 7 // 10], headers={"Content-Encoding": "gzip"}
    )
    with pytest.raises(IgnoreRequest, match="gzip stream ends"):
        mw.process_response(request, cut)
    assert gzip_is_complete(b"not gzip at all")


# --- redirects Scrapy drops in silence -----------------------------------------------------
ASKED = "https://scienmag.com/some-post/"


def lost_redirects() -> LostRedirectMiddleware:
    """The middleware, its signals connected, for a spider allowed on scienmag.com."""
    crawler = get_crawler(Spider)
    crawler.spider = Spider("articles", allowed_domains=["scienmag.com"])
    mw = build_from_crawler(LostRedirectMiddleware, crawler)
    mw.spider_opened(crawler.spider)
    return mw


def redirected(
    url: str, *chain: str, dont_filter: bool = False, allow_offsite: bool = False
) -> Request:
    """``url`` as RedirectMiddleware hands it on: the URLs before it in ``redirect_urls``."""
    meta: dict[str, Any] = {"redirect_urls": list(chain or [ASKED])}
    if allow_offsite:
        meta["allow_offsite"] = True
    return Request(url, meta=meta, dont_filter=dont_filter)


def schedule(mw: LostRedirectMiddleware, request: Request) -> bool:
    """Send ``request_scheduled`` as the engine does; False when a receiver dropped it."""
    results = mw.crawler.signals.send_catch_log(
        signals.request_scheduled, request=request, spider=mw.crawler.spider, dont_log=IgnoreRequest
    )
    return not any(isinstance(r, Failure) and r.check(IgnoreRequest) for _, r in results)


def drop(mw: LostRedirectMiddleware, request: Request) -> None:
    """Send ``request_dropped`` as the engine does when the scheduler refuses a request."""
    mw.crawler.signals.send_catch_log(
        signals.request_dropped, request=request, spider=mw.crawler.spider
    )


def errors(mw: LostRedirectMiddleware) -> dict[str, Any]:
    stats = mw.stats.get_stats()
    return {k: v for k, v in stats.items() if k.startswith("scienmag/errors/")}


def test_a_redirect_off_site_is_logged_and_counted(caplog: pytest.LogCaptureFixture) -> None:
    mw = lost_redirects()
    with caplog.at_level(logging.INFO):
        assert not schedule(mw, redirected("https://evil.example/x"))
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        ("WARNING", f"Failed {ASKED}: redirected off-site to https://evil.example/x")
    ]
    assert errors(mw) == {"scienmag/errors/redirect_offsite": 1}
    assert mw.stats.get_value("offsite/filtered") == 1


def test_a_redirect_to_a_url_already_seen_is_logged_and_counted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    mw = lost_redirects()
    back = redirected(ASKED, ASKED, "https://scienmag.com/elsewhere/")
    with caplog.at_level(logging.INFO):
        drop(mw, back)
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        (
            "WARNING",
            f"Failed {ASKED}: redirected to {ASKED} via https://scienmag.com/elsewhere/, "
            "already fetched or queued",
        )
    ]
    assert errors(mw) == {"scienmag/errors/redirect_duplicate": 1}


def test_a_redirect_to_a_page_fetched_through_another_link_loses_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # /some-post -> /some-post/ while a listing also links /some-post/: the page is fetched
    mw = lost_redirects()
    with caplog.at_level(logging.INFO):
        drop(mw, redirected(ASKED, "https://scienmag.com/some-post"))
    assert [(r.levelname, r.getMessage()) for r in caplog.records] == [
        (
            "INFO",
            f"Redirect of https://scienmag.com/some-post to {ASKED} not followed: "
            "already fetched or queued",
        )
    ]
    assert errors(mw) == {}
    assert mw.stats.get_value("scienmag/redirect/to_known") == 1


@pytest.mark.parametrize(
    "target",
    [
        "https://scienmag.com/some-post",  # the slash dropped
        "https://www.scienmag.com/some-post/",  # a subdomain of an allowed domain
        "https://scienmag.com/2025/05/some-post/",  # the post moved
    ],
)
def test_a_redirect_that_is_followed_is_not_reported(
    caplog: pytest.LogCaptureFixture, target: str
) -> None:
    mw = lost_redirects()
    with caplog.at_level(logging.DEBUG):
        assert schedule(mw, redirected(target, "http://scienmag.com/some-post/"))
    assert not [r for r in caplog.records if r.levelno >= logging.INFO]
    assert errors(mw) == {}


def test_links_dropped_by_the_filters_are_their_normal_work(
    caplog: pytest.LogCaptureFixture,
) -> None:
    mw = lost_redirects()
    with caplog.at_level(logging.INFO):
        assert not schedule(mw, Request("https://twitter.com/share"))
        drop(mw, Request(ASKED))
    assert caplog.records == []
    assert errors(mw) == {}


def test_dont_filter_and_allow_offsite_redirects_pass() -> None:
    mw = lost_redirects()
    assert schedule(mw, redirected("https://cdn.example/x", dont_filter=True))
    assert schedule(mw, redirected("https://cdn.example/x", allow_offsite=True))
    assert errors(mw) == {}


def test_an_offsite_drop_at_download_time_is_left_to_the_errback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    mw = lost_redirects()
    with caplog.at_level(logging.INFO), pytest.raises(IgnoreRequest):
        mw.process_request(redirected("https://evil.example/x"))
    assert caplog.records == []  # the spider's on_error logs it: not twice
    assert errors(mw) == {}
