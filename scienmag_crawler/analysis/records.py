"""Read JSONL crawl output, report every unusable line, and merge runs: the latest version wins.

Analysts point the tools at several files at once (a full crawl plus the harvest's
``runs/*.jsonl`` deltas), so one article can appear more than once. The rules:

* Each non-blank line must be a JSON object of the current record format
  (``schema_version`` equal to :data:`~scienmag_crawler.items.SCHEMA_VERSION`) that validates
  against the project's JSON Schema. Anything else is a :class:`Problem` (file, line, reason)
  and the line is skipped: broken JSON (e.g. a line cut short by a killed run), a record of an
  older or newer ``schema_version`` (never guessed at: re-crawl or re-extract it), a record
  with missing or mistyped fields. Blank lines carry nothing and are ignored.
* Records are keyed by ``url``. Records are read in the order given (files in argument order,
  lines in file order) and a later record replaces the kept one unless both have
  ``crawled_at`` and the later one's is older. So the most recently crawled version wins, and
  without crawl times (re-extracted records) the one read last wins. A harvest's ``updated``
  record is always crawled after the version it replaces, so ``change`` needs no rule of its
  own.
* The merged records keep the order in which their URLs were first read.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from typing import IO, Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from scienmag_crawler.fastschema import compile_schema, load_record_schema
from scienmag_crawler.items import READABLE_SCHEMA_VERSIONS, SCHEMA_VERSION

Record = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Problem:
    """Why a line (or a whole file, ``line`` None) was skipped."""

    file: str
    line: int | None
    reason: str

    def __str__(self) -> str:
        """``file:line: reason``, the form compilers use, so editors can jump to it.

        >>> str(Problem("a.jsonl", 3, "invalid JSON"))
        'a.jsonl:3: invalid JSON'
        >>> str(Problem("missing.jsonl", None, "cannot read"))
        'missing.jsonl: cannot read'
        """
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Source:
    """Where a kept record was read: the file as named by the caller and the 1-based line."""

    file: str
    line: int


@dataclass(slots=True)
class Merged:
    """The result of reading several files: one record per article plus what went wrong."""

    records: list[Record] = field(default_factory=list)
    """The latest version of each article, in order of first appearance."""
    sources: list[Source] = field(default_factory=list)
    """Where each record of ``records`` was read (same order)."""
    problems: list[Problem] = field(default_factory=list)
    """Every skipped line or unreadable file, in reading order."""
    files: list[str] = field(default_factory=list)
    """The files read, as named by the caller."""
    valid: int = 0
    """Number of valid record lines read (before merging)."""
    superseded: int = 0
    """Number of valid records replaced by, or losing to, another version of the same URL."""


@cache
def _schema() -> dict[str, Any]:
    return load_record_schema()


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(_schema())


@cache
def _is_valid() -> Callable[[Any], bool]:
    """The schema compiled to plain checks (same verdicts, a tenth of the time); ``jsonschema``
    then only names the error of a record these reject."""
    return compile_schema(_schema()) or _validator().is_valid


def _version_tuple(version: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in version.split("."))
    except ValueError:
        return ()


def parse_timestamp(value: str) -> datetime:
    """An ISO 8601 date-time as an aware UTC datetime; a naive one is taken to be UTC.

    >>> parse_timestamp("2026-11-26T01:00:11+01:00").isoformat()
    '2026-11-26T00:00:11+00:00'
    >>> parse_timestamp("2026-11-26T00:00:11Z").isoformat()
    '2026-11-26T00:00:11+00:00'
    """
    stamp = datetime.fromisoformat(value)
    if stamp.tzinfo is None:
        return stamp.replace(tzinfo=UTC)
    return stamp.astimezone(UTC)


def check_record(data: Any) -> str | None:
    """The reason ``data`` is not a usable record of the current format, or None if it is.

    >>> check_record([1, 2])
    'not a JSON object (array)'
    >>> check_record({"url": "https://scienmag.com/a/", "schema_version": "1.0"})
    'schema_version 1.0 is older than 1.2: re-crawl or re-extract the article'
    >>> check_record({"url": "https://scienmag.com/a/"})
    'no schema_version: not an article record'
    """
    if not isinstance(data, dict):
        kind = {list: "array", str: "string", bool: "boolean", type(None): "null"}.get(
            type(data), "number"
        )
        return f"not a JSON object ({kind})"
    version = data.get("schema_version")
    if version is None:
        return "no schema_version: not an article record"
    if version in READABLE_SCHEMA_VERSIONS and version != SCHEMA_VERSION:
        data = {**data, "schema_version": SCHEMA_VERSION}  # additive steps only: lossless
    elif version != SCHEMA_VERSION:
        older = _version_tuple(str(version)) < _version_tuple(SCHEMA_VERSION)
        return (
            f"schema_version {version} is older than {SCHEMA_VERSION}: "
            "re-crawl or re-extract the article"
            if older
            else f"schema_version {version} is not {SCHEMA_VERSION}: "
            "update scienmag-crawler to read it"
        )
    error = None if _is_valid()(data) else best_match(_validator().iter_errors(data))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "record"
        return f"invalid record: {where}: {error.message}"
    if data["published_date"] is None:  # an --any-site record of a page stating no date
        return None
    try:
        date.fromisoformat(data["published_date"])
    except ValueError:
        return f"invalid record: published_date: {data['published_date']!r} is not a date"
    if data["crawled_at"] is not None:
        try:
            parse_timestamp(data["crawled_at"])
        except ValueError:
            return f"invalid record: crawled_at: {data['crawled_at']!r} is not a date-time"
    return None


def _open(path: Path) -> IO[bytes]:
    """Plain or gzip-compressed (``.gz``) JSONL."""
    if path.suffix == ".gz":
        return gzip.open(path, "rb")
    return path.open("rb")


def read_file(name: str) -> Iterator[tuple[int, Record | None, Problem | None]]:
    """Yield ``(line number, record, None)`` or ``(line number, None, problem)`` per line.

    A file that cannot be opened or read yields one problem with ``line`` 0 (opening) or the
    line where reading stopped.
    """
    number = 0
    try:
        with _open(Path(name)) as fh:
            for number, raw in enumerate(fh, start=1):
                if not raw.strip():
                    continue
                try:
                    data = json.loads(raw.decode("utf-8"))
                except UnicodeDecodeError as exc:
                    yield number, None, Problem(name, number, f"not UTF-8: {exc.reason}")
                    continue
                except json.JSONDecodeError as exc:
                    reason = f"invalid JSON: {exc.msg} (column {exc.colno})"
                    yield number, None, Problem(name, number, reason)
                    continue
                reason = check_record(data)
                if reason is None:
                    yield number, data, None
                else:
                    yield number, None, Problem(name, number, reason)
    except (OSError, EOFError) as exc:
        reason = f"cannot read: {getattr(exc, 'strerror', None) or exc}"
        yield number, None, Problem(name, number + 1 if number else None, reason)


def _newer(candidate: Record, kept: Record) -> bool:
    """True when ``candidate`` (read later) replaces ``kept``: see the module docstring."""
    new_at, old_at = candidate.get("crawled_at"), kept.get("crawled_at")
    if new_at is None or old_at is None:
        return True
    return parse_timestamp(new_at) >= parse_timestamp(old_at)


def read_records(names: Iterable[str]) -> Merged:
    """Read and merge JSONL files (see the module docstring for the rules)."""
    merged = Merged()
    index: dict[str, int] = {}
    for name in names:
        merged.files.append(name)
        for number, record, problem in read_file(name):
            if problem is not None:
                merged.problems.append(problem)
                continue
            assert record is not None
            merged.valid += 1
            url = record["url"]
            at = index.get(url)
            if at is None:
                index[url] = len(merged.records)
                merged.records.append(record)
                merged.sources.append(Source(name, number))
                continue
            merged.superseded += 1
            if _newer(record, merged.records[at]):
                merged.records[at] = record
                merged.sources[at] = Source(name, number)
    return merged


def summary_line(merged: Merged) -> str:
    """One line for standard error saying what was read.

    >>> summary_line(Merged(files=["a", "b"], valid=3, superseded=1))
    'read 3 records from 2 files: 0 articles (1 older versions dropped), 0 problems'
    """
    plural = "" if len(merged.files) == 1 else "s"
    return (
        f"read {merged.valid} records from {len(merged.files)} file{plural}: "
        f"{len(merged.records)} articles ({merged.superseded} older versions dropped), "
        f"{len(merged.problems)} problems"
    )
