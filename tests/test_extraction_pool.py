"""Extraction in worker processes: the same records as in-process extraction, failures that
arrive named, workers that die replaced, and no worker outliving the crawl."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from scienmag_crawler.extract import NotAnArticle, extract_article
from scienmag_crawler.extraction_pool import (
    ATTEMPTS,
    MAX_FAILED_STARTS,
    ExtractionPool,
    WorkerDied,
)
from scienmag_crawler.items import plain
from tests.conftest import ROOT, article_file, expected_slugs

FAULTY = [sys.executable, "-m", "tests.support.faulty_worker"]
SEED = "cospar-to-sign-memorandum-of-understanding-with-asia-pacific-space-cooperation-organisation"


def url_of(slug: str) -> str:
    return f"https://scienmag.com/{slug}/"


def body_of(slug: str) -> bytes:
    return article_file(slug).read_bytes()


async def extract_all(pool: ExtractionPool, jobs: list[tuple[str, bytes]]) -> list[Any]:
    """Every job at once (as a crawl hands them over), each one's record or exception."""
    try:
        return await asyncio.gather(
            *(pool.extract(url, body, "utf-8") for url, body in jobs), return_exceptions=True
        )
    finally:
        await pool.close()


def in_worker_dir(monkeypatch: pytest.MonkeyPatch) -> None:
    # the faulty worker is imported from the tests package: workers start in the project root
    monkeypatch.chdir(ROOT)


def test_records_are_those_of_in_process_extraction() -> None:
    slugs = expected_slugs()
    jobs = [(url_of(s), body_of(s)) for s in slugs]
    results = asyncio.run(extract_all(ExtractionPool(2), jobs))
    assert len(results) == len(slugs) > 40
    for (url, body), result in zip(jobs, results, strict=True):
        assert plain(result) == plain(extract_article(body.decode("utf-8"), url)), url


def test_the_body_is_decoded_by_the_responses_encoding() -> None:
    """A page sent as Latin-1 is read as Latin-1 (as ``TextResponse.text`` reads it)."""
    text = body_of(SEED).decode("utf-8")
    body = text.replace('charset="UTF-8"', 'charset="ISO-8859-1"').encode("latin-1", "replace")
    [record] = asyncio.run(extract_all(ExtractionPool(1), [(url_of(SEED), body)]))
    assert record.title == extract_article(text, url_of(SEED)).title
    assert "Asia-Pacific" in record.title


def test_not_an_article_arrives_with_its_reason() -> None:
    url = url_of("nasa-budget-hearing-postponed")
    [result] = asyncio.run(
        extract_all(ExtractionPool(1), [(url, body_of("nasa-budget-hearing-postponed"))])
    )
    assert isinstance(result, NotAnArticle)
    assert result.reason == "soft-404"
    assert "soft 404" in result.detail


def test_an_unexpected_error_arrives_with_the_workers_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    in_worker_dir(monkeypatch)
    jobs = [("https://scienmag.com/raise-this/", body_of(SEED)), (url_of(SEED), body_of(SEED))]
    error, record = asyncio.run(extract_all(ExtractionPool(1, FAULTY), jobs))
    assert isinstance(error, LookupError)
    assert str(error) == "no such thing on https://scienmag.com/raise-this/"
    [note] = error.__notes__
    assert note.startswith("in the extraction worker:\nTraceback")
    assert "faulty_worker.py" in note
    assert record.url == url_of(SEED)  # the worker lives on


def test_a_page_that_kills_its_worker_is_given_up_and_the_others_come_out(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The culprit is tried again in a new worker, then fails, named; pages queued behind it
    in the dead worker's pipe are sent again and come out as usual."""
    in_worker_dir(monkeypatch)
    crash = "https://scienmag.com/crash-here/"
    slugs = expected_slugs()[:7]
    jobs = [(url_of(slugs[0]), body_of(slugs[0])), (crash, b"<html></html>")]
    jobs += [(url_of(s), body_of(s)) for s in slugs[1:]]
    pool = ExtractionPool(1, FAULTY)
    with caplog.at_level(logging.WARNING, "scienmag_crawler.extraction_pool"):
        results = asyncio.run(extract_all(pool, jobs))
    died = results.pop(1)
    assert isinstance(died, WorkerDied)
    assert died.url == crash
    assert str(died) == f"extraction worker died on it {ATTEMPTS} times (last: exit status 70)"
    assert [r.url for r in results] == [url_of(s) for s in slugs]
    assert pool.deaths == ATTEMPTS
    deaths = [r.getMessage() for r in caplog.records]
    assert len(deaths) == ATTEMPTS
    assert all(f"died while extracting {crash} (exit status 70)" in m for m in deaths)


def test_a_page_that_hangs_is_stopped_and_given_up(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A worker that spends ``timeout`` seconds on one page is stopped: the page counts as
    one that killed its worker; the page queued behind it comes out."""
    in_worker_dir(monkeypatch)
    hang = "https://scienmag.com/hang-here/"
    jobs = [(hang, b""), (url_of(SEED), body_of(SEED))]
    pool = ExtractionPool(1, FAULTY, timeout=1.5)
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, "scienmag_crawler.extraction_pool"):
        died, record = asyncio.run(extract_all(pool, jobs))
    assert time.monotonic() - started < 30
    assert isinstance(died, WorkerDied)
    assert (
        str(died)
        == f"extraction worker died on it {ATTEMPTS} times (last: stopped after 1.5 s on it)"
    )
    assert record.url == url_of(SEED)
    assert [r.getMessage().split(" (")[1] for r in caplog.records] == [
        "stopped after 1.5 s on it); starting another"
    ] * ATTEMPTS


def test_a_result_that_cannot_be_read_fails_its_page_only(monkeypatch: pytest.MonkeyPatch) -> None:
    in_worker_dir(monkeypatch)
    jobs = [("https://scienmag.com/odd-one/", b""), (url_of(SEED), body_of(SEED))]
    pool = ExtractionPool(1, FAULTY)
    odd, record = asyncio.run(extract_all(pool, jobs))
    assert isinstance(odd, RuntimeError)
    assert str(odd).startswith("unreadable result for https://scienmag.com/odd-one/: ")
    assert "Odd" in str(odd)
    assert record.url == url_of(SEED)
    assert pool.deaths == 0


def test_a_worker_killed_by_a_signal_is_reported_by_its_name(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    in_worker_dir(monkeypatch)

    async def run() -> BaseException:
        pool = ExtractionPool(1, FAULTY)
        await pool.start()
        [worker] = pool._workers
        task = asyncio.ensure_future(pool.extract("https://scienmag.com/slow-a/", b"", "utf-8"))
        await asyncio.sleep(0.3)  # the worker is busy with the page
        worker.process.send_signal(signal.SIGKILL)
        try:
            await task
        except Exception as exc:  # returned to the test
            return exc
        finally:
            await pool.close()
        raise AssertionError("the page came out of a killed worker")

    # killed once: sent again to a new worker, slow but alive; the empty page is no article
    with caplog.at_level(logging.WARNING, "scienmag_crawler.extraction_pool"):
        assert isinstance(asyncio.run(run()), NotAnArticle)
    [death] = [r.getMessage() for r in caplog.records]
    assert death.endswith(
        "died while extracting https://scienmag.com/slow-a/ (killed by SIGKILL); starting another"
    )


def test_workers_ignore_ctrl_c_and_end_when_the_pipe_closes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Ctrl-C reaches the whole process group; the crawl, stopping gracefully, still needs its
    workers for the pages in flight."""

    async def run() -> tuple[str, int | None]:
        pool = ExtractionPool(1)
        await pool.start()
        [worker] = pool._workers
        await asyncio.sleep(1.0)  # past the worker's imports
        worker.process.send_signal(signal.SIGINT)
        record = await pool.extract(url_of(SEED), body_of(SEED), "utf-8")
        assert pool._workers == [worker]  # the same worker, alive
        await pool.close()
        assert pool.deaths == 0
        return record.url, worker.process.returncode

    assert asyncio.run(run()) == (url_of(SEED), 0)


def test_workers_end_when_the_crawls_process_is_gone(tmp_path: Path) -> None:
    """A crawl killed with SIGKILL closes nothing: its workers see their input end, and go."""
    script = tmp_path / "crawl_dies.py"
    script.write_text(
        "import asyncio, os\n"
        "from scienmag_crawler.extraction_pool import ExtractionPool\n"
        "async def main():\n"
        "    pool = ExtractionPool(2)\n"
        "    await pool.start()\n"
        "    print(*(w.process.pid for w in pool._workers), flush=True)\n"
        "    os.kill(os.getpid(), 9)\n"
        "asyncio.run(main())\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=60, cwd=ROOT
    )
    assert proc.returncode == -signal.SIGKILL
    pids = [int(p) for p in proc.stdout.split()]
    assert len(pids) == 2
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.1)
    assert not [p for p in pids if alive(p)]


def alive(pid: int) -> bool:
    """True while ``pid`` runs (an orphan's zombie is reaped by init)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(")")[-1].split()[0] == "Z")


def test_workers_that_cannot_start_fail_the_pages_at_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A broken install: pages are given up, loudly, without two new workers for each."""
    broken = [sys.executable, "-c", "raise SystemExit(3)"]
    pool = ExtractionPool(2, broken)
    jobs = [(f"https://scienmag.com/page-{n}/", b"") for n in range(30)]
    with caplog.at_level(logging.WARNING, "scienmag_crawler.extraction_pool"):
        results = asyncio.run(extract_all(pool, jobs))
    assert all(isinstance(r, WorkerDied) for r in results)
    assert pool.starts <= MAX_FAILED_STARTS + 2  # not two for each of the 30 pages
    assert str(results[-1]) == (
        f"{MAX_FAILED_STARTS} extraction workers in a row ended before any result "
        "(last: exit status 3)"
    )
    assert "exit status 3" in caplog.text


def test_workers_run_in_sessions_of_their_own() -> None:
    """Ctrl-C at a terminal signals the crawl's process group: never the workers in it."""

    async def run() -> list[int]:
        pool = ExtractionPool(2)
        await pool.start()
        sessions = [os.getsid(w.process.pid) for w in pool._workers]
        await pool.close()
        return sessions

    sessions = asyncio.run(run())
    assert len(sessions) == 2 and os.getsid(0) not in sessions


def test_a_pool_needs_a_process() -> None:
    with pytest.raises(ValueError, match="at least 1 process, got 0"):
        ExtractionPool(0)
