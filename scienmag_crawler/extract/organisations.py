"""Organisation facts from "About X" / "Note to Editors" passages.

A press release ends with boilerplate about the organisations involved. A section starts at
an "About X" heading (or an inline "About X The X is …" lead-in) or a "Note(s) to Editors"
heading and runs until the next such heading, a contact block or the end; social lines right
after a section belong to its organisation. Within a section a handful of patterns pick out
the name and acronym, founding date, headquarters, website and short factual statements.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from scienmag_crawler.extract.contacts import (
    MAX_PARAGRAPH,
    find_social,
    find_websites,
    is_contact_website,
)
from scienmag_crawler.extract.dates import parse_visible_date
from scienmag_crawler.extract.text import COMPANY_SUFFIX, normalise_whitespace
from scienmag_crawler.items import MemberCount, Organisation, SocialAccount

_ABOUT_HEADING = re.compile(r"^about\s(?:the\s)?(\S.{0,100})$", re.IGNORECASE)
_NOTE_HEADING = re.compile(
    r"^(?:notes?\s(?:to|for)\s(?:the\s)?editors?|editors?[’']?s?\snotes?|background(?:\sinformation)?"
    r"|for\seditors)\s?:?$",
    re.IGNORECASE,
)
_CONTACT_START = re.compile(
    r"^(?:(?:media|press|news)\s(?:contacts?|enquiries|inquiries)|contacts?\b|issued by\b|"
    r"for (?:more|further) information|###|-?\s?ends\s?-?$|\*{3}\s?end)",
    re.IGNORECASE,
)
_SOCIAL_LINE = re.compile(
    r"^(?:follow\b[^\n]{0,80}\bon\s)?(?:X|Twitter|Facebook|LinkedIn|YouTube|Instagram|Mastodon|"
    r"Bluesky|Threads|TikTok|GitHub)\s?:",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“(]|www\.|https?://)")
_NAME_WORD_BREAKS = re.compile(r"[\s-]+")
_YEAR = re.compile(r"1[5-9]\d\d|20\d\d")
_ACRONYM_TITLE = re.compile(r"[A-Z][A-Z&]{1,11}")
_BODY_START = frozenset(
    [
        "The",
        "A",
        "An",
        "It",
        "Its",
        "Founded",
        "Established",
        "Since",
        "With",
        "In",
        "Based",
        "Headquartered",
        "Launched",
    ]
)

_CONNECTORS = frozenset(
    [
        "of",
        "for",
        "and",
        "on",
        "de",
        "du",
        "des",
        "la",
        "le",
        "the",
        "in",
        "at",
        "&",
        "für",
        "et",
        "y",
    ]
)
_ACRONYM = re.compile(r"\(([A-Z][A-Za-z&]{1,11})\)")
_NATIVE_ACRONYM = re.compile(r"\(([^(),\n]{3,80}),\s([A-Z][A-Za-z&]{1,11})\)")
#: "Committee on Space Research – COSPAR" at a line's end; found by its dash, so the scan is
#: linear (a lazy name group tried from every position was quadratic on long text)
_DASH_ACRONYM = re.compile(r"\s[–—-]\s([A-Z][A-Z&]{1,11})\s*$", re.MULTILINE)
_LEAD_ACRONYM = re.compile(r"^([A-Z][A-Z&]{1,11})(?:[,’']|\s(?:is|was|has|comprises)\b)")

_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December)"
_FOUNDED = re.compile(
    r"\b(?:founded|established|launched|created|set up|formed|incorporated|inaugurated)"
    # "established as a public entity on …", "founded by two chemists in …"
    r"(?:\s(?:as|by)\s[^.;\d]{1,60}?)?"
    r"(?:\s(?:on|in))?\s(?:(\d{1,2})\s"
    + _MONTH
    + r",?\s(\d{4})|"
    + _MONTH
    + r"\s(\d{1,2}),?\s(\d{4})"
    r"|(?:" + _MONTH + r"\s)?(\d{4}))\b",
    re.IGNORECASE,
)
_PLACE_WORD = r"[A-Z][\w'’-]{0,30}"
_PLACE = (
    r"((?:the )?" + _PLACE_WORD + r"(?: " + _PLACE_WORD + r"){0,3}"
    r"(?:, (?:the )?" + _PLACE_WORD + r"(?: " + _PLACE_WORD + r"){0,3}(?=[,.;]|\s[a-z]|$))?)"
)
_HEADQUARTERS = re.compile(
    r"\b(?i:headquartered(?:\s(?:on|at))?|based|(?:its|their)\sheadquarters\sin|"
    # "Its offices are in Coyoacán", "Its headquarters and clean rooms are in Cagliari"
    r"(?:its|their)\s(?:head\s)?(?:offices?|headquarters)(?:\sand\s[\w\s]{1,30}?)?\s(?:are|is)|"
    r"headquarters\s(?:of\s[\w-]{1,40}\s)?(?:is|are)\s(?:located\s)?in|"
    r"head\s?office\s(?:is\s)?(?:located\s)?in|seat\s(?:is\s)?in)(?:\sin)?\s"
    # "based in downtown Chicago"
    r"(?:(?i:downtown|central|northern|southern|eastern|western|greater|suburban)\s)?" + _PLACE,
)
_COUNTED_NOUNS = (
    r"(?:member states|members?|states|countries|staff|employees|people|students|scientists|"
    r"researchers|engineers|institutions|unions|universities|partners|organi[sz]ations|companies|"
    r"groups|projects|centres|centers|institutes|agencies|volunteers|monitors|analysts|"
    r"economists|faculty|hospitals|schools|laboratories|nations|societies|associations|"
    r"chapters|offices|sites|facilities|vessels|programmes|programs|journals)"
)
_NUMBER_WORDS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        ]
    )
}
_COUNT = re.compile(
    r"\b(\d{1,3}(?:,\d{3})+|\d+|"
    + "|".join(_NUMBER_WORDS)
    + r")\s((?:[A-Za-z][\w-]{1,30},?\s){0,4}?(?i:"
    + _COUNTED_NOUNS
    + r"))\b",
    re.IGNORECASE,
)
_NOT_FACT = re.compile(
    r"^(?:find out|learn|visit|follow|for more|more information|website)\b", re.I
)


@dataclass
class _Section:
    """Paragraphs of one "About" / "Note to Editors" section."""

    title: str | None
    paragraphs: list[str] = field(default_factory=list)
    social: list[SocialAccount] = field(default_factory=list)


def _inline_about(paragraph: str) -> tuple[str, str] | None:
    """``"About APSCO The Asia-Pacific …"`` → ("APSCO", "The Asia-Pacific …")."""
    words = paragraph.split(" ", 12)
    if len(words) < 4 or words[0] != "About":
        return None
    for i in range(2, min(len(words) - 1, 11)):
        word = words[i]
        repeated = word == words[1] or (words[1] == "the" and i > 2 and word == words[2])
        if word in _BODY_START or repeated:
            title = " ".join(words[1:i])
            if all(w[:1].isupper() or w in _CONNECTORS for w in words[1:i]):
                return title, paragraph[len("About ") + len(title) :].strip()
            return None
    return None


def _is_heading(line: str) -> bool:
    """A short line without sentence punctuation ("About Polar Cell Technologies Inc." is
    one: its full stop belongs to the company name)."""
    if len(line.split()) > 12 or line.endswith(":"):
        return False
    return not line.endswith(".") or bool(COMPANY_SUFFIX.search(line))


def _sections(paragraphs: Sequence[str]) -> Iterator[_Section]:
    """Split the end matter into sections; social lines after a section stay with it."""
    current: _Section | None = None
    for raw in paragraphs:
        paragraph = raw[:MAX_PARAGRAPH].strip()
        first = paragraph.split("\n", 1)[0]
        about = _ABOUT_HEADING.match(first) if "\n" not in paragraph else None
        inline = _inline_about(paragraph) if about is None else None
        if about and _is_heading(first):
            if current:
                yield current
            current = _Section(title=about.group(1).strip())
        elif inline:
            if current:
                yield current
            current = _Section(title=inline[0], paragraphs=[inline[1]])
        elif _NOTE_HEADING.match(first):
            if current:
                yield current
            current = _Section(title=None, paragraphs=paragraph.split("\n")[1:])
        elif current is None:
            continue
        elif _SOCIAL_LINE.match(first):
            current.social.extend(s for _, s in find_social(paragraph))
        elif _CONTACT_START.match(first):
            yield current
            current = None
        else:
            current.paragraphs.append(paragraph)
    if current:
        yield current


def _expansion_before(text: str, end: int) -> str:
    """The capitalised words right before ``end``: ``the Baltic Institute of … (BIMM)``."""
    words = text[max(0, end - 200) : end].split()
    kept: list[str] = []
    for word in reversed(words):
        bare = word.strip(',;:“”"')
        if bare != word and kept:
            break
        if bare[:1].isupper() or (bare in _CONNECTORS and kept):
            kept.append(bare)
        else:
            break
    while kept and (kept[-1].lower() in _CONNECTORS):
        kept.pop()
    while kept and kept[0].lower() in _CONNECTORS:
        kept.pop(0)
    return " ".join(reversed(kept))


def expansions(text: str) -> Iterator[tuple[int, str, str]]:
    """(offset, name, acronym) for ``Name (ACR)``, ``Name (Native Name, ACR)`` and
    ``Name – ACR`` forms. In the second, the acronym may fit the native name only."""
    for m in _ACRONYM.finditer(text):
        name = _expansion_before(text, m.start())
        if len(name.split()) >= 2 and acronym_fits(m.group(1), name):
            yield m.start(), name, m.group(1)
    for m in _NATIVE_ACRONYM.finditer(text):
        name = _expansion_before(text, m.start())
        native, acronym = m.group(1).strip(), m.group(2)
        fits = acronym_fits(acronym, name) or acronym_fits(acronym, native)
        if len(name.split()) >= 2 and fits:
            yield m.start(), name, acronym
    for m in _DASH_ACRONYM.finditer(text):
        floor = max(m.start() - 100, text.rfind("\n", 0, m.start()) + 1,
                    text.rfind(":", 0, m.start()) + 1)  # fmt: skip
        name = text[floor : m.start()].strip()
        if len(text[floor : m.start()]) >= 3 and acronym_fits(m.group(1), name):
            yield floor, name, m.group(1)


def acronym_fits(acronym: str, name: str) -> bool:
    """Letters of ``acronym`` are taken in order from word starts (``COSPAR`` ← COmmittee on
    SPAce Research); connectors and a company suffix ("Inc.", "Ltd.") may be skipped.
    Bounded dynamic programme, no regex backtracking."""
    acr = acronym.lower().replace("&", "")
    name = COMPANY_SUFFIX.sub("", name).rstrip(" ,") or name
    words = [w.lower() for w in _NAME_WORD_BREAKS.split(name) if w]
    if not acr or not words or len(words) > 15 or len(acr) > 12:
        return False

    @_memo
    def fit(ai: int, wi: int) -> bool:
        if ai == len(acr):
            return all(w in _CONNECTORS for w in words[wi:])
        if wi == len(words):
            return False
        word = words[wi]
        if word in _CONNECTORS and fit(ai, wi + 1):
            return True
        for take in range(1, min(len(word), len(acr) - ai) + 1):
            if word[:take] != acr[ai : ai + take]:
                break
            if fit(ai + take, wi + 1):
                return True
        return False

    return fit(0, 0)


def _memo(func: Callable[[int, int], bool]) -> Callable[[int, int], bool]:
    """Per-call memo for :func:`acronym_fits` (keeps it polynomial)."""
    cache: dict[tuple[int, int], bool] = {}

    def wrapper(ai: int, wi: int) -> bool:
        key = (ai, wi)
        if key not in cache:
            cache[key] = func(ai, wi)
        return cache[key]

    return wrapper


def _founded(text: str) -> str | None:
    m = _FOUNDED.search(text)
    if not m:
        return None
    day, month, year = m.group(1), m.group(2), m.group(3)
    if not day and m.group(4):
        month, day, year = m.group(4), m.group(5), m.group(6)
    if day and month:
        # the shared date parser also rejects impossible dates ("31 February"): keep the year
        return parse_visible_date(f"{day} {month} {year}") or year
    return m.group(8)


#: "… in Limerick, where it is still headquartered"
_HEADQUARTERS_AFTER = re.compile(
    r"\bin " + _PLACE + r", where (?:it|the \w{1,30}) (?:is|remains) (?:still )?"
    r"(?:headquartered|based)\b"
)


#: last resort: "… is a public institution in Kisumu"
_HEADQUARTERS_KIND = re.compile(
    r"\bis an? [^.;\n]{0,60}?\b(?i:organi[sz]ation|institution|university|college|agency|"
    r"company|charity|institute|centre|center|start-?up|society|association|foundation|"
    r"network)\s(?:based\s)?in\s" + _PLACE
)


def _headquarters(text: str) -> str | None:
    m = (
        _HEADQUARTERS.search(text)
        or _HEADQUARTERS_AFTER.search(text)
        or _HEADQUARTERS_KIND.search(text)
    )
    return m.group(1).strip().rstrip(".") if m else None


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(normalise_whitespace(text)) if s.strip()]


def _facts(paragraphs: Sequence[str]) -> list[str]:
    """The section's statements, minus "find out more at …" lines and bare web addresses."""
    facts = []
    for paragraph in paragraphs:
        for sentence in _sentences(paragraph):
            bare_site = " " not in sentence and is_contact_website(sentence.rstrip("."))
            if _NOT_FACT.match(sentence) or bare_site:
                continue
            facts.append(sentence)
    return facts


def _member_counts(facts: Sequence[str]) -> list[MemberCount]:
    counts = []
    for fact in facts:
        for m in _COUNT.finditer(fact):
            number, what = m.group(1).lower(), m.group(2)
            if _YEAR.fullmatch(number):
                continue
            count = _NUMBER_WORDS.get(number)
            counts.append(
                MemberCount(
                    count=count if count is not None else int(number.replace(",", "")), of=what
                )
            )
    return counts


@dataclass
class _Draft:
    name: str | None
    acronym: str | None
    paragraphs: list[str] = field(default_factory=list)
    social: list[SocialAccount] = field(default_factory=list)


def _subject(paragraph: str) -> tuple[str | None, str | None] | None:
    """The organisation a Note-to-Editors paragraph introduces, from its first sentences."""
    head = " ".join(_sentences(paragraph)[:2])
    for _, name, acronym in expansions(head):
        return name, acronym
    m = _LEAD_ACRONYM.match(paragraph)
    return (None, m.group(1)) if m else None


def _same(draft: _Draft, name: str | None, acronym: str | None) -> bool:
    """Whether a paragraph's subject is the organisation already being described."""
    return bool(
        (acronym and acronym == draft.acronym) or (name and draft.name and name == draft.name)
    )


def _drafts(section: _Section) -> list[_Draft]:
    """One draft per organisation a section describes."""
    if section.title:
        title = section.title.removeprefix("the ").strip()
        is_acronym = bool(_ACRONYM_TITLE.fullmatch(title))
        opening = _subject(section.paragraphs[0]) if section.paragraphs else None
        if not is_acronym and opening and opening[0] and opening[1]:
            # the section opens with "Name (ACR)": the name as written there, acronym and all
            # (the heading may give a translation: "About the Mexican Society for …")
            name, acronym = opening
            return [_Draft(name=name, acronym=acronym, paragraphs=section.paragraphs,
                           social=section.social)]  # fmt: skip
        return [
            _Draft(
                name=None if is_acronym else title,
                acronym=title if is_acronym else None,
                paragraphs=section.paragraphs,
                social=section.social,
            )
        ]
    drafts: list[_Draft] = []
    for paragraph in section.paragraphs:
        subject = _subject(paragraph)
        if subject and not (drafts and _same(drafts[-1], *subject)):
            drafts.append(_Draft(name=subject[0], acronym=subject[1]))
        if drafts:
            drafts[-1].paragraphs.append(paragraph)
    if drafts:
        drafts[-1].social.extend(section.social)
    return drafts


def _resolve(draft: _Draft, section_text: str, article_text: str) -> tuple[str, str | None]:
    """Fill in the missing half of name/acronym from the section, else the whole article."""
    for text in (section_text, article_text):
        for _, name, acronym in expansions(text):
            if draft.acronym and acronym == draft.acronym and draft.name is None:
                return name, acronym
            if draft.name and name == draft.name:
                return name, draft.acronym or acronym
            if draft.name and draft.acronym and acronym == draft.acronym:
                return draft.name, acronym
    return draft.name or draft.acronym or "", draft.acronym


def _organisation(draft: _Draft, article_text: str) -> Organisation | None:
    text = "\n".join(draft.paragraphs)
    name, acronym = _resolve(draft, text, article_text)
    if not name:
        return None
    # the founding clause is searched after the organisation's own introduction
    facts = _facts(draft.paragraphs)
    websites = [w for _, w in find_websites(text)]
    return Organisation(
        name=name,
        acronym=acronym,
        founded=_founded(text),
        headquarters=_headquarters(text),
        website=websites[0] if websites else None,
        facts=facts,
        member_counts=_member_counts(facts),
        social=draft.social,
    )


def extract_organisations(paragraphs: Sequence[str]) -> list[Organisation]:
    """One record per organisation described at the end of a press release."""
    article_text = "\n".join(p[:MAX_PARAGRAPH] for p in paragraphs)
    organisations: list[Organisation] = []
    seen: set[str] = set()
    for section in _sections(paragraphs):
        for draft in _drafts(section):
            org = _organisation(draft, article_text)
            if org and org.name.lower() not in seen:
                seen.add(org.name.lower())
                organisations.append(org)
    return organisations
