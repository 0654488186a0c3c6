"""Seeded generator of a synthetic scienmag.com snapshot for the benchmarks.

Writes ``DIR/source`` (``site.json`` derived from ``fixtures/source/site.json`` plus N generated
``articles/<slug>.json`` + ``.html`` following ``fixtures/README.md``) and builds ``DIR/site``
with ``fixtures/build_snapshot.py`` in a subprocess (categories with pagination, tags,
sitemaps and feed come from the builder). Same seed and N give the same bytes.

    python benchmarks/synthetic.py --articles N --out DIR [--seed S] [--no-build] [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
REAL_SOURCE = ROOT / "fixtures" / "source"
BUILDER = ROOT / "fixtures" / "build_snapshot.py"

WORDS = [
    "cells",
    "protein",
    "climate",
    "ocean",
    "sediment",
    "neurons",
    "patients",
    "trial",
    "cohort",
    "galaxy",
    "telescope",
    "catalyst",
    "enzyme",
    "genome",
    "species",
    "habitat",
    "emissions",
    "battery",
    "polymer",
    "quantum",
    "lattice",
    "satellite",
    "orbit",
    "asteroid",
    "glacier",
    "rainfall",
    "drought",
    "soil",
    "microbes",
    "vaccine",
    "antibody",
    "receptor",
    "tumour",
    "therapy",
    "dose",
    "biomarker",
    "algorithm",
    "network",
    "model",
    "dataset",
    "sensor",
    "laser",
    "photon",
    "electron",
    "membrane",
    "molecule",
    "reaction",
    "yield",
    "samples",
    "results",
    "analysis",
    "effect",
    "increase",
    "decrease",
    "response",
    "levels",
    "risk",
    "exposure",
    "pathway",
    "signal",
    "structure",
    "function",
    "surface",
    "temperature",
    "pressure",
    "energy",
    "efficiency",
    "stability",
    "growth",
    "population",
    "region",
    "researchers",
    "scientists",
    "team",
    "study",
    "data",
    "evidence",
    "method",
    "approach",
    "experiment",
    "field",
]
VERBS = [
    "showed",
    "found",
    "revealed",
    "measured",
    "suggested",
    "observed",
    "identified",
    "reported",
    "confirmed",
    "estimated",
    "tracked",
    "compared",
    "linked",
    "reduced",
    "increased",
    "predicted",
    "mapped",
    "tested",
]
ADJ = [
    "significant",
    "novel",
    "robust",
    "early",
    "long-term",
    "global",
    "local",
    "rapid",
    "slow",
    "unexpected",
    "consistent",
    "previous",
    "larger",
    "smaller",
    "higher",
    "lower",
    "complex",
    "stable",
    "sensitive",
]
CONNECT = ("In addition,", "However,", "Moreover,", "By contrast,", "Overall,", "Notably,")
FIRST = [
    "Anna Berg",
    "Li Wei",
    "Carlos Mendes",
    "Priya Raman",
    "Tomasz Nowak",
    "Amara Okafor",
    "Kenji Sato",
    "Sofia Rossi",
    "Jonas Lindqvist",
    "Fatima Haddad",
    "Elena Petrova",
    "Daniel Kim",
    "Maria Garcia",
    "Oliver Smith",
    "Aiko Tanaka",
    "Samuel Mensah",
    "Laura Fischer",
    "Ravi Patel",
    "Ingrid Olsen",
    "Hugo Martin",
]
ROLES = (
    "professor of biology",
    "lead author of the study",
    "senior researcher",
    "associate professor of physics",
    "director of the institute",
    "postdoctoral fellow",
    "head of the laboratory",
    "principal investigator",
)
ORG_KIND = ("University", "Institute of Technology", "Research Centre", "Foundation", "Society")
PLACES = [
    "Oslo",
    "Lyon",
    "Kyoto",
    "Toronto",
    "Nairobi",
    "Melbourne",
    "Valencia",
    "Leiden",
    "Bangalore",
    "Santiago",
    "Gdansk",
    "Edinburgh",
    "Austin",
    "Utrecht",
    "Hamburg",
    "Seoul",
    "Porto",
    "Bergen",
    "Cape Town",
    "Wellington",
]
PHONES = ("+44 20 7946 {:04d}", "+1 617 555 {:04d}", "+49 30 901820{:02d}", "+33 1 70 36 {:04d}")
TAG_POOL = [
    "Climate change",
    "Cancer research",
    "Neuroscience",
    "Astronomy",
    "Materials science",
    "Public health",
    "Genetics",
    "Ecology",
    "Machine learning",
    "Oceanography",
    "Epidemiology",
    "Renewable energy",
    "Planetary science",
    "Microbiology",
    "Space law",
    "Chemistry",
    "Agriculture",
    "Mental health",
]
DATE_FORMATS = ("%B %-d, %Y", "%d %B %Y", "%Y-%m-%d", "%b %d, %Y", "%A, %B %-d, %Y", "%-d %B %Y")


def sentence(rng: random.Random, words: int) -> str:
    """A plausible-looking sentence of roughly ``words`` words."""
    parts = [rng.choice(WORDS) for _ in range(max(words - 3, 2))]
    parts.insert(1, rng.choice(VERBS))
    parts.insert(2, rng.choice(ADJ))
    if rng.random() < 0.3:
        parts.insert(0, rng.choice(CONNECT).lower())
    text = " ".join(parts)
    if rng.random() < 0.2:
        text += f" by {rng.randint(2, 95)} percent"
    return text[0].upper() + text[1:] + "."


def paragraph(rng: random.Random, words: int) -> tuple[str, int]:
    """A paragraph of about ``words`` words, and the words actually written."""
    out, count = [], 0
    while count < words:
        n = rng.randint(12, 28)
        out.append(sentence(rng, n))
        count += n
    return " ".join(out), count


def person(rng: random.Random) -> str:
    return rng.choice(FIRST)


def organisation(rng: random.Random) -> tuple[str, str, str]:
    """(name, acronym, place) of a made-up organisation."""
    place = rng.choice(PLACES)
    kind = rng.choice(ORG_KIND)
    name = f"{place} {kind}" if rng.random() < 0.5 else f"{kind} of {place}"
    acronym = "".join(w[0] for w in re.findall(r"[A-Z][a-z]+", name)).upper()
    return name, acronym, place


def body_html(rng: random.Random, target: int) -> str:
    """Post HTML of about ``target`` words with the site's usual blocks."""
    org, acronym, place = organisation(rng)
    blocks: list[str] = []
    words = 0
    section = 0
    while words < target:
        roll = rng.random()
        if roll < 0.08 and words > 100:
            section += 1
            level = rng.choice((2, 3, 3, 4))
            blocks.append(f'<h{level} class="wp-block-heading">{sentence(rng, 5)[:-1]}</h{level}>')
        elif roll < 0.13:
            items = [sentence(rng, rng.randint(6, 14)) for _ in range(rng.randint(3, 6))]
            tag = rng.choice(("ul", "ol"))
            blocks.append(f"<{tag}>" + "".join(f"<li>{i}</li>" for i in items) + f"</{tag}>")
            words += sum(len(i.split()) for i in items)
        elif roll < 0.17:
            n = rng.randint(100_000, 999_999)
            cap = sentence(rng, rng.randint(6, 14))
            blocks.append(
                f'<figure class="wp-block-image size-large"><img decoding="async" width="1024" '
                f'height="683" src="https://scienmag.com/wp-content/uploads/2024/'
                f'0{rng.randint(1, 9)}/image-{n}.jpg" alt="{cap[:-1]}" class="wp-image-{n}" />'
                f'<figcaption class="wp-element-caption">{cap} Credit: {org}</figcaption></figure>'
            )
            words += len(cap.split())
        elif roll < 0.27:
            speaker = person(rng)
            q1, n1 = paragraph(rng, rng.randint(15, 35))
            role = rng.choice(ROLES)
            verb = rng.choice(("said", "says", "explained", "added"))
            style = rng.random()
            if style < 0.5:
                text = f"“{q1}” {verb} {speaker}, {role} at the {org}."
            elif style < 0.8:
                q2, n2 = paragraph(rng, rng.randint(10, 25))
                text = f"“{q1[:-1]},” {verb} Dr. {speaker.split()[-1]}. “{q2}”"
                n1 += n2
            else:
                text = f"According to {speaker}, {role} at the {org}, “{q1}”"
            blocks.append(f"<p>{text}</p>")
            words += n1 + 8
        elif roll < 0.29:
            q, n = paragraph(rng, rng.randint(20, 40))
            blocks.append(
                f'<blockquote class="wp-block-quote"><p>{q}</p><cite>{person(rng)}, '
                f"{rng.choice(ROLES)}</cite></blockquote>"
            )
            words += n
        elif roll < 0.3:
            rows = "".join(
                f"<tr><td>{rng.choice(WORDS)}</td><td>{rng.randint(1, 999)}</td></tr>"
                for _ in range(rng.randint(3, 8))
            )
            table = f"<table><tbody>{rows}</tbody></table>"
            blocks.append(f'<figure class="wp-block-table">{table}</figure>')
        else:
            text, n = paragraph(rng, rng.randint(40, 140))
            if rng.random() < 0.2:
                text = text.replace(".", f' (<a href="https://doi.org/10.{n}/x{n}">link</a>).', 1)
            if rng.random() < 0.15:
                lead, _, rest = text.partition(".")
                text = f"<strong>{lead}.</strong>{rest}"
            blocks.append(f"<p>{text}</p>")
            words += n
    if rng.random() < 0.1:
        blocks.insert(rng.randint(1, len(blocks)), "<!-- jnews:inline-ad -->")
    if rng.random() < 0.7:
        contact = person(rng)
        local = contact.lower().replace(" ", ".")
        domain = acronym.lower() + ".example.org"
        phone = rng.choice(PHONES).format(rng.randint(0, 99))
        lines = [
            "<strong>Media contact</strong>",
            contact,
            f"Press Officer, {org}",
            f"Email: {local}@{domain}",
        ]
        if rng.random() < 0.7:
            lines.append(f"Tel: {phone}")
        blocks.append("<p>" + "<br/>\n".join(lines) + "</p>")
        if rng.random() < 0.4:
            blocks.append(f"<p>Follow {acronym} on X: @{acronym}_news</p>")
    for k in range(rng.choice((0, 1, 1, 2))):
        about_org, about_acr, about_place = (org, acronym, place) if k == 0 else organisation(rng)
        founded = rng.randint(1850, 2020)
        about, _ = paragraph(rng, rng.randint(30, 70))
        heading = rng.choice(("h3", "strong"))
        lead = (
            f"The {about_org} ({about_acr}) was founded in {founded} and is headquartered in "
            f"{about_place}. {about} www.{about_acr.lower()}.example.org"
        )
        if heading == "h3":
            blocks.append(f"<h3>About the {about_org}</h3>\n<p>{lead}</p>")
        else:
            blocks.append(f"<p><strong>About {about_acr}</strong> {lead}</p>")
    return "\n\n".join(blocks) + "\n"


def article_meta(
    rng: random.Random, index: int, categories: list[str], start: datetime, span_days: int
) -> dict[str, Any]:
    """The ``<slug>.json`` of article ``index``."""
    title = sentence(rng, rng.randint(6, 14))[:-1]
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:70] + f"-{index:05d}"
    published = start + timedelta(days=rng.randrange(span_days), minutes=rng.randrange(1440))
    modified = published + timedelta(days=rng.randint(1, 40)) if rng.random() < 0.2 else None
    legacy = published.year < 2020 and rng.random() < 0.5
    cats = rng.sample(categories, rng.choice((1, 1, 1, 2)))
    jsonld = not legacy and rng.random() < 0.6
    markup = {
        "jsonld": jsonld,
        "og_dates": not legacy and rng.random() < 0.6,
        "time_element": legacy or rng.random() < 0.3,
        "date_format": rng.choice(DATE_FORMATS),
        "lang": rng.choice(("en-US", "en-US", "en-US", "en-GB")),
    }
    n_authors = rng.choice((0, 0, 0, 1, 1, 2, 3))
    return {
        "slug": slug,
        "title": title,
        "subtitle": sentence(rng, 10) if rng.random() < 0.1 else None,
        "published": published.isoformat(),
        "modified": modified.isoformat() if modified else None,
        "authors": rng.sample(FIRST, n_authors),
        "categories": cats,
        "tags": rng.sample(TAG_POOL, rng.choice((0, 1, 2, 3))),
        "template": "legacy" if legacy else "1",
        "markup": markup,
        "featured_image": {
            "src": f"/wp-content/uploads/{published:%Y/%m}/{slug[:40]}.jpg",
            "alt": title,
            "caption": None,
        }
        if rng.random() < 0.85
        else None,
        "share": {
            "shares": rng.randint(0, 900),
            "views": rng.randint(10, 9000),
            "facebook": rng.randint(0, 300),
            "twitter": rng.randint(0, 200),
        },
        "related": None,
        "inline": {"ads": rng.choice((0, 1, 1, 2)), "related": 0 if legacy else rng.choice((0, 1))},
    }


def generate(out: Path, articles: int, seed: int) -> Path:
    """Write ``out/source`` (replacing it) and return its path."""
    rng = random.Random(seed)
    source = out / "source"
    if source.exists():
        shutil.rmtree(source)
    (source / "articles").mkdir(parents=True)
    site = json.loads((REAL_SOURCE / "site.json").read_text(encoding="utf-8"))
    categories = [c["slug"] for c in site["categories"]]
    start = datetime(2016, 1, 1, tzinfo=UTC)
    span = (datetime(2025, 5, 21, tzinfo=UTC) - start).days
    metas = []
    for i in range(articles):
        meta = article_meta(rng, i, categories, start, span)
        target = int(min(3000, max(300, rng.lognormvariate(6.6, 0.55))))
        html = body_html(rng, target)
        name = source / "articles" / meta["slug"]
        name.with_suffix(".json").write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
        name.with_suffix(".html").write_text(html, encoding="utf-8")
        metas.append(meta)
    site["listing_extras"] = []  # the odd pages are not part of the synthetic source
    site["popular_posts"] = [
        {
            "slug": m["slug"],
            "title": m["title"],
            "shares": 5000 - 100 * k,
            "facebook": 2000 - 40 * k,
            "twitter": 1000 - 20 * k,
            "image_alt": None,
        }
        for k, m in enumerate(metas[:5])
    ]
    (source / "site.json").write_text(json.dumps(site, indent=1) + "\n", encoding="utf-8")
    return source


def build(out: Path) -> float:
    """Run the snapshot builder on ``out/source`` into ``out/site``; seconds taken."""
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, str(BUILDER), "--source", str(out / "source"), "--out", str(out / "site")],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - start


def ensure_snapshot(out: Path, articles: int, seed: int = 1) -> Path:
    """Generate and build a synthetic snapshot unless ``out`` already holds this one."""
    stamp = out / "synthetic.json"
    wanted = {"articles": articles, "seed": seed}
    if stamp.exists() and json.loads(stamp.read_text()) == wanted and (out / "site").exists():
        return out / "site"
    out.mkdir(parents=True, exist_ok=True)
    stamp.unlink(missing_ok=True)
    generate(out, articles, seed)
    build(out)
    stamp.write_text(json.dumps(wanted), encoding="utf-8")
    return out / "site"


def article_pages(site: Path) -> list[Path]:
    """The built article pages of a synthetic snapshot (slugs end in a 5-digit index)."""
    return sorted(site.glob("scienmag.com/*-[0-9][0-9][0-9][0-9][0-9]/index.html"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-build", action="store_true", help="write the sources only")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args()
    start = time.perf_counter()
    source = generate(args.out, args.articles, args.seed)
    figures: dict[str, float] = {
        "articles": args.articles,
        "generate_s": time.perf_counter() - start,
        "source_mb": sum(p.stat().st_size for p in source.rglob("*")) / 1e6,
    }
    if not args.no_build:
        figures["build_s"] = build(args.out)
        site = args.out / "site"
        figures["site_files"] = sum(1 for p in site.rglob("*") if p.is_file())
        figures["site_mb"] = sum(p.stat().st_size for p in site.rglob("*") if p.is_file()) / 1e6
        (args.out / "synthetic.json").write_text(
            json.dumps({"articles": args.articles, "seed": args.seed}), encoding="utf-8"
        )
    print(f"{'figure':<14}{'value':>12}")
    for key, value in figures.items():
        print(f"{key:<14}{value:>12.2f}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
