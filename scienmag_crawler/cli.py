"""Entry point of the ``scienmag-extract`` command, tuned for a fast start.

itemadapter imports Scrapy whenever it is installed, to support ``scrapy.Item``; the command
never handles Scrapy items, and that import costs about 0.4 s of every run's start. So the
command marks Scrapy as unavailable for its own process before loading the extractor.
``python -m scienmag_crawler.extract`` runs the same code with the ordinary imports.
"""

from __future__ import annotations

import sys


def main() -> int:
    """Run ``scienmag-extract`` (see :mod:`scienmag_crawler.extract.__main__`)."""
    if "scrapy" not in sys.modules:
        sys.modules["scrapy"] = None  # type: ignore[assignment]
    from scienmag_crawler.extract.__main__ import main as extract_main  # noqa: PLC0415

    return extract_main()


if __name__ == "__main__":
    sys.exit(main())
