"""Extraction speed: our full record vs the lxml parse floor and trafilatura, same pages.

Prints ms/page (median, p90) and pages/s on one core for each extractor, and our time as a
ratio to each, for every corpus given. Figures are read, not asserted.

    python benchmarks/extraction.py [--corpus snapshot|public|both] [--limit N] [--json OUT]
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import json
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from lxml import html as lxml_html

from scienmag_crawler.extract import NotAnArticle, extract_article

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "fixtures" / "site" / "scienmag.com"
PUBLIC = ROOT.parent / "shared" / "benchmarks" / "article-extraction" / "html"


def load_corpus(name: str, limit: int | None) -> list[str]:
    """Pages of a corpus as text: the snapshot's article pages or the public benchmark's."""
    if name == "snapshot":
        files = sorted(p for p in SNAPSHOT.glob("*/index.html"))
        pages = [p.read_text(encoding="utf-8") for p in files]
    else:
        files = sorted(PUBLIC.glob("*.html.gz"))
        pages = [gzip.decompress(p.read_bytes()).decode("utf-8", "replace") for p in files]
    return pages[:limit] if limit else pages


def ours(page: str) -> None:
    with contextlib.suppress(NotAnArticle):
        extract_article(page, "https://scienmag.com/page/")


def lxml_parse(page: str) -> None:
    lxml_html.fromstring(page)


def extractors() -> dict[str, Callable[[str], object]]:
    """Our extractor, the parse floor and, where installed, trafilatura (default and fast)."""
    found: dict[str, Callable[[str], object]] = {"scienmag": ours, "lxml-parse": lxml_parse}
    try:
        import trafilatura  # noqa: PLC0415 - optional benchmark extra
    except ImportError:
        return found
    found["trafilatura"] = lambda page: trafilatura.extract(page)
    found["trafilatura-fast"] = lambda page: trafilatura.extract(page, fast=True)
    return found


def time_pages(func: Callable[[str], object], pages: list[str]) -> list[float]:
    """Seconds per page, after one warm-up call."""
    func(pages[0])
    times = []
    for page in pages:
        start = time.perf_counter()
        func(page)
        times.append(time.perf_counter() - start)
    return times


def summarise(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {
        "median_ms": statistics.median(ordered) * 1000,
        "p90_ms": ordered[int(0.9 * (len(ordered) - 1))] * 1000,
        "pages_per_s": len(ordered) / sum(ordered),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", choices=["snapshot", "public", "both"], default="both")
    parser.add_argument("--limit", type=int, help="use only the first N pages of each corpus")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    corpora = ["snapshot", "public"] if args.corpus == "both" else [args.corpus]
    results: dict[str, dict[str, dict[str, float]]] = {}
    for corpus in corpora:
        pages = load_corpus(corpus, args.limit)
        if not pages:
            print(f"{corpus}: no pages found")
            continue
        rows = {name: summarise(time_pages(f, pages)) for name, f in extractors().items()}
        results[corpus] = rows
        base = rows["scienmag"]
        print(f"\n{corpus}: {len(pages)} pages")
        print(f"{'extractor':<18}{'median ms':>10}{'p90 ms':>9}{'pages/s':>9}{'ours/x time':>13}")
        for name, row in rows.items():
            ratio = base["median_ms"] / row["median_ms"]
            print(f"{name:<18}{row['median_ms']:>10.2f}{row['p90_ms']:>9.2f}"
                  f"{row['pages_per_s']:>9.1f}{ratio:>13.2f}")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
