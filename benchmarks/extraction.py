"""Extraction speed: our full record vs the lxml parse floor and the peers, same pages.

Prints ms/page (median, p90) and pages/s on one core for each extractor, and our time as a
ratio to each (``scienmag-whole-page`` is ours on the whole page, without leaving out the
furniture after the post), for every corpus given: the snapshot's article pages, a synthetic
corpus (``benchmarks/synthetic.py``, generated on the fly) and the public benchmark pages. Peers
(benchmark extras): trafilatura ``extract()`` default and ``fast=True``, newspaper4k; each is
skipped when not installed. The pathological run times each extractor on a 5 MB page, a page
of 10,000 paragraphs and 5,000-level nesting, each in a fresh subprocess, and reports the
peak RSS growth over the process after imports. Every corpus is run twice by default
(``--passes``) and the figures come from the last run, so what a process pays once (imports
on first use, per-country data) is not spread over a few dozen pages; the first run's
pages/s is printed beside them. ``--runs N`` repeats the whole measurement N times and
prints the spread of the ratios: on a shared machine one run's ratio can move by a tenth, and
whether a target is met is read from all of them. Figures are read, not asserted.

    python benchmarks/extraction.py [--corpus snapshot|synthetic|public|all|none]
        [--limit N] [--synthetic-articles N] [--corpus-dir DIR] [--pathological]
        [--scale F] [--only NAMES] [--clock wall|cpu] [--passes N] [--runs N] [--json OUT]
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lxml import html as lxml_html

sys.path.insert(0, str(Path(__file__).resolve().parent))

import interpreter
from options import positive_int
from synthetic import article_pages, ensure_snapshot

from scienmag_crawler.extract import (
    ArticlePage,
    NotAnArticle,
    clear_memos,
    extract_article,
    parse_html,
)

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "fixtures" / "site" / "scienmag.com"
SOURCE_ARTICLES = ROOT / "fixtures" / "source" / "articles"
PUBLIC = ROOT.parent / "shared" / "benchmarks" / "article-extraction" / "html"
TEMPLATE_PAGE = (
    SNAPSHOT
    / "cospar-to-sign-memorandum-of-understanding-with-asia-pacific-space-cooperation-organisation"
    / "index.html"
)
CASES = ("5mb-page", "10k-paragraphs", "nesting-5000")


def load_corpus(name: str, limit: int | None, synthetic_dir: Path | None = None) -> list[str]:
    """Pages of a corpus as text: the snapshot's article pages, the synthetic or public ones."""
    if name == "snapshot":
        slugs = sorted(p.stem for p in SOURCE_ARTICLES.glob("*.json"))
        files = [SNAPSHOT / slug / "index.html" for slug in slugs]
        pages = [p.read_text(encoding="utf-8") for p in files if p.exists()]
    elif name == "synthetic":
        assert synthetic_dir is not None
        pages = [p.read_text(encoding="utf-8") for p in article_pages(synthetic_dir)]
    else:
        files = sorted(PUBLIC.glob("*.html.gz"))
        pages = [gzip.decompress(p.read_bytes()).decode("utf-8", "replace") for p in files]
    return pages[:limit] if limit else pages


def ours(page: str) -> None:
    """The full record (down to organisations); a non-article page counts as done."""
    with contextlib.suppress(NotAnArticle):
        extract_article(page, "https://scienmag.com/page/")


def lxml_parse(page: str) -> None:
    lxml_html.fromstring(page)


def ours_whole_page(page: str) -> None:
    """The full record from the whole page, furniture included (``parse_html``): what
    ``extract/furniture.py`` saves, measured beside it."""
    with contextlib.suppress(NotAnArticle):
        url = "https://scienmag.com/page/"
        ArticlePage(parse_html(page, url), url).to_item()


def extractors(only: list[str] | None = None) -> dict[str, Callable[[str], object]]:
    """Ours, the parse floor and, where installed, trafilatura (default, fast) and newspaper4k;
    ``only`` keeps those names (ours always stays)."""
    found = all_extractors()
    return {k: f for k, f in found.items() if not only or k in only or k == "scienmag"}


def all_extractors() -> dict[str, Callable[[str], object]]:
    found: dict[str, Callable[[str], object]] = {
        "scienmag": ours,
        "lxml-parse": lxml_parse,
        "scienmag-whole-page": ours_whole_page,
    }
    try:
        import trafilatura  # noqa: PLC0415 - optional benchmark extra
    except ImportError:
        pass
    else:
        found["trafilatura"] = lambda page: trafilatura.extract(page)
        found["trafilatura-fast"] = lambda page: trafilatura.extract(page, fast=True)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            import newspaper  # noqa: PLC0415 - optional benchmark extra (newspaper4k)
    except ImportError:
        return found

    def newspaper4k(page: str) -> object:
        article = newspaper.Article("https://scienmag.com/page/", fetch_images=False)
        article.download(input_html=page)
        article.parse()
        return article.text

    found["newspaper4k"] = newspaper4k
    return found


#: the clocks pages can be timed with: wall time by default; ``--clock cpu`` (this process's
#: CPU time) keeps ratios meaningful on a machine busy with other work
CLOCKS: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.process_time}


def time_pages(
    funcs: dict[str, Callable[[str], object]],
    pages: list[str],
    clock: Callable[[], float] = time.perf_counter,
    passes: int = 2,
) -> dict[str, tuple[list[float], int, float]]:
    """Seconds per page in the last of ``passes`` runs over the pages, how many pages raised
    (timed all the same: newspaper4k, for one, fails on Korean text without its nlp extra),
    and the first run's total seconds.

    The first run carries what every process pays once (imports made on first use, data
    loaded per country, patterns compiled, caches of compiled regexes filled); an archive
    of thousands of pages pays it once, so the figures are read from the last run and the
    first run's rate is printed beside them. Before each run our extraction's memos of
    page text are emptied (``clear_memos``): no page is answered from its own earlier run.
    The extractors take turns page by page, in an order that rotates: a burst of load from
    elsewhere on the machine then slows them all alike, and the ratios stay meaningful."""
    if passes < 1:
        raise ValueError(f"passes must be 1 or more, not {passes}")
    names = list(funcs)
    for func in funcs.values():
        with contextlib.suppress(Exception):
            func(pages[0])
    first: dict[str, float] = dict.fromkeys(names, 0.0)
    for run in range(passes):
        clear_memos()  # what our extraction remembers of these pages' text, from the last run
        times: dict[str, list[float]] = {name: [] for name in names}
        errors = dict.fromkeys(names, 0)
        for k, page in enumerate(pages):
            for name in names[k % len(names) :] + names[: k % len(names)]:
                start = clock()
                try:
                    funcs[name](page)
                except Exception:
                    errors[name] += 1
                times[name].append(clock() - start)
        if run == 0:
            first = {name: sum(times[name]) for name in names}
    return {name: (times[name], errors[name], first[name]) for name in names}


def summarise(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "median_ms": statistics.median(ordered) * 1000,
        "p90_ms": ordered[int(0.9 * (len(ordered) - 1))] * 1000,
        "pages_per_s": len(ordered) / sum(ordered),
    }


def run_corpus(
    pages: list[str],
    only: list[str] | None = None,
    clock: Callable[[], float] = time.perf_counter,
    passes: int = 2,
) -> dict[str, Any]:
    """Every extractor over the same pages; ratios of our time to each."""
    timed = time_pages(extractors(only), pages, clock, passes)
    times = {name: t for name, (t, _, _) in timed.items()}
    rows: dict[str, Any] = {
        name: {
            **summarise(t),
            "errors": errors,
            "first_pass_pages_per_s": len(pages) / first if first > 0 else 0.0,
        }
        for name, (t, errors, first) in timed.items()
    }
    base = rows["scienmag"]
    for name, row in rows.items():
        row["ours_over_x_median"] = base["median_ms"] / row["median_ms"]
        row["x_over_ours_pages_per_s"] = row["pages_per_s"] / base["pages_per_s"]
        # the same page, ours / theirs, then the median over pages
        row["median_per_page_ratio"] = statistics.median(
            a / b for a, b in zip(times["scienmag"], times[name], strict=True) if b > 0
        )
    return rows


def print_corpus(corpus: str, count: int, rows: dict[str, Any]) -> None:
    print(f"\n{corpus}: {count} pages (last pass; 1st-pass pages/s: with one-time costs)")
    print(
        f"{'extractor':<18}{'median ms':>10}{'p90 ms':>9}{'pages/s':>9}{'1st pass':>9}"
        f"{'ours/x median':>15}{'ours/x per page':>17}{'ours pages/s ÷ x':>18}"
    )
    for name, row in rows.items():
        print(
            f"{name:<18}{row['median_ms']:>10.2f}{row['p90_ms']:>9.2f}{row['pages_per_s']:>9.1f}"
            f"{row['first_pass_pages_per_s']:>9.1f}"
            f"{row['ours_over_x_median']:>15.2f}{row['median_per_page_ratio']:>17.2f}"
            f"{1 / row['x_over_ours_pages_per_s']:>18.2f}"
            + (f"  ({row['errors']} pages raised)" if row["errors"] else "")
        )


def ratio_spread(runs: list[dict[str, Any]]) -> dict[str, dict[str, list[float]]]:
    """For each extractor, each run's ratios of our time to its own (by the medians and
    per page), in run order."""
    return {
        name: {
            "ours_over_x_median": [run[name]["ours_over_x_median"] for run in runs],
            "median_per_page_ratio": [run[name]["median_per_page_ratio"] for run in runs],
        }
        for name in runs[0]
        if name != "scienmag"
    }


def print_spread(spread: dict[str, dict[str, list[float]]]) -> None:
    """min, median and max over the runs of each ratio.

    >>> print_spread({"lxml-parse": {"ours_over_x_median": [3.9, 4.1, 3.7],
    ...     "median_per_page_ratio": [3.8, 3.9, 3.6]}})
    ours ÷ lxml-parse over 3 runs: by the medians 3.70 / 3.90 / 4.10, per page 3.60 / 3.80 / 3.90 (min / median / max)
    """  # noqa: E501
    for name, ratios in spread.items():
        by_median, per_page = ratios["ours_over_x_median"], ratios["median_per_page_ratio"]
        print(
            f"ours ÷ {name} over {len(by_median)} runs: by the medians "
            f"{_three(by_median)}, per page {_three(per_page)} (min / median / max)"
        )


def _three(values: list[float]) -> str:
    return f"{min(values):.2f} / {statistics.median(values):.2f} / {max(values):.2f}"


# --- pathological inputs --------------------------------------------------------------------


def pathological_page(case: str, scale: float = 1.0) -> str:
    """A real article page whose content is replaced by the pathological ``case``."""
    page = TEMPLATE_PAGE.read_text(encoding="utf-8")
    sentence = "The measured values were consistent with the model across every sample. "
    if case == "5mb-page":
        para = "<p>" + sentence * 130 + "</p>\n"  # ~9.5 kB a paragraph
        content = para * max(1, int(5_000_000 * scale / len(para)))
    elif case == "10k-paragraphs":
        content = ("<p>" + sentence * 2 + "</p>\n") * max(1, int(10_000 * scale))
    elif case == "nesting-5000":
        depth = max(1, int(5_000 * scale))
        content = "<div>" * depth + "<p>" + sentence * 3 + "</p>" + "</div>" * depth
    else:
        raise ValueError(case)
    match = re.search(r'<div class="content-inner[^"]*">', page)
    assert match, "template page has no content-inner"
    return page[: match.end()] + "\n" + content + page[match.end() :]


def memory_kb(field: str) -> int:
    """``VmRSS``/``VmHWM`` of this process in kB (Linux ``/proc``; this address space only,
    unlike ``ru_maxrss``, which keeps the parent's peak across fork + exec); elsewhere the
    ``ru_maxrss`` peak."""
    with contextlib.suppress(OSError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def reset_peak() -> None:
    """Reset ``VmHWM`` to the current RSS, where the kernel allows it."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def pathological_worker(case: str, name: str, scale: float) -> None:
    """Child side: build the page, run one extractor once, print a JSON line of figures."""
    func = {"scienmag": ours, "lxml-parse": lxml_parse}.get(name) or all_extractors()[name]
    func(pathological_page("10k-paragraphs", 0.001))  # warm imports and caches
    page = pathological_page(case, scale)
    before = memory_kb("VmRSS")
    reset_peak()
    start = time.perf_counter()
    outcome = "ok"
    try:
        func(page)
    except Exception as exc:  # a crash is a figure too
        outcome = f"{type(exc).__name__}: {str(exc)[:80]}"
    seconds = time.perf_counter() - start
    figures = {
        "bytes": len(page.encode("utf-8")),
        "seconds": seconds,
        "peak_rss_mb": memory_kb("VmHWM") / 1024,
        "rss_growth_mb": (memory_kb("VmHWM") - before) / 1024,
        "outcome": outcome,
    }
    print(json.dumps(figures))


def run_pathological(
    scale: float, timeout: float, only: list[str] | None = None
) -> dict[str, dict[str, Any]]:
    """Each (case, extractor) in a fresh interpreter, so peak RSS belongs to that run."""
    results: dict[str, dict[str, Any]] = {}
    names = list(extractors(only))
    print(f"\npathological (scale {scale:g}; one fresh process per run)")
    print(
        f"{'case':<16}{'extractor':<18}{'MB':>6}{'seconds':>9}{'peak RSS MB':>13}{'RSS +MB':>9}"
        "  outcome"
    )
    for case in CASES:
        results[case] = {}
        for name in names:
            cmd = [sys.executable, __file__, "--worker", case, name, "--scale", str(scale)]
            try:
                proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
                lines = proc.stdout.strip().splitlines()
                row = (
                    json.loads(lines[-1])
                    if proc.returncode == 0 and lines
                    else {"outcome": f"exit {proc.returncode}: {proc.stderr.strip()[-120:]}"}
                )
            except subprocess.TimeoutExpired:
                row = {"outcome": f"timeout after {timeout:g} s"}
            results[case][name] = row
            print(
                f"{case:<16}{name:<18}{row.get('bytes', 0) / 1e6:>6.1f}"
                f"{row.get('seconds', float('nan')):>9.2f}"
                f"{row.get('peak_rss_mb', float('nan')):>13.1f}"
                f"{row.get('rss_growth_mb', float('nan')):>9.1f}  {row['outcome']}"
            )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--corpus",
        choices=["snapshot", "synthetic", "public", "all", "both", "none"],
        default="all",
        help="'both' = snapshot and public (the original default)",
    )
    parser.add_argument("--limit", type=int, help="use only the first N pages of each corpus")
    parser.add_argument("--synthetic-articles", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--corpus-dir", type=Path, help="keep (and reuse) the synthetic snapshot here"
    )
    parser.add_argument("--pathological", action="store_true", help="also run the 3 cases")
    parser.add_argument("--scale", type=float, default=1.0, help="shrink pathological cases")
    parser.add_argument("--timeout", type=float, default=600.0, help="per pathological run")
    parser.add_argument("--only", help="comma-separated extractor names (ours always runs)")
    parser.add_argument(
        "--clock",
        choices=sorted(CLOCKS),
        default="wall",
        help="time pages by wall clock (default) or by this process's CPU time",
    )
    parser.add_argument(
        "--passes",
        type=positive_int,
        default=2,
        help="runs over each corpus; figures from the last (default 2: the first one warms up)",
    )
    parser.add_argument(
        "--runs",
        type=positive_int,
        default=1,
        help="repeat the whole measurement this many times and print the spread of the ratios",
    )
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--worker", nargs=2, metavar=("CASE", "EXTRACTOR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        pathological_worker(args.worker[0], args.worker[1], args.scale)
        return
    only = [n.strip() for n in args.only.split(",")] if args.only else None
    corpora = {
        "all": ["snapshot", "synthetic", "public"],
        "both": ["snapshot", "public"],
        "none": [],
    }.get(args.corpus, [args.corpus])
    results: dict[str, Any] = {"python": interpreter.describe()}
    print(interpreter.summary_line(results["python"]))
    with tempfile.TemporaryDirectory(prefix="bench-synthetic-") as tmp:
        for corpus in corpora:
            synthetic_dir = None
            if corpus == "synthetic":
                synthetic_dir = ensure_snapshot(
                    args.corpus_dir or Path(tmp), args.synthetic_articles, args.seed
                )
            pages = load_corpus(corpus, args.limit, synthetic_dir)
            if not pages:
                print(f"{corpus}: no pages found")
                continue
            runs = []
            for _ in range(args.runs):
                runs.append(run_corpus(pages, only, CLOCKS[args.clock], args.passes))
                print_corpus(corpus, len(pages), runs[-1])
            results[corpus] = runs[-1]
            if args.runs > 1:
                results[f"{corpus}-runs"] = ratio_spread(runs)
                print_spread(results[f"{corpus}-runs"])
    if args.pathological:
        results["pathological"] = run_pathological(args.scale, args.timeout, only)
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
