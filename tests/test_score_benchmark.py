"""The public-benchmark scorer: its shingle metric on tiny hand-computed cases, and a smoke
run over a few benchmark pages (no score thresholds: those are reported, not asserted)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT

SCRIPT = ROOT / "scripts" / "score_benchmark.py"


@pytest.fixture(scope="module")
def sb() -> ModuleType:
    spec = importlib.util.spec_from_file_location("score_benchmark", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["score_benchmark"] = module
    spec.loader.exec_module(module)
    return module


def test_shingles_are_word_4_grams_with_repeats(sb: ModuleType) -> None:
    assert sum(sb.shingles("a b c d e").values()) == 2
    assert sb.shingles("x y z w x y z w")[("x", "y", "z", "w")] == 2
    # punctuation separates tokens; case is kept
    assert list(sb.shingles("It's A-OK, now")) == [("It", "s", "A", "OK"), ("s", "A", "OK", "now")]
    assert list(sb.shingles("Hi there")) == [("Hi", "there")]
    assert not sb.shingles(" ... ")


@pytest.mark.parametrize(
    ("predicted", "truth", "expected"),
    [
        ("a b c d e", "a b c d", (0.5, 1.0)),  # one of two shingles is right
        ("a b c d", "a b c d e", (1.0, 0.5)),
        ("x y z w x y z w", "x y z w", (0.2, 1.0)),  # a repeat counts once per occurrence
        ("", "a b c d", (None, 0.0)),  # empty: no precision, recall 0
        ("Hi there", "Hi there", (1.0, 1.0)),
    ],
)
def test_page_scores(
    sb: ModuleType, predicted: str, truth: str, expected: tuple[float | None, float]
) -> None:
    assert sb.page_scores(predicted, truth) == expected


def test_averages_over_pages_and_f1_of_the_averages(sb: ModuleType) -> None:
    truths = {"A": "a b c d e f g", "B": "a b c d e"}
    predictions = {"A": "a b c d e", "B": "a b c d e f g"}  # A: P 1, R 0.5; B: P 0.5, R 1
    scores = sb.score(predictions, truths)
    assert (scores.precision, scores.recall) == (0.75, 0.75)
    assert scores.f1 == pytest.approx(0.75)  # the mean of page F1s would be 0.667
    assert scores.accuracy == 0.0


def test_empty_predictions_leave_the_precision_average(sb: ModuleType) -> None:
    truths = {"A": "a b c d e", "B": "p q r s", "C": "k l m n"}
    # A: 2 of its 3 shingles right, recall 1; B: empty; C: exact
    scores = sb.score({"A": "a b c d e x", "C": "k l m n"}, truths)
    assert scores.precision == pytest.approx((2 / 3 + 1.0) / 2)
    assert scores.recall == pytest.approx((1.0 + 0.0 + 1.0) / 3)
    assert (scores.empty, scores.accuracy) == (1, pytest.approx(1 / 3))


def test_date_summary_splits_machine_readable_sources(sb: ModuleType) -> None:
    from collections import Counter  # noqa: PLC0415

    summary = sb.date_summary(Counter(jsonld=3, meta=2, time=1, url=1, visible=2, none=1), 10)
    assert summary["with_published"] == 9
    assert summary["machine_readable"] == 6
    assert (summary["url"], summary["visible"]) == (1, 2)


BENCH = Path("/work/shared/benchmarks/article-extraction")


@pytest.mark.skipif(not (BENCH / "ground-truth.json").exists(), reason="benchmark data absent")
def test_smoke_run_on_three_pages(tmp_path: Path) -> None:
    out = tmp_path / "scores.json"
    proc = subprocess.run(
        [sys.executable, str(SCRIPT), "--limit", "3", "--trafilatura", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "scienmag-extract" in proc.stdout and "trafilatura (default)" in proc.stdout
    assert "published date:" in proc.stdout
    data = json.loads(out.read_text(encoding="utf-8"))
    for row in data["scores"].values():
        assert row["pages"] == 3
        assert 0.0 < row["f1"] <= 1.0
    assert sum(data["body_layers"].values()) == 3
    assert data["dates"]["pages"] == 3
    assert data["dates"]["machine_readable"] <= data["dates"]["with_published"] <= 3
