"""Pure extraction: HTML in, :class:`~scienmag_crawler.items.Article` out. No Scrapy here.

The crawler's spider and the ``scienmag-extract`` command both call :func:`extract_article`,
so a live crawl, a replay of saved pages and the benchmarks run exactly the same code.
"""

from __future__ import annotations

from parsel import Selector

from scienmag_crawler.extract.contacts import forget_phone_places
from scienmag_crawler.extract.document import parse_html
from scienmag_crawler.extract.errors import NotAnArticle
from scienmag_crawler.extract.furniture import parse_article_html
from scienmag_crawler.extract.page import ArticlePage
from scienmag_crawler.extract.text import forget_normalised_lines
from scienmag_crawler.items import Article

__all__ = [
    "ArticlePage",
    "NotAnArticle",
    "clear_memos",
    "extract_article",
    "parse_article_html",
    "parse_html",
]


def extract_article(
    page: str | bytes | Selector, url: str | None = None, *, any_site: bool = False
) -> Article:
    """Extract the record of one article page.

    ``page`` is the HTML (text or UTF-8 bytes) or a parsel ``Selector`` over it; ``url`` is
    where it came from (the canonical link wins when present). ``any_site`` relaxes the
    requirements that only make sense on scienmag.com (see :class:`ArticlePage`). Raises
    :class:`NotAnArticle` with a reason code when the page cannot make a record.
    """
    if not isinstance(page, Selector):
        # another site's page is parsed whole: its fallbacks read the whole document
        parse = parse_html if any_site else parse_article_html
        page = parse(page, url or "")
    return ArticlePage(page, url, any_site=any_site).to_item()


def clear_memos() -> None:
    """Forget what extraction remembers from pages already seen (normalised lines, phone
    numbers' places). Records never depend on it; the benchmarks call it between runs over
    the same pages, so that no page is answered from its own earlier run."""
    forget_normalised_lines()
    forget_phone_places()
