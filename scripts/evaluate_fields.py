"""Score quotes, contacts and organisation facts against the fixtures' expected records.

Runs the extractor on ``fixtures/site/scienmag.com/<slug>/index.html`` for every
``fixtures/expected/<slug>.json`` and prints precision/recall per field, micro-averaged over
pages (a pass/fail test hides how close a field is; this shows it).

    python scripts/evaluate_fields.py [--verbose] [--json OUT]

Matching rules, one small function per field below:

* quotes: same text after normalising whitespace, quote marks and leading/trailing
  punctuation, and the same speaker; ``quotes (text only)`` ignores the speaker;
  ``quotes.speaker_role``: the expected ``speaker_role_contains`` is in the role.
* contacts: emails lower-cased; phones by E.164; websites without scheme, ``www.`` and
  trailing slash; social by platform + handle (case-insensitive, ``@`` and dashes
  normalised); people by name, then their email / phone / organisation_contains.
* organisations by name or acronym, then name / acronym / founded / headquarters_contains /
  website; ``facts_mention``: each string is in some fact or in the joined facts (recall).

Attribute rows (role, people and organisation details) count a right value as a hit, a
wrong value as both a false positive and a miss, and a missing value as a miss.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scienmag_crawler.extract import extract_article  # noqa: E402
from scienmag_crawler.extract.text import strip_honorifics  # noqa: E402

EXPECTED = ROOT / "fixtures" / "expected"
SITE = ROOT / "fixtures" / "site" / "scienmag.com"

Record = dict[str, Any]
_QUOTE_MARKS = "“”„‟«»‹›\"'‘’"
_EDGE = _QUOTE_MARKS + " .,;:!?…—–-"


@dataclass
class Score:
    """Hit / false-positive / miss counts for one field, with what went wrong (verbose)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    extras: list[str] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score, page: str = "") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.extras += [f"{page}: {e}" for e in other.extras]
        self.misses += [f"{page}: {m}" for m in other.misses]

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


# --- normalisers -------------------------------------------------------------------------


def norm_text(text: str | None) -> str:
    """Whitespace, quote marks and edge punctuation do not count in quote text."""
    text = re.sub(r"[“”„‟«»\"]", "", text or "")
    return " ".join(text.split()).strip(_EDGE).casefold()


def norm_name(name: str | None) -> str:
    return " ".join(strip_honorifics(name or "").split()).casefold()


def norm_website(url: str | None) -> str:
    url = (url or "").strip().lower()
    url = re.sub(r"^[a-z]+://", "", url)
    return url.removeprefix("www.").rstrip("/")


def norm_handle(handle: str | None) -> str:
    handle = re.sub(r"[‐-―]", "-", (handle or "").casefold())
    return " ".join(handle.split()).lstrip("@")


def contains(haystack: str | None, needle: str | None) -> bool:
    return bool(haystack) and (needle or "").casefold() in (haystack or "").casefold()


# --- generic matching --------------------------------------------------------------------


def match_sets(expected: Iterable[str], actual: Iterable[str]) -> Score:
    """Score two collections of already-normalised keys (duplicates count once)."""
    exp, act = set(expected) - {""}, set(actual) - {""}
    return Score(
        tp=len(exp & act),
        fp=len(act - exp),
        fn=len(exp - act),
        extras=sorted(act - exp),
        misses=sorted(exp - act),
    )


def pair_up(
    expected: list[Record], actual: list[Record], same: Callable[[Record, Record], bool]
) -> list[tuple[Record, Record | None]]:
    """Each expected item with the first unused actual item that matches it (or None)."""
    used: set[int] = set()
    pairs: list[tuple[Record, Record | None]] = []
    for exp in expected:
        hit = next((i for i, a in enumerate(actual) if i not in used and same(exp, a)), None)
        if hit is not None:
            used.add(hit)
        pairs.append((exp, actual[hit] if hit is not None else None))
    return pairs


def match_items(
    expected: list[Record],
    actual: list[Record],
    same: Callable[[Record, Record], bool],
    show: Callable[[Record], str],
) -> Score:
    pairs = pair_up(expected, actual, same)
    matched = [id(a) for _, a in pairs if a is not None]
    extras = [show(a) for a in actual if id(a) not in matched]
    misses = [show(e) for e, a in pairs if a is None]
    return Score(tp=len(matched), fp=len(extras), fn=len(misses), extras=extras, misses=misses)


def score_attribute(
    pairs: list[tuple[Record, Record | None]],
    key: str,
    right: Callable[[Any, Record], bool],
    got: Callable[[Record], Any],
) -> Score:
    """Per matched item: the expected ``key`` value is right / wrong / missing."""
    score = Score()
    for exp, act in pairs:
        if key not in exp or exp[key] in (None, ""):
            continue
        if act is not None and right(exp[key], act):
            score.tp += 1
            continue
        value = got(act) if act is not None else None
        if value:
            score.fp += 1
            score.extras.append(f"{key}={value!r}")
        score.fn += 1
        score.misses.append(f"{key}={exp[key]!r}")
    return score


# --- fields ------------------------------------------------------------------------------


def _show_quote(q: Record) -> str:
    return f"{q.get('speaker')}: {norm_text(q.get('text'))[:70]}"


def score_quotes(expected: Record, actual: Record) -> Score:
    def same(e: Record, a: Record) -> bool:
        return norm_text(e["text"]) == norm_text(a["text"]) and norm_name(
            e.get("speaker")
        ) == norm_name(a.get("speaker"))

    return match_items(expected.get("quotes", []), actual["quotes"], same, _show_quote)


def score_quote_text(expected: Record, actual: Record) -> Score:
    def same(e: Record, a: Record) -> bool:
        return norm_text(e["text"]) == norm_text(a["text"])

    return match_items(expected.get("quotes", []), actual["quotes"], same, _show_quote)


def score_quote_roles(expected: Record, actual: Record) -> Score:
    pairs = pair_up(
        expected.get("quotes", []),
        actual["quotes"],
        lambda e, a: (
            norm_text(e["text"]) == norm_text(a["text"])
            and norm_name(e.get("speaker")) == norm_name(a.get("speaker"))
        ),
    )
    return score_attribute(
        pairs,
        "speaker_role_contains",
        lambda want, a: contains(a.get("speaker_role"), want),
        lambda a: a.get("speaker_role"),
    )


def score_emails(expected: Record, actual: Record) -> Score:
    exp = expected.get("contacts", {}).get("emails", [])
    return match_sets((e.lower() for e in exp), (e.lower() for e in actual["contacts"]["emails"]))


def score_phones(expected: Record, actual: Record) -> Score:
    exp = expected.get("contacts", {}).get("phones", [])
    return match_sets((p["e164"] for p in exp), (p["e164"] for p in actual["contacts"]["phones"]))


def score_websites(expected: Record, actual: Record) -> Score:
    exp = expected.get("contacts", {}).get("websites", [])
    return match_sets(map(norm_website, exp), map(norm_website, actual["contacts"]["websites"]))


def score_social(expected: Record, actual: Record) -> Score:
    def key(s: Record) -> str:
        return f"{(s.get('platform') or '').lower()}:{norm_handle(s.get('handle'))}"

    exp = expected.get("contacts", {}).get("social", [])
    return match_sets(map(key, exp), map(key, actual["contacts"]["social"]))


def _people_pairs(expected: Record, actual: Record) -> list[tuple[Record, Record | None]]:
    exp = expected.get("contacts", {}).get("people", [])
    return pair_up(
        exp, actual["contacts"]["people"], lambda e, a: norm_name(e["name"]) == norm_name(a["name"])
    )


def score_people(expected: Record, actual: Record) -> Score:
    exp = expected.get("contacts", {}).get("people", [])
    return match_items(
        exp,
        actual["contacts"]["people"],
        lambda e, a: norm_name(e["name"]) == norm_name(a["name"]),
        lambda p: str(p.get("name")),
    )


def score_people_details(expected: Record, actual: Record) -> Score:
    pairs = _people_pairs(expected, actual)
    score = score_attribute(
        pairs, "email", lambda w, a: (a.get("email") or "").lower() == w.lower(), _get("email")
    )
    score.add(score_attribute(pairs, "phone", lambda w, a: a.get("phone") == w, _get("phone")))
    score.add(
        score_attribute(
            pairs,
            "organisation_contains",
            lambda w, a: contains(a.get("organisation"), w),
            _get("organisation"),
        )
    )
    return score


def _get(key: str) -> Callable[[Record], Any]:
    return lambda record: record.get(key)


def _same_org(e: Record, a: Record) -> bool:
    names = {norm_name(e.get("name")), norm_name(e.get("acronym"))} - {""}
    return bool(names & ({norm_name(a.get("name")), norm_name(a.get("acronym"))} - {""}))


def score_organisations(expected: Record, actual: Record) -> Score:
    return match_items(
        expected.get("organisations", []),
        actual["organisations"],
        _same_org,
        lambda o: str(o.get("acronym") or o.get("name")),
    )


def score_organisation_details(expected: Record, actual: Record) -> Score:
    pairs = pair_up(expected.get("organisations", []), actual["organisations"], _same_org)
    checks: dict[str, tuple[str, Callable[[Any, Record], bool]]] = {
        "name": ("name", lambda w, a: norm_name(a.get("name")) == norm_name(w)),
        "acronym": ("acronym", lambda w, a: (a.get("acronym") or "") == w),
        "founded": ("founded", lambda w, a: a.get("founded") == w),
        "headquarters_contains": (
            "headquarters",
            lambda w, a: contains(a.get("headquarters"), w),
        ),
        "website": ("website", lambda w, a: norm_website(a.get("website")) == norm_website(w)),
    }
    score = Score()
    for key, (actual_key, right) in checks.items():
        score.add(score_attribute(pairs, key, right, _get(actual_key)))
    return score


def score_facts(expected: Record, actual: Record) -> Score:
    """Recall only: every ``facts_mention`` string is in some fact or the joined facts."""
    score = Score()
    for exp, act in pair_up(expected.get("organisations", []), actual["organisations"], _same_org):
        facts = (act or {}).get("facts", [])
        joined = " ".join(facts)
        for mention in exp.get("facts_mention", []):
            if any(contains(f, mention) for f in facts) or contains(joined, mention):
                score.tp += 1
            else:
                score.fn += 1
                score.misses.append(f"{exp.get('acronym') or exp.get('name')}: {mention}")
    return score


FIELDS: dict[str, Callable[[Record, Record], Score]] = {
    "quotes": score_quotes,
    "quotes (text only)": score_quote_text,
    "quotes.speaker_role": score_quote_roles,
    "contacts.emails": score_emails,
    "contacts.phones": score_phones,
    "contacts.websites": score_websites,
    "contacts.social": score_social,
    "contacts.people": score_people,
    "contacts.people details": score_people_details,
    "organisations": score_organisations,
    "organisation details": score_organisation_details,
    "organisations.facts_mention": score_facts,
}


# --- running -----------------------------------------------------------------------------


def empty_record() -> Record:
    return {
        "quotes": [],
        "contacts": {"emails": [], "phones": [], "websites": [], "social": [], "people": []},
        "organisations": [],
    }


def extract(slug: str) -> Record:
    """The record for one fixture page; an empty one when extraction fails (all misses)."""
    html = (SITE / slug / "index.html").read_text(encoding="utf-8")
    try:
        return dataclasses.asdict(extract_article(html, url=f"https://scienmag.com/{slug}/"))
    except Exception as exc:  # a crash must show up as misses, not stop the evaluation
        print(f"{slug}: extraction failed: {exc!r}", file=sys.stderr)
        return empty_record()


def evaluate(pages: Iterable[tuple[str, Record, Record]]) -> dict[str, Score]:
    """Micro-averaged scores per field over ``(slug, expected, actual)`` triples."""
    totals = {name: Score() for name in FIELDS}
    for slug, expected, actual in pages:
        for name, scorer in FIELDS.items():
            totals[name].add(scorer(expected, actual), slug)
    return totals


def _fmt(value: float | None) -> str:
    return "   -" if value is None else f"{value:.3f}"


def table(totals: dict[str, Score]) -> str:
    lines = [f"{'field':<30} {'tp':>5} {'fp':>5} {'fn':>5} {'precision':>10} {'recall':>8}"]
    for name, s in totals.items():
        lines.append(
            f"{name:<30} {s.tp:>5} {s.fp:>5} {s.fn:>5} {_fmt(s.precision):>10} {_fmt(s.recall):>8}"
        )
    return "\n".join(lines)


def details(totals: dict[str, Score]) -> str:
    lines = []
    for name, s in totals.items():
        for miss in s.misses:
            lines.append(f"[{name}] MISS  {miss}")
        for extra in s.extras:
            lines.append(f"[{name}] EXTRA {extra}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", metavar="OUT", help="also write the scores as JSON to OUT")
    parser.add_argument("--verbose", action="store_true", help="list misses and extras per page")
    parser.add_argument(
        "--pages",
        nargs="+",
        metavar="SLUG",
        help="score only these fixture slugs (shell-style patterns allowed, e.g. 'south-*')",
    )
    args = parser.parse_args(argv)

    slugs = sorted(p.stem for p in EXPECTED.glob("*.json"))
    if args.pages:
        slugs = [s for s in slugs if any(fnmatch(s, pattern) for pattern in args.pages)]
    pages = (
        (slug, json.loads((EXPECTED / f"{slug}.json").read_text(encoding="utf-8")), extract(slug))
        for slug in slugs
    )
    totals = evaluate(pages)
    print(f"{len(slugs)} pages\n{table(totals)}")
    if args.verbose:
        print(details(totals))
    if args.json:
        out = {
            name: {
                "tp": s.tp,
                "fp": s.fp,
                "fn": s.fn,
                "precision": s.precision,
                "recall": s.recall,
                "misses": s.misses,
                "extras": s.extras,
            }
            for name, s in totals.items()
        }
        Path(args.json).write_text(json.dumps(out, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
