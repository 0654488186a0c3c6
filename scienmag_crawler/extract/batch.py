"""Re-extract many saved pages: one page at a time, or spread over worker processes.

``scienmag-extract`` hands its files here. Extraction is CPU-bound pure Python, so a batch
of pages runs on every core through a process pool; results still come back in the order
the files were given. A single page (or ``jobs=1``) never starts a pool: a one-page call
keeps its fast start.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import os
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from w3lib.encoding import html_to_unicode

from scienmag_crawler.extract import NotAnArticle, extract_article
from scienmag_crawler.items import plain

GZIP_MAGIC = b"\x1f\x8b"
#: pages handed to a worker at a time: large enough to amortise the hand-over, small enough
#: to keep the workers evenly loaded
MAX_CHUNK = 16


def read_page(path: Path) -> str:
    """The page's text: gunzipped when gzip-compressed, decoded by its declared charset."""
    data = path.read_bytes()
    if data.startswith(GZIP_MAGIC):
        data = gzip.decompress(data)
    _, text = html_to_unicode(None, data)
    return text


@dataclasses.dataclass(frozen=True)
class Outcome:
    """One page's result: its JSON line, or why there is none (``error``)."""

    path: Path
    line: str | None = None
    error: str | None = None


def extract_file(path: Path, url: str | None = None, any_site: bool = False) -> Outcome:
    """The record of one saved page as a JSON line, or the reason it has none."""
    try:
        article = extract_article(read_page(path), url=url, any_site=any_site)
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        return Outcome(path, error=f"cannot read: {reason}")
    except NotAnArticle as exc:
        return Outcome(path, error=f"not an article ({exc.reason}): {exc.detail}")
    return Outcome(path, line=record_json(article))


def record_json(article: Any) -> str:
    """The record as one JSON line: the same text as ``json.dumps(dataclasses.asdict(...))``
    without ``asdict``'s deep copy of every value (a tenth of a page's time)."""
    return json.dumps(plain(article), ensure_ascii=False)


def _extract_any_site(path: Path) -> Outcome:
    return extract_file(path, any_site=True)


def default_jobs() -> int:
    """The CPUs this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def extract_files(
    paths: Sequence[Path], url: str | None = None, any_site: bool = False, jobs: int | None = None
) -> Iterator[Outcome]:
    """Outcomes of ``paths``, in order; over ``jobs`` processes (default: every CPU)."""
    jobs = default_jobs() if jobs is None else jobs
    if jobs <= 1 or len(paths) <= 1 or url is not None:
        for path in paths:
            yield extract_file(path, url, any_site)
        return
    from concurrent.futures import ProcessPoolExecutor  # noqa: PLC0415 - only for batches

    workers = min(jobs, len(paths))
    chunk = max(1, min(MAX_CHUNK, len(paths) // (workers * 4)))
    work = _extract_any_site if any_site else extract_file
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from pool.map(work, paths, chunksize=chunk)
