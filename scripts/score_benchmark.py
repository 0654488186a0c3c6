"""Score body extraction on the public article-extraction benchmark (181 pages, many sites).

Runs ``scienmag-extract --any-site --url <page url>`` (its ``main()``, in this process) on
every ``html/<id>.html.gz`` of the benchmark and scores the records' ``body`` against
``ground-truth.json`` with the benchmark's shingle metric (its README):

* tokens are runs of ``\\w`` characters, case kept; shingles are windows of 4 tokens (a text
  of 1-3 tokens is one shorter shingle), counted with repeats;
* per page, precision = TP / (TP + FP) and recall = TP / (TP + FN) over the shingle
  multisets; a page with an empty prediction has no precision (left out of that average)
  and recall 0;
* precision and recall are averaged over pages; F1 is the harmonic mean of the averages.

    python scripts/score_benchmark.py [--bench DIR] [--pages ID ...] [--limit N]
                                      [--trafilatura] [--json OUT]

``--trafilatura`` also scores ``trafilatura.extract(html, url=url)`` with its defaults on the
same pages. The date lines count the pages whose record has a publication date, by source:
machine-readable (JSON-LD, ``<meta>``, ``<time datetime>``), the URL path, visible text.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scienmag_crawler.extract.__main__ import main as extract_main  # noqa: E402

DEFAULT_BENCH = Path("/work/shared/benchmarks/article-extraction")
SHINGLE_SIZE = 4
MACHINE_READABLE_SOURCES = ("jsonld", "meta", "time")
_TOKEN = re.compile(r"\w+")


# --- the metric ----------------------------------------------------------------------------
def shingles(text: str, size: int = SHINGLE_SIZE) -> Counter[tuple[str, ...]]:
    """Multiset of the text's word ``size``-grams; 1 to size-1 tokens make one shingle.

    >>> sorted(shingles("a b c d e").items())
    [(('a', 'b', 'c', 'd'), 1), (('b', 'c', 'd', 'e'), 1)]
    >>> shingles("Hi, there")
    Counter({('Hi', 'there'): 1})
    """
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < size:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def page_scores(predicted: str, truth: str) -> tuple[float | None, float]:
    """(precision, recall) of one page; precision is ``None`` for an empty prediction."""
    pred, gold = shingles(predicted), shingles(truth)
    tp = sum((pred & gold).values())
    precision = tp / sum(pred.values()) if pred else None
    recall = tp / sum(gold.values()) if gold else 0.0
    return precision, recall


@dataclass
class Scores:
    """Averages over pages, as the benchmark reports them."""

    pages: int
    precision: float
    recall: float
    f1: float
    accuracy: float
    empty: int


def score(predictions: dict[str, str], truths: dict[str, str]) -> Scores:
    """Score every page of ``truths`` (a page missing from ``predictions`` is empty)."""
    precisions, recalls, exact = [], [], 0
    for page_id, truth in truths.items():
        predicted = predictions.get(page_id) or ""
        precision, recall = page_scores(predicted, truth)
        if precision is not None:
            precisions.append(precision)
        recalls.append(recall)
        exact += _TOKEN.findall(predicted) == _TOKEN.findall(truth)
    p = sum(precisions) / len(precisions) if precisions else 0.0
    r = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    n = len(truths)
    return Scores(n, p, r, f1, exact / n if n else 0.0, n - len(precisions))


# --- running the extractors ----------------------------------------------------------------
@dataclass
class Run:
    """One extractor's bodies and, for ours, the records' provenance."""

    bodies: dict[str, str] = field(default_factory=dict)
    body_layers: Counter[str] = field(default_factory=Counter)
    date_sources: Counter[str] = field(default_factory=Counter)
    failures: dict[str, str] = field(default_factory=dict)


def run_ours(files: dict[str, Path], urls: dict[str, str]) -> Run:
    """``scienmag-extract --any-site --url URL PAGE`` for each page, in this process."""
    run = Run()
    for page_id, path in files.items():
        out, err = io.StringIO(), io.StringIO()
        argv = [str(path), "--any-site", "--url", urls[page_id]]
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = extract_main(argv)
        if status != 0 or not out.getvalue().strip():
            run.failures[page_id] = err.getvalue().strip()
            run.body_layers["(no record)"] += 1
            continue
        record = json.loads(out.getvalue())
        run.bodies[page_id] = record["body"]
        run.body_layers[record["extraction"].get("body", "?")] += 1
        source = record["extraction"].get("published", "none") if record["published"] else "none"
        run.date_sources[source] += 1
    return run


def run_trafilatura(files: dict[str, Path], urls: dict[str, str]) -> Run:
    """trafilatura's ``extract`` with its default options, for comparison."""
    import trafilatura  # noqa: PLC0415 - only when asked for

    run = Run()
    for page_id, path in files.items():
        html = gzip.decompress(path.read_bytes()).decode("utf-8")
        run.bodies[page_id] = trafilatura.extract(html, url=urls[page_id]) or ""
    return run


def date_summary(sources: Counter[str], pages: int) -> dict[str, int]:
    """Pages with a date, and how many of those came from each kind of source."""
    dated = sum(n for s, n in sources.items() if s != "none")
    machine = sum(sources.get(s, 0) for s in MACHINE_READABLE_SOURCES)
    return {
        "pages": pages,
        "with_published": dated,
        "machine_readable": machine,
        "url": sources.get("url", 0),
        "visible": sources.get("visible", 0),
        **{f"source_{s}": n for s, n in sorted(sources.items())},
    }


def load_benchmark(
    bench: Path, only: Iterable[str] = (), limit: int | None = None
) -> tuple[dict[str, Path], dict[str, str], dict[str, str]]:
    """(files, urls, ground-truth bodies) of the chosen pages, in id order."""
    truth = json.loads((bench / "ground-truth.json").read_text(encoding="utf-8"))
    ids = sorted(only) if only else sorted(truth)
    ids = ids[:limit] if limit else ids
    files = {i: bench / "html" / f"{i}.html.gz" for i in ids}
    return files, {i: truth[i]["url"] for i in ids}, {i: truth[i]["articleBody"] for i in ids}


def render(rows: dict[str, Scores], ours: Run, dates: dict[str, int]) -> str:
    """The results as a plain-text table plus the provenance lines."""
    lines = [
        f"{'extractor':<22} {'pages':>5} {'F1':>6} {'prec.':>6} {'recall':>6} "
        f"{'exact':>6} {'empty':>5}"
    ]
    for name, s in rows.items():
        lines.append(
            f"{name:<22} {s.pages:>5} {s.f1:>6.4f} {s.precision:>6.4f} {s.recall:>6.4f} "
            f"{s.accuracy:>6.3f} {s.empty:>5}"
        )
    layers = ", ".join(f"{k} {v}" for k, v in sorted(ours.body_layers.items()))
    lines.append(f"\nbody layers (ours): {layers}")
    lines.append(
        f"published date: {dates['with_published']} of {dates['pages']} pages; "
        f"machine-readable (jsonld/meta/time) {dates['machine_readable']}, "
        f"URL path {dates['url']}, visible text {dates['visible']}"
    )
    detail = ", ".join(f"{k[7:]} {v}" for k, v in dates.items() if k.startswith("source_"))
    lines.append(f"  by source: {detail}")
    for page_id, reason in sorted(ours.failures.items()):
        lines.append(f"no record: {page_id}: {reason}")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--bench", type=Path, default=DEFAULT_BENCH, help="benchmark folder")
    parser.add_argument("--pages", nargs="*", default=[], metavar="ID", help="only these ids")
    parser.add_argument("--limit", type=int, help="only the first N pages (by id)")
    parser.add_argument(
        "--trafilatura", action="store_true", help="also score trafilatura's defaults"
    )
    parser.add_argument("--json", type=Path, metavar="OUT", help="write the figures as JSON")
    args = parser.parse_args(argv)

    files, urls, truths = load_benchmark(args.bench, args.pages, args.limit)
    runners: dict[str, Callable[[dict[str, Path], dict[str, str]], Run]] = {
        "scienmag-extract": run_ours
    }
    if args.trafilatura:
        runners["trafilatura (default)"] = run_trafilatura
    runs = {name: runner(files, urls) for name, runner in runners.items()}
    rows = {name: score(run.bodies, truths) for name, run in runs.items()}
    ours = runs["scienmag-extract"]
    dates = date_summary(ours.date_sources, len(files))
    print(render(rows, ours, dates))
    if args.json:
        data: dict[str, Any] = {
            "scores": {name: asdict(s) for name, s in rows.items()},
            "body_layers": dict(ours.body_layers),
            "dates": dates,
            "failures": ours.failures,
        }
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
