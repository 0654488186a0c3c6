"""Text normalisation keeps the characters that belong to words."""

from __future__ import annotations

import pytest

from scienmag_crawler.extract.text import normalise_lines, normalise_whitespace

PERSIAN = "می\u200cخواهم"  # "I want": the non-joiner keeps the prefix apart from the verb
FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one emoji joined by zero-width joiners


@pytest.mark.parametrize("normalise", [normalise_whitespace, normalise_lines])
@pytest.mark.parametrize("word", [PERSIAN, FAMILY])
def test_zero_width_joiners_are_kept(normalise, word):
    assert normalise(f" {word}\u00a0 ") == word


@pytest.mark.parametrize("normalise", [normalise_whitespace, normalise_lines])
def test_invisible_characters_are_dropped(normalise):
    assert normalise("\ufeffco\u00adoper\u200bation\u2060") == "cooperation"
