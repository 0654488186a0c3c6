"""The ``scienmag-report`` command: JSONL crawl output → one self-contained HTML report.

Exit status as for ``scienmag-tables``: 0 when the report was written (skipped lines are
listed on standard error as ``file:line: reason`` and in the report itself), 1 when no usable
record was read (nothing is written), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from scienmag_crawler.analysis.charts import categories_chart, months_chart
from scienmag_crawler.analysis.records import read_records, summary_line
from scienmag_crawler.analysis.report import render_html, summarise

DEFAULT_TITLE = "Scienmag harvest report"


def _share(text: str) -> float:
    value = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError("expected a share between 0 and 1 (or 0% to 100%)")
    return value


def parser() -> argparse.ArgumentParser:
    """The command line."""
    p = argparse.ArgumentParser(
        prog="scienmag-report",
        description="Write a one-file HTML report of crawl output (several files are merged: "
        "the latest version of an article wins). The file needs no network to open.",
    )
    p.add_argument("inputs", nargs="+", metavar="FILE.jsonl", help="crawl output (.gz too)")
    p.add_argument(
        "-o", "--output", required=True, type=Path, metavar="HTML", help="report file to write"
    )
    p.add_argument("--title", default=DEFAULT_TITLE, help="page title")
    p.add_argument(
        "--min-coverage",
        type=_share,
        default=None,
        metavar="SHARE",
        help="flag every field filled in fewer records, e.g. 0.5 or 50%% (default: each "
        "field's own floor, the one the crawl monitors use; optional fields are not flagged)",
    )
    p.add_argument(
        "--top",
        type=int,
        default=15,
        metavar="N",
        help="speakers and organisations listed (default 15)",
    )
    p.add_argument(
        "--newest", type=int, default=20, metavar="N", help="newest articles listed (default 20)"
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; see the module docstring for the exit status."""
    args = parser().parse_args(argv)
    merged = read_records(args.inputs)
    for problem in merged.problems:
        print(problem, file=sys.stderr)
    print(summary_line(merged), file=sys.stderr)
    if not merged.records:
        print("scienmag-report: no usable records; nothing written", file=sys.stderr)
        return 1
    data = summarise(merged, top=args.top, newest=args.newest, min_coverage=args.min_coverage)
    charts = {"months": months_chart(data), "categories": categories_chart(data)}
    page = render_html(data, charts, title=args.title)
    out: Path = args.output
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(out)
    print(f"wrote {out} ({len(page.encode()):,} bytes)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
