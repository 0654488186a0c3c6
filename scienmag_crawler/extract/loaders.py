"""Field cleaning as item-loader processors: small functions, composed per field.

The page object decides *which* nodes hold a field; these processors decide what the
values look like (whitespace, duplicates, boilerplate paragraphs). The loader fills a plain
dict that becomes the typed :class:`~scienmag_crawler.items.Article`.
"""

from __future__ import annotations

from collections.abc import Iterable

from itemloaders import ItemLoader
from itemloaders.processors import Join, MapCompose, TakeFirst

from scienmag_crawler.extract.body import is_boilerplate
from scienmag_crawler.extract.text import normalise_lines, normalise_whitespace, unique


def drop_boilerplate(paragraph: str) -> str | None:
    """Input processor: ``None`` (dropped) for a furniture paragraph."""
    return None if is_boilerplate(paragraph) else paragraph


def unique_list(values: Iterable[str]) -> list[str]:
    """Output processor: first occurrence of each value, in order."""
    return unique(values)


#: the paragraph cleaning chain; the page object also uses it so paragraph indices agree
clean_paragraphs = MapCompose(normalise_lines, drop_boilerplate)
#: the record's ``body``: the cleaned paragraphs, a blank line between them. The body layers
#: already ran each paragraph through :data:`clean_paragraphs`, so the page joins them only.
join_paragraphs = Join("\n\n")


class ArticleLoader(ItemLoader):
    """Loader for the article record; one input/output processor pair per cleaned field."""

    default_item_class = dict
    default_input_processor = MapCompose(normalise_whitespace)
    default_output_processor = TakeFirst()

    authors_out = unique_list
    categories_out = unique_list
    tags_out = unique_list
