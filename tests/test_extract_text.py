"""Text normalisation keeps the characters that belong to words."""

from __future__ import annotations

import re

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


@pytest.mark.parametrize(
    "text",
    [
        "see www.x.org or http://y.org, WWW.Z.ORG and wWw.q.io\nno mark here\nhttps://a.b/c",
        "://\nwww.\nWwW.a.org",
        "nothing at all",
        "",
    ],
)
def test_literal_guards_find_what_the_regex_guard_finds(text: str) -> None:
    from scienmag_crawler.extract.text import Literals, finditer_lines  # noqa: PLC0415

    rx = re.compile(r"(?:https?://|[Ww][Ww][Ww]\.)[^\s,]+")
    regex_guard = re.compile(r"://|[Ww][Ww][Ww]\.")
    literal_guard = Literals("://", *(f"{a}{b}{c}." for a in "wW" for b in "wW" for c in "wW"))
    found = [m.span() for m in finditer_lines(rx, literal_guard, text)]
    assert found == [m.span() for m in finditer_lines(rx, regex_guard, text)]
    assert found == [m.span() for m in rx.finditer(text)]
    hits = [(h.start(), h.end()) for h in regex_guard.finditer(text)]
    assert [(h.start(), h.end()) for h in _all_hits(literal_guard, text)] == hits


def test_a_literal_scanner_finds_what_search_finds() -> None:
    from scienmag_crawler.extract.text import Literals  # noqa: PLC0415

    text = "www.a ://b WWW.c www.d\n://e wWw." * 3
    guard = Literals("://", *(f"{a}{b}{c}." for a in "wW" for b in "wW" for c in "wW"))
    search = guard.scanner(text)
    for pos in [*range(len(text) + 2), 5, 0, 40]:  # forwards, then back
        assert search(pos) == guard.search(text, pos), pos


def _all_hits(guard: object, text: str) -> list[object]:
    hits, pos = [], 0
    while (hit := guard.search(text, pos)) is not None:  # type: ignore[attr-defined]
        hits.append(hit)
        pos = hit.end()
    return hits


def test_every_invisible_character_is_removed_on_the_quick_path() -> None:
    """``_visible`` tests for the invisible characters one by one before translating: each
    character of the translation table must be among those it tests."""
    from scienmag_crawler.extract import text as text_module  # noqa: PLC0415

    for code in text_module._INVISIBLE:
        sample = f"“a{chr(code)}b”"
        assert text_module._visible(sample) == "“ab”", hex(code)
        assert normalise_whitespace(sample) == "“ab”"
