"""robots.txt Crawl-delay is honoured (Scrapy ignores the directive on its own)."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import HtmlResponse, Response, TextResponse
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from scienmag_crawler.middlewares import (
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
