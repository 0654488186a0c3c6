"""The private-address guard: the crawler cannot be steered into internal services."""

from __future__ import annotations

import logging

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.settings import Settings
from scrapy.utils.conf import build_component_list
from scrapy.utils.misc import build_from_crawler
from scrapy.utils.test import get_crawler

from scienmag_crawler.safety import (
    PrivateAddressGuardMiddleware,
    PrivateAddressRefused,
    literal_address,
    private_reason,
)
from scienmag_crawler.spiders.articles import ArticlesSpider

MIRROR = "http://127.0.0.1:8080"


def guard(**settings: object) -> tuple[PrivateAddressGuardMiddleware, object]:
    crawler = get_crawler(ArticlesSpider, settings_dict=settings)
    return build_from_crawler(PrivateAddressGuardMiddleware, crawler), crawler.stats


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1/", "loopback address 127.0.0.1"),
        ("http://127.0.0.1:9200/_cat/indices", "loopback address 127.0.0.1"),
        ("http://localhost:6379/", "localhost"),
        ("http://LOCALHOST./", "localhost"),
        ("http://admin.localhost/", "localhost"),
        ("http://[::1]/", "loopback address ::1"),
        ("http://10.0.0.1/", "private address 10.0.0.1"),
        ("http://192.168.1.1/admin", "private address 192.168.1.1"),
        ("http://172.16.5.4/", "private address 172.16.5.4"),
        ("http://169.254.169.254/latest/meta-data/", "link-local address 169.254.169.254"),
        ("http://[fe80::1]/", "link-local address fe80::1"),
        ("http://[fd00::1]/", "private address fd00::1"),
        ("http://[::ffff:10.0.0.1]/", "private address 10.0.0.1"),
        ("http://0.0.0.0/", "unspecified address 0.0.0.0"),
        ("http://240.0.0.1/", "reserved address 240.0.0.1"),
        ("http://100.64.0.1/", "non-public address 100.64.0.1"),
        ("http://224.0.0.1/", "multicast address 224.0.0.1"),
        # spellings a resolver still takes for 127.0.0.1
        ("http://2130706433/", "loopback address 127.0.0.1"),
        ("http://0x7f000001/", "loopback address 127.0.0.1"),
        ("http://127.1/", "loopback address 127.0.0.1"),
        ("https://127.0.0.1./", "loopback address 127.0.0.1"),
    ],
)
def test_private_targets_are_refused_logged_and_counted(
    url: str, reason: str, caplog: pytest.LogCaptureFixture
) -> None:
    mw, stats = guard()
    request = Request(url)
    with (
        caplog.at_level(logging.WARNING, logger="scienmag_crawler.safety"),
        pytest.raises(PrivateAddressRefused, match=f"refused {reason}$"),
    ):
        mw.process_request(request)
    assert f"Refused {request.url}: refused {reason}" in caplog.text
    assert stats.get_value("scienmag/refused/private_address") == 1


def test_a_refusal_is_an_ignore_request() -> None:
    """So Scrapy drops it quietly and the request's errback (on_error) names it."""
    assert issubclass(PrivateAddressRefused, IgnoreRequest)


@pytest.mark.parametrize(
    "url",
    [
        "https://scienmag.com/some-post/",
        "https://www.scienmag.com/",
        "http://93.184.215.14/",
        "http://[2606:4700::1]/",
        "http://[::ffff:8.8.8.8]/",
        "http://10.0.0.1.nip.io/",  # a name: not resolved here (see the module docstring)
        "http://cafe/",
        "data:text/html,<p>hi</p>",
        "file:///etc/hostname",  # not the guard's business: no redirect leads there
    ],
)
def test_public_hosts_and_names_pass(url: str) -> None:
    mw, stats = guard()
    assert mw.process_request(Request(url)) is None
    assert stats.get_value("scienmag/refused/private_address") is None


def test_a_redirect_names_where_it_came_from() -> None:
    mw, _ = guard()
    request = Request(
        "http://169.254.169.254/latest/meta-data/",
        meta={"redirect_urls": ["https://scienmag.com/post/", "https://scienmag.com/hop/"]},
    )
    with pytest.raises(
        PrivateAddressRefused, match=r"\(redirected from https://scienmag.com/post/\)"
    ):
        mw.process_request(request)


def test_the_mirror_origin_is_allowed_and_only_that_origin() -> None:
    mw, _ = guard(SCIENMAG_MIRROR_URL=MIRROR)
    assert mw.process_request(Request(f"{MIRROR}/robots.txt")) is None
    assert mw.process_request(Request("http://127.0.0.1:8080/a/?b=1")) is None
    for other in ("http://127.0.0.1:8081/", "http://127.0.0.1/", "https://127.0.0.1:8080/"):
        with pytest.raises(PrivateAddressRefused):
            mw.process_request(Request(other))


def test_mirrored_requests_keep_the_public_host_and_pass() -> None:
    mw, _ = guard(SCIENMAG_MIRROR_URL=MIRROR)
    assert mw.process_request(Request("https://scienmag.com/post/")) is None


@pytest.mark.parametrize(
    "allowed", [["10.1.2.3"], ["10.0.0.0/8"], "10.1.2.3,intranet.localhost", ["[10.1.2.3]"]]
)
def test_allowed_private_hosts(allowed: object) -> None:
    mw, _ = guard(SCIENMAG_ALLOWED_PRIVATE_HOSTS=allowed)
    assert mw.process_request(Request("http://10.1.2.3:9000/x")) is None
    with pytest.raises(PrivateAddressRefused):
        mw.process_request(Request("http://192.168.0.1/"))


def test_allowed_names() -> None:
    mw, _ = guard(SCIENMAG_ALLOWED_PRIVATE_HOSTS=["localhost"])
    assert mw.process_request(Request("http://localhost:8000/")) is None
    with pytest.raises(PrivateAddressRefused):
        mw.process_request(Request("http://127.0.0.1:8000/"))  # the address is not the name


def test_can_be_switched_off() -> None:
    with pytest.raises(NotConfigured):
        guard(SCIENMAG_REFUSE_PRIVATE_ADDRESSES=False)


def test_enabled_by_default_right_after_the_offsite_filter() -> None:
    settings = Settings()
    settings.setmodule("scienmag_crawler.settings", priority="project")
    assert settings.getbool("SCIENMAG_REFUSE_PRIVATE_ADDRESSES") is True
    assert settings.getlist("SCIENMAG_ALLOWED_PRIVATE_HOSTS") == []
    order = build_component_list(settings.getwithbase("DOWNLOADER_MIDDLEWARES"))
    # the offsite filter is Scrapy's, reporting the redirects it drops
    assert order[:2] == [
        "scienmag_crawler.middlewares.LostRedirectMiddleware",
        "scienmag_crawler.safety.PrivateAddressGuardMiddleware",
    ]


def test_literal_address_ignores_names() -> None:
    assert literal_address("scienmag.com") is None
    assert literal_address("deadbeef.cafe") is None
    assert private_reason("scienmag.com") is None
