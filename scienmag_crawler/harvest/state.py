"""The harvest's memory: a small SQLite store of delivered articles and of runs.

Exactly-once delivery rests on one ordering rule: a record is first appended to its run's
output file (one atomic write of a whole line), then marked delivered here. A run killed
between the two leaves a line that the store does not know yet, so every run starts by
*reconciling*: the output of each run that never finished is read back and its records are
marked delivered. Nothing written is ever emitted again; nothing unwritten is marked.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

STATE_FILE = "harvest.sqlite"
RUNS_DIR = "runs"
#: the fields whose change makes an article "updated" (not crawl times, not provenance)
CONTENT_FIELDS = ("title", "subtitle", "published", "modified", "authors", "categories", "tags",
                  "body")  # fmt: skip

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    url TEXT PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    lastmod TEXT,
    run_id TEXT NOT NULL,
    delivered_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY,
    output TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    close_reason TEXT
);
"""


def fingerprint(record: Mapping[str, Any]) -> str:
    """A digest of the record's content fields: equal digests mean nothing to re-deliver."""
    content = {name: record.get(name) for name in CONTENT_FIELDS}
    data = json.dumps(content, sort_keys=True, ensure_ascii=False).encode("utf-8")
    return hashlib.sha256(data).hexdigest()


def last_change(record: Mapping[str, Any]) -> str | None:
    """When the article last changed, as the site states it (modified, else published)."""
    value = record.get("modified") or record.get("published")
    return value if isinstance(value, str) else None


@dataclass(frozen=True, slots=True)
class Delivered:
    """What the store knows of a delivered article."""

    fingerprint: str
    lastmod: str | None


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class HarvestState:
    """The store in ``<state_dir>/harvest.sqlite``; run outputs in ``<state_dir>/runs/``."""

    def __init__(self, state_dir: str | Path) -> None:
        self.dir = Path(state_dir)
        self.runs_dir = self.dir / RUNS_DIR
        self.runs_dir.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.dir / STATE_FILE, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(_SCHEMA)

    def close(self) -> None:
        self.db.close()

    # --- articles ---------------------------------------------------------------------
    def delivered(self) -> dict[str, Delivered]:
        """Every delivered article by URL (loaded once per run; small even for 200k posts)."""
        rows = self.db.execute("SELECT url, fingerprint, lastmod FROM articles")
        return {url: Delivered(fp, lastmod) for url, fp, lastmod in rows}

    def get(self, url: str) -> Delivered | None:
        row = self.db.execute(
            "SELECT fingerprint, lastmod FROM articles WHERE url = ?", (url,)
        ).fetchone()
        return Delivered(*row) if row else None

    def mark_delivered(self, record: Mapping[str, Any], run_id: str) -> None:
        """Remember ``record`` as delivered by ``run_id`` (one committed statement)."""
        self.db.execute(
            "INSERT INTO articles (url, fingerprint, lastmod, run_id, delivered_at)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT(url) DO UPDATE SET"
            " fingerprint = excluded.fingerprint, lastmod = excluded.lastmod,"
            " run_id = excluded.run_id, delivered_at = excluded.delivered_at",
            (record["url"], fingerprint(record), last_change(record), run_id, now()),
        )

    # --- runs -------------------------------------------------------------------------
    def unfinished_runs(self) -> list[tuple[str, Path]]:
        rows = self.db.execute(
            "SELECT run_id, output FROM runs WHERE finished_at IS NULL ORDER BY started_at"
        )
        return [(run_id, Path(output)) for run_id, output in rows]

    def start_run(self) -> tuple[str, Path]:
        """A new run id (its start time, unique) and its own output file."""
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
        run_id, n = stamp, 1
        while self.db.execute("SELECT 1 FROM runs WHERE run_id = ?", (run_id,)).fetchone():
            n += 1
            run_id = f"{stamp}-{n}"
        output = self.runs_dir / f"{run_id}.jsonl"
        self.db.execute(
            "INSERT INTO runs (run_id, output, started_at) VALUES (?, ?, ?)",
            (run_id, str(output), now()),
        )
        return run_id, output

    def finish_run(self, run_id: str, reason: str) -> None:
        self.db.execute(
            "UPDATE runs SET finished_at = ?, close_reason = ? WHERE run_id = ?",
            (now(), reason, run_id),
        )

    def reconcile(self) -> int:
        """Mark delivered every record in the output of runs that died; return how many.

        A torn last line (impossible with whole-line writes, but a disk may fill up) is cut
        off, so every output file holds only complete JSON lines.
        """
        recovered = 0
        for run_id, output in self.unfinished_runs():
            for record in repair_and_read(output):
                known = self.get(record["url"])
                if known is None or known.fingerprint != fingerprint(record):
                    self.mark_delivered(record, run_id)
                    recovered += 1
            self.finish_run(run_id, "died; reconciled")
        return recovered


def repair_and_read(path: Path) -> Iterator[dict[str, Any]]:
    """Records of a JSON-lines file; an incomplete or invalid tail is truncated away."""
    if not path.exists():
        return
    data = path.read_bytes()
    good = 0
    records = []
    for line in data.splitlines(keepends=True):
        if not line.endswith(b"\n"):
            break
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            break
        if not isinstance(record, dict) or "url" not in record:
            break
        records.append(record)
        good += len(line)
    if good < len(data):
        logger.warning("Harvest output %s: cut %d bytes of incomplete tail", path, len(data) - good)
        with path.open("r+b") as fh:
            fh.truncate(good)
    yield from records
