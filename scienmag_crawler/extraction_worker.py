"""An extraction worker process: ``python -m scienmag_crawler.extraction_worker``.

Reads jobs from stdin and writes results to stdout, one at a time and in order. Every
message is a 4-byte mark, an 8-byte big-endian length and a pickle. A job is ``(url, body,
encoding)``; its result is ``(True, record)`` or ``(False, exception, traceback text)``. End
of input (the crawl closed the pipe, or its process is gone) ends the worker.

Started by :class:`scienmag_crawler.extraction_pool.ExtractionPool`, never imported by the
crawl's process for its work: a fresh interpreter runs nothing of the program that started
the crawl (an unguarded script would otherwise run again in every worker).
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
import sys
import traceback
from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from scienmag_crawler.items import Article

#: every message: this mark and its length, then the pickle (a worker's output out of step,
#: or garbage, is told at once from a message)
HEADER = struct.Struct(">4sQ")
MARK = b"SMX1"
#: what a worker does with a job: (url, body, encoding) -> record
Work = Callable[[str, bytes, str], "Article"]


def extract_page(url: str, body: bytes, encoding: str) -> Article:
    """The record of one downloaded page, decoded as Scrapy's ``TextResponse.text`` decodes
    it (``encoding`` is the response's)."""
    # imported here, after main() has kept Scrapy out of the worker
    from w3lib.encoding import html_to_unicode  # noqa: PLC0415

    from scienmag_crawler.extract import extract_article  # noqa: PLC0415

    return extract_article(html_to_unicode(f"charset={encoding}", body)[1], url)


def read_message(stream: IO[bytes]) -> Any | None:
    """The next message, or None at the end of input."""
    header = stream.read(HEADER.size)
    if len(header) < HEADER.size:
        return None
    return pickle.loads(stream.read(size_of(header)))


def size_of(header: bytes) -> int:
    """The size of the pickle a message header announces; ValueError for what is no header.

    >>> size_of(HEADER.pack(MARK, 12))
    12
    >>> size_of(b"Traceback (m")
    Traceback (most recent call last):
    ...
    ValueError: not a message: b'Traceback (m'
    """
    mark, size = HEADER.unpack(header)
    if mark != MARK:
        raise ValueError(f"not a message: {header!r}")
    return int(size)


def encode_message(message: object) -> bytes:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    return HEADER.pack(MARK, len(data)) + data


def result_of(job: tuple[str, bytes, str], work: Work = extract_page) -> bytes:
    """A job's result message; an exception that cannot be pickled is sent as its text."""
    try:
        return encode_message((True, work(*job)))
    except Exception as exc:  # every failure goes back to the crawl, with its page named
        text = traceback.format_exc()
        try:
            return encode_message((False, exc, text))
        except Exception:
            return encode_message((False, RuntimeError(f"{type(exc).__name__}: {exc}"), text))


def serve(jobs: IO[bytes], results: IO[bytes], work: Work = extract_page) -> None:
    """Answer jobs until the end of input."""
    while (job := read_message(jobs)) is not None:
        results.write(result_of(job, work))
        results.flush()


def main(work: Work = extract_page) -> None:
    # first of all (a worker runs in a session of its own, but may be signalled directly):
    # Ctrl-C is the crawl's to handle; it stops gracefully and still needs its workers
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # results get a private copy of stdout; anything printed from here on, by imports too,
    # goes to stderr, not into them
    results = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    # nothing in extraction uses Scrapy, but itemadapter imports it when it can: a third of
    # a worker's start and a third of its memory (24 MB), for nothing
    sys.modules.setdefault("scrapy", None)  # type: ignore[arg-type]
    import scienmag_crawler.extract  # noqa: F401, PLC0415 - loaded before the first page

    serve(sys.stdin.buffer, results, work)


if __name__ == "__main__":
    main()
