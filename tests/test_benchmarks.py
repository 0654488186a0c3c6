"""Benchmark scripts run on a handful of pages, so they cannot rot. No timing assertions."""

from __future__ import annotations

import json
import platform
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT

BENCH = ROOT / "benchmarks"


def run_script(name: str, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [sys.executable, str(BENCH / name), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return proc


def positive_numbers(row: dict[str, Any], *keys: str) -> None:
    for key in keys:
        assert isinstance(row[key], int | float) and row[key] > 0, (key, row)


@pytest.fixture(scope="module")
def synthetic_20(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A built 20-article synthetic snapshot shared by the scripts below."""
    out = tmp_path_factory.mktemp("synthetic")
    figures = out / "figures.json"
    proc = run_script("synthetic.py", "--articles", "20", "--out", str(out), "--json", str(figures))
    assert "build_s" in proc.stdout
    data = json.loads(figures.read_text())
    positive_numbers(data, "generate_s", "build_s", "site_files", "site_mb")
    return out


def test_synthetic_generator_is_reproducible(tmp_path: Path, synthetic_20: Path) -> None:
    run_script("synthetic.py", "--articles", "20", "--out", str(tmp_path), "--no-build")
    ours = sorted(p for p in (tmp_path / "source").rglob("*") if p.is_file())
    theirs = sorted(p for p in (synthetic_20 / "source").rglob("*") if p.is_file())
    assert [p.relative_to(tmp_path) for p in ours] == [p.relative_to(synthetic_20) for p in theirs]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(ours, theirs, strict=True))
    assert len(list((tmp_path / "source" / "articles").glob("*.html"))) == 20


def test_extraction_benchmark_runs_and_reports(tmp_path: Path, synthetic_20: Path) -> None:
    out = tmp_path / "figures.json"
    proc = run_script(
        "extraction.py",
        "--corpus",
        "snapshot",
        "--limit",
        "3",
        "--clock",
        "cpu",
        "--json",
        str(out),
    )
    assert "snapshot: 3 pages" in proc.stdout
    # the figures depend on the interpreter's build: which one ran is printed and written
    assert proc.stdout.startswith(f"Python {platform.python_version()} ({sys.executable};")
    figures = json.loads(out.read_text())
    assert figures["python"]["version"] == platform.python_version()
    assert figures["python"]["libpython_shared"] in (True, False)
    assert {"scienmag", "lxml-parse", "scienmag-whole-page"} <= set(figures["snapshot"])
    assert all(row["pages_per_s"] > 0 for row in figures["snapshot"].values())


def test_extraction_benchmark_prints_the_spread_of_repeated_runs(tmp_path: Path) -> None:
    out = tmp_path / "figures.json"
    options = shlex.split("--corpus snapshot --limit 2 --passes 1 --runs 3 --only lxml-parse")
    proc = run_script("extraction.py", *options, "--json", str(out))
    assert proc.stdout.count("snapshot: 2 pages") == 3  # each run's table
    assert "ours ÷ lxml-parse over 3 runs: by the medians" in proc.stdout
    figures = json.loads(out.read_text())
    spread = figures["snapshot-runs"]["lxml-parse"]
    assert len(spread["ours_over_x_median"]) == len(spread["median_per_page_ratio"]) == 3
    # the table kept is the last run's
    assert (
        figures["snapshot"]["lxml-parse"]["ours_over_x_median"]
        == (spread["ours_over_x_median"][-1])
    )
    assert all(ratio > 0 for ratio in spread["median_per_page_ratio"])


@pytest.mark.parametrize("module", ["extraction", "interpreter", "options"])
def test_benchmark_doctests(module: str) -> None:
    """The benchmarks' docstring examples hold (the scripts live outside the package)."""
    proc = subprocess.run(
        [sys.executable, "-m", "doctest", str(BENCH / f"{module}.py")],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=BENCH,
    )
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]


@pytest.mark.parametrize(
    ("script", "option"),
    [("extraction.py", "--passes"), ("extraction.py", "--runs"), ("crawl.py", "--repeat")],
)
def test_benchmark_counts_below_one_are_refused(script: str, option: str) -> None:
    """0 runs would report nothing (or be quietly run once): the option is refused."""
    proc = subprocess.run(
        [sys.executable, str(BENCH / script), option, "0"],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )
    assert proc.returncode == 2
    assert f"argument {option}: must be 1 or more, not 0" in proc.stderr


def test_extraction_benchmark_synthetic_and_pathological(
    tmp_path: Path, synthetic_20: Path
) -> None:
    out = tmp_path / "figures.json"
    proc = run_script(
        "extraction.py",
        "--corpus",
        "synthetic",
        "--synthetic-articles",
        "20",
        "--corpus-dir",
        str(synthetic_20),
        "--limit",
        "5",
        "--only",
        "lxml-parse",
        "--pathological",
        "--scale",
        "0.01",
        "--json",
        str(out),
    )
    assert "synthetic: 5 pages" in proc.stdout
    figures = json.loads(out.read_text())
    for row in figures["synthetic"].values():
        positive_numbers(row, "median_ms", "p90_ms", "pages_per_s", "median_per_page_ratio")
    assert set(figures["pathological"]) == {"5mb-page", "10k-paragraphs", "nesting-5000"}
    for case in figures["pathological"].values():
        for row in case.values():
            assert row["outcome"] == "ok", row
            positive_numbers(row, "bytes", "seconds", "peak_rss_mb")


def test_cli_benchmark_runs_and_reports(tmp_path: Path, synthetic_20: Path) -> None:
    out = tmp_path / "figures.json"
    proc = run_script(
        "cli.py",
        "--pages",
        "20",
        "--repeat",
        "1",
        "--corpus-dir",
        str(synthetic_20),
        "--json",
        str(out),
    )
    assert "pages_per_s" in proc.stdout
    # the command timed is this interpreter's, not the first scienmag-extract on the PATH
    assert f"scienmag-extract ({Path(sys.executable).parent}" in proc.stdout or (
        f"scienmag-extract ({sys.executable} -m" in proc.stdout
    )
    figures = json.loads(out.read_text())
    assert figures["python"]["executable"] == sys.executable
    assert figures["records"] == 20
    positive_numbers(
        figures, "batch_wall_s", "pages_per_s", "cpu_ms_per_page", "cold_start_median_s"
    )


def test_crawl_benchmark_passes_settings_to_both_crawls(tmp_path: Path, synthetic_20: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "20").symlink_to(synthetic_20)
    out = tmp_path / "figures.json"
    run_script(
        "crawl.py",
        "--articles",
        "20",
        "--corpus-dir",
        str(corpus),
        "-s",
        "CLOSESPIDER_PAGECOUNT=6",
        "--json",
        str(out),
    )
    figures = json.loads(out.read_text())
    for row in figures.values():
        assert row["settings"] == ["CLOSESPIDER_PAGECOUNT=6"]
        # each crawl stopped early: the setting reached it (the whole crawl reads 46 pages;
        # requests already under way when it stops still finish)
        assert 6 <= row["pages"] < 30, row


def test_crawl_benchmark_runs_and_reports(tmp_path: Path, synthetic_20: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "20").symlink_to(synthetic_20)
    out = tmp_path / "figures.json"
    proc = run_script(
        "crawl.py",
        "--articles",
        "20",
        "--corpus-dir",
        str(corpus),
        "--repeat",
        "2",
        "--json",
        str(out),
    )
    assert "no-op crawl's pages/s" in proc.stdout
    figures = json.loads(out.read_text())
    assert set(figures) == {"20/extract", "20/noop"}
    assert figures["20/extract"]["items"] == 20
    assert figures["20/noop"]["items"] == 0
    for row in figures.values():
        positive_numbers(row, "pages", "pages_per_s", "cpu_ms_per_page", "peak_rss_mb")
        assert row["python"]["executable"] == sys.executable
        # each crawl ran twice; the fastest run is the one reported
        assert len(row["elapsed_s_runs"]) == 2
        assert row["elapsed_s"] == min(row["elapsed_s_runs"])
