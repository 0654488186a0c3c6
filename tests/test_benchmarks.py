"""Benchmark scripts run on a handful of pages, so they cannot rot. No timing assertions."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_extraction_benchmark_runs_and_reports(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "extraction.py"),
            "--corpus",
            "snapshot",
            "--limit",
            "3",
            "--json",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert "snapshot: 3 pages" in proc.stdout
    figures = json.loads(out.read_text())
    assert {"scienmag", "lxml-parse"} <= set(figures["snapshot"])
    assert all(row["pages_per_s"] > 0 for row in figures["snapshot"].values())
