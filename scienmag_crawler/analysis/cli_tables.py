"""The ``scienmag-tables`` command: JSONL crawl output → linked CSV or Parquet tables.

Exit status: 0 when tables were written (skipped lines are still listed on standard error,
one ``file:line: reason`` each), 1 when no usable record was read (nothing is written),
2 on a usage error or when Parquet is asked for without pyarrow installed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from scienmag_crawler.analysis.records import read_records, summary_line
from scienmag_crawler.analysis.tables import (
    TABLES,
    MissingExtraError,
    build_tables,
    write_csv,
    write_parquet,
)


def parser() -> argparse.ArgumentParser:
    """The command line (kept separate so the README and tests can show the same help)."""
    p = argparse.ArgumentParser(
        prog="scienmag-tables",
        description=(
            "Turn crawl output (JSONL, several files merged: the latest version of an "
            f"article wins) into linked tables: {', '.join(TABLES)}. "
            "Columns and types: scienmag_crawler/schema/tables.md."
        ),
    )
    p.add_argument("inputs", nargs="+", metavar="FILE.jsonl", help="crawl output (.gz too)")
    p.add_argument("--out", "-o", required=True, type=Path, metavar="DIR", help="output folder")
    p.add_argument(
        "--format",
        choices=["csv", "parquet"],
        action="append",
        help="csv (default) or parquet (needs the extra: pip install "
        "'scienmag-crawler[parquet]'); repeat for both",
    )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; see the module docstring for the exit status."""
    args = parser().parse_args(argv)
    formats = args.format or ["csv"]
    merged = read_records(args.inputs)
    for problem in merged.problems:
        print(problem, file=sys.stderr)
    print(summary_line(merged), file=sys.stderr)
    if not merged.records:
        print("scienmag-tables: no usable records; nothing written", file=sys.stderr)
        return 1
    tables = build_tables(merged.records, merged.sources)
    try:
        for fmt in dict.fromkeys(formats):
            writer = write_parquet if fmt == "parquet" else write_csv
            paths = writer(tables, args.out)
            print(f"wrote {len(paths)} {fmt} tables to {args.out}", file=sys.stderr)
    except MissingExtraError as exc:
        print(f"scienmag-tables: {exc}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
