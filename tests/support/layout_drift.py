"""A "theme update" of the snapshot: the same site with renamed JNews classes on post pages.

Built at test time from ``fixtures/site`` (never committed) to prove that a layout change
fails the run's monitors instead of silently emptying fields. Only single-post pages change
(``body.single-post``): listings keep working, so the crawl still reaches every article and
the damage shows up as field coverage, the way a real template update of the post page would.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

#: old JNews class (or id) → the name the "updated theme" uses
LAYOUT_DRIFT: dict[str, str] = {
    "jeg_post_title": "jeg_title_v2",  # headline: falls back to og:title / JSON-LD
    "content-inner": "post-body",  # content: falls back to div.entry-content
    "jeg_breadcrumbs": "crumbs",  # breadcrumb wrapper ...
    "breadcrumbs": "crumbs-trail",  # ... and its id: categories lose their DOM source
    "jeg_meta_category": "post-cats-v2",  # "in <category>" links
    "jeg_post_tags": "tagcloud-v2",  # tags box
    "jeg_meta_author": "byline-v2",  # byline
    "jeg_meta_date": "post-date-v2",  # visible date
}

_ATTR = re.compile(r'\b(class|id)="([^"]*)"')


def _rename(match: re.Match[str]) -> str:
    names = [LAYOUT_DRIFT.get(name, name) for name in match.group(2).split()]
    return f'{match.group(1)}="{" ".join(names)}"'


def drift_page(html: str) -> str:
    """Rename the mapped classes and ids of one page (only whole tokens of class/id).

    >>> drift_page('<h1 class="jeg_post_title x">T</h1><div id="breadcrumbs">')
    '<h1 class="jeg_title_v2 x">T</h1><div id="crumbs-trail">'
    """
    return _ATTR.sub(_rename, html)


def _is_post(html: str) -> bool:
    body = re.search(r'<body[^>]*class="([^"]*)"', html)
    return body is not None and "single-post" in body.group(1).split()


def build_drifted_site(site: Path, out: Path) -> Path:
    """Copy the snapshot ``site`` to ``out`` and drift every single-post page; return ``out``
    (usable as ``SNAPSHOT_DIR``)."""
    shutil.copytree(site, out)
    for page in out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if _is_post(html):
            page.write_text(drift_page(html), encoding="utf-8")
    return out
