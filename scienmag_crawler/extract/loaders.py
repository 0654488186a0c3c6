"""Field cleaning as item-loader processors: small functions, composed per field.

The page object decides *which* nodes hold a field; these processors decide what the
values look like (whitespace, duplicates, boilerplate paragraphs). The loader fills a plain
dict that becomes the typed :class:`~scienmag_crawler.items.Article`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

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

    def get_input_processor(self, field_name: str) -> Callable[..., Any]:
        """The field's input processor, looked up once per loader and item class: each
        look-up makes an ``ItemAdapter`` of the item to read the field's metadata, and a
        record adds eleven fields (a third of the loader's time went to finding them)."""
        return self._processor(field_name, "in", super().get_input_processor)

    def get_output_processor(self, field_name: str) -> Callable[..., Any]:
        """The field's output processor, looked up once per loader and item class."""
        return self._processor(field_name, "out", super().get_output_processor)

    def _processor(
        self, field_name: str, kind: str, look_up: Callable[[str], Callable[..., Any]]
    ) -> Callable[..., Any]:
        key = (type(self), type(self.item), field_name, kind)
        if (found := _PROCESSORS.get(key)) is None:
            found = _PROCESSORS[key] = look_up(field_name)
        return found


#: processors are declared on the loader class (``<field>_in``/``_out``, the defaults) or in
#: the item class's field metadata: both are fixed once the classes are made
_PROCESSORS: dict[tuple[type, type, str, str], Callable[..., Any]] = {}
