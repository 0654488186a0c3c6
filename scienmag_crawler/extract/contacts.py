"""Contact details stated in the article: emails, phones, websites, social accounts, people.

Everything here is pure and bounded: each regex is linear (no nested unbounded
quantifiers) and phone matching only runs over short candidate lines, so a 200 KB
paragraph of digits cannot stall extraction.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from importlib.resources import files
from typing import Any, NamedTuple
from urllib.parse import urlsplit

import phonenumbers
from phonenumbers import PhoneMetadata, PhoneNumberFormat, PhoneNumberMatcher
from phonenumbers.phonenumberutil import NumberParseException

from scienmag_crawler.extract.text import (
    COMPANY_SUFFIX,
    HONORIFICS,
    Literals,
    finditer_at,
    finditer_lines,
    finditer_near,
    normalise_name_case,
    normalise_whitespace,
    strip_honorifics,
    unique,
)
from scienmag_crawler.items import ContactPerson, Contacts, Phone, SocialAccount

# phonenumbers compiles the patterns of a region's metadata when it uses them and leaves them
# to ``re``'s own cache (512 patterns, shared with every other library in the process): a
# page with numbers of a few regions evicted them, and the next page compiled them again
# (a quarter of a page's time). Its pattern cache keeps them; they are a bounded set. The
# switch is phonenumbers' own and process-wide: importing this module turns it on for every
# user of phonenumbers in the process (it changes no result, only what stays compiled).
phonenumbers.enable_pattern_cache()

MAX_LINE = 600
"""Longer lines are prose, not contact details: phones are only looked for in shorter ones."""
MAX_PARAGRAPH = 20_000
"""Scan at most this much of one paragraph (a pathological 200 KB paragraph is cut)."""

# --- emails ---------------------------------------------------------------------------------

_EMAIL = re.compile(
    r"(?<![\w.+@-])[A-Za-z0-9][\w.+-]{0,63}@[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}\.){1,6}[A-Za-z]{2,24}\b"
)
_AT = r"\s?[\[(\{]\s?at\s?[\])\}]\s?"
_DOT = r"\s?[\[(\{]\s?dot\s?[\])\}]\s?"
_OBFUSCATED_EMAIL = re.compile(
    r"(?<![\w.+-])([A-Za-z0-9][\w.+-]{0,63})"
    + _AT
    + r"([A-Za-z0-9-]{1,63}(?:(?:\.|"
    + _DOT
    + r")[A-Za-z0-9-]{1,63}){1,6})",
    re.IGNORECASE,
)
_DOT_WORD = re.compile(_DOT, re.IGNORECASE)
#: in every obfuscated address, where its local part ends (or one space after that). Case
#: is ignored in the word only: a pattern compiled to ignore case is tried at every position
#: of the text; this one only where a bracket opens.
_AT_WORD = re.compile(r"[\[(\{]\s?(?i:at)\s?[\])\}]")
_BRACKET = Literals("[", "(", "{")
#: a local part's characters (``[A-Za-z0-9][\w.+-]{0,63}``: 64 at most)
_LOCAL_CHAR = re.compile(r"[\w.+-]")
_LOCAL_RUN = re.compile(r"[\w.+-]*")
_LONGEST_LOCAL_PART = 64
_SPACE_CHAR = re.compile(r"\s")


def find_emails(text: str) -> list[tuple[int, str]]:
    """(offset, address) of plain and ``name [at] host [dot] org`` addresses, lower-cased."""
    found = [(m.start(), m.group(0).lower()) for m in _plain_emails(text)]
    for m in _obfuscated_emails(text):
        host = _DOT_WORD.sub(".", m.group(2))
        found.append((m.start(), f"{m.group(1)}@{host}".lower()))
    return sorted(found)


def _local_part_start(text: str, end: int, floor: int) -> int | None:
    """Where the run of local-part characters ending at ``end`` starts, when it starts at or
    after ``floor`` and is no longer than a local part may be; else ``None``.

    Both address patterns open with a look-behind, which ``re`` tries at every position of
    the text. Where one matches, the character before it is no local-part character, and
    its local part runs up to the at sign (or the bracket): it is that whole run. So each
    address is tried once, at the start of the run before an at sign or bracket.

    >>> _local_part_start("mail: jo.doe@x.org", 12, 0), _local_part_start("a" * 70 + "@", 70, 0)
    (6, None)
    """
    edge = max(floor, end - _LONGEST_LOCAL_PART - 1)
    # the run read backwards from ``end``, in a window one longer than a local part
    size = _LOCAL_RUN.match(text[edge:end][::-1]).end()
    start = end - size
    if not size or size > _LONGEST_LOCAL_PART:
        return None
    if start == edge and start > 0 and _LOCAL_CHAR.match(text, start - 1):
        return None  # the run goes on before ``floor``
    return start


def _plain_emails(text: str) -> Iterator[re.Match[str]]:
    """``_EMAIL.finditer(text)``, tried only at the start of the run before each at sign."""
    pos = 0
    at = text.find("@")
    while at != -1:
        start = _local_part_start(text, at, pos)
        m = _EMAIL.match(text, start) if start is not None else None
        if m is not None:
            yield m
            pos = m.end()
        at = text.find("@", max(pos, at + 1))


def _obfuscated_emails(text: str) -> Iterator[re.Match[str]]:
    """``_OBFUSCATED_EMAIL.finditer(text)``, tried only before each bracketed "at": its local
    part ends at the bracket, or one space before it."""
    pos = 0
    for hit in finditer_at(_AT_WORD, _BRACKET, text):  # a bracketed "at" holds no other
        end = hit.start()
        if end > 0 and _SPACE_CHAR.match(text, end - 1):
            end -= 1
        start = _local_part_start(text, end, pos) if end > pos else None
        m = _OBFUSCATED_EMAIL.match(text, start) if start is not None else None
        if m is not None:
            yield m
            pos = m.end()


def _without_emails(text: str, replacement: str) -> str:
    """``text`` with each plain, then each obfuscated, address replaced (``re.sub`` of the
    two patterns in turn)."""
    for matches in (_plain_emails, _obfuscated_emails):
        parts, last = [], 0
        for m in matches(text):
            parts += (text[last : m.start()], replacement)
            last = m.end()
        if parts:
            text = "".join(parts) + text[last:]
    return text


# --- websites -------------------------------------------------------------------------------

_URL = re.compile(
    r"(?<![\w@/.-])(?:https?://[^\s<>()\"“”]{1,300}|www\.[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,6}(?:/[^\s<>()\"“”]{0,200})?)",
    re.IGNORECASE,
)
_BARE_DOMAIN_LINE = re.compile(
    r"^(?:[A-Za-z0-9-]{1,63}\.){1,6}(?:org|com|net|edu|int|gov|eu|ac\.uk|[a-z]{2})(?:/\S{0,200})?$"
)
_TRAILING = ".,;:!?)]}'\"’”"
_NOT_CONTACT_HOSTS = ("doi.org", "dx.doi.org", "t.co", "pic.twitter.com", "bit.ly")


def _strip_url(url: str) -> str:
    return url.rstrip(_TRAILING)


def _host(url: str) -> str:
    """Lower-case host of ``url`` without ``www.`` (accepts ``www.x.org`` without scheme)."""
    if "://" not in url:
        url = "http://" + url
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def is_contact_website(url: str) -> bool:
    """A website that is an information point: not a DOI, a short link or a social profile."""
    host = _host(url)
    if not host or "." not in host:
        return False
    if host in _NOT_CONTACT_HOSTS or host.endswith(".doi.org"):
        return False
    return social_platform(host) is None and not _DOI_PATH.search(url)


#: a bare domain handed to the reader: "Learn more at calloway.example.edu."
_CUED_DOMAIN = re.compile(
    r"\b(?i:learn more at|more at|more information at|visit|see)\s"
    r"((?:[a-z0-9-]{1,63}\.){1,5}(?:org|com|net|edu|int|gov|info|[a-z]{2}))(?=[\s.,;)]|$)"
)
#: a DOI's path ("…/10.1038/…"): a paper, not an information point
_DOI_PATH = re.compile(r"/10\.\d{4,9}/")
#: in every URL: "://" or "www." in any case (``[Ww][Ww][Ww]\.``); the line is scanned only
#: when it holds one
_URL_MARK = Literals("://", *(f"{a}{b}{c}." for a in "wW" for b in "wW" for c in "wW"))
#: the cues, lower-cased: each match of ``_CUED_DOMAIN`` starts with one
_CUES = ("learn more at", "more at", "more information at", "visit", "see")
#: characters that, ignoring case, match an ASCII letter without lower-casing to it
#: (İ ı ſ K): where the text holds one, the cues are not looked for in its lower-cased copy
_CASE_FOLDED_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")


def _cued_domains(text: str) -> Iterator[re.Match[str]]:
    """``_CUED_DOMAIN.finditer(text)``, tried only where a cue starts: the cues are found by
    ``str.find`` in the lower-cased text (the pattern opens with ``\\b``, which gives ``re``
    nothing to scan for: it was tried at every position of every line with a dot)."""
    low = text.lower()
    if len(low) != len(text) or any(c in text for c in _CASE_FOLDED_TO_ASCII):
        yield from _CUED_DOMAIN.finditer(text)
        return
    starts = set()
    for cue in _CUES:
        at = low.find(cue)
        while at >= 0:
            starts.add(at)
            at = low.find(cue, at + 1)
    pos = 0
    for start in sorted(starts):
        if start >= pos and (m := _CUED_DOMAIN.match(text, start)):
            yield m
            pos = m.end()


def find_websites(text: str) -> list[tuple[int, str]]:
    """(offset, url as written) of websites in ``text``: URLs, ``www.`` names, and bare
    domains the text sends the reader to."""
    found = []
    for m in finditer_lines(_URL, _URL_MARK, text):
        url = _strip_url(m.group(0))
        if is_contact_website(url):
            found.append((m.start(), url))
    taken = {url for _, url in found}
    for m in _cued_domains(text):
        domain = m.group(1)
        if not any(domain in url for url in taken) and is_contact_website(domain):
            found.append((m.start(1), domain))
    return sorted(found)


# --- social accounts ------------------------------------------------------------------------

PLATFORMS: dict[str, str] = {
    "x": "x",
    "twitter": "x",
    "x (twitter)": "x",
    "twitter/x": "x",
    "x/twitter": "x",
    "facebook": "facebook",
    "linkedin": "linkedin",
    "youtube": "youtube",
    "instagram": "instagram",
    "mastodon": "mastodon",
    "bluesky": "bluesky",
    "threads": "threads",
    "tiktok": "tiktok",
    "github": "github",
    "weibo": "weibo",
    "wechat": "wechat",
}
"""Platform names as written in articles → record platform."""

_HOSTS: dict[str, str] = {
    "twitter.com": "x",
    "x.com": "x",
    "facebook.com": "facebook",
    "fb.com": "facebook",
    "linkedin.com": "linkedin",
    "youtube.com": "youtube",
    "youtu.be": "youtube",
    "instagram.com": "instagram",
    "bsky.app": "bluesky",
    "threads.net": "threads",
    "threads.com": "threads",
    "tiktok.com": "tiktok",
    "github.com": "github",
    "weibo.com": "weibo",
}
_MASTODON_HOST = re.compile(
    r"(?:^|\.)(?:mastodon|mstdn|astrodon|fosstodon|sciences?\.social)", re.I
)

_PLATFORM_NAMES = (
    r"X \(Twitter\)|Twitter/X|X/Twitter|Twitter|X|Facebook|LinkedIn|YouTube|Instagram|Mastodon|"
    r"Bluesky|Threads|TikTok|GitHub|Weibo"
)
_HANDLE = (
    r"@[A-Za-z0-9_](?:[\w.-]{0,60}[A-Za-z0-9_])?"
    r"(?:@[A-Za-z0-9-]{1,63}(?:\.[A-Za-z0-9-]{1,63}){1,4})?"
)
#: a dash or middle dot that separates two "Platform: handle" labels on one line
_NEXT_LABEL = r"\s[–—·]\s(?=(?:" + _PLATFORM_NAMES + r")\s?:)"
_PLATFORM_LABEL = re.compile(
    r"(?:^|(?<=\n)|(?<=\bon )|(?<=\band )|(?<=, )|(?<=\| )|(?<=– )|(?<=— )|(?<=· ))("
    + _PLATFORM_NAMES
    + r")\s?:[ \t]+"
    r"(" + _HANDLE + r"|[^\s@][^\n|;]{0,100}?)"
    r"(?=\s*(?:$|\n|\||;|\.(?:\s|$)| and )|" + _NEXT_LABEL + r")",
    re.MULTILINE,
)
_PLATFORM_ONLY = re.compile(r"^(?:" + _PLATFORM_NAMES + r")$", re.IGNORECASE)
#: "on LinkedIn (Hôpitaux Universitaires du Val de Loire)"
_PLATFORM_PAREN_PAGE = re.compile(r"\bon (" + _PLATFORM_NAMES + r") \(([^()@\n]{2,80})\)")
#: "… | South Coast Museum of Australia on Facebook |": a page name in a list of accounts
#: (only after a list separator: "Follow the university on X" names no account)
_PAGE_PLATFORMS = r"(Facebook|LinkedIn|YouTube|Instagram|Threads|TikTok|Bluesky|Mastodon)\b"
_PAGE_ON_PLATFORM = re.compile(
    r"(?:(?<=[|·;] )|(?<=– ))([A-Z][^|·;:@\n]{1,80}?) on " + _PAGE_PLATFORMS
)
_HANDLE_ON_PLATFORM = re.compile(r"(" + _HANDLE + r") on (" + _PLATFORM_NAMES + r")\b")
#: "on Instagram @handle" / "on X (@handle)" / "on X at @handle" / "Twitter @a – Instagram @b"
_PLATFORM_PAREN_HANDLE = re.compile(
    r"(?:\bon |^|(?<=[\s:–—|·,]))("
    + _PLATFORM_NAMES
    + r") (?:at )?\(?("
    + _HANDLE
    + r")\)?(?![\w@])",
    re.MULTILINE,
)
_HANDLE_TOKEN = re.compile(r"^" + _HANDLE + r"$")
# Where each account pattern's matches start (they open with lookbehinds, which re tries at
# every position of the text; these open with literals, which it scans for quickly).
_PLATFORM_LABEL_START = re.compile(r"(?:" + _PLATFORM_NAMES + r")\s?:[ \t]")
_PLATFORM_PAREN_PAGE_START = re.compile(r"on (?:" + _PLATFORM_NAMES + r") \(")
#: two characters before the page name (``[|·;–] ``; the name's capital is left to the
#: pattern, tried at each of these)
_PAGE_ON_PLATFORM_START = Literals("| ", "· ", "; ", "– ")
#: where each "on Platform (@handle)" starts, or three characters ("on ") after that: the
#: text is scanned for these only when a space or a bracket stands before an at sign
_PLATFORM_HANDLE_MARK = re.compile(r"(?:" + _PLATFORM_NAMES + r") (?:at )?\(?@")
#: in every "Page Name on Platform" (most texts have none: no page names looked for)
_PAGE_PLATFORM_MARK = re.compile(" on " + _PAGE_PLATFORMS)
_PAGE_NAME = re.compile(r"^[\w@][\w .,&'’–—()-]{0,99}$")
_SOCIAL_PATH_SKIP = frozenset(
    {"intent", "share", "sharer", "sharer.php", "hashtag", "search", "home", "i", "status", "watch"}
)


def social_platform(host: str) -> str | None:
    """Record platform for a link host, or ``None`` when it is not a social site."""
    host = host.lower().removeprefix("www.").removeprefix("m.").removeprefix("mobile.")
    if host in _HOSTS:
        return _HOSTS[host]
    if host == "pic.twitter.com":
        return None
    return "mastodon" if _MASTODON_HOST.search(host) else None


def _profile_url(platform: str, handle: str) -> str | None:
    """Derive a profile URL from a handle when the platform's URL scheme is unambiguous."""
    if not _HANDLE_TOKEN.match(handle) and platform not in {"youtube", "github", "instagram"}:
        return None
    name = handle.lstrip("@")
    if " " in name:
        return None
    if platform == "mastodon":
        user, _, server = name.partition("@")
        return f"https://{server}/@{user}" if server else None
    templates = {
        "x": "https://x.com/{}",
        "instagram": "https://www.instagram.com/{}/",
        "bluesky": "https://bsky.app/profile/{}",
        "threads": "https://www.threads.net/@{}",
        "tiktok": "https://www.tiktok.com/@{}",
        "github": "https://github.com/{}",
    }
    if platform == "youtube":
        return f"https://www.youtube.com/@{name}" if handle.startswith("@") else None
    template = templates.get(platform)
    return template.format(name) if template else None


def _social_from_text(text: str) -> Iterator[tuple[int, SocialAccount]]:
    """Accounts from ``Platform: handle`` lines and ``@handle on Platform`` phrases."""
    for m in finditer_at(_PLATFORM_LABEL, _PLATFORM_LABEL_START, text):
        platform = PLATFORMS[m.group(1).lower()]
        value = m.group(2).strip().rstrip(".,;")
        if COMPANY_SUFFIX.search(text[m.start(2) : m.end(2) + 1].rstrip(",; \n")):
            value += "."  # the full stop of "Inc." belongs to the name
        if value.startswith("@"):
            if not _HANDLE_TOKEN.match(value):
                continue
        elif (
            platform == "x" or not _PAGE_NAME.match(value) or (value[0].islower() and " " in value)
        ):
            continue
        yield (
            m.start(),
            SocialAccount(platform=platform, handle=value, url=_profile_url(platform, value)),
        )
    for matches, handle_group, platform_group in (
        (_HANDLE_ON_PLATFORM.finditer(text), 1, 2),
        (
            finditer_near(_PLATFORM_PAREN_HANDLE, _PLATFORM_HANDLE_MARK, text, lead=3)
            if "(@" in text or " @" in text
            else (),
            2,
            1,
        ),
        (finditer_at(_PLATFORM_PAREN_PAGE, _PLATFORM_PAREN_PAGE_START, text), 2, 1),
        (
            finditer_at(_PAGE_ON_PLATFORM, _PAGE_ON_PLATFORM_START, text, shift=2)
            if _PAGE_PLATFORM_MARK.search(text)
            else (),
            1,
            2,
        ),
    ):
        for m in matches:
            platform = PLATFORMS[m.group(platform_group).lower()]
            handle = m.group(handle_group)
            yield (
                m.start(),
                SocialAccount(platform=platform, handle=handle, url=_profile_url(platform, handle)),
            )


def social_from_link(href: str, text: str = "") -> SocialAccount | None:
    """An account from a body link to a social platform (not share buttons or short links)."""
    try:
        parts = urlsplit(href.strip())
    except ValueError:
        return None
    platform = social_platform(parts.hostname or "")
    if platform is None:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if platform == "linkedin" and len(segments) >= 2 and segments[0] in {"company", "in", "school"}:
        handle = segments[1]
    elif platform == "mastodon" and segments and segments[0].startswith("@"):
        handle = f"{segments[0]}@{parts.hostname}"
    elif platform == "bluesky" and len(segments) >= 2 and segments[0] == "profile":
        handle = "@" + segments[1]
    elif segments and segments[0].lower() not in _SOCIAL_PATH_SKIP and "." not in segments[0]:
        handle = segments[0]
        if platform in {"x", "instagram", "threads", "tiktok"}:
            handle = "@" + handle.lstrip("@")
        if platform == "youtube" and segments[0] in {"channel", "c", "user"} and len(segments) > 1:
            handle = segments[1]
    else:
        return None
    link_text = normalise_whitespace(text)
    if (
        _HANDLE_TOKEN.match(link_text)
        and link_text.lstrip("@").lower() == handle.lstrip("@").lower()
    ):
        handle = link_text
    url = href.strip()
    if platform == "x" and "/status/" in parts.path:
        url = _profile_url(platform, handle) or url
    return SocialAccount(platform=platform, handle=handle, url=url)


def _social_key(account: SocialAccount) -> tuple[str, str]:
    return account.platform, account.handle.lstrip("@").lower()


def merge_social(accounts: Iterable[SocialAccount]) -> list[SocialAccount]:
    """Drop duplicate accounts (same platform and handle), keeping the first, filling its url."""
    merged: dict[tuple[str, str], SocialAccount] = {}
    for account in accounts:
        key = _social_key(account)
        if key not in merged:
            merged[key] = account
        elif merged[key].url is None and account.url:
            merged[key].url = account.url
    return list(merged.values())


def find_social(text: str) -> list[tuple[int, SocialAccount]]:
    """(offset, account) of social accounts stated in ``text``."""
    return sorted(_social_from_text(text), key=lambda item: item[0])


# --- phones ---------------------------------------------------------------------------------

_PHONE_CUE = re.compile(
    r"\b(?:tel|telephone|phone|mobile|mob|cell|cel|tlf|telefon|fax|call|contact|press|media|"
    r"enquir|inquir|"
    r"hotline|helpline|office|line|whatsapp)|@|\+\s?\d",
    re.IGNORECASE,
)
_ANY_DIGIT = re.compile(r"\d")
_DIGIT_RUN = re.compile(r"\d[\d\s().\-–/]{5,}\d")
_ASCII_DIGITS = "0123456789"


def _has_digit_run(text: str) -> bool:
    """``_DIGIT_RUN.search(text)``, answered for ASCII text without a digit by ten
    ``str.find`` scans: ``\\d`` gives ``re`` no quick scan, and most lines hold no digit."""
    if text.isascii() and not any(digit in text for digit in _ASCII_DIGITS):
        return False
    return _DIGIT_RUN.search(text) is not None


_MONTHS = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
#: what a phone number is not, each opening at a word boundary (the ``\\b`` is written once
#: for a run of them: a position inside a word fails it once, not once per kind)
_WORD_DECOYS = (
    r"10\.\d{4,9}/\S{1,200}",  # DOI
    r"(?:doi|isbn(?:-1[03])?|issn|pmid|pmcid|arxiv)\s?:?\s?[\dX][\dX\s-]{0,30}",
    r"(?:grant|award|agreement|contract|project|no\.?|number|ref\.?)\s?(?:no\.?|number)?\s?:?\s?#?[\w/-]{0,40}\d[\w/-]{0,40}",
    r"(?:1[5-9]|20)\d\d\s?[–—-]\s?(?:(?:1[5-9]|20)\d\d|\d\d)\b",  # year ranges
    r"\d{1,2}\s?[–—-]\s?\d{1,2}\s" + _MONTHS + r"\b",  # day ranges
    _MONTHS + r"\s\d{1,2}\s?[–—-]\s?\d{1,2}\b",
)
_COORDINATES = r"-?\d{1,3}(?:\.\d{1,8})?\s?°"  # coordinates / temperatures: anywhere
_WORD_DECOYS_AFTER = (
    r"[A-Za-z]{1,10}\d*[-/]?\d{3,}[\w/-]{0,20}",  # grant-like codes: R01, AST-2109876
    r"\d+[\w/]*[A-Za-z][\w/-]{0,30}",  # digits glued to letters
    r"\d{1,3}(?:,\d{3})+(?:\.\d+)?\b",  # 1,200 counts
    r"\d+\.\d+\b",  # decimals
)
_DECOYS = re.compile(
    rf"\b(?:{'|'.join(_WORD_DECOYS)})|{_COORDINATES}|\b(?:{'|'.join(_WORD_DECOYS_AFTER)})",
    re.IGNORECASE,
)


def _mask_decoys(line: str) -> str:
    """Blank out DOIs, ISBNs, grant numbers, date ranges and coordinates (offsets kept)."""
    return _DECOYS.sub(lambda m: "x" * len(m.group(0)), line)


def _geocoder() -> Any:
    """phonenumbers' geocoder, imported on first use: its data takes 0.4 s to load and most
    pages never need it."""
    from phonenumbers import geocoder  # noqa: PLC0415

    return geocoder


COUNTRY_NAMES_FILE = "data/country_names.json"


@cache
def _country_names() -> dict[str, str]:
    """English country name (lower-case) → region code. Read from a file derived from
    phonenumbers' metadata (``derive_country_names``): deriving it at run time loads the
    geocoder and every region's metadata, over a second of each process's start."""
    text = files(__package__).joinpath(COUNTRY_NAMES_FILE).read_text(encoding="utf-8")
    names: dict[str, str] = json.loads(text)
    return names


def derive_country_names() -> dict[str, str]:
    """The country-name table from phonenumbers' own data, plus common short forms.
    ``python -m scienmag_crawler.extract.contacts`` rewrites the file; a test checks it."""
    names: dict[str, str] = {
        "uk": "GB",
        "england": "GB",
        "scotland": "GB",
        "wales": "GB",
        "northern ireland": "GB",
        "usa": "US",
        "u.s.": "US",
        "türkiye": "TR",
        "south korea": "KR",
        "korea": "KR",
        "uae": "AE",
    }
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        number = phonenumbers.example_number(region)
        if number is None:
            continue
        name = _geocoder().country_name_for_number(number, "en")
        if name:
            names.setdefault(name.lower(), region)
    return names


_COUNTRY_WORD = re.compile(r"[^\W\d_]+(?:[.'’-][^\W\d_]+)*")
_MAX_NAME_WORDS = 4


def _name_key(text: str) -> str:
    return " ".join(_country_words(text.lower()))


@cache
def _country_keys() -> dict[str, str]:
    """Country names keyed by their lower-case words (``"united kingdom"``)."""
    return {_name_key(name): region for name, region in _country_names().items() if _name_key(name)}


@cache
def _country_name_sizes() -> dict[str, tuple[int, ...]]:
    """For each word a country name opens with, the lengths (in words, longest first) of the
    names it opens that are looked for: "the" opens none of those (only a five-word name),
    and it is the commonest word of English prose."""
    sizes: dict[str, set[int]] = {}
    for key in _country_keys():
        words = key.split(" ")
        if len(words) <= _MAX_NAME_WORDS:
            sizes.setdefault(words[0], set()).add(len(words))
    return {word: tuple(sorted(found, reverse=True)) for word, found in sizes.items()}


#: punctuation never part of a word, stripped from the ends of a whitespace token
_WORD_EDGES = "\"'“”‘’«»()[]{}<>.,;:!?…–—-/*•|"


def _country_words(text: str) -> list[str]:
    """``_COUNTRY_WORD.findall(text)``, quicker on prose: no word spans whitespace, and a
    token that is all letters once its punctuation is stripped is one word; only the rest
    (digits, apostrophes, hyphens inside) go to the regex.

    >>> _country_words("the u.s.-based (côte d’ivoire), 2nd-tier, uk’s")
    ['the', 'u.s', 'based', 'côte', 'd’ivoire', 'nd-tier', 'uk’s']
    """
    words: list[str] = []
    for token in text.split():
        core = token.strip(_WORD_EDGES)
        if core.isalpha():
            words.append(core)
        elif core:
            words += _COUNTRY_WORD.findall(core)
    return words


def _regions_named(text: str) -> list[str]:
    """Regions of the countries named in ``text``, in order of first mention.

    A dictionary look-up of word n-grams: linear in the text, unlike one regex alternation
    of every country name, which dominated extraction time.
    """
    keys, sizes = _country_keys(), _country_name_sizes()
    words = _country_words(text[:MAX_PARAGRAPH].lower())
    found = []
    after = 0  # words before this index belong to a name already found
    # most words start no country name: one dictionary look-up each, in a comprehension
    for i in [i for i, word in enumerate(words) if word in sizes]:
        if i < after:
            continue
        for size in sizes[words[i]]:  # the longest name wins
            if i + size <= len(words) and (region := keys.get(" ".join(words[i : i + size]))):
                found.append(region)
                after = i + size
                break
    return unique(found)


_INTL_PREFIX = re.compile(r"(?<![\w+])\+\s?(\d{1,3})")
_PLUS = re.compile(r"\+")


def _regions_dialled(text: str) -> list[str]:
    """Regions of the ``+CC`` international prefixes written in ``text``."""
    regions = []
    for m in finditer_at(_INTL_PREFIX, _PLUS, text[:MAX_PARAGRAPH]):
        code = m.group(1)
        for length in range(1, len(code) + 1):
            region = phonenumbers.region_code_for_country_code(int(code[:length]))
            if region != "ZZ":
                regions.append(region)
                break
    return unique(regions)


def language_region(language: str | None) -> str | None:
    """``en-GB`` → ``GB``."""
    if not language:
        return None
    _, _, region = language.replace("_", "-").partition("-")
    region = region.upper()
    return region if region in phonenumbers.SUPPORTED_REGIONS else None


#: a number phonenumbers found: (start, end, raw text, E.164)
_Match = tuple[int, int, str, str]


class _Masked(NamedTuple):
    """A line with its numbers that carry a country code (``international``) blanked out,
    and whether digits are left for a national number: only then are regions needed."""

    text: str
    international: list[_Match]
    national_left: bool


@dataclass
class _PhoneContext:
    """Country hints gathered once per article, and the article's phone matches.

    A contact line is looked at twice (for the article's phone list and for the person it
    names), and phone matching is the costliest step of the extraction, so the results are
    kept per article. The article-wide hints (countries named or dialled anywhere in
    ``text``) are gathered only when a line needs them: most articles hold no phone number.
    """

    text: str
    language: str | None
    _regions: dict[tuple[str, str], list[str]] = field(default_factory=dict)
    _international: dict[str, _Masked] = field(default_factory=dict)
    _phones: dict[tuple[str, tuple[str, ...]], list[tuple[int, Phone]]] = field(
        default_factory=dict
    )

    @cached_property
    def article_regions(self) -> list[str]:
        """Regions of the countries named, then dialled (``+CC``), in the whole article."""
        return unique([*_regions_named(self.text), *_regions_dialled(self.text)])

    def regions_for(self, line: str, paragraph: str) -> list[str]:
        """Candidate regions for national numbers on ``line``, most specific first."""
        key = (line, paragraph)
        if key not in self._regions:
            lang = language_region(self.language)
            self._regions[key] = unique(
                [
                    *_regions_named(line),
                    *_regions_dialled(paragraph),
                    *([lang] if lang else []),
                    *self.article_regions,
                ]
            )
        return self._regions[key]

    def phones(self, text: str, line: str, paragraph: str) -> list[tuple[int, Phone]]:
        """:func:`find_phones` in ``text`` (``line`` or a sentence of it), once per text and
        regions within the article; the regions are worked out only when ``text`` holds a
        national number."""
        if text not in self._international:
            self._international[text] = _international_numbers(text)
        masked = self._international[text]
        regions = tuple(self.regions_for(line, paragraph)) if masked.national_left else ()
        key = (text, regions)
        if key not in self._phones:
            self._phones[key] = _all_numbers(text, masked, regions)
        return self._phones[key]


def _e164(number: phonenumbers.PhoneNumber) -> str:
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


_PHONE_LABEL_BEFORE = re.compile(
    r"(?:tel|telephone|phone|freephone|mobile|mobil|mob|cell|cel|call|fax|helpline|hotline|"
    r"whatsapp|tlf|telefon|t[ée]l[ée]fono|t[ée]l)"
    r"\b\.?:?[^\w\n]{0,3}"
    r"(?:on\s)?$",
    re.IGNORECASE,
)
#: every label above contains one of these
_PHONE_LABEL_WORD = re.compile(r"tel|t[ée]l|phone|mob|cel|call|fax|line|whatsapp|tlf", re.I)


def _matches(text: str, region: str, leniency: int) -> Iterator[_Match]:
    """(start, end, raw text, E.164) of the numbers phonenumbers finds in ``text``.

    A number found inside a longer run ("020 7946 0958 / 020 7946 0000") can come with the
    space before it; its start is where its first character is, whatever the region."""
    try:
        for m in PhoneNumberMatcher(text, region, leniency=leniency, max_tries=200):
            lead = len(m.raw_string) - len(m.raw_string.lstrip())
            yield m.start + lead, m.end, normalise_whitespace(m.raw_string), _e164(m.number)
    except NumberParseException:
        return


def _near_place(number_e164: str, line: str) -> bool:
    """True when the geocoded place of the number is named on the line (Toulouse, Tokyo)."""
    head = _place_of(number_e164)
    return bool(head) and head in line.lower()


@lru_cache(maxsize=4096)
def _place_of(number_e164: str) -> str:
    """The geocoded place of a number, lower-cased ("" when unknown); a press office's
    number recurs on every release it issues."""
    try:
        number = phonenumbers.parse(number_e164)
    except NumberParseException:
        return ""
    place = _geocoder().description_for_number(number, "en")
    return str(place.split(",")[0].strip().lower())


def forget_phone_places() -> None:
    """Empty the memo of phone numbers' geocoded places."""
    _place_of.cache_clear()


def find_phones(
    line: str, regions: Sequence[str] | Callable[[], Sequence[str]]
) -> list[tuple[int, Phone]]:
    """(offset, phone) of valid, correctly grouped numbers on one candidate line.

    A number written with its country code (``+31 71 524 8830``) reads the same whatever
    the region, so it is matched once; the passes per region (one per country the article
    names, often five or more) look only at the rest of the line, the national numbers.
    ``regions`` may be a function giving them: it is called only when they are needed."""
    masked = _international_numbers(line)
    if callable(regions):
        regions = regions() if masked.national_left else ()
    return _all_numbers(line, masked, regions)


def _international_numbers(line: str) -> _Masked:
    """The numbers with a country code on ``line``, and the line with them (and the decoys)
    blanked out, offsets kept."""
    masked = _mask_decoys(line)
    international: list[_Match] = []
    if "+" in masked or "\uff0b" in masked:  # without a plus sign no region parses as "ZZ"
        international = list(_matches(masked, "ZZ", phonenumbers.Leniency.VALID))
        for start, end, _, _ in international:
            masked = masked[:start] + "x" * (end - start) + masked[end:]
    return _Masked(masked, international, _ANY_DIGIT.search(masked) is not None)


#: what splits a line into stretches no phone number can span: letters (the letter x aside,
#: which phonenumbers takes as a separator or an extension mark), and blanked-out runs of
#: five x or more (at most four separators stand between a number's digit groups)
_NUMBER_BREAK = re.compile(r"[^\W\d_xX]+|[xX]{5,}")
#: "int" after a number is an extension label to phonenumbers, and a string it reads with
#: three letters in it is read as letters on a keypad ("1234 int" as 1234468)
_KEYPAD_LABEL = re.compile(r"\d[\s,]*(?:int|ｉｎｔ)", re.IGNORECASE)
_DIGIT_GROUP = re.compile(r"\d+")
#: stretches with more digits than this are matched without asking (a table of figures),
#: and so are those with a group of digits longer than any national number
_MAX_RUN_DIGITS = 40
_MAX_NATIONAL_LENGTH = 17

#: one stretch of a line: its digits, and where each group of digits ends among them
_Run = tuple[str, tuple[int, ...]]


def _digit_runs(text: str) -> tuple[_Run, ...] | None:
    """The digits of each stretch of ``text`` a phone number could be read from, with the
    ends of its digit groups; ``None`` when a stretch may read as other digits than it
    shows (an ``x``, or ``int`` after a number: three letters make phonenumbers read a
    number as letters on a keypad; a plus sign) or is too long to look into.

    >>> _digit_runs("Toulouse: 05 61 33 47 20 or 0800-123")
    (('0561334720', (2, 4, 6, 8, 10)), ('0800123', (4, 7)))
    """
    if _KEYPAD_LABEL.search(text):
        return None
    runs = []
    for chunk in _NUMBER_BREAK.split(text):
        groups = _DIGIT_GROUP.findall(chunk)
        if not groups:
            continue
        if "x" in chunk or "X" in chunk or "+" in chunk or "\uff0b" in chunk:
            return None
        ends, total = [], 0
        for group in groups:
            if len(group) > _MAX_NATIONAL_LENGTH:
                return None
            total += len(group)
            ends.append(total)
        if total > _MAX_RUN_DIGITS:
            return None
        runs.append((phonenumbers.normalize_digits_only(chunk), tuple(ends)))
    return tuple(runs)


#: the number types phonenumbers tells a valid number by
_NUMBER_TYPES = (
    "premium_rate",
    "toll_free",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
    "fixed_line",
    "mobile",
)


@dataclass
class _NationalReading:
    """How phonenumbers reads a number written without its country code in one region."""

    country_code: str
    national_prefix: re.Pattern[str] | None  # stripped from the front when it matches
    dialling_prefix: re.Pattern[str] | None  # makes the rest another country's number
    #: by length, the national numbers the country code allows, in each region sharing it:
    #: (all of that region's numbers, those of its number types with that length)
    forms: dict[int, list[tuple[re.Pattern[str], re.Pattern[str]]]]

    @cached_property
    def shortest(self) -> int:
        return min(self.forms, default=_MAX_NATIONAL_LENGTH + 1)

    def may_read(self, digits: str) -> bool:
        """Whether ``digits`` (one candidate's, in full) can give a valid number: its
        national significant number is what is left once a national prefix, or the
        country code and a national prefix, are stripped from the front; it must be one
        of a region's numbers and of one of its number types (phonenumbers' validity)."""
        tails = [digits]
        if digits.startswith(self.country_code):
            tails.append(digits[len(self.country_code) :])
        if self.national_prefix is not None:
            for tail in list(tails):
                if m := self.national_prefix.match(tail):
                    tails.append(tail[m.end() :])
        return any(
            number.fullmatch(tail) and kinds.fullmatch(tail)
            for tail in tails
            for number, kinds in self.forms.get(len(tail), ())
        )


@cache
def _national_reading(region: str) -> _NationalReading | None:
    """``region``'s reading of national numbers; ``None`` when a number read there can hold
    digits its text does not (a national prefix that is rewritten, as in Argentina)."""
    metadata = PhoneMetadata.metadata_for_region(region)
    if metadata is None or metadata.national_prefix_transform_rule:
        return None
    forms: dict[int, list[tuple[re.Pattern[str], re.Pattern[str]]]] = {}
    for other in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(metadata.country_code, ()):
        data = PhoneMetadata.metadata_for_region(other)
        general = getattr(data, "general_desc", None)
        if general is None or not general.national_number_pattern:
            continue
        number = re.compile(general.national_number_pattern)
        kinds = [getattr(data, name, None) for name in _NUMBER_TYPES]
        kinds = [k for k in kinds if k is not None and k.national_number_pattern]
        # a description without lengths allows any (phonenumbers tests lengths only if given)
        for length in general.possible_length or range(1, _MAX_NATIONAL_LENGTH + 1):
            fitting = [
                f"(?:{k.national_number_pattern})"
                for k in kinds
                if not k.possible_length or length in k.possible_length
            ]
            if fitting:
                forms.setdefault(length, []).append((number, re.compile("|".join(fitting))))
    prefix, idd = metadata.national_prefix_for_parsing, metadata.international_prefix
    return _NationalReading(
        country_code=str(metadata.country_code),
        national_prefix=re.compile(prefix) if prefix else None,
        dialling_prefix=re.compile(idd) if idd else None,
        forms=forms,
    )


def _may_read_national(runs: tuple[_Run, ...] | None, region: str) -> bool:
    """False when phonenumbers cannot find a valid number in ``region`` in the stretches
    ``runs`` were read from, so matching there would be wasted.

    phonenumbers reads a candidate from the start of a digit group to the end of one: it
    cuts candidates, and their inner parts, at separators. Written without its country
    code, the number is valid only when what is left after a national prefix (or the
    country code and a national prefix) is one of the national numbers the region's
    country code allows. A dialling prefix (``00 44 …``) would make it another country's
    number: a run holding the region's one anywhere is always matched. On a contact line
    most of the regions an article names fail this test, at a few regex matches each where
    a pass of the matcher costs hundreds of microseconds.
    """
    if runs is None:
        return True
    reading = _national_reading(region)
    if reading is None:
        return True
    for digits, ends in runs:
        if reading.dialling_prefix is not None and reading.dialling_prefix.search(digits):
            return True
        for a in (0, *ends[:-1]):
            for b in ends:
                # what is read is never shorter than the number it gives
                if b - a >= reading.shortest and reading.may_read(digits[a:b]):
                    return True
    return False


def _all_numbers(line: str, masked: _Masked, regions: Sequence[str]) -> list[tuple[int, Phone]]:
    """The international numbers and the national ones read in ``masked.text`` (``line``
    with the former blanked out) in each of ``regions``, most specific first."""
    # the regions national numbers are read in, if any is left
    passes: Sequence[str] = (regions or ["US"]) if masked.national_left else ()
    runs = _digit_runs(masked.text) if passes else None
    possible = {region: _may_read_national(runs, region) for region in passes}
    # loosely grouped numbers count only after a label: without a label word on the line,
    # the loose matching could not add anything. With one, it runs first: a region in which
    # it finds nothing is not matched strictly either (the strict checks are the loose ones
    # and more, on the same candidates), and most regions an article names find nothing.
    labelled = _PHONE_LABEL_WORD.search(line) is not None
    loose = (
        {
            r: list(_matches(masked.text, r, phonenumbers.Leniency.VALID)) if possible[r] else []
            for r in passes
        }
        if labelled
        else {}
    )
    # a number read in several regions is the one read in the region whose place the line
    # names (a Montréal number is Canadian, not a US one), else in the most specific region;
    # places are geocoded only for such numbers, not for every number found
    claimed: dict[int, tuple[str, str, int]] = {}

    def score(raw: str, e164: str, rank: int) -> int:
        return rank - (100 if not raw.startswith("+") and _near_place(e164, line) else 0)

    for rank, region in enumerate(passes):
        if not possible[region] or (labelled and not loose[region]):
            continue
        strict = _matches(masked.text, region, phonenumbers.Leniency.STRICT_GROUPING)
        for start, _, raw, e164 in strict:
            held = claimed.get(start)
            if held is None or score(raw, e164, rank) < score(*held):
                claimed[start] = (raw, e164, rank)
    for start, _, raw, e164 in masked.international:
        claimed.setdefault(start, (raw, e164, 0))
    for region in passes if labelled else ():
        for start, _, raw, e164 in loose[region]:
            # grouped unusually ("Freephone 1800 30 40 50"), but labelled as a number
            label = _PHONE_LABEL_BEFORE.search(line[max(0, start - 25) : start])
            if start not in claimed and label:
                claimed[start] = (raw, e164, 0)
    return sorted((start, Phone(raw=raw, e164=e164)) for start, (raw, e164, _) in claimed.items())


def is_phone_candidate(line: str, in_contact_block: bool) -> bool:
    """Short lines with a digit run and a contact cue (or inside a contact block)."""
    if len(line) > MAX_LINE or not _has_digit_run(line):
        return False
    return in_contact_block or bool(_PHONE_CUE.search(line))


# --- people ---------------------------------------------------------------------------------

_CONTACT_HEADING = re.compile(
    r"^(?:for\s)?(?:(?:media|press|news|journalist|communications?)\s)?"
    r"(?:contacts?|enquiries|inquiries|information|relations)(?:\sfor\s[\w\s]{1,40})?\s?:?$",
    re.IGNORECASE,
)


#: words that make a short line a contact heading, in the languages releases use
_CONTACT_WORD = re.compile(
    r"\b(?:contacts?|kontakt|contacto|contatto|enquiries|inquiries|queries|journalists?|"
    r"media|press|presse|prensa|imprensa)\b",
    re.IGNORECASE,
)


#: longer than any line ``_CONTACT_HEADING`` matches (77 characters at most)
_LONGEST_HEADING = 100

#: one of these is in every contact heading (checked first: most lines are prose). Substring
#: tests, each one C scan, take a third of the time of one alternation regex over the line.
_HEADING_WORDS = (
    "contact",
    "kontakt",
    "contatto",
    "enquiries",
    "inquiries",
    "queries",
    "information",
    "relations",
    "journalist",
    "media",
    "press",
    "prensa",
)


def _folded(text: str) -> str:
    """Case-folded as ``re.IGNORECASE`` compares letters (dotless ı matches i there), for
    quick substring tests that stand in front of case-insensitive patterns."""
    return text.casefold().replace("ı", "i")


def _is_contact_heading(line: str, folded: str | None = None) -> bool:
    """A contact heading: the known forms, also bilingual ("Contacto de prensa / Media
    contact"), or any short line announcing contacts ("For media queries, please contact:",
    "Kontakt", "Contact for journalists:") that holds no address or number itself.
    (``folded``: ``_folded(line)``, when the caller has it already.)"""
    if " / " not in line and (
        line.endswith((".", "!", "?"))
        or (len(line.split(None, 8)) > 8 and len(line.strip()) > _LONGEST_HEADING)
    ):
        # prose (most first lines are): a sentence, or more than eight words and longer than
        # any known form; the known forms end with a word or a colon
        return False
    folded = _folded(line) if folded is None else folded
    if not any(word in folded for word in _HEADING_WORDS):
        return False
    if any(_CONTACT_HEADING.match(part.strip()) for part in line.split(" / ", 3)):
        return True
    return (
        not line.endswith((".", "!", "?"))  # the cheap tests first: prose ends a sentence
        and "@" not in line
        and len(line.split()) <= 8
        and not any(c.isdigit() for c in line)
        and bool(_CONTACT_WORD.search(line))
    )


_CONTACT_LEAD = re.compile(
    r"^(?:(?:media|press|news)\s(?:contacts?|enquiries|inquiries|officer)|contacts?|"
    # "Research contact:", "SCMA Media:", "Press office:"
    r"[\w&-]{2,20}\s(?:contacts?|media|press)(?=\s?:)|"
    r"issued by|corresponding authors?|lead authors?|first authors?|for (?:more|further) "
    r"information|for (?:press|media) (?:enquiries|inquiries)|press office|media office|"
    r"journalists? (?:may )?contact)\b",
    re.IGNORECASE,
)
_CONTACT_VERB = re.compile(r"\b(?:please\s)?contact\s(?=\S)", re.IGNORECASE)
_ISSUED_BY = re.compile(r"\bissued by\s", re.IGNORECASE)
_LABEL = re.compile(r"^([^:\n]{1,60}?)\s?:\s+")
_FIELD_LABEL = re.compile(
    r"^(?:e-?mail|tel\.?|telephone|phone|mobile|mob\.?|cell|fax|web(?:site)?|direct|office|"
    r"out-of-hours[\w ]{0,30}|after hours[\w ]{0,30})\b",
    re.IGNORECASE,
)
_FIELD_WORDS = re.compile(
    r"\b(?:e-?mail|tel|telephone|phone|mobile|mob|cell|fax)\b\.?\s?:?", re.IGNORECASE
)
_SENTENCE_SPLIT = re.compile(r"(?<=[a-z)\]])\.\s+(?=[A-Z])")
_ABBREVIATION_END = re.compile(
    r"(?:^|\s)(?:" + "|".join(h.title() for h in HONORIFICS if " " not in h) + r"|[A-Z])$"
)


def _sentences(line: str) -> list[str]:
    """Split at full stops, but not after a title or an initial ("Prof. Dr. Katharina")."""
    parts: list[str] = []
    start = 0
    for m in _SENTENCE_SPLIT.finditer(line):
        if _ABBREVIATION_END.search(line[max(start, m.start() - 12) : m.start()]):
            continue
        parts.append(line[start : m.start()])
        start = m.end()
    parts.append(line[start:])
    return parts


_PART_SPLIT = re.compile(r"\s?[,|;]\s?|\s[–—·]\s|\s(?:at|or)\s")

ORG_WORDS = frozenset(
    [
        "university",
        "universität",
        "université",
        "universidad",
        "college",
        "school",
        "institute",
        "institut",
        "instituto",
        "centre",
        "center",
        "consortium",
        "foundation",
        "society",
        "organisation",
        "organization",
        "association",
        "hospital",
        "laboratory",
        "laboratories",
        "lab",
        "agency",
        "council",
        "academy",
        "office",
        "department",
        "communications",
        "secretariat",
        "observatory",
        "network",
        "group",
        "company",
        "inc",
        "ltd",
        "gmbh",
        "corporation",
        "press",
        "health",
        "ministry",
        "museum",
        "trust",
        "clinic",
        "programme",
        "program",
        "service",
        "services",
        "bureau",
        "news",
        "relations",
        "unit",
        "division",
        "faculty",
        "board",
        "federation",
        "alliance",
        "union",
        "commission",
        "partnership",
        "initiative",
    ]
)
"""Words that make a phrase an organisation or office rather than a person."""
ROLE_WORDS = frozenset(
    [
        "officer",
        "manager",
        "director",
        "head",
        "specialist",
        "coordinator",
        "co-ordinator",
        "editor",
        "spokesperson",
        "spokesman",
        "spokeswoman",
        "adviser",
        "advisor",
        "assistant",
        "associate",
        "senior",
        "chief",
        "executive",
        "lead",
        "president",
        "professor",
        "lecturer",
        "researcher",
        "scientist",
        "fellow",
        "author",
        "writer",
        "liaison",
        "representative",
        "consultant",
        "strategist",
    ]
)
_PARTICLES = frozenset(
    [
        "de",
        "van",
        "von",
        "der",
        "den",
        "da",
        "das",
        "dos",
        "del",
        "della",
        "di",
        "du",
        "le",
        "la",
        "ter",
        "ten",
        "bin",
        "al",
    ]
)
_NAME_TOKEN = re.compile(r"^(?:[^\W\d_][\w'’.-]*|[A-Z]\.)$")


def _fold(text: str) -> str:
    """Lower-case ASCII fold: ``Ólafsdóttir`` → ``olafsdottir``."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def normalise_person(name: str) -> str:
    """Honorifics dropped, capitals fixed, particles lower-cased (``DE VRIES`` → ``de Vries``)."""
    name = strip_honorifics(normalise_whitespace(name)).strip(" ,.;:")
    words = name.split()
    fixed = normalise_name_case(name).split()
    return " ".join(
        f.lower() if i and w.isupper() and w.lower() in _PARTICLES and i < len(words) - 1 else f
        for i, (w, f) in enumerate(zip(words, fixed, strict=True))
    )


def looks_like_name(text: str) -> bool:
    """Two to five capitalised words with no organisation or job-title word: a person's name."""
    bare = strip_honorifics(text.strip())
    words = bare.split()
    if not 2 <= len(words) <= 5 or any(c.isdigit() for c in bare):
        return False
    lowered = [w.lower().strip(".,") for w in words]
    if any(w in ORG_WORDS or w in ROLE_WORDS for w in lowered):
        return False
    if lowered[0] in {"the", "for", "follow", "about", "visit", "our", "a", "an"}:
        return False
    if " ".join(lowered) in _country_names():
        return False
    return all(_NAME_TOKEN.match(w) and (w[0].isupper() or w.lower() in _PARTICLES) for w in words)


@dataclass
class _Person:
    name: str
    details: list[str] = field(default_factory=list)
    label_org: str | None = None
    email: str | None = None
    phone: str | None = None


def _descriptive_parts(line: str) -> list[str]:
    """The comma-separated words of a contact line once emails, phones and labels are gone."""
    parts: list[str] = []
    line = _DIGIT_RUN.sub(" ", line)  # phone numbers, so "(office)" labels fall away
    for sentence in _sentences(line):
        if _FIELD_LABEL.match(sentence):
            continue
        for part in _PART_SPLIT.split(sentence):
            part = _FIELD_WORDS.sub("", part).strip(" .,:;()[]")
            part = _EMPTY_BRACKETS.sub("", part).strip()
            if part and not _FIELD_LABEL.match(part) and _LETTER.search(part):
                parts.append(part)
    return parts


def _strip_contacts(line: str, emails: Sequence[str], phones: Sequence[Phone]) -> str:
    line = _without_emails(line, " ")
    for phone in phones:
        line = line.replace(phone.raw, " ")
    return line


_ACRONYM_PART = re.compile(r"^[A-Z][A-Z&-]{2,9}\b")


def _has_org_word(part: str) -> bool:
    return bool({w.lower().strip(".,()") for w in part.split()} & ORG_WORDS)


def _names_org(part: str) -> bool:
    """An organisation word outside a job title ("Senior Communications Officer" and "Head of
    Communications" have one, but are roles)."""
    return _has_org_word(part) and not _is_role(part)


def _is_org(part: str) -> bool:
    return _names_org(part) or bool(_ACRONYM_PART.match(part))


def _is_role(part: str) -> bool:
    return bool({w.lower().strip(".,()") for w in part.split()} & ROLE_WORDS)


def _split_label(line: str) -> tuple[str | None, str]:
    """``"AARI Communications: Olivier …"`` → ("AARI Communications", "Olivier …")."""
    m = _LABEL.match(line)
    if not m or _FIELD_LABEL.match(line):
        return None, line
    return m.group(1).strip(), line[m.end() :]


_AUDIENCE_LABEL = re.compile(r"^(?:media|press|journalists?|news|reporters)$", re.IGNORECASE)


def _is_contact_label(label: str) -> bool:
    """A label that only announces contact details ("Media", "Press enquiries")."""
    return bool(
        _AUDIENCE_LABEL.match(label)
        or _is_contact_heading(label + ":")
        or _CONTACT_LEAD.match(label)
    )


def _line_people(
    line: str, ctx: _ArticleNames, emails: list[str]
) -> tuple[_Person | None, list[str]]:
    """A person starting on ``line`` (or ``None``) and the line's descriptive parts
    (``emails``: the addresses on the line)."""
    label, rest = _split_label(line)
    if label is not None and _PLATFORM_ONLY.match(label):
        return None, []  # "YouTube: NIAER Channel" names an account, not a person
    label_org = None
    if label is not None:
        if _CONTACT_HEADING.match(label + ":") or _CONTACT_LEAD.match(label):
            pass
        elif label.lower() in _country_names() or not _is_org(label):
            label_org = None
        else:
            label_org = label
    while (nested := _split_label(rest))[0] is not None and _is_contact_label(nested[0] or ""):
        rest = nested[1]  # "For further information: Media: Jordan Leclair, …"
    if (m := _ISSUED_BY.search(rest)) or (m := _CONTACT_VERB.search(rest)):
        rest = rest[m.end() :]
    elif label is None and _CONTACT_LEAD.match(rest):
        return None, []
    parts = _descriptive_parts(_strip_contacts(rest, emails, []))
    names = [p for p in parts if looks_like_name(p)]
    honorific = [p for p in names if strip_honorifics(p) != p]
    name = (honorific or names or [None])[0]
    if name is not None and parts.index(name) > 1:
        name = None
    if name is None and emails and label is not None and label_org is None:
        # "Lead author: z.olafsdottir@…" — the address names someone introduced in the article
        name = ctx.name_for_email(emails[0])
        if name is None:
            return None, parts
        return _Person(name=name, email=emails[0]), parts
    if name is None:
        return None, parts
    details = [p for p in parts if p != name]
    return _Person(name=normalise_person(name), details=details, label_org=label_org), details


def _capitalised_prefix(words: str) -> str:
    """The leading capitalised words: ``Zoë Ólafsdóttir, a`` → ``Zoë Ólafsdóttir``."""
    kept = []
    for word in words.split():
        if not word[0].isupper():
            break
        kept.append(word)
    return " ".join(kept)


@dataclass
class _ArticleNames:
    """People and organisations named in the article, to complete contact entries."""

    paragraphs: Sequence[str]

    def _text(self) -> str:
        return "\n".join(p[:MAX_PARAGRAPH] for p in self.paragraphs)

    def name_for_email(self, email: str) -> str | None:
        """A person named in the article whose surname is the email's local part (or in it)."""
        local = _fold(email.partition("@")[0])
        tokens = {t for t in _LOCAL_PART_SEPARATORS.split(local) if len(t) > 2}
        for m in _PERSON_INTRO.finditer(self._text()):
            name = _capitalised_prefix(m.group(1))
            if " " not in name:
                continue
            surname = _fold(name.split()[-1])
            if surname in tokens or (len(surname) > 3 and surname in local):
                return normalise_person(name)
        return None

    def affiliation(self, name: str) -> str | None:
        """The organisation a person is introduced with ("X, a fellow at the Y Institute")."""
        text = self._text()
        surname = re.escape(name.split()[-1])
        rx = re.compile(
            re.escape(name.split()[0])
            + r"[^,.\n]{0,40}"
            + surname
            + r",[^.\n]{0,80}?\b(?:at|of|from)\s"
            r"(the\s)?([^,.;\n]{2,80}?)(?=,|\.|;|\sand\s|\swho\s|$)",
            re.MULTILINE,
        )
        m = rx.search(text)
        if not m:
            return None
        org = m.group(2).strip()
        if org[:1].isupper():
            return org
        return self.resolve_generic(org)

    def resolve_generic(self, phrase: str) -> str | None:
        """``institute`` → the first ``… Institute`` named in the article."""
        head = phrase.split()[-1].lower() if phrase.split() else ""
        if head not in ORG_WORDS:
            return None
        for m in _ORG_PHRASE.finditer(self._text()):
            if head in m.group(0).lower().split():
                return m.group(0)
        return None


_CAP = r"[A-Z][\w'’-]{0,30}"
_WORD = r"[^\W\d_][\w'’-]{0,30}"
_PERSON_INTRO = re.compile(
    r"\b(?:Dr|Prof|Professor|Mr|Mrs|Ms|Mx)\.?\s(" + _WORD + r"(?:\s" + _WORD + r"){0,3})",
)
_ORG_PHRASE = re.compile(r"\b" + _CAP + r"(?:\s(?:of|for|and|on|de)?\s?" + _CAP + r"){1,7}")


_EMPTY_BRACKETS = re.compile(r"\(\s*\)")
_LETTER = re.compile(r"[^\W\d_]")
_WORD_OF_THREE = re.compile(r"[^\W\d_]{3,}")
_LOCAL_PART_SEPARATORS = re.compile(r"[._+-]")


def _blocks(paragraphs: Sequence[str]) -> Iterator[list[str]]:
    """Lines of each contact block: a heading/lead paragraph and its follow-on field lines."""
    i = 0
    while i < len(paragraphs):
        para = paragraphs[i][:MAX_PARAGRAPH]
        first = para.split("\n", 1)[0].strip()
        folded = _folded(first)
        lines: list[str] = []
        heading = _is_contact_heading(first, folded)
        if heading and "\n" not in para:
            if i + 1 < len(paragraphs):
                i += 1
                lines = paragraphs[i][:MAX_PARAGRAPH].split("\n")
        elif heading:
            lines = para.split("\n")[1:]
        elif _CONTACT_LEAD.match(first) or ("contact" in folded and _CONTACT_VERB.search(first)):
            lines = para.split("\n")
            if "\n" not in para and para.rstrip().endswith(":") and i + 1 < len(paragraphs):
                # "For further information, please contact:" introduces the next paragraph
                i += 1
                lines += paragraphs[i][:MAX_PARAGRAPH].split("\n")
        if lines:
            # more field lines, or more people: "Dr. Jan Hoffmeister\nPress Office\n…"
            while i + 1 < len(paragraphs) and (
                _only_fields(paragraphs[i + 1]) or _opens_with_person(paragraphs[i + 1])
            ):
                i += 1
                lines.extend(paragraphs[i].split("\n"))
            yield [line.strip() for line in lines if line.strip()]
        i += 1


def _opens_with_person(paragraph: str) -> bool:
    """A short paragraph whose first line is a name and which holds an address or number."""
    first, _, rest = paragraph.partition("\n")
    name = first.split("|")[0].split(",")[0].strip()
    return (
        len(paragraph) <= 400
        and looks_like_name(name)
        and bool(_EMAIL.search(rest) or _has_digit_run(rest))
    )


def _only_fields(paragraph: str) -> bool:
    """A paragraph holding nothing but emails / phone fields (continues a contact block)."""
    if len(paragraph) > 300:
        return False
    stripped = _without_emails(paragraph, "")
    stripped = _FIELD_WORDS.sub("", stripped)
    return not _WORD_OF_THREE.search(stripped)


def extract_people(
    paragraphs: Sequence[str],
    ctx: _PhoneContext,
    names: _ArticleNames,
    blocks: Sequence[list[str]] | None = None,
) -> list[ContactPerson]:
    """People named in media-contact / "Issued by" / "Contact:" blocks (``blocks``: those
    of ``paragraphs``, when already found)."""
    people: list[ContactPerson] = []
    for lines in _blocks(paragraphs) if blocks is None else blocks:
        paragraph = "\n".join(lines)
        current: _Person | None = None
        found: list[_Person] = []
        for line in lines:
            if len(line) > MAX_LINE:
                continue
            emails = [e for _, e in find_emails(line)]
            person, parts = _line_people(line, names, emails)
            if person is not None:
                current = person
                found.append(person)
            elif current is not None and parts and not _CONTACT_LEAD.match(line):
                current.details.extend(parts)
            if current is None:
                continue
            if emails and current.email is None:
                current.email = emails[0]
            if current.phone is None and _has_digit_run(line):
                phones = ctx.phones(line, line, paragraph)
                if phones:
                    current.phone = phones[0][1].e164
        people.extend(_to_contact(p, names) for p in found)
    return _unique_people(people)


def _is_brand(part: str) -> bool:
    """A short capitalised part that is no role, name or title: "PolarCell"."""
    words = part.split()
    return (
        0 < len(words) <= 3
        and len(part) >= 3
        and part[:1].isupper()
        and strip_honorifics(part + " x") == part + " x"
        and not _is_role(part)
        and not looks_like_name(part)
    )


def _to_contact(person: _Person, names: _ArticleNames) -> ContactPerson:
    # the last organisation-like part: "Communications Unit, CENARS" → CENARS; a brand is a
    # capitalised part that is neither a role nor a name ("PolarCell")
    # (only when nothing names an organisation: a last part may be a city, "Kraków")
    orgs = [p for p in person.details if _names_org(p) or _ACRONYM_PART.match(p)]
    orgs = orgs or [p for p in person.details if _is_brand(p)]
    organisation = orgs[-1] if orgs else person.label_org
    roles = [p for p in person.details if _is_role(p) and p != organisation]
    if organisation is None:
        organisation = names.affiliation(person.name)
    return ContactPerson(
        name=person.name,
        role=roles[0] if roles else None,
        organisation=organisation,
        email=person.email,
        phone=person.phone,
    )


def _unique_people(people: Iterable[ContactPerson]) -> list[ContactPerson]:
    seen: dict[str, ContactPerson] = {}
    for person in people:
        key = _fold(person.name)
        if key not in seen:
            seen[key] = person
    return list(seen.values())


# --- the article ----------------------------------------------------------------------------


def _lines(paragraphs: Sequence[str]) -> Iterator[tuple[str, str]]:
    for paragraph in paragraphs:
        paragraph = paragraph[:MAX_PARAGRAPH]
        for line in paragraph.split("\n"):
            yield line, paragraph


def _article_phones(
    paragraphs: Sequence[str], ctx: _PhoneContext, blocks: Sequence[list[str]]
) -> list[Phone]:
    in_block = {line for lines in blocks for line in lines}
    phones: list[Phone] = []
    for line, paragraph in _lines(paragraphs):
        if is_phone_candidate(line, line in in_block):
            for _, sentence in _sentences_with_digits(line):
                phones.extend(p for _, p in ctx.phones(sentence, line, paragraph))
    seen: set[str] = set()
    return [p for p in phones if not (p.e164 in seen or seen.add(p.e164))]


def _sentences_with_digits(line: str) -> Iterator[tuple[int, str]]:
    """Phone matching runs per sentence, so a long line is cut into short spans."""
    start = 0
    for m in _SENTENCE_SPLIT.finditer(line):
        chunk = line[start : m.start() + 1]
        if _has_digit_run(chunk):
            yield start, chunk
        start = m.end()
    chunk = line[start:]
    if _has_digit_run(chunk):
        yield start, chunk


def _bare_domain_lines(paragraphs: Sequence[str]) -> Iterator[str]:
    for line, _ in _lines(paragraphs):
        line = line.strip().rstrip(".")
        if len(line) < 100 and _BARE_DOMAIN_LINE.match(line) and is_contact_website(line):
            yield line


def extract_contacts(
    paragraphs: Sequence[str], links: Sequence[tuple[str, str]] = (), language: str | None = None
) -> Contacts:
    """Contact points in ``paragraphs`` and the body's ``links`` (href, text)."""
    paragraphs = [p for p in paragraphs if p]
    text = "\n".join(p[:MAX_PARAGRAPH] for p in paragraphs)
    ctx = _PhoneContext(text, language)
    emails = [e for _, e in find_emails(text)]
    emails += [
        href[7:].split("?")[0].strip().lower()
        for href, _ in links
        if href.lower().startswith("mailto:") and _EMAIL.fullmatch(href[7:].split("?")[0].strip())
    ]
    websites = [w for _, w in find_websites(text)]
    websites += list(_bare_domain_lines(paragraphs))
    social = [s for _, s in find_social(text)]
    social += _link_accounts(links, social)
    names = _ArticleNames(paragraphs)
    blocks = list(_blocks(paragraphs))
    return Contacts(
        emails=unique(emails),
        phones=_article_phones(paragraphs, ctx, blocks),
        websites=_unique_websites(websites),
        social=merge_social(social),
        people=extract_people(paragraphs, ctx, names, blocks),
    )


def _link_accounts(
    links: Sequence[tuple[str, str]], stated: Sequence[SocialAccount]
) -> list[SocialAccount]:
    """Accounts from body links, except links that only carry an account already stated in
    the text ("LinkedIn: <a>Org Name</a>"): those lend the stated account their URL."""
    by_name = {(s.platform, s.handle.lower()): s for s in stated}
    found = []
    for href, label in links:
        account = social_from_link(href, label)
        if account is None:
            continue
        same = by_name.get((account.platform, normalise_whitespace(label).lower()))
        if same is None:
            found.append(account)
        elif same.url is None:
            same.url = account.url
    return found


def _unique_websites(websites: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for site in websites:
        key = site.lower().removeprefix("https://").removeprefix("http://").rstrip("/")
        if key not in seen:
            seen.add(key)
            out.append(site)
    return out


if __name__ == "__main__":
    path = files(__package__).joinpath(COUNTRY_NAMES_FILE)
    data = json.dumps(derive_country_names(), ensure_ascii=False, indent=0, sort_keys=True)
    with open(str(path), "w", encoding="utf-8") as fh:  # noqa: PTH123
        fh.write(data + "\n")
    print(f"wrote {path}")
