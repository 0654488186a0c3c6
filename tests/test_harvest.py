"""Harvest mode: incremental runs, exactly-once delivery across killed runs, crash-safe output."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from scienmag_crawler.harvest.output import JsonLinesAppender
from scienmag_crawler.harvest.state import HarvestState, fingerprint, repair_and_read
from tests.conftest import FIXTURES, ROOT, SITE, expected_slugs
from tests.support.records import NO_POLITENESS
from tests.support.site_server import SiteServer

ALL_URLS = {f"https://scienmag.com/{slug}/" for slug in expected_slugs()}
FAST = NO_POLITENESS


def harvest_cmd(state: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "scrapy.cmdline", "crawl", "articles",
            "-s", f"HARVEST_STATE_DIR={state}", *args]  # fmt: skip


def run_harvest(state: Path, *args: str) -> str:
    proc = subprocess.run(harvest_cmd(state, *args), cwd=ROOT, capture_output=True, text=True,
                          timeout=300)  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stderr


def run_records(state: Path) -> list[list[dict[str, Any]]]:
    """Records of each run's output file, oldest run first; every line must be valid JSON."""
    runs = []
    for path in sorted((state / "runs").glob("*.jsonl")):
        text = path.read_text(encoding="utf-8")
        assert not text or text.endswith("\n"), f"{path} ends in a partial line"
        runs.append([json.loads(line) for line in text.splitlines()])
    return runs


# --- the store and the writer -------------------------------------------------------------
def record(url: str, body: str = "Text.") -> dict[str, Any]:
    return {"url": url, "title": "T", "published": "2024-01-01", "modified": None, "body": body,
            "authors": [], "categories": [], "tags": [], "subtitle": None}  # fmt: skip


def test_fingerprint_ignores_crawl_time_but_not_content() -> None:
    a = record("https://scienmag.com/a/")
    assert fingerprint(a) == fingerprint({**a, "crawled_at": "2026-01-01T00:00:00+00:00"})
    assert fingerprint(a) != fingerprint({**a, "body": "Text, corrected."})
    assert fingerprint(a) != fingerprint({**a, "modified": "2024-02-01T00:00:00+00:00"})


def test_a_torn_last_line_is_cut_off(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"
    writer = JsonLinesAppender(path, durable=False)
    writer.write(record("https://scienmag.com/a/"))
    writer.close()
    with path.open("ab") as fh:
        fh.write(b'{"url": "https://scienmag.com/b/", "tit')
    assert [r["url"] for r in repair_and_read(path)] == ["https://scienmag.com/a/"]
    assert path.read_text(encoding="utf-8").count("\n") == 1
    assert path.read_bytes().endswith(b"}\n")


def test_reconcile_marks_the_output_of_a_dead_run_delivered(tmp_path: Path) -> None:
    state = HarvestState(tmp_path)
    _, output = state.start_run()
    writer = JsonLinesAppender(output, durable=False)
    writer.write(record("https://scienmag.com/a/"))  # written, but the run died before marking
    writer.close()
    assert state.get("https://scienmag.com/a/") is None
    assert state.reconcile() == 1
    assert state.get("https://scienmag.com/a/") is not None
    assert state.unfinished_runs() == []
    state.close()


# --- incremental runs over the snapshot ----------------------------------------------------
@pytest.mark.e2e
def test_second_run_on_an_unchanged_site_emits_nothing(tmp_path: Path) -> None:
    state = tmp_path / "state"
    run_harvest(state, "-s", f"SNAPSHOT_DIR={SITE}")
    log = run_harvest(state, "-s", f"SNAPSHOT_DIR={SITE}")
    first, second = run_records(state)
    assert {r["url"] for r in first} == ALL_URLS and len(first) == len(ALL_URLS)
    assert {r["change"] for r in first} == {"new"}
    assert second == []
    assert "'scienmag/harvest/stopped_known'" in log


def _edited_site(tmp_path: Path) -> tuple[Path, str, str]:
    """The snapshot with one article changed and one added, built from edited sources."""
    source = tmp_path / "source"
    shutil.copytree(FIXTURES / "source", source)
    changed = "why-do-regulatory-agencies-sometimes-fall-short"
    meta_path = source / "articles" / f"{changed}.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta["modified"] = "2025-05-22T16:00:00+00:00"
    meta_path.write_text(json.dumps(meta), encoding="utf-8")
    html_path = source / "articles" / f"{changed}.html"
    html_path.write_text(html_path.read_text(encoding="utf-8") + "<p>Correction: figures updated.</p>",
                         encoding="utf-8")  # fmt: skip
    added = "harvest-check-new-post-on-ocean-sensors"
    base = "researchers-record-first-ever-images-and-data-of-a-shark-experiencing-a-boat-strike"
    meta = json.loads((source / "articles" / f"{base}.json").read_text(encoding="utf-8"))
    meta.update(slug=added, title="New ocean sensors report first results",
                published="2025-05-22T16:30:00+00:00", modified=None)  # fmt: skip
    (source / "articles" / f"{added}.json").write_text(json.dumps(meta), encoding="utf-8")
    shutil.copy(source / "articles" / f"{base}.html", source / "articles" / f"{added}.html")
    site = tmp_path / "site"
    subprocess.run([sys.executable, str(FIXTURES / "build_snapshot.py"), "--source", str(source),
                    "--out", str(site)], check=True, capture_output=True, timeout=120)  # fmt: skip
    return site, f"https://scienmag.com/{changed}/", f"https://scienmag.com/{added}/"


@pytest.mark.e2e
def test_a_changed_and_an_added_article_are_all_the_next_run_emits(tmp_path: Path) -> None:
    state = tmp_path / "state"
    run_harvest(state, "-s", f"SNAPSHOT_DIR={SITE}")
    site, changed, added = _edited_site(tmp_path)
    run_harvest(state, "-s", f"SNAPSHOT_DIR={site}")
    _, delta = run_records(state)
    assert sorted((r["url"], r["change"]) for r in delta) == sorted(
        [(changed, "updated"), (added, "new")]
    )
    assert "Correction: figures updated." in next(r["body"] for r in delta if r["url"] == changed)


# --- killed runs ------------------------------------------------------------------------------
def _wait_for_output(state: Path, runs_before: int, timeout: float = 60) -> None:
    """Until the current run has delivered at least one record (so a kill lands mid-run)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = sorted((state / "runs").glob("*.jsonl")) if (state / "runs").exists() else []
        if len(files) > runs_before and files[-1].stat().st_size > 0:
            return
        time.sleep(0.05)
    raise AssertionError("the harvest delivered nothing in time")


@pytest.mark.e2e
def test_runs_killed_by_any_signal_lose_and_repeat_nothing(tmp_path: Path) -> None:
    state, jobdir = tmp_path / "state", tmp_path / "job"
    with SiteServer(SITE, delay=0.05) as site:
        cmd = harvest_cmd(state, "-s", f"SCIENMAG_MIRROR_URL={site.url}", "-s", f"JOBDIR={jobdir}",
                          "-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2", *FAST)  # fmt: skip
        killed = 0
        for sig in (signal.SIGKILL, signal.SIGTERM, signal.SIGINT, signal.SIGKILL):
            runs_before = len(list((state / "runs").glob("*.jsonl"))) if state.exists() else 0
            proc = subprocess.Popen(
                cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            try:
                _wait_for_output(state, runs_before)
            finally:
                proc.send_signal(sig)
                proc.wait(timeout=60)
            delivered = sum(len(run) for run in run_records(state))
            killed += delivered < len(ALL_URLS)
        final = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert final.returncode == 0, final.stderr[-3000:]
    assert killed >= 3, "the kills should land before the harvest is complete"
    urls = [r["url"] for run in run_records(state) for r in run]
    assert len(urls) == len(set(urls)), "a record was delivered twice"
    assert set(urls) == ALL_URLS, f"missing: {sorted(ALL_URLS - set(urls))}"
