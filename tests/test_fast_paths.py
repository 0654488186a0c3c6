"""The faster paths answer exactly as the plain ones: compiled selectors and the page's meta
tags vs parsel, pages parsed into plain lxml trees vs parsel's own parse, the remembered line
normalisation, the batch extraction and its JSON."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import re
from pathlib import Path

import pytest
from lxml import etree, html
from parsel import Selector

from scienmag_crawler.extract import ArticlePage, NotAnArticle, extract_article, fastsel, parse_html
from scienmag_crawler.extract import selectors as css
from scienmag_crawler.extract import text as text_module
from scienmag_crawler.extract.batch import extract_files, record_json
from tests.conftest import ROOT

PAGES = [
    *sorted((ROOT / "fixtures" / "site" / "scienmag.com").glob("*/index.html"))[:6],
    *sorted((ROOT / "fixtures" / "variants").glob("*.html")),
]
#: class lists XPath splits differently from str.split, ids repeated, classes on the root,
#: anchors whose name libxml2 files in its ID table like an id, a class written twice, classes
#: that begin with another class's name
TRICKY_PAGE = """<html class="jeg_root"><body><a name="breadcrumbs"></a><a name="anchor-only"></a>
<div id="breadcrumbs" class="jeg_main">a</div><div id="breadcrumbs">b</div>
<div class="x\tjeg_meta_container\njeg_post_meta">c<span class="jeg_meta_date">d</span></div>
<div class="x\u00a0jeg_meta_container">e</div><p class="jeg_main">f</p>
<div class="jeg_breadcrumbs jeg_main"><a class="jeg_meta_author">g</a></div>
<div class="jeg_featured"><img src="h"></div><i class="jeg_post_tags  jeg_post_tags">i</i>
<b class="jeg_post_tags_x jeg_mainx">j</b><u class="\njeg_post_tags\r">k</u></body></html>"""
META_XPATH = "//head/meta[@property=$n or @name=$n]/@content | //meta[@property=$n]/@content"


def _queries() -> list[str]:
    found = []
    for name in dir(css):
        value = getattr(css, name)
        if name.endswith("_CSS"):
            found += [q for q in (value if isinstance(value, tuple) else (value,)) if "::" not in q]
    extra = [
        ".jeg_meta_container.jeg_post_meta",
        "div.jeg_main, p.jeg_main",
        ".jeg_root",
        "#breadcrumbs",
        "#anchor-only",
        "div.jeg_main a.jeg_meta_author",
        ".jeg_breadcrumbs .jeg_meta_author, body i",
        "body div span.jeg_meta_date",
        "div .jeg_post_tags",
        ".x u",
        "html div.jeg_main",
        "p.jeg_main, div.x",
    ]
    return [*found, *extra, "a[href]", "div p", "h1", "a", "A[HREF]", "img[data-src]", "html"]


def _page_id(page: Path | str) -> str:
    return "tricky" if isinstance(page, str) else page.parent.name[:30] or page.stem


@pytest.mark.parametrize("page", [*PAGES, TRICKY_PAGE], ids=_page_id)
def test_compiled_css_selects_what_parsel_selects(page: Path | str) -> None:
    text = page if isinstance(page, str) else page.read_text(encoding="utf-8")
    sel = Selector(text=text, type="html")
    main = sel.css("div.jeg_singlepage, body")[0]
    parts = sel.css("div.jeg_main, .jeg_meta_container, .jeg_post_meta, .amp-wp-article")
    for context in (sel, main, *parts[:4]):
        for query in _queries():
            assert fastsel.css_nodes(context, query) == [n.root for n in context.css(query)]
            first = fastsel.first_css(context, query)
            found = context.css(query)
            assert (first.root if first else None) == (found[0].root if found else None)
    assert fastsel.texts(main) == main.xpath(".//text()").getall()


@pytest.mark.parametrize("page", [*PAGES, TRICKY_PAGE], ids=_page_id)
def test_compiled_xpath_selects_what_parsel_selects(page: Path | str) -> None:
    text = page if isinstance(page, str) else page.read_text(encoding="utf-8")
    sel = Selector(text=text, type="html")
    queries = [getattr(css, n) for n in dir(css) if n.endswith("_XPATH")]
    queries += ["/html/head/meta/@content", "/html/body", "/body/@class", "/html/@lang"]
    crumbs = sel.css(css.BREADCRUMB_CSS)
    for context in (sel, *crumbs[:1], *sel.css("div.jeg_main, body")[:1]):
        for query in queries:
            # a parsel result's root is the lxml node or the string
            found = [f.root for f in context.xpath(query)]
            assert fastsel.xpath(context, query) == found, query
            assert fastsel.xpath_first(context, query) == (found[0] if found else None), query


def _record_or_reason(sel: Selector, any_site: bool) -> object:
    page = ArticlePage(sel, "https://scienmag.com/page/", any_site=any_site)
    try:
        record = dataclasses.asdict(page.to_item())
    except NotAnArticle as exc:
        return exc.reason
    del record["crawled_at"]
    return record


@pytest.mark.parametrize("page", [PAGES[0], TRICKY_PAGE], ids=_page_id)
def test_class_index_lists_each_element_of_a_class_once(page: Path | str) -> None:
    text = page if isinstance(page, str) else page.read_text(encoding="utf-8")
    document = parse_html(text).root
    mark = fastsel.INDEXED_CLASS_MARK
    marked = [e for e in document.iter(etree.Element) if mark in e.get("class", "")]
    # a class test splits the attribute on XML whitespace only (not on a no-break space)
    classes = [set(re.split("[ \t\r\n]+", e.get("class"))) - {""} for e in marked]
    index = fastsel._ClassIndex(document)
    for name in sorted(set().union(*classes) | {"jeg_", "jeg_mai", "jeg_post_tag"}):
        expected = [(n, e) for n, e in enumerate(marked) if name in classes[n]]
        assert index.get(name) == expected, name
        assert index.get(name) is index.get(name)  # picked out once


@pytest.mark.parametrize("page", PAGES, ids=_page_id)
def test_plain_tree_extracts_what_parsels_tree_extracts(page: Path) -> None:
    text = page.read_text(encoding="utf-8")
    plain = parse_html(text, "https://scienmag.com/page/")
    parsels = Selector(text=text, type="html")
    # the point of parse_html: no lxml.html element classes, the same tree
    assert type(plain.root) is etree._Element
    assert isinstance(parsels.root, html.HtmlElement)
    assert etree.tostring(plain.root) == etree.tostring(parsels.root)
    assert parse_html(text.encode("utf-8")).get() == plain.get()
    for any_site in (False, True):
        assert _record_or_reason(plain, any_site) == _record_or_reason(parsels, any_site)


_EDGES = ["", " ", "\n", "\r\n\t", "\x0c", "\x1c", "\x85", "\xa0", "\u3000", "\x00", "\n\x00 \xa0"]


@pytest.mark.parametrize("end", _EDGES, ids=repr)
@pytest.mark.parametrize("start", _EDGES, ids=repr)
def test_text_is_parsed_as_parsel_parses_it_whatever_whitespace_ends_it(
    start: str, end: str
) -> None:
    # parsel strips text of every kind of whitespace, bytes of ASCII whitespace only:
    # parse_html strips the text itself only when that differs
    for middle in ("<html><body><p>Text é</p></body></html>", "plain words", ""):
        text = start + middle + end
        found = etree.tostring(parse_html(text).root)
        assert found == etree.tostring(parse_html(text.strip().encode("utf-8")).root)
        if "\x00" not in text:
            # (parsel drops NULs from text after stripping it, from bytes before)
            assert found == etree.tostring(Selector(text=text, type="html").root), repr(text)


def test_meta_tags_answer_as_the_meta_xpath() -> None:
    html = (
        "<html><head><meta name='description' content='head name'>"
        "<meta property='og:title' content=''><meta property='og:title' content='second'>"
        "<meta name='x' property='og:url' content='https://a/'><meta name='nocontent'>"
        "<noscript><meta name='nested' content='no'></noscript></head>"
        "<body><meta name='description' content='body name'>"
        "<meta property='og:image' content='body property'></body></html>"
    )
    for sel in (Selector(text=html), *[Selector(text=p.read_text("utf-8")) for p in PAGES]):
        tags = fastsel.meta_tags(sel)
        names = {m.attrib.get("name") for m in sel.xpath("//meta")} | {
            m.attrib.get("property") for m in sel.xpath("//meta")
        }
        for name in names - {None}:
            assert tags.get(name) == sel.xpath(META_XPATH, n=name).get(), name


def test_normalised_lines_are_remembered_and_idempotent() -> None:
    raw = " a\u00a0 b \u200b\n\n c\t"
    text_module._NORMALISED_LINES.clear()
    clean = text_module.normalise_lines(raw)
    assert clean == "a b\nc"
    text_module._NORMALISED_LINES.clear()
    assert text_module.normalise_lines(clean) == clean
    assert text_module._NORMALISED_LINES[clean] == clean


def test_clear_memos_forgets_the_pages_seen() -> None:
    from scienmag_crawler.extract import clear_memos, contacts  # noqa: PLC0415

    page = PAGES[0].read_text(encoding="utf-8")
    before = dataclasses.asdict(extract_article(page))
    text_module.normalise_lines(" remembered  line ")
    contacts._place_of("+33561334720")
    clear_memos()
    assert not text_module._NORMALISED_LINES
    assert contacts._place_of.cache_info().currsize == 0
    after = dataclasses.asdict(extract_article(page))
    before.pop("crawled_at"), after.pop("crawled_at")
    assert after == before


@pytest.mark.parametrize("html", [PAGES[0].read_text(encoding="utf-8"), "<p>not a post</p>"])
def test_a_pages_tree_is_let_go_once_its_record_is_made(html: str) -> None:
    """Memos of the last page (class index, meta tags, post meta) would keep its whole tree
    alive until the next page: they are emptied when the record is made, or refused."""
    page = ArticlePage(parse_html(html, "https://scienmag.com/page/"), "https://scienmag.com/p/")
    assert page.main is not None and fastsel.meta_tags(page.selector) is not None
    assert any(memo._key is not None for memo in fastsel._MEMOS)  # filled while extracting
    with contextlib.suppress(NotAnArticle):
        page.to_item()
    assert fastsel._MEMOS and all(memo._key is memo._value is None for memo in fastsel._MEMOS)


def test_record_json_is_the_asdict_json() -> None:
    for page in PAGES:
        article = extract_article(page.read_text(encoding="utf-8"))
        assert record_json(article) == json.dumps(dataclasses.asdict(article), ensure_ascii=False)


def test_batch_keeps_input_order_across_workers(tmp_path: Path) -> None:
    missing = tmp_path / "missing.html"
    paths = [*PAGES, missing, *PAGES[:2]]
    alone = list(extract_files(paths, jobs=1))
    pooled = list(extract_files(paths, jobs=2))
    assert pooled == alone
    assert [o.path for o in pooled] == paths
    assert pooled[len(PAGES)].error and pooled[len(PAGES)].error.startswith("cannot read")
    assert all(o.line for o in pooled if o.path != missing)
