"""``scienmag-tables``: crawl output → linked tables, read back with pandas (CSV and Parquet)."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

from scienmag_crawler.analysis import cli_tables
from scienmag_crawler.analysis.records import Problem, check_record, read_records
from scienmag_crawler.analysis.tables import TABLES, arrow_schema, csv_read_options
from tests.conftest import ROOT
from tests.support.snapshot_crawl import snapshot_crawl

TABLES_DOC = ROOT / "scienmag_crawler" / "schema" / "tables.md"
CHILD_TABLES = [name for name in TABLES if name != "articles"]


def load_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def write_jsonl(path: Path, lines: list[dict[str, Any] | str]) -> Path:
    text = "".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines)
    path.write_text(text, encoding="utf-8")
    return path


def run_cli(*argv: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = cli_tables.main(list(argv))
    return code, capsys.readouterr().err


@pytest.fixture(scope="module")
def crawl_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return snapshot_crawl(tmp_path_factory)


@pytest.fixture(scope="module")
def records(crawl_file: Path) -> list[dict[str, Any]]:
    return load_jsonl(crawl_file)


@pytest.fixture(scope="module")
def tables_dir(crawl_file: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("tables")
    code = cli_tables.main(
        [str(crawl_file), "--out", str(out), "--format", "csv", "--format", "parquet"]
    )
    assert code == 0
    return out


def read_csv(tables_dir: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(tables_dir / f"{name}.csv", **csv_read_options(name))


def read_parquet(tables_dir: Path, name: str) -> pd.DataFrame:
    return pd.read_parquet(tables_dir / f"{name}.parquet", dtype_backend="pyarrow")


# --- files, columns, types ---------------------------------------------------------------


def test_every_table_is_written_in_both_formats(tables_dir: Path) -> None:
    written = {p.name for p in tables_dir.iterdir()}
    assert written == {f"{n}.{ext}" for n in TABLES for ext in ("csv", "parquet")}


@pytest.mark.parametrize("name", list(TABLES))
def test_csv_reads_back_with_the_documented_columns_and_dtypes(tables_dir: Path, name: str) -> None:
    df = read_csv(tables_dir, name)
    assert list(df.columns) == TABLES[name].column_names
    for col in TABLES[name].columns:
        dtype = df[col.name].dtype
        if col.type == "string":
            assert isinstance(dtype, pd.StringDtype), (col.name, dtype)
        elif col.type == "integer":
            assert str(dtype) == ("Int64" if col.nullable else "int64"), (col.name, dtype)
        elif col.type == "date":
            assert pd.api.types.is_datetime64_dtype(dtype), (col.name, dtype)
        else:
            assert isinstance(dtype, pd.DatetimeTZDtype) and str(dtype.tz) == "UTC"
        if not col.nullable:
            assert not df[col.name].isna().any(), col.name


@pytest.mark.parametrize("name", list(TABLES))
def test_parquet_has_the_explicit_schema_and_matches_the_csv(tables_dir: Path, name: str) -> None:
    path = tables_dir / f"{name}.parquet"
    schema = pq.read_schema(path)
    expected = arrow_schema(TABLES[name])
    assert schema.names == expected.names
    assert [f.type for f in schema] == [f.type for f in expected]
    assert [f.nullable for f in schema] == [c.nullable for c in TABLES[name].columns]
    from_parquet = read_parquet(tables_dir, name)
    from_csv = read_csv(tables_dir, name)
    assert len(from_parquet) == len(from_csv)
    # the same values, whichever file an analyst opens
    as_text = {
        "csv": from_csv.astype("string").fillna("<null>"),
        "parquet": from_parquet.astype("string").fillna("<null>"),
    }
    for col in TABLES[name].columns:
        if col.type in ("date", "timestamp"):
            continue
        assert as_text["csv"][col.name].tolist() == as_text["parquet"][col.name].tolist(), col.name


def test_parquet_types_as_pandas_sees_them(tables_dir: Path) -> None:
    articles = read_parquet(tables_dir, "articles")
    assert str(articles["published_date"].dtype) == "date32[day][pyarrow]"
    assert str(articles["crawled_at"].dtype) == "timestamp[us, tz=UTC][pyarrow]"
    assert str(articles["word_count"].dtype) == "int64[pyarrow]"
    plain = pd.read_parquet(tables_dir / "quotes.parquet")
    assert str(plain["position"].dtype) == "int64"
    nullable = pd.read_parquet(tables_dir / "quotes.parquet", dtype_backend="numpy_nullable")
    assert str(nullable["paragraph"].dtype) == "Int64"


def test_plain_read_csv_works_without_the_options(tables_dir: Path) -> None:
    df = pd.read_csv(tables_dir / "articles.csv")
    assert list(df.columns) == TABLES["articles"].column_names
    assert str(df["word_count"].dtype) == "int64"


# --- joins and counts ----------------------------------------------------------------------


@pytest.mark.parametrize("name", CHILD_TABLES)
def test_child_tables_join_articles_without_orphans(tables_dir: Path, name: str) -> None:
    articles = read_csv(tables_dir, "articles")
    child = read_csv(tables_dir, name)
    joined = child.merge(
        articles[["url"]], left_on="article_url", right_on="url", how="left", indicator=True
    )
    assert (joined["_merge"] == "both").all(), joined.loc[joined["_merge"] != "both"].head()
    assert len(joined) == len(child)


@pytest.mark.parametrize("name", list(TABLES))
def test_table_keys_are_unique(tables_dir: Path, name: str) -> None:
    df = read_csv(tables_dir, name)
    assert not df.duplicated(subset=list(TABLES[name].key)).any()


def test_organisation_children_join_their_organisation(tables_dir: Path) -> None:
    orgs = read_csv(tables_dir, "organisations")
    for name in ("organisation_facts", "organisation_member_counts", "organisation_social"):
        child = read_csv(tables_dir, name)
        joined = child.merge(
            orgs,
            left_on=["article_url", "organisation_position"],
            right_on=["article_url", "position"],
            how="inner",
        )
        assert len(joined) == len(child) > 0
        assert (joined["organisation"] == joined["name"]).all()


def test_row_counts_equal_the_list_lengths_in_the_records(
    tables_dir: Path, records: list[dict[str, Any]]
) -> None:
    def total(get: Any) -> int:
        return sum(len(get(r)) for r in records)

    orgs = [o for r in records for o in r["organisations"]]
    expected = {
        "articles": len(records),
        "article_authors": total(lambda r: r["authors"]),
        "article_categories": total(lambda r: r["categories"]),
        "article_tags": total(lambda r: r["tags"]),
        "quotes": total(lambda r: r["quotes"]),
        "contacts": sum(len(r["contacts"][k]) for r in records for k in r["contacts"]),
        "organisations": len(orgs),
        "organisation_facts": sum(len(o["facts"]) for o in orgs),
        "organisation_member_counts": sum(len(o["member_counts"]) for o in orgs),
        "organisation_social": sum(len(o["social"]) for o in orgs),
    }
    assert {n: len(read_csv(tables_dir, n)) for n in TABLES} == expected
    assert expected["quotes"] > 100 and expected["contacts"] > 100  # the snapshot is not empty

    articles = read_csv(tables_dir, "articles").set_index("url")
    quotes_per_article = read_csv(tables_dir, "quotes").groupby("article_url").size()
    counted = articles["quote_count"]
    assert (counted[counted > 0] == quotes_per_article.reindex(counted[counted > 0].index)).all()
    assert counted.sum() == expected["quotes"]
    kinds = Counter(read_csv(tables_dir, "contacts")["kind"])
    lists = {
        "email": "emails",
        "phone": "phones",
        "website": "websites",
        "social": "social",
        "person": "people",
    }
    assert kinds == {kind: total(lambda r, f=f: r["contacts"][f]) for kind, f in lists.items()}


def test_records_can_be_rebuilt_from_the_tables(
    tables_dir: Path, records: list[dict[str, Any]]
) -> None:
    record = max(records, key=lambda r: len(r["quotes"]) + len(r["contacts"]["people"]))
    url = record["url"]
    quotes = read_csv(tables_dir, "quotes").query("article_url == @url").sort_values("position")
    rebuilt = [
        {
            "text": q.text,
            "speaker": q.speaker,
            "speaker_role": q.speaker_role,
            "paragraph": q.paragraph,
        }
        for q in quotes.astype(object).where(quotes.notna(), None).itertuples()
    ]
    assert rebuilt == record["quotes"]
    article = read_csv(tables_dir, "articles").set_index("url").loc[url]
    assert article["title"] == record["title"]
    assert article["body"] == record["body"]  # newlines survive CSV quoting
    assert article["categories"] == "; ".join(record["categories"])
    assert article["category"] == record["categories"][-1]
    assert json.loads(article["extraction"]) == record["extraction"]
    tags = read_csv(tables_dir, "article_tags").query("article_url == @url")
    assert tags.sort_values("position")["tag"].tolist() == record["tags"]
    people = read_csv(tables_dir, "contacts").query("article_url == @url and kind == 'person'")
    assert people.sort_values("position")["value"].tolist() == [
        p["name"] for p in record["contacts"]["people"]
    ]


def test_email_rows_name_the_contact_person_they_belong_to(tables_dir: Path) -> None:
    contacts = read_csv(tables_dir, "contacts")
    people = contacts[contacts["kind"] == "person"].dropna(subset=["email"])
    emails = contacts[contacts["kind"] == "email"]
    linked = people.merge(
        emails,
        left_on=["article_url", "email"],
        right_on=["article_url", "value"],
        suffixes=("", "_e"),
    )
    assert len(linked) == len(people) > 0
    assert (linked["person_e"] == linked["value"]).all()


# --- merging runs, bad input ---------------------------------------------------------------


def test_merging_two_runs_keeps_the_later_version(
    records: list[dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = write_jsonl(tmp_path / "run1.jsonl", records[:10])
    updated = dict(
        records[3],
        title="Updated headline",
        change="updated",
        crawled_at="2030-01-01T00:00:00+00:00",
        tags=["NA", "new tag"],
    )
    new = dict(records[20], change="new", crawled_at="2030-01-01T00:00:00+00:00")
    second = write_jsonl(tmp_path / "run2.jsonl", [updated, new])
    code, err = run_cli(str(first), str(second), "--out", str(tmp_path / "t"), capsys=capsys)
    assert code == 0
    assert "11 articles (1 older versions dropped), 0 problems" in err
    articles = read_csv(tmp_path / "t", "articles").set_index("url")
    assert len(articles) == 11
    row = articles.loc[records[3]["url"]]
    assert (row["title"], row["change"], row["source_file"], row["source_line"]) == (
        "Updated headline",
        "updated",
        str(second),
        1,
    )
    assert row["crawled_at"] == pd.Timestamp("2030-01-01", tz="UTC")
    tags = read_csv(tmp_path / "t", "article_tags").query("article_url == @row.name")
    assert tags["tag"].tolist() == ["NA", "new tag"]  # "NA" is a tag, not a missing value
    # the older version's tags are gone, not appended
    assert len(read_csv(tmp_path / "t", "article_tags")) == (
        sum(len(r["tags"]) for r in records[:10] if r is not records[3]) + 2 + len(new["tags"])
    )


def test_the_latest_crawl_wins_over_file_order(
    records: list[dict[str, Any]], tmp_path: Path
) -> None:
    newer = dict(records[0], title="Newer", crawled_at="2030-01-02T00:00:00+00:00")
    older = dict(records[0], title="Older", crawled_at="2030-01-01T00:00:00+00:00")
    a = write_jsonl(tmp_path / "a.jsonl", [newer])
    b = write_jsonl(tmp_path / "b.jsonl", [older])
    assert [r["title"] for r in read_records([str(a), str(b)]).records] == ["Newer"]
    assert [r["title"] for r in read_records([str(b), str(a)]).records] == ["Newer"]
    # without crawl times (re-extracted records) the one read last wins
    c = write_jsonl(tmp_path / "c.jsonl", [dict(newer, crawled_at=None)])
    d = write_jsonl(tmp_path / "d.jsonl", [dict(older, crawled_at=None)])
    assert [r["title"] for r in read_records([str(c), str(d)]).records] == ["Older"]


def test_broken_lines_and_old_records_are_reported_and_skipped(
    records: list[dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = {k: v for k, v in records[1].items() if k != "change"} | {"schema_version": "1.0"}
    no_title = {k: v for k, v in records[2].items() if k != "title"}
    path = write_jsonl(
        tmp_path / "mixed.jsonl",
        [
            records[0],
            json.dumps(records[1])[:80],  # a line cut short by a killed run
            old,
            "",
            "[1, 2]",
            no_title,
            records[4],
        ],
    )
    code, err = run_cli(str(path), "--out", str(tmp_path / "t"), capsys=capsys)
    assert code == 0
    lines = err.splitlines()
    assert re.fullmatch(rf"{re.escape(str(path))}:2: invalid JSON: .*", lines[0])
    assert lines[1] == (
        f"{path}:3: schema_version 1.0 is older than 1.2: re-crawl or re-extract the article"
    )
    assert lines[2] == f"{path}:5: not a JSON object (array)"
    assert lines[3] == f"{path}:6: invalid record: record: 'title' is a required property"
    assert "2 articles (0 older versions dropped), 4 problems" in lines[4]
    urls = read_csv(tmp_path / "t", "articles")["url"].tolist()
    assert urls == [records[0]["url"], records[4]["url"]]


def test_nothing_usable_exits_1_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = write_jsonl(tmp_path / "bad.jsonl", ["{not json"])
    code, err = run_cli(
        str(bad), str(tmp_path / "missing.jsonl"), "--out", str(tmp_path / "t"), capsys=capsys
    )
    assert code == 1
    assert f"{bad}:1: invalid JSON" in err
    assert f"{tmp_path / 'missing.jsonl'}: cannot read: No such file or directory" in err
    assert "no usable records" in err
    assert not (tmp_path / "t").exists()


def test_gzip_input_is_read(records: list[dict[str, Any]], tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r) + "\n" for r in records[:3])
    merged = read_records([str(path)])
    assert len(merged.records) == 3 and not merged.problems


def test_parquet_without_pyarrow_names_the_extra(
    records: list[dict[str, Any]],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    src = write_jsonl(tmp_path / "a.jsonl", records[:2])
    code, err = run_cli(
        str(src), "--out", str(tmp_path / "t"), "--format", "parquet", capsys=capsys
    )
    assert code == 2
    assert "pip install 'scienmag-crawler[parquet]'" in err


def test_check_record_accepts_the_crawl_and_names_the_bad_field(
    records: list[dict[str, Any]],
) -> None:
    assert all(check_record(r) is None for r in records)
    bad = json.loads(json.dumps(records[0]))
    bad["quotes"] = [{"text": 1, "speaker": None, "speaker_role": None, "paragraph": 0}]
    assert check_record(bad) == "invalid record: quotes/0/text: 1 is not of type 'string'"
    assert check_record(dict(records[0], schema_version="2.0")) == (
        "schema_version 2.0 is not 1.2: update scienmag-crawler to read it"
    )
    assert check_record(dict(records[0], published_date="2024-13-45")) == (
        "invalid record: published_date: '2024-13-45' is not a date"
    )
    assert str(Problem("f.jsonl", 7, "why")) == "f.jsonl:7: why"


# --- the contract's documentation, the command ----------------------------------------------


def test_tables_md_documents_every_table_and_column_in_order() -> None:
    text = TABLES_DOC.read_text(encoding="utf-8")
    for name, table in TABLES.items():
        match = re.search(rf"^### `{name}`\n(.*?)(?=^### |\Z)", text, flags=re.M | re.S)
        assert match, f"no section for {name}"
        rows = re.findall(r"^\| `([a-z_]+)` \| (\w+) \| (yes|no) \|", match.group(1), flags=re.M)
        assert rows == [(c.name, c.type, "yes" if c.nullable else "no") for c in table.columns], (
            name
        )
        assert f"key: {', '.join(f'`{k}`' for k in table.key)}" in match.group(1)


def test_the_command_starts_without_scrapy_or_matplotlib() -> None:
    code = (
        "import sys; from scienmag_crawler.analysis import cli_tables, records, tables; "
        "print(sorted(m for m in ('scrapy', 'matplotlib', 'pyarrow', 'pandas') "
        "if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert out.stdout.strip() == "[]"


def test_console_script_is_installed(crawl_file: Path, tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("scienmag-tables")
    command = str(script) if script.exists() else "scienmag-tables"
    proc = subprocess.run(
        [command, str(crawl_file), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "articles.csv").exists()
    assert pacsv.read_csv(tmp_path / "quotes.csv").num_rows > 0  # any CSV reader copes


def test_records_of_an_earlier_compatible_version_are_read(
    records: list[dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # 1.2 only added keys to `extraction` and the --any-site mode: a 1.1 line is a 1.2 record
    earlier = dict(records[0], schema_version="1.1")
    earlier["extraction"] = {"body": "jnews", "published": "jsonld"}
    path = write_jsonl(tmp_path / "old.jsonl", [earlier])
    code, err = run_cli(str(path), "--out", str(tmp_path / "t"), capsys=capsys)
    assert code == 0, err
    assert "0 problems" in err
    articles = pd.read_csv(tmp_path / "t" / "articles.csv", **csv_read_options("articles"))
    assert list(articles["url"]) == [earlier["url"]]
    assert list(articles["schema_version"]) == ["1.1"]


def test_an_undated_any_site_record_gets_an_empty_date(
    records: list[dict[str, Any]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    undated = dict(records[0], url="https://example.org/story", published=None)
    undated["published_date"] = None
    undated["extraction"] = {**records[0]["extraction"], "mode": "any-site"}
    path = write_jsonl(tmp_path / "mixed.jsonl", [records[1], undated])
    code, err = run_cli(str(path), "--out", str(tmp_path / "t"), capsys=capsys)
    assert code == 0, err
    articles = pd.read_csv(tmp_path / "t" / "articles.csv", **csv_read_options("articles"))
    by_url = articles.set_index("url")
    assert pd.isna(by_url.loc["https://example.org/story", "published_date"])
    assert by_url.loc[records[1]["url"], "published_date"] == pd.Timestamp(
        records[1]["published_date"]
    )
