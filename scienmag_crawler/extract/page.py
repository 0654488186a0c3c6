"""``ArticlePage``: one page object per article page, one cached property per field.

Shared intermediates (JSON-LD objects, the main-post node, the paragraphs) are computed
once and reused by every field. ``to_item()`` builds the record through the loader.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from parsel import Selector

from scienmag_crawler.extract import metadata as meta
from scienmag_crawler.extract import selectors as css
from scienmag_crawler.extract.body import (
    dropped_nodes,
    extract_links,
    extract_paragraphs,
    find_content,
)
from scienmag_crawler.extract.contacts import extract_contacts
from scienmag_crawler.extract.dates import date_part
from scienmag_crawler.extract.errors import NotAnArticle
from scienmag_crawler.extract.jsonld import iter_jsonld
from scienmag_crawler.extract.loaders import ArticleLoader, clean_paragraphs
from scienmag_crawler.extract.organisations import extract_organisations
from scienmag_crawler.extract.page_kind import KIND_DETAILS, classify_page
from scienmag_crawler.extract.quotes import extract_quotes
from scienmag_crawler.items import Article


@dataclass
class ArticlePage:
    """An article page: a parsel ``Selector`` and the URL it came from."""

    selector: Selector
    url: str | None = None

    @cached_property
    def jsonld(self) -> list[dict[str, Any]]:
        return list(iter_jsonld(self.selector))

    @cached_property
    def main(self) -> Selector:
        """The main post container: keeps related/popular posts' titles and dates out."""
        return meta.first_css(self.selector, css.MAIN_POST_CSS) or self.selector

    @cached_property
    def kind(self) -> str | None:
        """``None`` for an article, else the reason code of what the page is."""
        return classify_page(self.selector, self.jsonld)

    @cached_property
    def language(self) -> str | None:
        return meta.extract_language(self.selector)

    @cached_property
    def title(self) -> str | None:
        return meta.extract_title(self.main, self.selector, self.jsonld)

    @cached_property
    def published_with_source(self) -> tuple[str | None, str | None]:
        return meta.extract_published(self.main, self.selector, self.jsonld, self.language)

    @cached_property
    def content(self) -> Selector | None:
        return find_content(self.main) or find_content(self.selector)

    @cached_property
    def furniture(self) -> set[Any]:
        """Theme widgets inside the content (share bars, ads, inline related posts)."""
        return dropped_nodes(self.content) if self.content is not None else set()

    @cached_property
    def paragraphs(self) -> list[str]:
        """Clean body paragraphs; quotes and contacts refer to them by index."""
        if self.content is None:
            return []
        return list(clean_paragraphs(extract_paragraphs(self.content, self.furniture)))

    @cached_property
    def canonical_url(self) -> str | None:
        return meta.extract_url(self.selector, self.url)

    @cached_property
    def links(self) -> list[tuple[str, str]]:
        """(href, text) of the links inside the article body, furniture excluded."""
        return extract_links(self.content, self.furniture) if self.content is not None else []

    def validate(self) -> None:
        """Raise :class:`NotAnArticle` unless the page can make a valid record."""
        if self.kind is not None:
            raise NotAnArticle(self.kind, KIND_DETAILS[self.kind])
        if not self.title:
            raise NotAnArticle("no-title", "no headline in h1, og:title or JSON-LD")
        if not self.published_with_source[0]:
            raise NotAnArticle("no-date", "no publication date in metadata or post meta")
        if not self.paragraphs:
            where = "no content container" if self.content is None else "content is empty"
            raise NotAnArticle("empty-body", where)
        if not self.canonical_url:
            raise NotAnArticle("no-url", "no canonical link and no page URL given")

    def to_item(self) -> Article:
        """The record. Raises :class:`NotAnArticle` for pages that cannot make one."""
        self.validate()
        published, published_source = self.published_with_source
        assert published is not None  # checked by validate()
        sel, main = self.selector, self.main
        loader = ArticleLoader()
        loader.add_value("url", self.canonical_url)
        loader.add_value("title", self.title)
        loader.add_value("subtitle", meta.extract_subtitle(main))
        loader.add_value("published", published)
        loader.add_value("modified", meta.extract_modified(sel, self.jsonld))
        loader.add_value("authors", meta.extract_authors(main, self.jsonld))
        loader.add_value("categories", meta.extract_categories(sel, main, self.jsonld, self.title))
        loader.add_value("tags", meta.extract_tags(main, sel, self.jsonld))
        loader.add_value("summary", meta.extract_summary(sel))
        loader.add_value("image", meta.extract_image(main, sel, self.url))
        loader.add_value("language", self.language)
        loader.add_value("body", self.paragraphs)
        fields = {"authors": [], "categories": [], "tags": [], **loader.load_item()}
        return Article(
            **fields,
            published_date=date_part(published),
            word_count=len(fields["body"].split()),
            reading_time_minutes=meta.extract_reading_time(main),
            quotes=extract_quotes(self.paragraphs),
            contacts=extract_contacts(self.paragraphs, self.links, self.language),
            organisations=extract_organisations(self.paragraphs),
            extraction={"body": "jnews", "published": published_source or "none"},
        )
