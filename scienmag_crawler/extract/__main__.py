"""``scienmag-extract``: re-extract saved article pages to JSONL on standard output.

Runs exactly the crawler's extraction (:func:`scienmag_crawler.extract.extract_article`).
A file that cannot be read or is not an article gets one line on standard error naming the
file and the reason; the others still come out; the exit status is then 1.

``--any-site`` is for pages from other sites (benchmarks, comparisons): a page need not
declare itself an article, and a page whose date cannot be found still gives a record, with
``published`` null and ``extraction["mode"]`` set to ``any-site``.
"""

from __future__ import annotations

import argparse
import dataclasses
import gzip
import json
import sys
import zlib
from collections.abc import Sequence
from pathlib import Path

from w3lib.encoding import html_to_unicode

from scienmag_crawler.extract import NotAnArticle, extract_article

GZIP_MAGIC = b"\x1f\x8b"


def read_page(path: Path) -> str:
    """The page's text: gunzipped when gzip-compressed, decoded by its declared charset."""
    data = path.read_bytes()
    if data.startswith(GZIP_MAGIC):
        data = gzip.decompress(data)
    _, text = html_to_unicode(None, data)
    return text


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
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status (0 all good, 1 some page failed, 2 usage)."""
    args = _parser().parse_args(argv)
    if args.url and len(args.pages) != 1:
        _parser().error("--url can only be used with a single page")
    failed = 0
    out = sys.stdout
    for path in args.pages:
        try:
            article = extract_article(read_page(path), url=args.url, any_site=args.any_site)
        except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            print(f"scienmag-extract: {path}: cannot read: {reason}", file=sys.stderr)
            failed += 1
            continue
        except NotAnArticle as exc:
            print(
                f"scienmag-extract: {path}: not an article ({exc.reason}): {exc.detail}",
                file=sys.stderr,
            )
            failed += 1
            continue
        out.write(json.dumps(dataclasses.asdict(article), ensure_ascii=False) + "\n")
    out.flush()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
