"""``scienmag-extract``: re-extract saved article pages to JSONL on standard output.

Runs exactly the crawler's extraction (:func:`scienmag_crawler.extract.extract_article`).
A file that cannot be read or is not an article gets one line on standard error naming the
file and the reason; the others still come out; the exit status is then 1.

Many pages are spread over worker processes (``--jobs``, default: every CPU); the records
still come out in the order the files were given.

``--any-site`` is for pages from other sites (benchmarks, comparisons): a page need not
declare itself an article, and a page whose date cannot be found still gives a record, with
``published`` null and ``extraction["mode"]`` set to ``any-site``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from scienmag_crawler.extract.batch import extract_files, read_page

__all__ = ["main", "read_page"]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scienmag-extract",
        description="Extract article records from saved Scienmag pages (HTML or .html.gz) "
        "and write them as JSON lines to standard output, in the order given.",
    )
    parser.add_argument("pages", nargs="+", type=Path, metavar="PAGE", help="saved page files")
    parser.add_argument(
        "--url", help="the page's URL (only with a single file; default: its canonical link)"
    )
    parser.add_argument(
        "--any-site",
        action="store_true",
        help="pages from any site: keep pages that do not declare themselves articles and "
        "pages without a date (published is then null; extraction.mode is any-site)",
    )
    parser.add_argument(
        "--jobs",
        "-j",
        type=int,
        metavar="N",
        help="worker processes for many pages (default: the number of CPUs; 1: none)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (0 all good, 1 some page failed, 2 usage)."""
    args = _parser().parse_args(argv)
    if args.url and len(args.pages) != 1:
        _parser().error("--url can only be used with a single page")
    if args.jobs is not None and args.jobs < 1:
        _parser().error("--jobs must be at least 1")
    failed = 0
    out = sys.stdout
    for outcome in extract_files(args.pages, args.url, args.any_site, args.jobs):
        if outcome.line is None:
            print(f"scienmag-extract: {outcome.path}: {outcome.error}", file=sys.stderr)
            failed += 1
            continue
        out.write(outcome.line + "\n")
    out.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
