"""One offline crawl of the snapshot per test session, shared by the analysis tests.

The tables and report tests want the real crawl output (with ``crawled_at`` and every
field as the crawler writes it), and the crawl takes a few seconds, so it runs once and the
file is reused.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SITE
from tests.support.records import NO_POLITENESS

_crawled: dict[str, Path] = {}


def snapshot_crawl(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The JSONL output of ``scrapy crawl articles`` over the snapshot (crawled once)."""
    if "out" not in _crawled:
        out = tmp_path_factory.mktemp("snapshot-crawl") / "articles.jsonl"
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "scrapy.cmdline",
                "crawl",
                "articles",
                "-O",
                str(out),
                "-s",
                f"SNAPSHOT_DIR={SITE}",
                *NO_POLITENESS,
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr[-3000:]
        _crawled["out"] = out
    return _crawled["out"]
