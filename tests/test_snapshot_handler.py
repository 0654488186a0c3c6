"""Offline replay: URL → file mapping, refusals, and the download handler's responses."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from scienmag_crawler import snapshot as snapshot_module
from scienmag_crawler.snapshot import (
    SnapshotDownloadHandler,
    SnapshotPathError,
    SnapshotReplayAddon,
    resolve_snapshot_path,
)


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "scienmag.com" / "a-post").mkdir(parents=True)
    (root / "scienmag.com" / "a-post" / "index.html").write_text("<html><body>post</body></html>")
    (root / "scienmag.com" / "feed").mkdir()
    (root / "scienmag.com" / "feed" / "index.xml").write_text("<rss/>")
    (root / "scienmag.com" / "robots.txt").write_text("User-agent: *\n")
    (tmp_path / "secret.txt").write_text("secret")
    return root


@pytest.mark.parametrize(
    ("url", "relative"),
    [
        ("https://scienmag.com/a-post/", "scienmag.com/a-post/index.html"),
        ("https://scienmag.com/a-post", "scienmag.com/a-post/index.html"),
        ("https://scienmag.com/a-post/?utm_source=x", "scienmag.com/a-post/index.html"),
        ("https://SCIENMAG.com/feed/", "scienmag.com/feed/index.xml"),
        ("https://scienmag.com/robots.txt", "scienmag.com/robots.txt"),
    ],
)
def test_urls_map_to_files(snapshot: Path, url: str, relative: str) -> None:
    assert resolve_snapshot_path(snapshot, url) == (snapshot / relative).resolve()


def test_missing_file_is_none(snapshot: Path) -> None:
    assert resolve_snapshot_path(snapshot, "https://scienmag.com/nope/") is None
    assert resolve_snapshot_path(snapshot, "https://other.example/a-post/") is None


@pytest.mark.parametrize(
    "url",
    [
        "https://scienmag.com/../secret.txt",
        "https://scienmag.com/%2e%2e/secret.txt",
        "https://scienmag.com/a-post/%2E%2E/%2E%2E/secret.txt",
        "https://scienmag.com/..%2fsecret.txt",
        "https://scienmag.com/%5c..%5csecret.txt",
        "https://scienmag.com/a%00b/",
    ],
)
def test_traversal_is_refused(snapshot: Path, url: str) -> None:
    with pytest.raises(SnapshotPathError, match="escapes"):
        resolve_snapshot_path(snapshot, url)


def test_symlink_out_of_the_snapshot_is_refused(snapshot: Path) -> None:
    (snapshot / "scienmag.com" / "leak.txt").symlink_to(snapshot.parent / "secret.txt")
    with pytest.raises(SnapshotPathError):
        resolve_snapshot_path(snapshot, "https://scienmag.com/leak.txt")


def test_handler_serves_files_with_real_urls(snapshot: Path) -> None:
    crawler = get_crawler(settings_dict={"SNAPSHOT_DIR": str(snapshot)})
    handler = SnapshotDownloadHandler(crawler)
    response = asyncio.run(handler.download_request(Request("https://scienmag.com/a-post/")))
    assert isinstance(response, HtmlResponse)
    assert response.url == "https://scienmag.com/a-post/"
    assert response.status == 200 and b"post" in response.body
    missing = asyncio.run(handler.download_request(Request("https://scienmag.com/gone/")))
    assert missing.status == 404


def test_replay_extracts_on_every_cpu_unless_told_otherwise(
    snapshot: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Offline replay is CPU-bound: one extraction worker per CPU (none on one CPU); a ``-s``
    on the command line still decides; a live crawl extracts in its own process."""
    monkeypatch.setattr(snapshot_module, "default_jobs", lambda: 4)

    def processes(**settings: object) -> int:
        given = Settings({"SCIENMAG_EXTRACTION_PROCESSES": 0})
        given.setdict(settings, priority="cmdline")
        SnapshotReplayAddon().update_settings(given)
        return given.getint("SCIENMAG_EXTRACTION_PROCESSES")

    assert processes(SNAPSHOT_DIR=str(snapshot)) == 4
    assert processes(SNAPSHOT_DIR=str(snapshot), SCIENMAG_EXTRACTION_PROCESSES=1) == 1
    assert processes() == 0
    monkeypatch.setattr(snapshot_module, "default_jobs", lambda: 1)
    assert processes(SNAPSHOT_DIR=str(snapshot)) == 0
    monkeypatch.setattr(snapshot_module, "default_jobs", lambda: 64)
    assert processes(SNAPSHOT_DIR=str(snapshot)) == 8
