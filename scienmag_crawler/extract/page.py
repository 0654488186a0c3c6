"""``ArticlePage``: one page object per article page, one cached property per field.

Shared intermediates (JSON-LD objects, the main-post node, the paragraphs) are computed
once and reused by every field. ``to_item()`` builds the record through the loader.

The body comes from layers (``layers.py``: JNews, then WordPress, then generic) and the
record says which one answered. ``any_site=True`` (``scienmag-extract --any-site``) relaxes
what only makes sense on scienmag.com: a page need not declare itself an article, the title
and dates are also looked for in generic places, and a page whose date cannot be found
still makes a record (``published`` null, ``extraction["mode"] = "any-site"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from parsel import Selector

from scienmag_crawler.extract import fastsel, generic
from scienmag_crawler.extract import metadata as meta
from scienmag_crawler.extract import selectors as css
from scienmag_crawler.extract.contacts import extract_contacts
from scienmag_crawler.extract.dates import date_part
from scienmag_crawler.extract.errors import NotAnArticle
from scienmag_crawler.extract.jsonld import iter_jsonld
from scienmag_crawler.extract.layers import NONE, Body, extract_body
from scienmag_crawler.extract.loaders import ArticleLoader, join_paragraphs
from scienmag_crawler.extract.organisations import extract_organisations
from scienmag_crawler.extract.page_kind import KIND_DETAILS, classify_page
from scienmag_crawler.extract.quotes import extract_quotes
from scienmag_crawler.items import Article


@dataclass
class ArticlePage:
    """An article page: a parsel ``Selector`` and the URL it came from."""

    selector: Selector
    url: str | None = None
    any_site: bool = False
    """Relax the requirements that only make sense on scienmag.com (see the module doc)."""

    @cached_property
    def jsonld(self) -> list[dict[str, Any]]:
        return list(iter_jsonld(self.selector))

    @cached_property
    def main(self) -> Selector:
        """The main post container: keeps related/popular posts' titles and dates out.

        (``is None``, not ``or``: a ``Selector``'s truth value serialises its whole node.)"""
        found = meta.first_css(self.selector, css.MAIN_POST_CSS)
        return self.selector if found is None else found

    @cached_property
    def kind(self) -> str | None:
        """``None`` for an article, else the reason code of what the page is.

        Any site: only what the body classes say for sure (soft 404, listing, static page)
        rules a page out; most sites do not declare their articles as WordPress does."""
        kind = classify_page(self.selector, self.jsonld)
        return None if self.any_site and kind == "not-an-article" else kind

    @cached_property
    def language(self) -> str | None:
        return meta.extract_language(self.selector)

    @cached_property
    def title(self) -> str | None:
        title = meta.extract_title(self.main, self.selector, self.jsonld)
        if not title and self.any_site:
            return generic.extract_generic_title(self.selector)
        return title

    @cached_property
    def published_with_source(self) -> tuple[str | None, str | None]:
        found = meta.extract_published(self.main, self.selector, self.jsonld, self.language)
        if found[0] or not self.any_site:
            return found
        return generic.extract_generic_published(self.selector, self.jsonld, self.canonical_url)

    @cached_property
    def body(self) -> Body:
        """The body paragraphs and links, from the first layer that has the content."""
        return extract_body(
            self.main,
            self.selector,
            self.canonical_url,
            lambda: generic.headlines(self.selector, self.title),
        )

    @cached_property
    def paragraphs(self) -> list[str]:
        """Clean body paragraphs; quotes and contacts refer to them by index."""
        return self.body.paragraphs

    @cached_property
    def canonical_url(self) -> str | None:
        return meta.extract_url(self.selector, self.url)

    @cached_property
    def links(self) -> list[tuple[str, str]]:
        """(href, text) of the links inside the article body, furniture excluded."""
        return self.body.links

    def validate(self) -> None:
        """Raise :class:`NotAnArticle` unless the page can make a valid record."""
        if self.kind is not None:
            raise NotAnArticle(self.kind, KIND_DETAILS[self.kind])
        if not self.title:
            raise NotAnArticle("no-title", "no headline in h1, og:title or JSON-LD")
        if not self.published_with_source[0] and not self.any_site:
            raise NotAnArticle("no-date", "no publication date in metadata or post meta")
        if not self.paragraphs:
            where = "no content container" if self.body.layer == NONE else "content is empty"
            raise NotAnArticle("empty-body", where)
        if not self.canonical_url:
            raise NotAnArticle("no-url", "no canonical link and no page URL given")

    def to_item(self) -> Article:
        """The record. Raises :class:`NotAnArticle` for pages that cannot make one."""
        try:
            return self._record()
        finally:
            fastsel.forget_pages()  # nothing of this page is needed for the next one

    def _record(self) -> Article:
        self.validate()
        published, published_source = self.published_with_source
        modified, modified_source = generic.extract_modified_with_source(
            self.selector, self.jsonld, self.any_site
        )
        sel, main = self.selector, self.main
        loader = ArticleLoader()
        loader.add_value("url", self.canonical_url)
        loader.add_value("title", self.title)
        loader.add_value("subtitle", meta.extract_subtitle(main))
        loader.add_value("published", published)
        loader.add_value("modified", modified)
        loader.add_value("authors", meta.extract_authors(main, self.jsonld))
        loader.add_value("categories", meta.extract_categories(sel, main, self.jsonld, self.title))
        loader.add_value("tags", meta.extract_tags(main, sel, self.jsonld))
        loader.add_value("summary", meta.extract_summary(sel))
        loader.add_value("image", meta.extract_image(main, sel, self.url))
        loader.add_value("language", self.language)
        fields = {"authors": [], "categories": [], "tags": [], **loader.load_item()}
        fields["body"] = join_paragraphs(self.paragraphs)
        fields.setdefault("published", None)  # any site: a page may state no date
        extraction = {
            "body": self.body.layer,
            "published": published_source or "none",
            "modified": modified_source or "none",
        }
        if self.any_site:
            extraction["mode"] = "any-site"
        return Article(
            **fields,
            published_date=date_part(published) if published else None,
            word_count=len(fields["body"].split()),
            reading_time_minutes=meta.extract_reading_time(main),
            quotes=extract_quotes(self.paragraphs),
            contacts=extract_contacts(self.paragraphs, self.links, self.language),
            organisations=extract_organisations(self.paragraphs),
            extraction=extraction,
        )
