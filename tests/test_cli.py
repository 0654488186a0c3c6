"""``scienmag-extract``: stdout JSONL in the order given, stderr line and exit 1 per bad file."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import SITE, article_file

SEED = "cospar-to-sign-memorandum-of-understanding-with-asia-pacific-space-cooperation-organisation"
OTHER = "why-do-regulatory-agencies-sometimes-fall-short"


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scienmag_crawler.extract", *map(str, args)],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_records_in_the_order_given_plain_and_gzip(tmp_path: Path) -> None:
    gz = tmp_path / "seed.html.gz"
    gz.write_bytes(gzip.compress(article_file(SEED).read_bytes()))
    result = run(article_file(OTHER), gz)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["url"] for r in lines] == [
        f"https://scienmag.com/{OTHER}/",
        f"https://scienmag.com/{SEED}/",
    ]
    assert result.stderr == ""


def test_bad_files_are_reported_and_the_rest_still_come_out(tmp_path: Path) -> None:
    missing = tmp_path / "missing.html"
    broken_gz = tmp_path / "broken.html.gz"
    broken_gz.write_bytes(b"\x1f\x8b\x08\x00garbage")
    listing = SITE / "scienmag.com" / "category" / "policy" / "index.html"
    result = run(missing, article_file(SEED), broken_gz, listing)
    assert result.returncode == 1
    assert len(result.stdout.splitlines()) == 1
    errors = result.stderr.splitlines()
    assert len(errors) == 3
    assert str(missing) in errors[0] and "cannot read" in errors[0]
    assert str(broken_gz) in errors[1] and "cannot read" in errors[1]
    assert str(listing) in errors[2] and "not an article (listing)" in errors[2]


def test_url_option_sets_the_page_url_when_there_is_no_canonical(tmp_path: Path) -> None:
    page = tmp_path / "page.html"
    html = article_file(SEED).read_text(encoding="utf-8")
    html = html.replace('rel="canonical"', 'rel="x-canonical"').replace('og:url"', 'og:x"')
    page.write_text(html, encoding="utf-8")
    result = run(page, "--url", "https://scienmag.com/saved-copy/")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["url"] == "https://scienmag.com/saved-copy/"


def test_url_option_needs_a_single_file() -> None:
    result = run(article_file(SEED), article_file(OTHER), "--url", "https://scienmag.com/x/")
    assert result.returncode == 2
    assert "single page" in result.stderr


OTHER_SITE = (
    "<html lang='en'><head><title>Otters return | Example</title></head><body>"
    "<nav><a href='/'>Home</a> <a href='/news/'>News</a></nav><main><h1>Otters return</h1>"
    + "".join(
        f"<p>Paragraph {n}: sea otters in the bay have doubled in number over the past decade, "
        "according to a survey the regional wildlife office published this week.</p>"
        for n in range(1, 6)
    )
    + "</main><footer>© 2021 Example News</footer></body></html>"
)


def test_any_site_keeps_pages_of_other_sites_and_says_how_they_were_read(tmp_path: Path) -> None:
    page = tmp_path / "other.html"
    page.write_text(OTHER_SITE, encoding="utf-8")
    strict = run(page, "--url", "https://example.org/otters/")
    assert strict.returncode == 1
    assert "not an article (not-an-article)" in strict.stderr
    result = run(page, "--url", "https://example.org/2021/03/04/otters/", "--any-site")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["title"] == "Otters return"
    assert record["body"].startswith("Paragraph 1: sea otters")
    assert record["published"] == "2021-03-04"
    assert record["extraction"] == {
        "body": "generic",
        "published": "url",
        "modified": "none",
        "mode": "any-site",
    }


def test_any_site_changes_nothing_on_scienmag_pages() -> None:
    plain = json.loads(run(article_file(SEED)).stdout)
    relaxed = json.loads(run(article_file(SEED), "--any-site").stdout)
    assert relaxed.pop("extraction") == {**plain.pop("extraction"), "mode": "any-site"}
    assert relaxed == plain
