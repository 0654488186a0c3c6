"""An extraction worker that misbehaves on request, by the page's URL: ``/crash-`` pages kill
it (as the kernel's OOM killer or a crash in C code would), ``/raise-`` pages raise an error
extraction never raises, ``/slow-`` pages take half a second, ``/hang-`` pages never end,
``/odd-`` pages give a result the crawl's process cannot unpickle; others extract as usual."""

from __future__ import annotations

import os
import time

from scienmag_crawler.extraction_worker import extract_page, main
from scienmag_crawler.items import Article


class Odd:
    """Pickled as ``__main__.Odd``: the crawl's process has no such class."""


def faulty(url: str, body: bytes, encoding: str) -> Article:
    if "/crash-" in url:
        os._exit(70)
    if "/raise-" in url:
        raise LookupError(f"no such thing on {url}")
    if "/slow-" in url:
        time.sleep(0.5)
    if "/hang-" in url:
        time.sleep(3600)
    if "/odd-" in url:
        return Odd()  # type: ignore[return-value]
    return extract_page(url, body, encoding)


if __name__ == "__main__":
    main(faulty)
