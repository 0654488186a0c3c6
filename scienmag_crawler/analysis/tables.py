"""Article records → tidy, linked tables with fixed columns and types; CSV and Parquet output.

The column lists below are the contract documented in ``schema/tables.md`` (a test keeps the
two in step): names, order and types do not change within a ``schema_version``. Every child
table links to ``articles`` by ``article_url``; list items keep their 0-based ``position`` in
the record, so the record's lists can be rebuilt exactly from the tables.

Building rows is pure (:func:`build_tables`). CSV is written with the csv module and always
works; Parquet needs pyarrow, the optional extra ``parquet``, and is written with an explicit
schema so that types never depend on the data.
"""

from __future__ import annotations

import csv
import importlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal

from scienmag_crawler.analysis.records import Record, Source, parse_timestamp

ColumnType = Literal["string", "integer", "date", "timestamp"]
Row = tuple[Any, ...]

LIST_SEPARATOR = "; "
"""Joins list fields (authors, categories, tags) into one ``articles`` cell."""

PARQUET_EXTRA_HINT = "pip install 'scienmag-crawler[parquet]'"


class MissingExtraError(RuntimeError):
    """An output format needs an optional dependency that is not installed."""


@dataclass(frozen=True, slots=True)
class Column:
    """One column: name, logical type, whether it may be null, what it holds."""

    name: str
    type: ColumnType
    nullable: bool
    description: str


@dataclass(frozen=True, slots=True)
class Table:
    """A table's contract: name, row key, columns in order."""

    name: str
    key: tuple[str, ...]
    description: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


def _c(name: str, type_: ColumnType, description: str, *, nullable: bool = True) -> Column:
    return Column(name, type_, nullable, description)


def _ref(name: str = "article_url") -> Column:
    return _c(name, "string", "The article's `url` (links to `articles.url`).", nullable=False)


def _pos(what: str) -> Column:
    return _c("position", "integer", f"0-based position in the record's {what}.", nullable=False)


def _org_ref() -> tuple[Column, Column]:
    return (
        _c(
            "organisation_position",
            "integer",
            "The organisation's `position` (links to `organisations`).",
            nullable=False,
        ),
        _c("organisation", "string", "The organisation's name, for reading.", nullable=False),
    )


def _list_table(name: str, field: str, value: str, description: str) -> Table:
    return Table(
        name,
        ("article_url", "position"),
        f"One row per entry of the record's `{field}`.",
        (_ref(), _pos(f"`{field}`"), _c(value, "string", description, nullable=False)),
    )


TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "articles",
            ("url",),
            "One row per article: the record's flat fields, list fields joined, counts.",
            (
                _c("url", "string", "Canonical article URL (the key).", nullable=False),
                _c("title", "string", "Headline.", nullable=False),
                _c("subtitle", "string", "Standfirst, when the post has one."),
                _c("summary", "string", "The page's own short description."),
                _c(
                    "published",
                    "string",
                    "Publication date-time as in the record (ISO 8601; date alone when the "
                    "page gives no time).",
                ),
                _c(
                    "published_date",
                    "date",
                    "Publication date (empty only for `--any-site` records of undated pages).",
                ),
                _c("modified", "string", "Last-modified ISO 8601 date-time, as in the record."),
                _c(
                    "category",
                    "string",
                    "The innermost breadcrumb category (last of `categories`).",
                ),
                _c("categories", "string", 'Breadcrumb path, outermost first, joined by "; ".'),
                _c("authors", "string", 'Bylines joined by "; ".'),
                _c("tags", "string", 'Tags joined by "; ".'),
                _c("language", "string", "Language tag (`en-US`)."),
                _c("word_count", "integer", "Words in `body`.", nullable=False),
                _c("reading_time_minutes", "integer", "Reading time the page states."),
                _c("image", "string", "Featured image URL."),
                _c(
                    "body",
                    "string",
                    "Article text, paragraphs separated by a blank line.",
                    nullable=False,
                ),
                _c("quote_count", "integer", "Rows in `quotes`.", nullable=False),
                _c("contact_count", "integer", "Rows in `contacts`.", nullable=False),
                _c("organisation_count", "integer", "Rows in `organisations`.", nullable=False),
                _c(
                    "extraction",
                    "string",
                    "The record's `extraction` map as compact JSON with sorted keys.",
                    nullable=False,
                ),
                _c("change", "string", "Harvest runs: `new` or `updated`; else null."),
                _c("crawled_at", "timestamp", "When the page was fetched (UTC)."),
                _c("schema_version", "string", "Record format version.", nullable=False),
                _c(
                    "source_file",
                    "string",
                    "Input file the kept version was read from.",
                    nullable=False,
                ),
                _c("source_line", "integer", "Its 1-based line in that file.", nullable=False),
            ),
        ),
        _list_table("article_authors", "authors", "author", "Byline."),
        _list_table(
            "article_categories", "categories", "category", "Breadcrumb entry (0 = outermost)."
        ),
        _list_table("article_tags", "tags", "tag", "Tag."),
        Table(
            "quotes",
            ("article_url", "position"),
            "One row per direct quotation.",
            (
                _ref(),
                _pos("`quotes`"),
                _c("paragraph", "integer", "0-based body paragraph where the quotation starts."),
                _c("speaker", "string", "Speaker's full name as resolved in the article."),
                _c("speaker_role", "string", "Speaker's title/affiliation as stated."),
                _c("text", "string", "The quoted words, without quotation marks.", nullable=False),
            ),
        ),
        Table(
            "contacts",
            ("article_url", "kind", "position"),
            "One row per contact point: every entry of `contacts.emails`, `.phones`, "
            "`.websites`, `.social` and `.people`.",
            (
                _ref(),
                _c(
                    "kind",
                    "string",
                    "`email`, `phone`, `website`, `social` or `person`.",
                    nullable=False,
                ),
                _c(
                    "position",
                    "integer",
                    "0-based position in that list of `contacts`.",
                    nullable=False,
                ),
                _c(
                    "value",
                    "string",
                    "The address, E.164 number, website, handle or person's name.",
                    nullable=False,
                ),
                _c("raw", "string", "Phones: the number as written."),
                _c("platform", "string", "Social: lower-case platform (`x`, `bluesky`, ...)."),
                _c("url", "string", "Social: profile URL when given or derivable."),
                _c(
                    "person",
                    "string",
                    "The contact person this point belongs to (person rows: the name; emails "
                    "and phones: the person listed with that address or number).",
                ),
                _c("role", "string", "That person's role as stated."),
                _c("organisation", "string", "That person's organisation as stated."),
                _c("email", "string", "Person rows: the person's email."),
                _c("phone", "string", "Person rows: the person's phone (E.164)."),
            ),
        ),
        Table(
            "organisations",
            ("article_url", "position"),
            'One row per organisation described in an "About X" / "Note to Editors" passage.',
            (
                _ref(),
                _pos("`organisations`"),
                _c("name", "string", "Full name.", nullable=False),
                _c("acronym", "string", "Acronym as given."),
                _c("founded", "string", "Founding year `YYYY` or date `YYYY-MM-DD`."),
                _c("founded_year", "integer", "The year of `founded`."),
                _c("headquarters", "string", "Headquarters as stated."),
                _c("website", "string", "Website as written."),
            ),
        ),
        Table(
            "organisation_facts",
            ("article_url", "organisation_position", "position"),
            "One row per short factual statement about an organisation.",
            (
                _ref(),
                *_org_ref(),
                _pos("organisation's `facts`"),
                _c("fact", "string", "The statement.", nullable=False),
            ),
        ),
        Table(
            "organisation_member_counts",
            ("article_url", "organisation_position", "position"),
            'One row per structured count stated about an organisation ("46 institutions").',
            (
                _ref(),
                *_org_ref(),
                _pos("organisation's `member_counts`"),
                _c("count", "integer", "The number.", nullable=False),
                _c("of", "string", "What is counted, as written.", nullable=False),
            ),
        ),
        Table(
            "organisation_social",
            ("article_url", "organisation_position", "position"),
            "One row per social account the passage places with an organisation.",
            (
                _ref(),
                *_org_ref(),
                _pos("organisation's `social`"),
                _c("platform", "string", "Lower-case platform.", nullable=False),
                _c("handle", "string", "The account as written.", nullable=False),
                _c("url", "string", "Profile URL when given or derivable."),
            ),
        ),
    )
}


def _join(values: Sequence[str]) -> str | None:
    return LIST_SEPARATOR.join(values) if values else None


def _founded_year(founded: str | None) -> int | None:
    """``"1958"`` / ``"1958-10-04"`` → 1958; anything else → None.

    >>> _founded_year("1958-10-04"), _founded_year(None), _founded_year("ca. 1900")
    (1958, None, None)
    """
    if founded and len(founded) >= 4 and founded[:4].isdigit():
        return int(founded[:4])
    return None


def _contact_rows(url: str, contacts: Mapping[str, Any]) -> list[Row]:
    people = contacts["people"]
    by_email = {p["email"]: p for p in people if p["email"]}
    by_phone = {p["phone"]: p for p in people if p["phone"]}

    def owner(person: Mapping[str, Any] | None) -> tuple[Any, Any, Any]:
        if person is None:
            return (None, None, None)
        return (person["name"], person["role"], person["organisation"])

    rows: list[Row] = []
    for i, email in enumerate(contacts["emails"]):
        who = owner(by_email.get(email))
        rows.append((url, "email", i, email, None, None, None, *who, None, None))
    for i, phone in enumerate(contacts["phones"]):
        who = owner(by_phone.get(phone["e164"]))
        rows.append((url, "phone", i, phone["e164"], phone["raw"], None, None, *who, None, None))
    for i, site in enumerate(contacts["websites"]):
        rows.append((url, "website", i, site, *[None] * 8))
    for i, acc in enumerate(contacts["social"]):
        rows.append(
            (url, "social", i, acc["handle"], None, acc["platform"], acc["url"], *[None] * 5)
        )
    for i, p in enumerate(people):
        rows.append(
            (url, "person", i, p["name"], None, None, None, *owner(p), p["email"], p["phone"])
        )
    return rows


def build_tables(records: Sequence[Record], sources: Sequence[Source]) -> dict[str, list[Row]]:
    """Rows of every table in :data:`TABLES`, in column order, as Python values (str, int,
    :class:`~datetime.date`, aware UTC :class:`~datetime.datetime`, None).

    ``records`` must be valid records (as :func:`~scienmag_crawler.analysis.records.read_records`
    returns them); ``sources`` says where each was read.
    """
    out: dict[str, list[Row]] = {name: [] for name in TABLES}
    for record, source in zip(records, sources, strict=True):
        url = record["url"]
        contacts = _contact_rows(url, record["contacts"])
        out["contacts"].extend(contacts)
        categories = record["categories"]
        crawled = record["crawled_at"]
        out["articles"].append(
            (
                url,
                record["title"],
                record["subtitle"],
                record["summary"],
                record["published"],
                date.fromisoformat(record["published_date"]) if record["published_date"] else None,
                record["modified"],
                categories[-1] if categories else None,
                _join(categories),
                _join(record["authors"]),
                _join(record["tags"]),
                record["language"],
                record["word_count"],
                record["reading_time_minutes"],
                record["image"],
                record["body"],
                len(record["quotes"]),
                len(contacts),
                len(record["organisations"]),
                json.dumps(record["extraction"], sort_keys=True, ensure_ascii=False),
                record["change"],
                parse_timestamp(crawled) if crawled else None,
                record["schema_version"],
                source.file,
                source.line,
            )
        )
        for table, field in (
            ("article_authors", "authors"),
            ("article_categories", "categories"),
            ("article_tags", "tags"),
        ):
            out[table].extend((url, i, v) for i, v in enumerate(record[field]))
        out["quotes"].extend(
            (url, i, q["paragraph"], q["speaker"], q["speaker_role"], q["text"])
            for i, q in enumerate(record["quotes"])
        )
        for o, org in enumerate(record["organisations"]):
            name = org["name"]
            out["organisations"].append(
                (
                    url,
                    o,
                    name,
                    org["acronym"],
                    org["founded"],
                    _founded_year(org["founded"]),
                    org["headquarters"],
                    org["website"],
                )
            )
            out["organisation_facts"].extend(
                (url, o, name, i, fact) for i, fact in enumerate(org["facts"])
            )
            out["organisation_member_counts"].extend(
                (url, o, name, i, m["count"], m["of"]) for i, m in enumerate(org["member_counts"])
            )
            out["organisation_social"].extend(
                (url, o, name, i, s["platform"], s["handle"], s["url"])
                for i, s in enumerate(org["social"])
            )
    return out


def _csv_cell(value: Any) -> Any:
    """CSV text of a value: null → empty; dates and times in ISO 8601."""
    if value is None:
        return ""
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def _replace_atomically(path: Path, write: Any) -> None:
    """Write through a temporary file so a reader never sees half a table."""
    tmp = path.with_name(f".{path.name}.tmp")
    write(tmp)
    tmp.replace(path)


def write_csv(tables: Mapping[str, list[Row]], out_dir: Path) -> list[Path]:
    """Write ``<table>.csv`` per table (UTF-8, header row, minimal quoting, ``\\n`` lines)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in tables.items():
        path = out_dir / f"{name}.csv"

        def write(tmp: Path, name: str = name, rows: list[Row] = rows) -> None:
            with tmp.open("w", encoding="utf-8", newline="") as fh:
                writer = csv.writer(fh, lineterminator="\n")
                writer.writerow(TABLES[name].column_names)
                writer.writerows([_csv_cell(v) for v in row] for row in rows)

        _replace_atomically(path, write)
        written.append(path)
    return written


def _pyarrow() -> tuple[Any, Any]:
    """``pyarrow`` and ``pyarrow.parquet``, or a clear error naming the extra."""
    try:
        pa = importlib.import_module("pyarrow")
        pq = importlib.import_module("pyarrow.parquet")
    except ImportError as exc:
        raise MissingExtraError(f"Parquet output needs pyarrow: {PARQUET_EXTRA_HINT}") from exc
    return pa, pq


def arrow_schema(table: Table) -> Any:
    """The explicit pyarrow schema of ``table`` (column descriptions as field metadata)."""
    pa, _ = _pyarrow()
    types = {
        "string": pa.string(),
        "integer": pa.int64(),
        "date": pa.date32(),
        "timestamp": pa.timestamp("us", tz="UTC"),
    }
    return pa.schema(
        [
            pa.field(
                c.name, types[c.type], nullable=c.nullable, metadata={"description": c.description}
            )
            for c in table.columns
        ],
        metadata={"table": table.name, "key": ",".join(table.key)},
    )


def write_parquet(tables: Mapping[str, list[Row]], out_dir: Path) -> list[Path]:
    """Write ``<table>.parquet`` per table with its explicit schema (needs pyarrow)."""
    pa, pq = _pyarrow()
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, rows in tables.items():
        schema = arrow_schema(TABLES[name])
        columns = list(zip(*rows, strict=True)) if rows else [()] * len(schema)
        arrow_table = pa.table(
            [pa.array(list(col), type=f.type) for col, f in zip(columns, schema, strict=True)],
            schema=schema,
        )
        path = out_dir / f"{name}.parquet"
        _replace_atomically(path, lambda tmp, t=arrow_table: pq.write_table(t, tmp))
        written.append(path)
    return written


def csv_read_options(name: str) -> dict[str, Any]:
    """Keyword arguments for ``pandas.read_csv`` that give a CSV table its documented dtypes.

    Empty cells are nulls and nothing else is (so a tag "NA" stays text); nullable integers
    become ``Int64``, dates and timestamps are parsed.

    >>> opts = csv_read_options("quotes")
    >>> opts["dtype"]["paragraph"], opts["dtype"]["text"], opts["parse_dates"]
    ('Int64', 'string', [])
    """
    table = TABLES[name]
    dtype = {
        c.name: ("string" if c.type == "string" else "int64" if not c.nullable else "Int64")
        for c in table.columns
        if c.type in ("string", "integer")
    }
    return {
        "dtype": dtype,
        "parse_dates": [c.name for c in table.columns if c.type in ("date", "timestamp")],
        "keep_default_na": False,
        "na_values": [""],
    }
