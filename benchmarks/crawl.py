"""Offline crawl speed and memory on synthetic snapshots, with and without extraction.

For each size (default 1,000 and 10,000 articles) builds a synthetic snapshot
(``benchmarks/synthetic.py``, reused from ``--corpus-dir`` when present) and runs, each in its
own subprocess::

    scrapy crawl articles -s SNAPSHOT_DIR=<dir>/site -O out.jsonl -s LOG_LEVEL=WARNING
    scrapy crawl articles-noop -s SPIDER_MODULES=noop_spider -s SCIENMAG_MIN_ITEMS=0 ...

(``benchmarks/noop_spider.py``: the same spider with a no-op article callback). Reports
pages/s and items/s over Scrapy's elapsed time and over the wall time of the process, CPU
seconds per page (``wait4`` rusage of the child, its extraction workers included) and peak
RSS: of the crawl's whole process tree (the crawl and its extraction workers, summed, sampled
every 50 ms from ``/proc``) and of its largest process. Exit status 2 from the project's
monitors is recorded, not treated as a failure.

    python benchmarks/crawl.py [--articles 1000,10000] [--corpus-dir DIR] [--repeat N]
        [-s NAME=VALUE ...] [--json OUT]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import interpreter  # noqa: E402
from options import positive_int  # noqa: E402
from synthetic import ensure_snapshot  # noqa: E402

ROOT = HERE.parent


class TreeMemory:
    """Samples the summed RSS of a process and its descendants in a thread; ``peak_mb`` is
    the most seen (None where ``/proc`` does not list children)."""

    def __init__(self, pid: int, interval: float = 0.05) -> None:
        self.pid, self.interval = pid, interval
        self.peak_mb: float | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _tree(self, pid: int) -> list[int]:
        pids, todo = [], [pid]
        while todo:
            current = todo.pop()
            pids.append(current)
            for task in Path(f"/proc/{current}/task").glob("*/children"):
                with contextlib.suppress(OSError):
                    todo += [int(c) for c in task.read_text().split()]
        return pids

    def _run(self) -> None:
        page = os.sysconf("SC_PAGE_SIZE")
        while not self._stop.wait(self.interval):
            if not Path(f"/proc/{self.pid}/task").exists():
                return
            total = 0
            for pid in self._tree(self.pid):
                with contextlib.suppress(OSError, IndexError, ValueError):
                    total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * page
            self.peak_mb = max(self.peak_mb or 0.0, total / 2**20)

    def stop(self) -> float | None:
        self._stop.set()
        self._thread.join()
        return self.peak_mb


def crawl(site: Path, work: Path, *, noop: bool, settings: Sequence[str] = ()) -> dict[str, Any]:
    """One crawl in a child process (``settings``: more ``NAME=VALUE`` for ``-s``); its
    figures."""
    name = "noop" if noop else "extract"
    out, stats_file = work / f"{name}.jsonl", work / f"{name}-stats.json"
    stats_file.unlink(missing_ok=True)  # a repeated run must not read the last run's stats
    cmd = [
        sys.executable,
        "-m",
        "scrapy",
        "crawl",
        "articles-noop" if noop else "articles",
        "-s",
        f"SNAPSHOT_DIR={site}",
        "-O",
        str(out),
        "-s",
        "LOG_LEVEL=WARNING",
        "-s",
        "STATS_CLASS=noop_spider.JsonFileStatsCollector",
        "-s",
        f"BENCH_STATS_FILE={stats_file}",
    ]
    if noop:
        cmd += ["-s", "SPIDER_MODULES=noop_spider", "-s", "SCIENMAG_MIN_ITEMS=0"]
    for setting in settings:
        cmd += ["-s", setting]
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")])),
    }
    log = (work / f"{name}.log").open("w", encoding="utf-8")
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    memory = TreeMemory(proc.pid)
    _, status, usage = os.wait4(proc.pid, 0)
    tree_mb = memory.stop()
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    log.close()
    stats = json.loads(stats_file.read_text()) if stats_file.exists() else {}
    monitors_failed = stats.get("scienmag/monitors/failed", 0)
    if proc.returncode not in (0, 2) or (proc.returncode == 2 and not monitors_failed):
        tail = (work / f"{name}.log").read_text(encoding="utf-8")[-1500:]
        raise SystemExit(f"crawl ({name}) exited {proc.returncode}:\n{tail}")
    pages = stats.get("response_received_count", 0)
    items = stats.get("item_scraped_count", 0)
    elapsed = stats.get("elapsed_time_seconds", wall)
    cpu = usage.ru_utime + usage.ru_stime
    return {
        "exit": proc.returncode,
        "monitors_failed": monitors_failed,
        "pages": pages,
        "article_pages": items if not noop else stats.get("bench/noop/articles", 0),
        "items": items,
        "elapsed_s": elapsed,
        "wall_s": wall,
        "pages_per_s": pages / elapsed,
        "pages_per_s_wall": pages / wall,
        "items_per_s": items / elapsed,
        "cpu_s": cpu,
        "cpu_ms_per_page": 1000 * cpu / max(pages, 1),
        # the whole tree where it could be sampled; else the largest process (a floor)
        "peak_rss_mb": tree_mb if tree_mb is not None else usage.ru_maxrss / 1024,
        "peak_rss_mb_largest_process": usage.ru_maxrss / 1024,
        "extraction_processes": stats.get("scienmag/extraction/processes", 0),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", default="1000,10000", help="comma-separated sizes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--corpus-dir", type=Path, help="keep snapshots here (<dir>/<N>), reuse them"
    )
    parser.add_argument(
        "--repeat",
        type=positive_int,
        default=1,
        help="run the pair of crawls this many times, in turns, and keep each one's fastest run "
        "(on a machine busy with other work, one run can be slowed by half)",
    )
    parser.add_argument(
        "--setting",
        "-s",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a Scrapy setting for both crawls (repeatable), to measure what it changes",
    )
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    sizes = [int(n) for n in args.articles.split(",") if n.strip()]
    results: dict[str, dict[str, Any]] = {}
    python = interpreter.describe()  # the crawls run under this interpreter too
    print(interpreter.summary_line(python))
    with tempfile.TemporaryDirectory(prefix="bench-crawl-") as tmp:
        base = args.corpus_dir or Path(tmp)
        for size in sizes:
            site = ensure_snapshot(base / str(size), size, args.seed)
            work = Path(tmp) / f"run-{size}"
            work.mkdir()
            runs: dict[str, list[dict[str, Any]]] = {"extract": [], "noop": []}
            for _ in range(args.repeat):
                for name in runs:
                    runs[name].append(crawl(site, work, noop=name == "noop", settings=args.setting))
            for name, rows in runs.items():
                best = min(rows, key=lambda r: r["elapsed_s"])
                best["elapsed_s_runs"] = [r["elapsed_s"] for r in rows]
                best["python"] = python
                best["settings"] = args.setting
                results[f"{size}/{name}"] = best
    print(
        f"\n{'run':<15}{'pages':>7}{'items':>7}{'elapsed s':>10}{'wall s':>8}{'pages/s':>9}"
        f"{'items/s':>9}{'CPU ms/page':>12}{'peak RSS MB':>12}{'workers':>8}{'exit':>6}"
    )
    for key, r in results.items():
        print(
            f"{key:<15}{r['pages']:>7}{r['items']:>7}{r['elapsed_s']:>10.1f}{r['wall_s']:>8.1f}"
            f"{r['pages_per_s']:>9.1f}{r['items_per_s']:>9.1f}{r['cpu_ms_per_page']:>12.2f}"
            f"{r['peak_rss_mb']:>12.1f}{r['extraction_processes']:>8}{r['exit']:>6}"
        )
    for size in sizes:
        ex, no = results[f"{size}/extract"], results[f"{size}/noop"]
        print(f"{size} articles: extraction crawl = {ex['pages_per_s'] / no['pages_per_s']:.2f}× "
              f"the no-op crawl's pages/s")  # fmt: skip
    if len(sizes) > 1:
        lo, hi = results[f"{sizes[0]}/extract"], results[f"{sizes[-1]}/extract"]
        growth = hi["peak_rss_mb"] / lo["peak_rss_mb"] - 1
        print(f"peak RSS growth {sizes[0]} → {sizes[-1]} articles: {100 * growth:.0f}%")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
