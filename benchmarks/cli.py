"""Re-extraction CLI speed: ``scienmag-extract`` over N saved pages in one call, and cold start.

Pages come from a synthetic snapshot (``benchmarks/synthetic.py``, generated on the fly or kept
in ``--corpus-dir``). Cold start = wall time of one subprocess extracting one page, median of
``--repeat`` runs. Figures are read, not asserted.

    python benchmarks/cli.py [--pages 1000] [--repeat 5] [--jobs N] [--corpus-dir DIR] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import interpreter
from synthetic import article_pages, ensure_snapshot


def command() -> list[str]:
    """The console script installed beside this interpreter, else the module run by it: a
    ``scienmag-extract`` found first on the ``PATH`` may belong to another Python, and the
    figures are this interpreter's."""
    script = Path(sys.executable).with_name("scienmag-extract")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-m", "scienmag_crawler.extract"]


def run(pages: list[Path], options: Sequence[str] = ()) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (the command and its workers) and output lines of one
    ``scienmag-extract`` call."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        [*command(), *options, *map(str, pages)], capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode not in (0, 1):
        raise SystemExit(f"scienmag-extract failed ({proc.returncode}): {proc.stderr[-500:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, proc.stdout.count("\n")


def measure(pages: list[Path], repeat: int, options: Sequence[str] = ()) -> dict[str, float]:
    """Batch figures over ``pages`` and the cold start for a single page."""
    wall, cpu, records = run(pages, options)
    cold = [run(pages[:1])[0] for _ in range(repeat)]
    return {
        "pages": len(pages),
        "records": records,
        "batch_wall_s": wall,
        "batch_cpu_s": cpu,
        "pages_per_s": len(pages) / wall,
        "cpu_ms_per_page": 1000 * cpu / len(pages),
        "cold_start_median_s": statistics.median(cold),
        "cold_start_min_s": min(cold),
        "cold_start_max_s": max(cold),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5, help="cold-start runs (median)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus-dir", type=Path, help="keep (and reuse) the snapshot here")
    parser.add_argument(
        "--jobs", type=int, help="pass --jobs N to the command (default: the command's own)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-cli-") as tmp:
        site = ensure_snapshot(args.corpus_dir or Path(tmp), args.pages, args.seed)
        pages = article_pages(site)[: args.pages]
        options = ["--jobs", str(args.jobs)] if args.jobs else []
        figures: dict[str, Any] = measure(pages, args.repeat, options)
    python = interpreter.describe()
    print(interpreter.summary_line(python))
    print(f"\nscienmag-extract ({' '.join(command())})")
    print(f"{'figure':<22}{'value':>12}")
    for key, value in figures.items():
        print(f"{key:<22}{value:>12.3f}" if isinstance(value, float) else f"{key:<22}{value:>12}")
    if args.json:
        figures["python"] = python
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
