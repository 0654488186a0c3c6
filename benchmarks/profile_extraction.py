"""Where extraction time goes: cProfile over ``extract_article`` on the snapshot's articles.

Prints the top functions by self time (share of the profiled total) and our own functions
(``scienmag_crawler``) plus the libraries they call by cumulative time. Figures are read,
not asserted.

    python benchmarks/profile_extraction.py [--rounds 5] [--top 10] [--limit N] [--warm N]
        [--json OUT]
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import pstats
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extraction import load_corpus

from scienmag_crawler.extract import NotAnArticle, extract_article

WATCH = ("scienmag_crawler", "dateparser", "phonenumbers", "parsel", "itemloaders", "lxml")


def label(func: tuple[str, int, str]) -> str:
    """``module/file.py:line(name)`` shortened to the package path."""
    filename, line, name = func
    for marker in ("site-packages/", "scienmag_crawler/"):
        if marker in filename:
            prefix = "scienmag_crawler/" if marker == "scienmag_crawler/" else ""
            filename = prefix + filename.split(marker, 1)[1]
            break
    return f"{filename}:{line}({name})" if line else name


def profile(pages: list[str], rounds: int, warm: int | None = None) -> pstats.Stats:
    """Run the full record over ``pages`` ``rounds`` times under cProfile, after a warm-up
    over the first ``warm`` pages (default: all of them, so one-time costs such as
    phonenumbers loading a country's metadata the first time it is needed stay out of the
    profile; on a few dozen pages they would dominate it)."""
    for page in pages[:warm]:
        with contextlib.suppress(NotAnArticle):
            extract_article(page, "https://scienmag.com/page/")
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(rounds):
        for page in pages:
            with contextlib.suppress(NotAnArticle):
                extract_article(page, "https://scienmag.com/page/")
    profiler.disable()
    return pstats.Stats(profiler)


def hotspots(stats: pstats.Stats, top: int) -> dict[str, Any]:
    """Top ``top`` by self time, and watched packages' functions by cumulative time."""
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(tt for _, _, tt, _, _ in raw.values())
    by_self = sorted(raw.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    by_cum = sorted(
        ((f, v) for f, v in raw.items() if any(w in f[0] for w in WATCH)),
        key=lambda kv: kv[1][3],
        reverse=True,
    )
    return {
        "total_s": total,
        "self": [
            {"function": label(f), "calls": v[1], "self_s": v[2], "share": v[2] / total}
            for f, v in by_self
        ],
        "cumulative": [
            {"function": label(f), "calls": v[1], "cum_s": v[3], "share": v[3] / total}
            for f, v in by_cum[: top * 3]
        ],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--limit", type=int, help="use only the first N snapshot articles")
    parser.add_argument(
        "--warm", type=int, help="warm up on the first N pages only (default: every page)"
    )
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    pages = load_corpus("snapshot", args.limit)
    figures = hotspots(profile(pages, args.rounds, args.warm), args.top)
    figures["pages"] = len(pages) * args.rounds
    print(f"\n{figures['pages']} extractions, {figures['total_s']:.2f} s profiled")
    print(f"\n{'share':>6}{'self s':>8}{'calls':>9}  top by self time")
    for row in figures["self"]:
        print(f"{row['share']:>6.1%}{row['self_s']:>8.2f}{row['calls']:>9}  {row['function']}")
    print(f"\n{'share':>6}{'cum s':>8}{'calls':>9}  ours and our libraries by cumulative time")
    for row in figures["cumulative"]:
        print(f"{row['share']:>6.1%}{row['cum_s']:>8.2f}{row['calls']:>9}  {row['function']}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
