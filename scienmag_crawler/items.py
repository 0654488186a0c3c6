"""The article record: typed items whose attribute docstrings document the format.

These classes are the single source of the record's shape. The JSON Schema in
``schema/article.schema.json`` is generated from them (``python -m scienmag_crawler.schema``)
and a test keeps the two in step. Field names are the JSON keys; nothing is renamed on export.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

SCHEMA_VERSION = "1.2"
"""Version of the record format: the minor part grows when fields are added, the major part
when a field changes meaning or shape. 1.1 added ``change``; 1.2 added ``extraction``'s
``modified`` and ``mode`` keys and records of ``scienmag-extract --any-site``, whose
``published`` may be null (crawler records always have it)."""

READABLE_SCHEMA_VERSIONS = ("1.1", "1.2")
"""Versions whose records are valid records of the current version once relabelled: each step
only added fields or widened a field for a new mode, so readers take them as they are."""


@dataclass(kw_only=True, slots=True)
class Phone:
    """A phone number stated in the article."""

    raw: str
    """The number as written in the article, whitespace-normalised."""
    e164: str
    """The same number in E.164 form (``+441234567890``)."""


@dataclass(kw_only=True, slots=True)
class SocialAccount:
    """A social-media account named in the article (never the site's own share links)."""

    platform: str
    """Lower-case platform name: x, facebook, linkedin, youtube, instagram, mastodon, bluesky,
    threads, tiktok, github, ... (twitter is x)."""
    handle: str
    """The account as written (``@CosparHQ``, ``@COSPAR@astrodon.social``, or a page name)."""
    url: str | None = None
    """Profile URL when the article links it or it can be derived from the handle."""


@dataclass(kw_only=True, slots=True)
class ContactPerson:
    """A person named as a contact point (media contact, "Issued by", ...)."""

    name: str
    """Full name, capitalisation normalised, without honorifics."""
    role: str | None = None
    """Job title or function as stated."""
    organisation: str | None = None
    """Organisation or department as stated."""
    email: str | None = None
    """The person's email address, lower-cased."""
    phone: str | None = None
    """The person's phone number in E.164 form."""


@dataclass(kw_only=True, slots=True)
class Contacts:
    """Contact points stated in the article itself."""

    emails: list[str] = field(default_factory=list)
    """Email addresses, lower-cased, de-obfuscated, in order of appearance, without duplicates."""
    phones: list[Phone] = field(default_factory=list)
    """Phone numbers, in order of appearance, without duplicates."""
    websites: list[str] = field(default_factory=list)
    """Websites named as contact or information points, as written."""
    social: list[SocialAccount] = field(default_factory=list)
    """Social-media accounts named or linked in the article."""
    people: list[ContactPerson] = field(default_factory=list)
    """People named as contacts."""


@dataclass(kw_only=True, slots=True)
class Quote:
    """A direct quotation of a person."""

    text: str
    """The words inside the quotation marks, whitespace-normalised, without the marks. A
    quotation running over several paragraphs is one quote."""
    speaker: str | None
    """The speaker's full name as resolved within the article, without honorifics."""
    speaker_role: str | None = None
    """The speaker's title/affiliation as stated in the article, or null."""
    paragraph: int | None = None
    """0-based index of the body paragraph where the quotation starts."""


@dataclass(kw_only=True, slots=True)
class MemberCount:
    """A structured count stated about an organisation ("46 national scientific institutions")."""

    count: int
    """The number."""
    of: str
    """What is counted, as written."""


@dataclass(kw_only=True, slots=True)
class Organisation:
    """Facts about an organisation from an "About X" / "Note to Editors" passage."""

    name: str
    """Full name of the organisation."""
    acronym: str | None = None
    """Acronym as given in the text (``APSCO``)."""
    founded: str | None = None
    """Founding year (``YYYY``) or full date (``YYYY-MM-DD``)."""
    headquarters: str | None = None
    """Headquarters location as stated."""
    website: str | None = None
    """The organisation's website as written."""
    facts: list[str] = field(default_factory=list)
    """Short factual statements from the passage (member counts, lists, rankings)."""
    member_counts: list[MemberCount] = field(default_factory=list)
    """Structured counts found in the facts."""
    social: list[SocialAccount] = field(default_factory=list)
    """Social accounts the passage places with this organisation."""


@dataclass(kw_only=True, slots=True)
class Article:
    """One Scienmag article: the record written as one JSON line per article."""

    url: str
    """Canonical URL on https://scienmag.com (link rel=canonical / og:url, else the page URL)."""
    title: str
    """The headline, whitespace-normalised."""
    published: str | None
    """Publication date: ISO 8601 date-time with UTC offset when the page gives one
    (``2024-08-27T09:15:00+00:00``), else the date alone (``2024-08-27``). Null only in
    ``scienmag-extract --any-site`` records of pages that state no date."""
    published_date: str | None
    """The ``YYYY-MM-DD`` part of ``published`` (null exactly when it is)."""
    modified: str | None = None
    """Last-modified ISO 8601 date-time when the page states one, else null."""
    authors: list[str] = field(default_factory=list)
    """Bylines, in page order; empty when the page shows none."""
    categories: list[str] = field(default_factory=list)
    """Breadcrumb path without "Home", outermost first (``["Science News", "Policy"]``)."""
    tags: list[str] = field(default_factory=list)
    """Post tags as written."""
    body: str
    """The article text only: paragraphs, headings, list items and captions in reading order,
    separated by one blank line. Line breaks inside a paragraph are kept as single newlines."""
    subtitle: str | None = None
    """The standfirst under the headline, when the post has one."""
    summary: str | None = None
    """The page's own short description (og:description / meta description)."""
    image: str | None = None
    """Absolute URL of the featured image."""
    language: str | None = None
    """Language tag of the page (``en-US``)."""
    word_count: int = 0
    """Number of whitespace-separated words in ``body``."""
    reading_time_minutes: int | None = None
    """The reading time the page states ("Reading Time: 4 mins read")."""
    quotes: list[Quote] = field(default_factory=list)
    """Direct quotations with their speakers, in order of appearance."""
    contacts: Contacts = field(default_factory=Contacts)
    """Contact details stated in the article."""
    organisations: list[Organisation] = field(default_factory=list)
    """Organisation facts from "About X" / "Note to Editors" passages."""
    extraction: dict[str, str] = field(default_factory=dict)
    """Which source produced each field group, so users and monitors can see layout drift
    (``{"body": "jnews", "published": "jsonld", "modified": "none"}``). ``body``: ``jnews``
    (the JNews layout), ``wordpress`` (a WordPress theme's ``.entry-content``: on
    scienmag.com, a sign the layout changed) or ``generic`` (trafilatura on the whole page).
    ``published`` and ``modified``: ``jsonld``, ``meta`` (``<meta>`` tags), ``time`` (a
    ``<time datetime>``), ``visible`` (the date as written), with ``--any-site`` also
    ``url`` (a ``/YYYY/MM/DD/`` path); ``none`` when not found. ``mode``: ``any-site`` in
    records from ``scienmag-extract --any-site``, absent otherwise."""
    change: str | None = None
    """In harvest runs: ``new`` (first delivery) or ``updated`` (content or modified date
    changed since the last delivery); null outside harvest mode."""
    crawled_at: str | None = None
    """When the page was fetched (ISO 8601, UTC); null when re-extracted from a saved file."""
    schema_version: str = SCHEMA_VERSION
    """Version of this record format."""


def plain(value: Any) -> Any:
    """``value`` with every record dataclass in it turned into a dict of its fields, in order:
    what ``ItemAdapter(value).asdict()`` gives for a record, without itemadapter's generic
    walk, which asks of every value whether it is an item (a page's extraction costs little
    more)."""
    names = _FIELD_NAMES.get(type(value))
    if names is not None:
        return {name: plain(getattr(value, name)) for name in names}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def is_record(value: Any) -> bool:
    """``value`` is a record dataclass (an article or one of its parts)."""
    return type(value) in _FIELD_NAMES


#: the field names of each record dataclass, in order
_FIELD_NAMES: dict[type, tuple[str, ...]] = {
    cls: tuple(f.name for f in fields(cls))
    for cls in (
        Phone,
        SocialAccount,
        ContactPerson,
        Contacts,
        Quote,
        MemberCount,
        Organisation,
        Article,
    )
}
