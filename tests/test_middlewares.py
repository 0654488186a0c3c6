"""robots.txt Crawl-delay is honoured (Scrapy ignores the directive on its own)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from scrapy import Request
from scrapy.exceptions import NotConfigured
from scrapy.http import TextResponse
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from scienmag_crawler.middlewares import RobotsCrawlDelayMiddleware

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
