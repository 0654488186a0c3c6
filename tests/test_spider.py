"""Spider routing on responses built from snapshot files: what is followed, what is emitted."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse, Response
from scrapy.utils.test import get_crawler

from scienmag_crawler.extract import extract_article
from scienmag_crawler.extraction_pool import WorkerDied
from scienmag_crawler.items import Article
from scienmag_crawler.spiders.articles import ArticlesSpider
from tests.conftest import SITE

SEED = "cospar-to-sign-memorandum-of-understanding-with-asia-pacific-space-cooperation-organisation"


def response_for(path: str, **meta: object) -> HtmlResponse:
    """An HtmlResponse for ``https://scienmag.com/<path>`` read from the snapshot."""
    file = SITE / "scienmag.com" / path.strip("/") / "index.html"
    url = f"https://scienmag.com/{path.strip('/')}/".replace("//", "/").replace(":/", "://")
    request = Request(url, meta=meta)
    return HtmlResponse(url, body=file.read_bytes(), encoding="utf-8", request=request)


def spider(**kwargs: object) -> ArticlesSpider:
    crawler = get_crawler(ArticlesSpider)
    crawler.stats.open_spider()
    return ArticlesSpider.from_crawler(crawler, **kwargs)


def requests(results: list[object]) -> list[Request]:
    return [r for r in results if isinstance(r, Request)]


def test_category_listing_yields_articles_and_next_page_only() -> None:
    s = spider(category="policy")
    out = list(s.parse(response_for("category/policy")))
    urls = [r.url for r in requests(out)]
    articles = [r for r in requests(out) if r.callback == s.parse_article]
    assert len(articles) == 5
    assert all(r.url.count("/") == 4 for r in articles)  # https://scienmag.com/<slug>/
    assert "https://scienmag.com/category/policy/page/2/" in urls
    assert not [u for u in urls if "/tag/" in u or "/author/" in u or "facebook" in u]
    assert not [u for u in urls if "/category/" in u and "/page/" not in u]  # no other categories


def test_home_page_discovers_categories() -> None:
    s = spider()
    urls = {r.url for r in requests(list(s.parse(response_for(""))))}
    assert "https://scienmag.com/category/science-news/" in urls
    assert "https://scienmag.com/category/space/" in urls


def test_each_category_is_requested_once_and_pagination_only_by_next() -> None:
    """Every listing links every category (the menu): a category is asked for once, not from
    each page for the dupefilter to drop; a pagination link is no category link."""
    s = spider()
    home = requests(list(s.parse(response_for(""))))
    categories = [r.url for r in home if r.callback == s.parse and "/page/" not in r.url]
    assert len(categories) == len(set(categories)) > 5
    listing = requests(list(s.parse(response_for("category/science-news/page/2"))))
    listing_urls = [r.url for r in listing]
    # the categories were all requested from the home page already
    assert not [u for u in listing_urls if "/category/" in u and "/page/" not in u]
    # of the numbered pagination, only the next page
    pages = [u for u in listing_urls if "/page/" in u]
    assert pages == ["https://scienmag.com/category/science-news/page/3/"]
    assert s.crawler.stats.get_value("scienmag/listing/pages") == 2


def test_max_pages_stops_pagination() -> None:
    s = spider(category="science-news", max_pages=2)
    page1 = [r.url for r in requests(list(s.parse(response_for("category/science-news"))))]
    assert "https://scienmag.com/category/science-news/page/2/" in page1
    page2 = [
        r.url
        for r in requests(list(s.parse(response_for("category/science-news/page/2"), page_no=2)))
    ]
    assert not [u for u in page2 if "/page/3/" in u]
    assert s.crawler.stats.get_value("scienmag/listing/stopped_max_pages") == 1


def test_since_skips_older_articles_and_stops_paginating() -> None:
    s = spider(category="policy", since="2025-05-22")
    out = requests(list(s.parse(response_for("category/policy"))))
    # page 1 lists two posts of 22 May 2025 and three of 21 May: the older ones are skipped and,
    # since the listing has reached older posts, page 2 is not requested
    assert [r.url for r in out] == [
        "https://scienmag.com/study-finds-climate-change-could-hinder-smog-reduction-efforts-in-certain-regions/",
        "https://scienmag.com/bridging-the-gap-an-in-depth-exploration-of-healthcare-challenges-in-mongolia/",
    ]
    assert s.crawler.stats.get_value("scienmag/listing/skipped_older_than_since") == 3
    assert s.crawler.stats.get_value("scienmag/listing/stopped_since") == 1


def test_article_page_yields_one_record() -> None:
    s = spider()
    out = list(s.parse_article(response_for(SEED)))
    assert len(out) == 1 and isinstance(out[0], Article)
    assert out[0].url == f"https://scienmag.com/{SEED}/"
    assert out[0].crawled_at


class WorkersThat:
    """A stand-in extraction pool: extracts here, or fails as a pool of workers can."""

    def __init__(self, error: Exception | None = None) -> None:
        self.error, self.deaths, self.closed = error, 0, False

    async def extract(self, url: str, body: bytes, encoding: str) -> Article:
        if self.error is not None:
            self.deaths += 1
            raise self.error
        return extract_article(body.decode(encoding), url)

    async def close(self) -> None:
        self.closed = True


def pooled(s: ArticlesSpider, pool: WorkersThat, response: Response) -> list[object]:
    """What ``parse_article`` yields when the crawl has extraction workers."""
    s.__dict__["extraction_pool"] = pool

    async def collect() -> list[object]:
        return [item async for item in s.parse_article(response)]  # type: ignore[union-attr]

    return asyncio.run(collect())


def test_with_workers_an_article_page_yields_its_record_dated_and_counted() -> None:
    s = spider()
    [item] = pooled(s, WorkersThat(), response_for(SEED))
    assert isinstance(item, Article) and item.url == f"https://scienmag.com/{SEED}/"
    assert item.crawled_at
    assert s.crawler.stats.get_value("scienmag/articles/extracted") == 1
    assert s.crawler.stats.get_value("scienmag/extraction/body/jnews") == 1


def test_with_workers_a_page_that_kills_them_is_dropped_named_and_counted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    s = spider()
    pool = WorkersThat(WorkerDied(f"https://scienmag.com/{SEED}/", "killed by SIGKILL"))
    with caplog.at_level(logging.ERROR):
        assert pooled(s, pool, response_for(SEED)) == []
    assert s.crawler.stats.get_value("scienmag/dropped/worker-died") == 1
    [message] = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert message == (
        f"Dropped https://scienmag.com/{SEED}/: extraction worker died on it 2 times "
        "(last: killed by SIGKILL)"
    )
    asyncio.run(s.closed("finished"))
    assert pool.closed
    assert s.crawler.stats.get_value("scienmag/extraction/worker_deaths") == 1


def test_with_workers_a_soft_404_is_dropped_as_without() -> None:
    s = spider()
    assert pooled(s, WorkersThat(), response_for("nasa-budget-hearing-postponed")) == []
    assert s.crawler.stats.get_value("scienmag/dropped/soft-404") == 1


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("nasa-budget-hearing-postponed", "soft-404"),
        ("placeholder-post-awaiting-content", "empty-body"),
        ("untitled-draft-research-note", "no-title"),
        ("category/climate", "listing"),
        ("contact-us", "page"),
    ],
)
def test_non_articles_yield_nothing_and_are_counted(path: str, reason: str) -> None:
    s = spider()
    assert list(s.parse_article(response_for(path))) == []
    assert s.crawler.stats.get_value(f"scienmag/dropped/{reason}") == 1


def test_pdf_is_dropped_as_not_html() -> None:
    s = spider()
    pdf = (
        SITE
        / "scienmag.com"
        / "wp-content"
        / "uploads"
        / "2024"
        / "08"
        / "cospar-assembly-programme.pdf"
    )
    response = Response(
        "https://scienmag.com/x.pdf",
        body=pdf.read_bytes(),
        headers={"Content-Type": "application/pdf"},
    )
    assert list(s.parse_article(response)) == []
    assert s.crawler.stats.get_value("scienmag/dropped/not-html") == 1


@pytest.mark.parametrize(
    ("arg", "value"), [("max_pages", "0"), ("max_pages", "x"), ("since", "May 2025")]
)
def test_bad_arguments_are_refused_clearly(arg: str, value: str) -> None:
    with pytest.raises(ValueError, match=arg):
        spider(**{arg: value})


def test_category_argument_builds_category_urls() -> None:
    assert spider(category="space,policy").start_urls == [
        "https://scienmag.com/category/space/",
        "https://scienmag.com/category/policy/",
    ]


def test_snapshot_files_exist() -> None:
    assert Path(SITE / "scienmag.com" / SEED / "index.html").is_file()
