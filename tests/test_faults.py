"""Faults and bad input: one real ``scrapy crawl`` over a server that misbehaves on purpose.

The crawl starts at the ``science-news`` listing (all its pages: every article of the snapshot)
served by :class:`~tests.support.fault_server.FaultServer`, with one fault per article. It
must finish normally, retry what is worth retrying and deliver what the server eventually
served, respect DOWNLOAD_TIMEOUT and DOWNLOAD_MAXSIZE, and log and count everything else
with its URL and a specific reason. Each test below checks one fault against that one run.
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from parsel import Selector
from scrapy.utils.sitemap import Sitemap

from scienmag_crawler import settings as project_settings
from scienmag_crawler.extract import selectors as css
from tests.conftest import ROOT, SITE, load_expected
from tests.support.fault_server import Fault, FaultServer, billion_laughs

pytestmark = pytest.mark.e2e

SITE_URL = "https://scienmag.com"
LISTING = f"{SITE_URL}/category/science-news/"
#: where the crawl starts: the listing without its slash, which redirects to it (harmless)
MOVED_LISTING = LISTING.rstrip("/")
TIMEOUT = 2  # DOWNLOAD_TIMEOUT for the run: the stalls outlast it, the drip does not
RETRIES = 2  # RETRY_TIMES: three attempts in all
MAX_REDIRECTS = 5

# --- which article gets which fault ------------------------------------------------------
#: served in the end: must be in the output
FLAKY_503 = "tracing-the-spatiotemporal-dynamics-of-wildfire-activity-in-china-during-the-paleocene-eocene-thermal-maximum"
FLAKY_429 = "research-reveals-unfair-expectations-intensify-pressure-on-new-teachers"
FLAKY_RESET = "new-study-categorizes-older-adults-needing-long-term-care-into-five-groups-and-predicts-their-outcomes"
FLAKY_STALL = "new-study-uncovers-how-neighborhood-disadvantage-influences-menopause-timing"
DRIP = "study-finds-climate-change-could-hinder-smog-reduction-efforts-in-certain-regions"
WRONG_CHARSET = "warm-seawater-speeding-up-melting-of-doomsday-glacier-scientists-warn"
NO_CHARSET = "common-fungicide-triggers-protein-clumping-in-honeybee-brains-european-study-finds"
FLAKY_LISTING = "/category/science-news/page/3/"
#: never served: must be logged, counted and absent
ALWAYS_500 = "bridging-the-gap-an-in-depth-exploration-of-healthcare-challenges-in-mongolia"
ALWAYS_STALL = "study-finds-generic-drugs-offer-significant-savings-with-reliable-supply"
TRUNCATED = "why-do-regulatory-agencies-sometimes-fall-short"
BAD_GZIP = "advancing-offline-reinforcement-learning-with-causal-structured-world-models"
CUT_GZIP = "impact-of-marijuana-legalization-on-conventional-prescription-drug-use-explored"
REDIRECT_LOOP = "lunar-seismology-network-selects-first-four-landing-sites-for-moonquake-sensors"
PING_PONG = "inflatable-heat-shield-survives-suborbital-re-entry-test-over-hokkaido"
OFFSITE = "european-space-weather-organisation-opens-forecast-centre-to-protect-power-grids"
TO_PRIVATE = "shaping-the-future-of-extracellular-vesicles-exploring-the-critical-roles-of-microbiota-and-mitochondria-in-health-and-therapeutics-at-the-first-world-conference-on-targeting-extracellular-vesicles"
HUGE = "cospar-to-sign-memorandum-of-understanding-with-asia-pacific-space-cooperation-organisation"
HUGE_UNDECLARED = "harm-reduction-education-tools-access-may-help-women-prevent-opioid-overdose"
ALWAYS_RESET = "global-radar-network-tracks-1200-near-earth-asteroids-in-its-first-year"

FAULTS = {
    f"/{FLAKY_503}/": Fault("status", 503, times=2, retry_after=1),
    f"/{FLAKY_429}/": Fault("status", 429, times=1, retry_after=1),
    f"/{FLAKY_RESET}/": Fault("reset", times=1),
    f"/{FLAKY_STALL}/": Fault("stall", times=1, delay=TIMEOUT + 3),
    f"/{DRIP}/": Fault("drip", chunks=20, delay=1.0),
    f"/{WRONG_CHARSET}/": Fault("charset", charset="iso-8859-1"),
    f"/{NO_CHARSET}/": Fault("charset", charset=""),
    FLAKY_LISTING: Fault("status", 503, times=1),
    f"/{ALWAYS_500}/": Fault("status", 500),
    f"/{ALWAYS_STALL}/": Fault("stall", delay=TIMEOUT + 3),
    f"/{ALWAYS_RESET}/": Fault("reset"),
    f"/{TRUNCATED}/": Fault("truncate"),
    f"/{BAD_GZIP}/": Fault("bad_gzip"),
    # 70% of the stream still holds the start of the article's text
    f"/{CUT_GZIP}/": Fault("cut_gzip", keep=0.7),
    f"/{REDIRECT_LOOP}/": Fault("redirect_loop"),
    f"/{PING_PONG}/": Fault("redirect", location="/ping-pong-back/"),
    "/ping-pong-back/": Fault("redirect", location=f"/{PING_PONG}/"),
    f"/{OFFSITE}/": Fault("redirect", location="https://evil.example/"),
    "/category/science-news": Fault("redirect", 301, location="/category/science-news/"),
    f"/{TO_PRIVATE}/": Fault("redirect", location="{canary}/admin/"),
    f"/{HUGE}/": Fault("huge", size=50 * 1024 * 1024),
    f"/{HUGE_UNDECLARED}/": Fault("huge", size=50 * 1024 * 1024, declare_length=False),
    "/sitemap_bomb.xml": Fault("xml_bomb"),
}
EVENTUALLY_SERVED = [
    FLAKY_503,
    FLAKY_429,
    FLAKY_RESET,
    FLAKY_STALL,
    DRIP,
    WRONG_CHARSET,
    NO_CHARSET,
]
NEVER_SERVED = [
    ALWAYS_500,
    ALWAYS_STALL,
    ALWAYS_RESET,
    TRUNCATED,
    BAD_GZIP,
    REDIRECT_LOOP,
    PING_PONG,
    OFFSITE,
    TO_PRIVATE,
    HUGE,
    HUGE_UNDECLARED,
]


def url(slug: str) -> str:
    return f"{SITE_URL}/{slug}/"


@dataclass
class Run:
    """What one crawl left behind."""

    returncode: int
    records: dict[str, dict[str, Any]]
    log: str
    stats: dict[str, Any]
    elapsed: float
    server: FaultServer

    def failed(self, slug: str) -> str:
        """The reason of the spider's ``Failed <url>: <reason>`` line for ``slug``."""
        found = re.findall(rf"Failed {re.escape(url(slug))}\S*: (.*)", self.log)
        assert found, f"no 'Failed' line for {slug}"
        return found[-1]


def parse_stats(log: str) -> dict[str, Any]:
    """The dict printed after "Dumping Scrapy stats" (a Python literal, datetimes aside)."""
    if "Dumping Scrapy stats:" not in log:  # the crawl died: the first test shows its log
        return {}
    block = log.split("Dumping Scrapy stats:", 1)[1]
    block = block[block.index("{") : block.index("}\n") + 1]
    block = re.sub(r"datetime\.datetime\([^)]*\)", "None", block)
    stats: dict[str, Any] = ast.literal_eval(block)
    return stats


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Run]:
    out = tmp_path_factory.mktemp("faults") / "articles.jsonl"
    with FaultServer(SITE, FAULTS) as server:
        start_urls = [
            MOVED_LISTING,
            f"{SITE_URL}/sitemap_bomb.xml",
            # a link straight into an "internal service"; it also puts 127.0.0.1 among the
            # spider's allowed domains, so a redirect there gets past the offsite filter and
            # only the private-address guard stands in the way
            f"{server.canary_url}/internal/",
        ]
        started = time.monotonic()
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "scrapy.cmdline",
                "crawl",
                "articles",
                "-O",
                str(out),
                "-a",
                f"start_urls={','.join(start_urls)}",
                "-s",
                f"SCIENMAG_MIRROR_URL={server.url}",
                *("-s", "DOWNLOAD_DELAY=0"),
                *("-s", "AUTOTHROTTLE_ENABLED=0"),
                *("-s", "SCIENMAG_OBEY_CRAWL_DELAY=0"),
                *("-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8"),
                *("-s", f"DOWNLOAD_TIMEOUT={TIMEOUT}"),
                *("-s", "RETRY_ENABLED=1"),
                *("-s", f"RETRY_TIMES={RETRIES}"),
                *("-s", f"REDIRECT_MAX_TIMES={MAX_REDIRECTS}"),
                # a run this faulty rightly fails the error and warning monitors (exit 2);
                # raised here so the exit status speaks of the crawl and the other monitors
                *("-s", "SCIENMAG_MAX_ERRORS=10"),
                *("-s", "SCIENMAG_MAX_WARNINGS_PER_ITEM=2"),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        elapsed = time.monotonic() - started
    lines = out.read_text(encoding="utf-8").splitlines() if out.exists() else []
    records = {r["url"]: r for r in map(json.loads, lines)}
    yield Run(proc.returncode, records, proc.stderr, parse_stats(proc.stderr), elapsed, server)


def listed_articles() -> set[str]:
    """Article URLs on the science-news listing pages of the snapshot."""
    listing = SITE / "scienmag.com" / "category" / "science-news"
    pages = [listing / "index.html", *listing.glob("page/*/index.html")]
    return {
        link
        for page in pages
        for link in Selector(page.read_text(encoding="utf-8"))
        .css(f"{css.LISTING_POST_CSS} {css.LISTING_POST_LINK_CSS}")
        .getall()
    }


def in_output(run: Run, slug: str) -> bool:
    return url(slug) in run.records


# --- the run as a whole ------------------------------------------------------------------
def test_the_crawl_finishes_normally_and_quickly(run: Run) -> None:
    assert run.returncode == 0, run.log[-3000:]
    assert run.stats["finish_reason"] == "finished"
    assert run.elapsed < 40
    pages = 1 + len(list((SITE / "scienmag.com" / "category/science-news/page").iterdir()))
    assert run.stats["scienmag/listing/pages"] == pages


def test_every_article_the_server_served_is_delivered_once(run: Run) -> None:
    listed = listed_articles()
    lost = {url(slug) for slug in NEVER_SERVED} | {url(CUT_GZIP)}
    assert set(run.records) - {url(CUT_GZIP)} == listed - lost
    assert run.stats["item_scraped_count"] == len(run.records)  # no duplicates
    assert "127.0.0.1" not in json.dumps(list(run.records.values()))


# --- worth retrying: retried, then delivered ---------------------------------------------
@pytest.mark.parametrize(
    ("path", "attempts"),
    [
        (f"/{FLAKY_503}/", 3),  # 503, 503, 200
        (f"/{FLAKY_429}/", 2),  # 429, 200
        (f"/{FLAKY_RESET}/", 2),  # reset, 200
        (f"/{FLAKY_STALL}/", 2),  # stall past DOWNLOAD_TIMEOUT, 200
        (FLAKY_LISTING, 2),  # a listing page: 503, 200, and pagination carries on
    ],
)
def test_transient_failures_are_retried_until_served(run: Run, path: str, attempts: int) -> None:
    assert run.server.hits(path) == attempts
    if path != FLAKY_LISTING:
        assert url(path.strip("/")) in run.records
    assert f"Failed {SITE_URL}{path}:" not in run.log


def test_retries_are_counted_by_reason(run: Run) -> None:
    stats = run.stats
    assert stats["retry/reason_count/503 Service Unavailable"] == 3  # article x2, listing x1
    assert stats["retry/reason_count/429 Unknown Status"] == 1
    assert stats["retry/reason_count/scrapy.exceptions.DownloadFailedError"] == 1 + RETRIES
    assert stats["retry/reason_count/scrapy.exceptions.DownloadTimeoutError"] == 1 + RETRIES
    assert stats["retry/max_reached"] == 4  # the 500, the stall, the reset, the truncation


def test_retry_after_is_respected(run: Run) -> None:
    assert all(gap >= 1 for gap in run.server.gaps(f"/{FLAKY_503}/"))


def test_a_slow_drip_that_finishes_in_time_is_delivered(run: Run) -> None:
    assert run.records[url(DRIP)]["title"] == load_expected(DRIP)["exact"]["title"]


# --- never served: logged with URL and a specific reason, counted, not emitted ----------
@pytest.mark.parametrize(
    ("slug", "attempts", "reason", "kind"),
    [
        (ALWAYS_500, 3, "HTTP 500 after 3 attempts", "http_500"),
        (
            ALWAYS_STALL,
            3,
            f"timeout: no complete response within {TIMEOUT} s after 3 attempts",
            "timeout",
        ),
        (
            ALWAYS_RESET,
            3,
            "connection lost before a complete response after 3 attempts",
            "connection_lost",
        ),
        (
            TRUNCATED,
            3,
            "truncated body: connection closed before the declared length after 3 attempts",
            "truncated",
        ),
        (
            BAD_GZIP,
            1,
            "undecodable compressed body: BadGzipFile: Not a gzipped file",
            "bad_encoding",
        ),
        (HUGE, 1, "too large: body over DOWNLOAD_MAXSIZE (20971520 bytes)", "too_large"),
        (HUGE_UNDECLARED, 1, "too large: body over DOWNLOAD_MAXSIZE (20971520 bytes)", "too_large"),
        (
            REDIRECT_LOOP,
            1 + MAX_REDIRECTS,
            f"redirect loop: gave up after {MAX_REDIRECTS} redirects",
            "redirect_limit",
        ),
        (TO_PRIVATE, 1, "refused loopback address 127.0.0.1", "private_address"),
    ],
)
def test_permanent_failures_are_logged_counted_and_not_emitted(
    run: Run, slug: str, attempts: int, reason: str, kind: str
) -> None:
    assert run.server.hits(f"/{slug}/") == attempts
    assert run.failed(slug).startswith(reason)
    assert run.stats[f"scienmag/errors/{kind}"] >= 1
    assert not in_output(run, slug)


def test_error_counts(run: Run) -> None:
    errors = {k: v for k, v in run.stats.items() if k.startswith("scienmag/errors/")}
    assert errors == {
        "scienmag/errors/http_500": 1,
        "scienmag/errors/timeout": 1,
        "scienmag/errors/connection_lost": 1,
        "scienmag/errors/truncated": 2,  # a short Content-Length body and a cut gzip stream
        "scienmag/errors/bad_encoding": 1,
        "scienmag/errors/too_large": 2,
        "scienmag/errors/redirect_limit": 1,
        "scienmag/errors/private_address": 2,  # the redirect and the start URL
        "scienmag/errors/redirect_offsite": 1,
        "scienmag/errors/redirect_duplicate": 1,  # the ping-pong back to the article
    }


def test_download_maxsize_cancels_the_50_mb_pages(run: Run) -> None:
    # the project's limit, not one set for this test
    assert project_settings.DOWNLOAD_MAXSIZE == 20 * 1024 * 1024
    assert (
        f"Expected to receive {50 * 1024 * 1024} bytes which is larger than download max size (20971520)"
        in run.log
    )
    assert "which is larger than download max size (20971520)" in run.log.split(HUGE_UNDECLARED)[1]


def test_the_redirect_loop_names_the_url_asked_for_and_the_last_hop(run: Run) -> None:
    assert run.failed(REDIRECT_LOOP).endswith(
        f"(redirected to {url(REDIRECT_LOOP)}?hop={MAX_REDIRECTS})"
    )


# --- wrong or missing charset ------------------------------------------------------------
def test_a_page_without_charset_still_reads_right(run: Run) -> None:
    record = run.records[url(NO_CHARSET)]
    assert record["title"] == load_expected(NO_CHARSET)["exact"]["title"]
    assert "α-synuclein and β-amyloid" in record["body"]


def test_a_page_with_a_wrong_charset_still_reads_right(run: Run) -> None:
    record = run.records[url(WRONG_CHARSET)]
    assert record["title"] == load_expected(WRONG_CHARSET)["exact"]["title"]  # ‘Doomsday Glacier,’


# --- compressed bodies ---------------------------------------------------------------------
def test_a_cut_gzip_stream_is_not_emitted(run: Run) -> None:
    assert not in_output(run, CUT_GZIP)


# --- redirects off the site --------------------------------------------------------------
def test_an_offsite_redirect_is_filtered(run: Run) -> None:
    assert run.stats["offsite/filtered"] == 1
    assert run.stats["offsite/domains"] == 1
    assert not in_output(run, OFFSITE)


def test_a_redirect_ping_pong_stops_at_the_duplicate_filter(run: Run) -> None:
    assert run.server.hits(f"/{PING_PONG}/") == 1
    assert run.server.hits("/ping-pong-back/") == 1
    assert run.stats["dupefilter/filtered"] == 1
    assert not in_output(run, PING_PONG)


@pytest.mark.parametrize(
    ("slug", "reason", "kind"),
    [
        (OFFSITE, "redirected off-site to https://evil.example/", "redirect_offsite"),
        (
            PING_PONG,
            f"redirected to {url(PING_PONG)} via {SITE_URL}/ping-pong-back/, "
            "already fetched or queued",
            "redirect_duplicate",
        ),
    ],
)
def test_an_article_lost_to_a_redirect_is_logged(
    run: Run, slug: str, reason: str, kind: str
) -> None:
    # Scrapy itself drops these with a DEBUG line at most, and calls no errback
    assert f"WARNING: Failed {url(slug)}: {reason}\n" in run.log
    assert run.failed(slug) == reason
    assert run.stats[f"scienmag/errors/{kind}"] == 1


def test_a_redirect_the_crawl_follows_is_not_reported(run: Run) -> None:
    assert run.server.hits("/category/science-news") == 1
    assert run.server.hits("/category/science-news/") == 1
    assert f"{MOVED_LISTING}:" not in run.log
    assert f"Failed {LISTING}" not in run.log
    assert run.stats["scienmag/listing/pages"] > 1


def test_private_addresses_are_refused_and_never_reached(run: Run) -> None:
    canary = run.server.canary_url
    assert run.stats["scienmag/refused/private_address"] == 2
    assert (
        f"Refused {canary}/admin/: refused loopback address 127.0.0.1 "
        f"(redirected from {url(TO_PRIVATE)})" in run.log
    )
    assert f"Refused {canary}/internal/: refused loopback address 127.0.0.1" in run.log
    assert run.server.canary_hits == []


# --- the XML bomb ------------------------------------------------------------------------
def test_the_bomb_sitemap_is_fetched_and_dropped_without_harm(run: Run) -> None:
    assert run.server.hits("/sitemap_bomb.xml") == 1
    assert f"Not an article: {SITE_URL}/sitemap_bomb.xml: not HTML" in run.log


def test_sitemap_parsing_does_not_expand_entities() -> None:
    """The parser a sitemap-driven harvest uses: no entity expansion, no external entity."""
    bomb = billion_laughs()  # ~3 GB if expanded
    tracemalloc.start()
    started = time.perf_counter()
    try:
        sitemap = Sitemap(bomb)
        entries = list(sitemap)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.perf_counter() - started < 1
    assert peak < 5 * 1024 * 1024
    assert sitemap.type == "urlset"
    # libxml2 stops at the amplification limit: nothing expanded, nothing read from disk
    for entry in entries:
        assert "lollol" not in entry["loc"]
        assert len(entry["loc"]) < 200
