"""The harvest report: aggregate merged records (pure) and render one self-contained HTML page.

The page carries everything inline (CSS in a ``<style>``, charts as ``data:`` images made
by :mod:`~scienmag_crawler.analysis.charts`) and no script, so it opens offline, can be
mailed as one file and cannot leak requests. The only links are to the articles themselves;
every text from a record goes through :func:`html.escape`.
"""

from __future__ import annotations

import base64
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from html import escape
from typing import Any

from scienmag_crawler.analysis.records import Merged, Problem, Record
from scienmag_crawler.filled import is_filled
from scienmag_crawler.items import Article
from scienmag_crawler.settings import SCIENMAG_COVERAGE_THRESHOLDS

#: fields every valid record has: anything short of all records is a bug, not the site
REQUIRED_FIELDS = ("schema_version", "url", "title", "published", "published_date", "body")

NO_CATEGORY = "(no category)"
OTHER = "Other"
CONTACT_KINDS = ("emails", "phones", "websites", "social", "people")


def coverage_fields() -> list[str]:
    """Fields measured for coverage: the record's fields in order, ``contacts`` split into its
    lists (an empty ``phones`` everywhere is a break even when emails are still found)."""
    names: list[str] = []
    for f in fields(Article):
        if f.name == "contacts":
            names.extend(f"contacts.{kind}" for kind in CONTACT_KINDS)
        else:
            names.append(f.name)
    return names


def coverage_floors() -> dict[str, float]:
    """The least share expected per field: the crawl monitors' own floors
    (``SCIENMAG_COVERAGE_THRESHOLDS``), so the report flags exactly what would fail a run;
    fields without a floor (subtitle, change, ...) are optional and never flagged."""
    return {**dict.fromkeys(REQUIRED_FIELDS, 1.0), **SCIENMAG_COVERAGE_THRESHOLDS}


def _get(record: Record, name: str) -> Any:
    value: Any = record
    for part in name.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def category_of(record: Record) -> str:
    """The innermost breadcrumb category, the one analysts group by."""
    categories = record["categories"]
    return str(categories[-1]) if categories else NO_CATEGORY


@dataclass(frozen=True, slots=True)
class Coverage:
    """How many records have a field filled."""

    field: str
    filled: int
    total: int
    floor: float | None = None
    """least expected share; ``None`` for an optional field"""

    @property
    def low(self) -> bool:
        return self.floor is not None and self.share < self.floor

    @property
    def share(self) -> float:
        return self.filled / self.total if self.total else 0.0


@dataclass(frozen=True, slots=True)
class Speaker:
    name: str
    quotes: int
    articles: int
    role: str | None


@dataclass(frozen=True, slots=True)
class OrganisationRow:
    name: str
    acronym: str | None
    articles: int
    founded: str | None
    headquarters: str | None


@dataclass(frozen=True, slots=True)
class Newest:
    url: str
    title: str
    published_date: str
    category: str
    quotes: int


@dataclass(slots=True)
class ReportData:
    """Everything the page shows, computed from the records (no HTML here)."""

    files: list[str]
    articles: int
    valid_lines: int
    superseded: int
    problems: list[Problem]
    first_published: str | None
    last_published: str | None
    months: list[str]
    """Every month from the first to the last publication (``YYYY-MM``), gaps included."""
    categories: list[str]
    """Categories shown by name, most articles first; the rest are folded into ``Other``."""
    per_month: dict[str, dict[str, int]]
    """``per_month[month][category]`` = articles (categories as in ``categories`` + Other)."""
    per_category: dict[str, int]
    """Articles per category (all categories, not folded)."""
    coverage: list[Coverage]
    speakers: list[Speaker]
    unattributed_quotes: int
    quote_count: int
    organisations: list[OrganisationRow]
    contact_counts: dict[str, int]
    social_platforms: dict[str, int]
    articles_with_contacts: int
    contact_people: list[tuple[dict[str, Any], str, str]]
    """(person, article url, article title), newest articles first."""
    newest: list[Newest]
    distinct_speakers: int
    distinct_organisations: int
    min_coverage: float | None = None
    """one floor for every field, or ``None`` for the per-field floors"""


def _months(first: str, last: str) -> list[str]:
    """``YYYY-MM`` from ``first`` to ``last`` inclusive.

    >>> _months("2024-11", "2025-02")
    ['2024-11', '2024-12', '2025-01', '2025-02']
    """
    year, month = int(first[:4]), int(first[5:7])
    out = []
    while (year, month) <= (int(last[:4]), int(last[5:7])):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def _newest_first(records: Sequence[Record]) -> list[Record]:
    """Dated records, newest first (``--any-site`` records of undated pages have no place)."""
    dated = [r for r in records if r["published_date"]]
    return sorted(
        dated, key=lambda r: (r["published_date"], r["published"], r["url"]), reverse=True
    )


def summarise(
    merged: Merged,
    *,
    top_categories: int = 8,
    top: int = 15,
    newest: int = 20,
    people: int = 15,
    min_coverage: float | None = None,
) -> ReportData:
    """Aggregate merged records into what the report shows."""
    records = merged.records
    per_category = Counter(category_of(r) for r in records)
    shown = [c for c, _ in per_category.most_common(top_categories)]
    if len(per_category) == top_categories + 1:
        shown = list(per_category)  # folding a single category into "Other" hides its name
        shown.sort(key=lambda c: -per_category[c])
    months_present = sorted({r["published_date"][:7] for r in records if r["published_date"]})
    months = _months(months_present[0], months_present[-1]) if months_present else []
    per_month: dict[str, dict[str, int]] = {m: {} for m in months}
    for r in _newest_first(records):
        cat = category_of(r)
        cell = per_month[r["published_date"][:7]]
        key = cat if cat in shown else OTHER
        cell[key] = cell.get(key, 0) + 1

    total = len(records)
    floors = coverage_floors()
    coverage = [
        Coverage(
            name,
            sum(is_filled(_get(r, name)) for r in records),
            total,
            min_coverage if min_coverage is not None else floors.get(name),
        )
        for name in coverage_fields()
    ]

    quotes_by: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    unattributed = 0
    quote_count = 0
    for r in records:
        for q in r["quotes"]:
            quote_count += 1
            if q["speaker"]:
                quotes_by[q["speaker"]].append((r["url"], q["speaker_role"]))
            else:
                unattributed += 1
    speakers = sorted(
        (
            Speaker(
                name,
                len(items),
                len({u for u, _ in items}),
                next((role for role, _ in Counter(r for _, r in items if r).most_common(1)), None),
            )
            for name, items in quotes_by.items()
        ),
        key=lambda s: (-s.quotes, -s.articles, s.name),
    )[:top]

    orgs: dict[str, dict[str, Any]] = {}
    for r in records:
        for o in r["organisations"]:
            entry = orgs.setdefault(o["name"].casefold(), {"name": o["name"], "urls": set()})
            entry["urls"].add(r["url"])
            for key in ("acronym", "founded", "headquarters"):
                entry.setdefault(key, None)
                entry[key] = entry[key] or o[key]
    organisations = sorted(
        (
            OrganisationRow(
                e["name"], e["acronym"], len(e["urls"]), e["founded"], e["headquarters"]
            )
            for e in orgs.values()
        ),
        key=lambda o: (-o.articles, o.name.casefold()),
    )[:top]

    contact_counts = {
        kind: sum(len(r["contacts"][kind]) for r in records) for kind in CONTACT_KINDS
    }
    platforms = Counter(s["platform"] for r in records for s in r["contacts"]["social"])
    newest_records = _newest_first(records)
    contact_people = [
        (p, r["url"], r["title"]) for r in newest_records for p in r["contacts"]["people"]
    ][:people]
    dates = [r["published_date"] for r in records if r["published_date"]]
    return ReportData(
        files=list(merged.files),
        articles=total,
        valid_lines=merged.valid,
        superseded=merged.superseded,
        problems=list(merged.problems),
        first_published=min(dates) if dates else None,
        last_published=max(dates) if dates else None,
        months=months,
        categories=shown,
        per_month=per_month,
        per_category=dict(per_category.most_common()),
        coverage=coverage,
        speakers=speakers,
        unattributed_quotes=unattributed,
        quote_count=quote_count,
        organisations=organisations,
        contact_counts=contact_counts,
        social_platforms=dict(platforms.most_common()),
        articles_with_contacts=sum(is_filled(r["contacts"]) for r in records),
        contact_people=contact_people,
        newest=[
            Newest(r["url"], r["title"], r["published_date"], category_of(r), len(r["quotes"]))
            for r in newest_records[:newest]
        ],
        distinct_speakers=len(quotes_by),
        distinct_organisations=len(orgs),
        min_coverage=min_coverage,
    )


@dataclass(frozen=True, slots=True)
class Chart:
    """A rendered chart: image bytes, their media type and a text alternative."""

    data: bytes
    media_type: str
    alt: str

    def img(self, css_class: str = "chart") -> str:
        encoded = base64.b64encode(self.data).decode("ascii")
        return (
            f'<img class="{css_class}" src="data:{self.media_type};base64,{encoded}" '
            f'alt="{escape(self.alt)}">'
        )


CSS = """
:root { --ink: #1d2330; --muted: #5b6475; --line: #dfe3ea; --bar: #3b7dd8; --low: #d64541;
        --bg: #f6f7f9; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       color: var(--ink); background: var(--bg); }
header { background: #1d2330; color: #fff; padding: 24px 32px; }
header h1 { margin: 0 0 4px; font-size: 24px; }
header p { margin: 0; color: #c5cbd6; }
main { max-width: 1200px; margin: 0 auto; padding: 16px 32px 48px; }
section { background: #fff; border: 1px solid var(--line); border-radius: 8px;
          padding: 16px 20px; margin: 16px 0; }
h2 { font-size: 18px; margin: 0 0 12px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 12px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; }
.card b { display: block; font-size: 26px; }
.card span { color: var(--muted); font-size: 13px; }
.grid2 { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
.grid2 > section { margin: 0; }
@media (max-width: 900px) { .grid2 { grid-template-columns: 1fr; } }
img.chart { width: 100%; height: auto; display: block; }
table { border-collapse: collapse; width: 100%; font-size: 14px; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--line);
         vertical-align: top; }
th { color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.date { white-space: nowrap; }
td.barcell { width: 45%; }
.bar { height: 14px; background: var(--line); border-radius: 3px; overflow: hidden; }
.bar > span { display: block; height: 100%; background: var(--bar); }
tr.low .bar > span { background: var(--low); }
tr.low td.field { color: var(--low); font-weight: 600; }
.flag { color: #fff; background: var(--low); font-size: 11px; font-weight: 600;
        border-radius: 3px; padding: 0 5px; margin-left: 6px; white-space: nowrap; }
td.field { white-space: nowrap; }
.muted { color: var(--muted); }
a { color: #1f5fbf; text-decoration: none; }
a:hover { text-decoration: underline; }
ul.problems { font-family: ui-monospace, monospace; font-size: 13px; }
"""


def _num(n: float) -> str:
    return f'<td class="num">{n:,}</td>' if isinstance(n, int) else f'<td class="num">{n}</td>'


def _bar(share: float) -> str:
    width = max(0.0, min(1.0, share)) * 100
    return (
        f'<td class="barcell"><div class="bar"><span style="width:{width:.1f}%"></span></div></td>'
    )


def _text(value: Any) -> str:
    return escape(str(value)) if value not in (None, "") else '<span class="muted">–</span>'


def _link(url: str, text: str) -> str:
    return f'<a href="{escape(url)}">{escape(text)}</a>'


def _cards(d: ReportData) -> str:
    contacts = sum(d.contact_counts.values())
    cards = [
        (d.articles, "articles"),
        (d.quote_count, "quotes"),
        (d.distinct_speakers, "speakers quoted"),
        (d.distinct_organisations, "organisations described"),
        (contacts, "contact points"),
        (len(d.per_category), "categories"),
        (len(d.problems), "lines skipped"),
    ]
    return (
        '<div class="cards">'
        + "".join(
            f'<div class="card"><b>{n:,}</b><span>{escape(label)}</span></div>'
            for n, label in cards
        )
        + "</div>"
    )


def _coverage(d: ReportData) -> str:
    rows = []
    for c in d.coverage:
        low = c.low
        expected = "optional" if not c.floor else "all" if c.floor >= 1 else f"≥ {c.floor:.0%}"
        flag = '<span class="flag" title="below the threshold">low</span>' if low else ""
        rows.append(
            f'<tr class="{"low" if low else "ok"}"><td class="field">{escape(c.field)}{flag}</td>'
            f"{_num(c.filled)}{_num(f'{c.share:.0%}')}{_num(expected)}{_bar(c.share)}</tr>"
        )
    rule = (
        f"fields below {d.min_coverage:.0%} are flagged"
        if d.min_coverage is not None
        else "a field is flagged below the floor the crawl's monitors hold it to "
        "(optional fields have none)"
    )
    return (
        '<section id="coverage"><h2>Field coverage</h2>'
        f'<p class="muted">Share of the {d.articles:,} articles where each field is non-empty; '
        f"{rule}. A layout change on the site usually "
        "shows up here first, as a field that is suddenly empty.</p>"
        '<table><thead><tr><th>field</th><th class="num">filled</th><th class="num">share</th>'
        '<th class="num">expected</th><th></th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table></section>"
    )


def _speakers(d: ReportData) -> str:
    most = max((s.quotes for s in d.speakers), default=1)
    rows = "".join(
        f"<tr><td>{escape(s.name)}</td><td>{_text(s.role)}</td>{_num(s.quotes)}"
        f"{_num(s.articles)}{_bar(s.quotes / most)}</tr>"
        for s in d.speakers
    )
    note = (
        f'<p class="muted">{d.quote_count:,} quotes in all; {d.unattributed_quotes:,} without a '
        "named speaker.</p>"
    )
    return (
        '<section id="speakers"><h2>Most-quoted speakers</h2>' + note + "<table><thead><tr>"
        '<th>speaker</th><th>role</th><th class="num">quotes</th><th class="num">articles</th>'
        f"<th></th></tr></thead><tbody>{rows}</tbody></table></section>"
    )


def _organisations(d: ReportData) -> str:
    most = max((o.articles for o in d.organisations), default=1)
    rows = "".join(
        f"<tr><td>{escape(o.name)}</td><td>{_text(o.acronym)}</td>"
        f'<td class="date">{_text(o.founded)}</td>'
        f"<td>{_text(o.headquarters)}</td>{_num(o.articles)}{_bar(o.articles / most)}</tr>"
        for o in d.organisations
    )
    return (
        '<section id="organisations"><h2>Most-mentioned organisations</h2>'
        '<p class="muted">Organisations described in "About …" / "Note to Editors" passages, '
        "by the number of articles describing them.</p><table><thead><tr><th>organisation</th>"
        '<th>acronym</th><th>founded</th><th>headquarters</th><th class="num">articles</th>'
        f"<th></th></tr></thead><tbody>{rows}</tbody></table></section>"
    )


def _contacts(d: ReportData) -> str:
    kinds = "".join(f"<tr><td>{escape(k)}</td>{_num(n)}</tr>" for k, n in d.contact_counts.items())
    platforms = "".join(
        f"<tr><td>{escape(p)}</td>{_num(n)}</tr>" for p, n in d.social_platforms.items()
    )
    people = "".join(
        f"<tr><td>{escape(p['name'])}</td><td>{_text(p['role'])}</td>"
        f"<td>{_text(p['organisation'])}</td><td>{_text(p['email'])}</td>"
        f"<td>{_text(p['phone'])}</td><td>{_link(url, title)}</td></tr>"
        for p, url, title in d.contact_people
    )
    return (
        '<section id="contacts"><h2>Contacts found</h2>'
        f'<p class="muted">{d.articles_with_contacts:,} of {d.articles:,} articles state at '
        "least one contact point.</p>"
        '<div class="grid2"><div><table><thead><tr><th>kind</th><th class="num">found</th>'
        f"</tr></thead><tbody>{kinds}</tbody></table></div><div><table><thead><tr><th>social "
        f'platform</th><th class="num">accounts</th></tr></thead><tbody>{platforms}</tbody>'
        "</table></div></div>"
        f"<h3>Contact people ({len(d.contact_people):,} of {d.contact_counts['people']:,}, "
        "newest articles first)</h3><table><thead><tr><th>name</th>"
        "<th>role</th><th>organisation</th><th>email</th><th>phone</th><th>article</th></tr>"
        f"</thead><tbody>{people}</tbody></table></section>"
    )


def _newest(d: ReportData) -> str:
    rows = "".join(
        f'<tr><td class="num">{escape(n.published_date)}</td><td>{_link(n.url, n.title)}</td>'
        f"<td>{escape(n.category)}</td>{_num(n.quotes)}</tr>"
        for n in d.newest
    )
    return (
        '<section id="newest"><h2>Newest articles</h2><table><thead><tr><th>published</th>'
        '<th>title</th><th>category</th><th class="num">quotes</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></section>"
    )


def _problems(d: ReportData) -> str:
    if not d.problems:
        return (
            '<section id="problems"><h2>Input problems</h2><p class="muted">None: every line '
            "was a valid record.</p></section>"
        )
    shown = d.problems[:100]
    items = "".join(f"<li>{escape(str(p))}</li>" for p in shown)
    more = (
        f'<p class="muted">… and {len(d.problems) - len(shown):,} more.</p>'
        if len(d.problems) > len(shown)
        else ""
    )
    return (
        f'<section id="problems"><h2>Input problems ({len(d.problems):,} skipped)</h2>'
        f'<ul class="problems">{items}</ul>{more}</section>'
    )


def render_html(d: ReportData, charts: Mapping[str, Chart], *, title: str) -> str:
    """The whole page. ``charts`` maps ``months`` and ``categories`` to rendered charts."""
    span = f"published {d.first_published} to {d.last_published}" if d.first_published else "empty"
    files = ", ".join(d.files)
    sub = (
        f"{d.articles:,} articles ({span}) from {len(d.files)} file(s): {files}. "
        f"{d.valid_lines:,} valid lines, {d.superseded:,} older versions dropped, "
        f"{len(d.problems):,} lines skipped."
    )

    def figure(key: str, heading: str, section_id: str) -> str:
        body = charts[key].img() if key in charts else '<p class="muted">No data.</p>'
        return f'<section id="{section_id}"><h2>{escape(heading)}</h2>{body}</section>'

    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(title)}</title><style>{CSS}</style></head><body>",
        f"<header><h1>{escape(title)}</h1><p>{escape(sub)}</p></header><main>",
        _cards(d),
        figure("months", "Articles per month by category", "per-month"),
        '<div class="grid2">',
        figure("categories", "Articles per category", "per-category"),
        _coverage(d),
        "</div>",
        _speakers(d),
        _organisations(d),
        _contacts(d),
        _newest(d),
        _problems(d),
        "</main></body></html>",
    ]
    return "\n".join(parts) + "\n"
