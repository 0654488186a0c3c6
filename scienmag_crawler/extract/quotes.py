"""Direct quotations and their speakers, from the body paragraphs.

Three linear passes over the paragraphs, all on plain tokens (no backtracking regexes):

1. **Spans.** Quotation marks are paired per paragraph: ``“…”``, ``"…"``, ``„…“``/``„…”``
   and ``«…»``. A quotation still open at the end of a paragraph continues when the next
   paragraph starts with an opening mark (the newspaper convention for a quotation that
   runs over several paragraphs); it is one quote, its parts joined by a space.
2. **People.** Person mentions outside the marks build a per-article registry: an honorific
   and a name ("Prof. Pascale Ehrenfreund"), a role and a name ("graduate student Marcus
   Oyelaran", "COSPAR President Prof. ..."), a name and an appositive ("Helen Marchant,
   chief executive of ..."), a name next to a speech verb ("Zhou said", "said Lopez").
   Short references are expanded to the fullest name in the article ("Prof. Ehrenfreund" →
   "Pascale Ehrenfreund"; of two people sharing a surname, the most recently mentioned one);
   pronouns ("she added") go to the last person mentioned. The role is what the article
   states around a full mention: pre-nominal title, "of/from Org" and the appositive.
3. **Attribution.** A quotation is kept only when something attributes it: a speech verb
   and a speaker right after it (``“…,” said X.`` / ``“…,” X said.``), right before it in the
   same sentence (``X said: “…”`` / ``X commented, “…”`` / ``According to X, “…”``), in the
   previous sentence, or — for a quotation that is a paragraph on its own (a blockquote) —
   the person introduced by the previous paragraph or named after a dash in the next one.
   Quotations of fewer than four words, Title-Case ones and unattributed ones are scare
   quotes or titles and are dropped.

Interrupted quotations: ``“A,” said X. “B”`` (the first part ends with a comma, the text in
between is one attribution clause) is ONE quote whose text is the two parts, each as written
inside its marks, joined by a single space: ``"A, B"``. ``“A.” She added, “B”`` is two quotes.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

from scienmag_crawler.extract.text import (
    HONORIFICS,
    Literals,
    normalise_name_case,
    normalise_whitespace,
)
from scienmag_crawler.items import Quote

# --- vocabulary --------------------------------------------------------------------------


def _vocab(words: str) -> frozenset[str]:
    """A word list written as text: easier to read and extend than a literal set."""
    return frozenset(words.split())


SPEECH_VERBS = _vocab(
    """
    said says say added adds adding commented comments commenting explained explains
    explaining noted notes noting stated states stating told tells remarked remarks
    observed observes emphasised emphasized emphasises emphasizes stressed stresses
    continued continues concluded concludes asked asks recalled recalls acknowledged
    acknowledges admitted admits argued argues warned warns cautioned cautions insisted
    insists suggested suggests wrote writes echoed agreed agrees replied replies
    responded responds declared declares announced announces affirmed affirms reflected
    reflects predicted predicts conceded concedes urged urges elaborated elaborates
    highlighted highlights summarised summarized summed saying quipped joked laughed
    mused
    """
)
PRONOUNS = _vocab("he she they we")
#: one-word titles, from the shared list that strip_honorifics uses
HONORIFIC_WORDS = frozenset(h for h in HONORIFICS if " " not in h)
RANK_PREFIXES = _vocab("assistant associate emeritus adjunct distinguished visiting")
ROLE_HEADS = _vocab(
    """
    president vice-president director director-general general secretary
    secretary-general executive officer chair chairman chairwoman chairperson co-chair
    head lead leader manager coordinator counsel author co-author scientist researcher
    investigator co-investigator fellow student lecturer professor founder co-founder
    ceo cto cfo coo minister spokesperson spokesman spokeswoman dean provost chancellor
    vice-chancellor rector editor engineer physician analyst economist member partner
    curator commissioner administrator ambassador governor mayor senator adviser advisor
    consultant specialist expert technician surgeon nurse clinician facilitator
    organiser organizer principal supervisor representative delegate deputy
    """
)
ORG_WORDS = _vocab(
    """
    university institute institution centre center society association department school
    college hospital agency organisation organization committee council foundation
    laboratory laboratories lab group consortium network observatory museum trust
    ministry programme program conference journal company corporation inc ltd llc gmbh
    union academy service services office bureau clinic alliance federation board
    commission station project initiative fund
    """
)
# Capitalised words that start sentences or name things, never a person's name.
STOP_CAPS = _vocab(
    """
    the a an this that these those in on at for from with by and but or as if when while
    after before during according both each every our we i he she they it his her their
    its there here however meanwhile also photo image credit source figure table paper
    study january february march april may june july august september october november
    december monday tuesday wednesday thursday friday saturday sunday
    """
)
PARTICLES = _vocab(
    """
    van von den der de da do dos das du la le di del della bin binti al el ter ten zu y
    """
)
# Words that end a pre-nominal role when walking back from a name.
PRE_STOP = _vocab(
    """
    the a an his her their its our and or with by of to from at in on for as while said
    says that who which when after before during also including like
    """
)
#: words that open a clause, not an appositive role ("…, is now working with …")
APPOSITIVE_REJECT = _vocab(
    """
    and but or which that adding noting saying while whereas where when if
    is was are were has have had will would can could may might
    """
)
NAMING_WORDS = _vocab(
    """
    called named titled entitled dubbed so-called term terms phrase word label nicknamed
    """
)
SMALL_WORDS = _vocab("a an the of and or for to in on at by with from as vs")

#: each opening mark and the marks that close it ("„" is closed by either curly mark)
_CLOSERS = {"“": Literals("”"), "„": Literals("“", "”"), "«": Literals("»"), '"': Literals('"')}
_OPENERS = Literals(*_CLOSERS)
_LEAD = "([{“„«\"'‘"
_TRAIL = ",.;:!?)]}”“»\"'’…"

MAX_SCAN = 400
"""Characters looked at around a quotation for its attribution: keeps long paragraphs linear."""
MAX_PARTS = 12
"""Most paragraphs one quotation may run over (bounds runaway unbalanced marks)."""
MIN_WORDS = 4

Pos = tuple[int, int]
#: a reference by role alone: ``(ROLE_REF, "physiotherapist", "trial’s lead physiotherapist")``
ROLE_REF = "\x00role"
_ROLE_WORD = re.compile(r"[^\W\d_][\w-]*")
DETERMINERS = frozenset({"the", "a", "an", "its", "their", "our", "his", "her", "that", "this"})
_DASHES = frozenset("—–-―")


# --- tokens ------------------------------------------------------------------------------


class _Tok:
    """A whitespace token: where it starts, its word (``core``, and ``low`` lower-cased), the
    punctuation after it (``trail``) and the token as written (``raw``)."""

    __slots__ = ("core", "low", "raw", "start", "trail")

    def __init__(self, start: int, core: str, trail: str, raw: str) -> None:
        self.start = start
        self.core = core
        self.trail = trail
        self.raw = raw
        self.low = core.lower()  # read many times per token: computed once


_LEAD_CHARS = frozenset(_LEAD)
_TRAIL_CHARS = frozenset(_TRAIL)


def _tokens(text: str, base: int = 0) -> list[_Tok]:
    """Whitespace tokens with surrounding punctuation split off (``core``, ``trail``)."""
    out = []
    end = 0
    find = text.find
    for raw in text.split():  # str.split and \S+ agree on whitespace; split is quicker
        start = find(raw, end)  # only whitespace lies between ``end`` and the token
        end = start + len(raw)
        # most tokens are bare words: strip only when an end is punctuation
        core = raw.lstrip(_LEAD) if raw[0] in _LEAD_CHARS else raw
        if core and core[-1] in _TRAIL_CHARS:
            stripped = core.rstrip(_TRAIL)
            if not stripped:
                continue  # bare punctuation ("–", ",") carries no words
            out.append(_Tok(base + start, stripped, core[len(stripped) :], raw))
        elif core:
            out.append(_Tok(base + start, core, "", raw))
    return out


def _is_name_word(tok: _Tok, *, allow_caps: bool = False) -> bool:
    core = tok.core
    if len(core) < 2:
        return len(core) == 1 and core.isupper() and tok.trail == "."  # an initial
    low = tok.low
    if not core[0].isupper() or core.endswith(("’s", "'s")) or low in STOP_CAPS:
        return False
    if not (core.isalpha() or core.replace("-", "").replace("’", "").replace("'", "").isalpha()):
        return False
    if core.isupper() and not allow_caps:
        return False
    return low not in ROLE_HEADS and low not in ORG_WORDS and low not in SPEECH_VERBS


def _is_particle(toks: Sequence[_Tok], i: int) -> bool:
    """ "van", "de", ... inside a name: followed (through other particles) by a name word."""
    for j in range(i, min(len(toks), i + 3)):
        if toks[j].core not in PARTICLES or toks[j].trail:
            return j > i and _is_name_word(toks[j])
    return False


def _one_honorific(toks: Sequence[_Tok], i: int) -> int:
    low = toks[i].low
    if low in RANK_PREFIXES and i + 1 < len(toks) and toks[i + 1].low in {"professor", "prof"}:
        return 2
    # "Dr." and also the bracketed "(Dr.)" of "Prof. (Dr.) Meenakshi Sundaralingam"
    if low in HONORIFIC_WORDS and toks[i].trail in {"", ".", ")", ".)"}:
        return 1
    return 0


def _honorific_len(toks: Sequence[_Tok], i: int) -> int:
    """How many tokens at ``i`` form titles ("Dr.", "Assistant Professor", "Prof. Dr."), else 0."""
    j = i
    while j < len(toks) and j - i < 4 and (n := _one_honorific(toks, j)):
        j += n
    return j - i


def _is_speech_verb(tok: _Tok) -> bool:
    return tok.low in SPEECH_VERBS


def _name_run(toks: Sequence[_Tok], i: int) -> int:
    """End index of the person name starting at ``i`` (``i`` when there is none)."""
    j, words = i, 0
    while j < len(toks) and words < 6:
        if words and toks[j].raw[:1] in "([":
            break  # "Haruka Nishimoto (Senior Researcher, …)": the bracket is not the name
        if _is_particle(toks, j):
            j += 1
            continue
        if not _is_name_word(toks[j], allow_caps=words > 0):
            break
        words += 1
        j += 1
        if toks[j - 1].trail and not (len(toks[j - 1].core) == 1 and toks[j - 1].trail == "."):
            break
    while j > i and toks[j - 1].core in PARTICLES:
        j -= 1
    return j if words else i


def _name_before(toks: Sequence[_Tok], v: int) -> int:
    """Start index of a name ending just before ``v`` (skipping "also"), or ``v``."""
    end = v
    if end > 0 and (toks[end - 1].low == "also" or toks[end - 1].low.endswith("ly")):
        end -= 1
    j = end
    while j > 0 and end - j < 6:
        tok = toks[j - 1]
        if tok.trail:
            break
        if not (_is_name_word(tok, allow_caps=j == end) or _is_particle(toks, j - 1)):
            break
        j -= 1
    return j if j < end else v


def _words(toks: Sequence[_Tok], i: int, j: int) -> tuple[str, ...]:
    return tuple(_word_case(t.core) for t in toks[i:j])


def _word_case(word: str) -> str:
    """:func:`normalise_name_case` of one word (a token's core holds no space), without
    splitting it when it holds no hyphen: ``ZHOU`` → ``Zhou``, ``McDONALD`` kept."""
    if "-" in word:
        return normalise_name_case(word)
    return word.capitalize() if len(word) > 1 and word.isupper() else word


# --- people ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Mention:
    pos: Pos
    words: tuple[str, ...]
    role: str | None


def _position(mention: _Mention) -> Pos:
    return mention.pos


def _earlier(pos: Pos) -> Pos:
    """Sorts earlier positions higher (for ``max``)."""
    return -pos[0], -pos[1]


def _looks_like_role(text: str) -> bool:
    for word in text.lower().split():
        word = word.strip(_LEAD + _TRAIL).removesuffix("’s").removesuffix("'s")
        if word in ROLE_HEADS or word in {"who", "of"} or word.endswith(("ist", "ian", "er")):
            return True
    return False


def _pre_role(toks: Sequence[_Tok], start: int) -> str:
    """Title written before the name: "COSPAR President", "graduate student", "Co-author",
    also set off by a comma ("Its technical manager, Carmen Ruiz,")."""
    if start == 0 or toks[start - 1].trail not in {"", ","}:
        return ""
    head = toks[start - 1].low
    if head not in ROLE_HEADS and not head.endswith("ist"):
        return ""
    j = start
    while j > 0 and start - j < 6:
        tok = toks[j - 1]
        if (tok.trail and j < start) or tok.low in PRE_STOP or _is_speech_verb(tok):
            break
        j -= 1
    return " ".join(t.core for t in toks[j:start])


def _appositive_end(toks: Sequence[_Tok], end: int) -> int:
    """Index after a comma-delimited appositive following the name (``end`` if none)."""
    if end == 0 or not toks[end - 1].trail.startswith(","):
        return end
    for j in range(end, min(len(toks), end + 30)):
        if toks[j].trail[:1] in {".", ";", ":", "!", "?"} or _is_speech_verb(toks[j]):
            return end
        if toks[j].trail.startswith(","):
            return j + 1
    return end


def _post_role(toks: Sequence[_Tok], end: int, *, strict: bool) -> str:
    """Appositive ("…, a marine ecologist at X,"), a bracketed role ("(Senior Researcher,
    NIAER)") or "of/from/at Org" after the name."""
    if end == 0 or end >= len(toks):
        return ""
    if toks[end].raw[:1] == "(" and not toks[end - 1].trail:
        j = end
        while j < len(toks) and j - end < 20 and ")" not in toks[j].trail:
            j += 1
        text = " ".join(t.raw for t in toks[end : j + 1]).strip().lstrip("(")
        return text[: text.rfind(")")] if ")" in text else ""
    if toks[end - 1].trail.startswith(","):
        j = end
        while j < len(toks) and j - end < 30 and not _is_speech_verb(toks[j]):
            j += 1
            if toks[j - 1].trail[:1] in {",", ".", ";", ":", "!", "?"}:
                break
        parts = toks[end:j]
        if not parts or parts[0].low in APPOSITIVE_REJECT or _is_speech_verb(parts[0]):
            return ""
        if parts[0].core.isdigit() or _name_run(parts, 0) == len(parts):
            return ""
        text = " ".join(t.raw for t in parts).rstrip(_TRAIL.replace(")", ""))
        if strict and not _looks_like_role(text):
            return ""
        first, _, rest = text.partition(" ")
        return rest if first.lower() in {"a", "an"} and rest else text
    if toks[end - 1].trail or toks[end].low not in {"of", "from", "at"}:
        return ""
    j = end + 1
    while j < len(toks) and j - end < 15:
        tok = toks[j]
        if not (tok.core[:1].isupper() or tok.low in SMALL_WORDS or tok.core in PARTICLES):
            break
        j += 1
        if tok.trail:
            break
    while j > end + 1 and toks[j - 1].low in SMALL_WORDS:
        j -= 1
    if not any(t.core[:1].isupper() for t in toks[end + 1 : j]):
        return ""
    return " ".join(t.raw for t in toks[end:j]).rstrip(_TRAIL)


def _role(toks: Sequence[_Tok], start: int, name_start: int, end: int, *, strict: bool) -> str:
    pre = _pre_role(toks, start)
    rank = " ".join(t.core for t in toks[start:name_start] if t.low in RANK_PREFIXES)
    if rank:
        rank = f"{rank} Professor"
    pre = " ".join(p for p in (pre, rank) if p)
    post = _post_role(toks, end, strict=strict)
    if post and not pre and post.split(" ", 1)[0].lower() in {"of", "from", "at"}:
        post = post.partition(" ")[2]  # nothing may follow: "Omar Haddad, of says"
        post = post[4:] if post.lower().startswith("the ") else post
    if pre and post and post.split(" ", 1)[0].lower() in {"of", "from", "at"}:
        return f"{pre} {post}"
    return ", ".join(p for p in (pre, post) if p)


def _segment_mentions(toks: Sequence[_Tok], para: int) -> list[_Mention]:
    """Person mentions in one stretch of text outside quotation marks."""
    found: list[_Mention] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        if not (tok.core[0].isupper() or tok.low in _MENTION_LEADS or tok.core in PARTICLES):
            # no title, name word or particle starts here (most words of prose): no mention
            i += 1
            continue
        hon = _honorific_len(toks, i)
        if hon:
            end = _name_run(toks, i + hon)
            if end > i + hon:
                role = _role(toks, i, i + hon, end, strict=False)
                found.append(_Mention((para, toks[i].start), _words(toks, i + hon, end), role))
                i = end
                continue
        starts_run = _is_name_word(toks[i]) or _is_particle(toks, i)
        if starts_run and (i == 0 or toks[i - 1].trail or not _is_name_word(toks[i - 1])):
            end = _name_run(toks, i)
            if end > i and _person_context(toks, i, end):
                after = _appositive_end(toks, end)
                said = end < after < len(toks) and _is_speech_verb(toks[after])
                role = _role(toks, i, i, end, strict=not said)
                found.append(_Mention((para, toks[i].start), _words(toks, i, end), role))
                i = end
                continue
        i += 1
    return found


#: lower-case words that may open a mention: titles, and ranks ("associate professor")
_MENTION_LEADS = HONORIFIC_WORDS | RANK_PREFIXES


def _person_context(toks: Sequence[_Tok], i: int, end: int) -> bool:
    """A bare capitalised run is a person when a role, appositive or speech verb says so.

    (Every capitalised run of the article comes here: the cheap tests go first.)"""
    nxt = end
    if nxt < len(toks) and not toks[end - 1].trail and toks[nxt].low == "also":
        nxt += 1
    if nxt < len(toks) and not toks[nxt - 1].trail and _is_speech_verb(toks[nxt]):
        return True
    if i > 0 and not toks[i - 1].trail and _is_speech_verb(toks[i - 1]):
        return True
    if end - i >= 2 and (after := _appositive_end(toks, end)) < len(toks):
        said = _is_speech_verb(toks[after])  # "Marie Dubois, présidente de X, said"
    else:
        said = i > 1 and toks[i - 2].low == "according" and toks[i - 1].low == "to"
    return said or bool(_pre_role(toks, i) or _post_role(toks, end, strict=True))


def _holds_word(text: str, word: str) -> bool:
    """``word`` occurs in ``text`` with no word character (``\\w``) on either side.

    >>> _holds_word("likely, as li said", "li"), _holds_word("climate", "li")
    (True, False)
    """
    size = len(word)
    at = text.find(word)
    while at >= 0:
        before = text[at - 1] if at else " "
        after = text[at + size : at + size + 1] or " "
        if not (before.isalnum() or before == "_" or after.isalnum() or after == "_"):
            return True
        at = text.find(word, at + 1)
    return False


@dataclass(slots=True)
class _Segment:
    """A stretch of one paragraph outside quotation marks: where mentions are looked for."""

    para: int
    start: int
    end: int
    folded: str | None = None  # its text case-folded, made when a name is looked for


class _Registry:
    """Everyone the article mentions, to expand short references and resolve pronouns.

    Mentions are found segment by segment, and a segment is scanned only when a question
    needs it: a name in the segments whose text holds its words, a pronoun's antecedent in
    the segments before it, a paragraph's first person in its segments up to the first that
    names one. An article quoting one person scans the few paragraphs that name them, not
    all. The answers are those of a registry filled from every segment: each name's mentions
    are kept in document order.
    """

    def __init__(self, paras: Sequence[str], spans: Sequence[list[_Span]]) -> None:
        self._paras = paras
        self._segments: list[_Segment] = []
        for i, text in enumerate(paras):
            pos = 0
            for span in [*spans[i], _Span(i, len(text), len(text), "", True)]:
                self._segments.append(_Segment(i, pos, span.start))
                pos = span.end
        self._starts = [(seg.para, seg.start) for seg in self._segments]
        self._scanned = [False] * len(self._segments)
        self._mentions: list[_Mention] = []  # those found so far, in document order
        self._positions: list[Pos] = []
        self._by_last: dict[str, set[tuple[str, ...]]] = {}
        self._by_first: dict[str, set[tuple[str, ...]]] = {}
        self._by_name: dict[tuple[str, ...], list[_Mention]] = {}
        self._stated: set[str] = set()  # the role nouns asked about

    def _scan(self, k: int) -> None:
        if self._scanned[k]:
            return
        self._scanned[k] = True
        seg = self._segments[k]
        toks = _tokens(self._paras[seg.para][seg.start : seg.end], seg.start)
        for mention in _segment_mentions(toks, seg.para):
            self._add(mention)

    def _add(self, mention: _Mention) -> None:
        i = bisect_right(self._positions, mention.pos)
        self._positions.insert(i, mention.pos)
        self._mentions.insert(i, mention)
        key = tuple(w.casefold() for w in mention.words)
        insort(self._by_name.setdefault(key, []), mention, key=_position)
        self._by_last.setdefault(key[-1], set()).add(key)
        self._by_first.setdefault(key[0], set()).add(key)

    def _scan_naming(self, word: str) -> None:
        """Scan every segment whose text holds ``word`` (case-folded) as a whole word: only
        those can mention a name made with it. Case folding maps each character on its own,
        so a mention's folded words are always part of its segment's folded text, and a
        name's word is a token's core: only spaces and punctuation stand on either side.
        (A short surname such as "Li" is in "likely" and "climate": a look for the letters
        alone scanned most of the article.)"""
        for k, seg in enumerate(self._segments):
            if self._scanned[k]:
                continue
            if seg.folded is None:
                seg.folded = self._paras[seg.para][seg.start : seg.end].casefold()
            if word in seg.folded and _holds_word(seg.folded, word):
                self._scan(k)

    def _scan_all(self) -> None:
        for k in range(len(self._segments)):
            self._scan(k)

    def _scan_stating(self, head: str) -> None:
        """Scan every segment that can state a role with the word ``head``: a role is made of
        the segment's own words (and "Professor" after a rank), and lower-casing maps each
        character on its own (but for the final sigma), so the word is in its lower-cased
        text. A role is asked for by its noun in a handful of articles; it scanned them all."""
        if head in self._stated:
            return  # asked before: every segment that can state it is scanned
        self._stated.add(head)
        if head == "professor":
            self._scan_all()
            return
        for k, seg in enumerate(self._segments):
            if not self._scanned[k]:
                text = self._paras[seg.para][seg.start : seg.end]
                if head in text.lower() or "Σ" in text:
                    self._scan(k)

    def first_in_paragraph(self, para: int) -> _Mention | None:
        """The first mention of one paragraph: its segments are scanned in order until one
        holds a mention (a mention of a segment comes before those of the next)."""
        k = bisect_left(self._starts, (para, 0))
        while k < len(self._segments) and self._segments[k].para == para:
            self._scan(k)
            i = bisect_left(self._positions, self._starts[k])
            end = self._starts[k + 1] if k + 1 < len(self._starts) else (para + 1, 0)
            if i < len(self._positions) and self._positions[i] < end:
                return self._mentions[i]
            k += 1
        return None

    def last_before(self, pos: Pos) -> _Mention | None:
        """The last mention at or before ``pos``: segments are scanned backwards from the one
        holding ``pos`` until one has a mention there."""
        for k in range(bisect_right(self._starts, pos) - 1, -1, -1):
            self._scan(k)
            i = bisect_right(self._positions, pos)
            if i and self._positions[i - 1] >= self._starts[k]:
                return self._mentions[i - 1]
        return None

    def with_role(self, head: str, pos: Pos) -> _Mention | None:
        """The mention nearest to ``pos`` whose stated role has the noun ``head``."""
        self._scan_stating(head)
        holders = [
            m for m in self._mentions if m.role and head in _ROLE_WORD.findall(m.role.lower())
        ]
        return min(holders, key=lambda m: abs(m.pos[0] - pos[0]), default=None)

    def resolve(self, ref: tuple[str, ...], pos: Pos) -> tuple[str, str | None]:
        """Full name and role for a reference made at ``pos``."""
        key = tuple(w.casefold() for w in ref)
        # every name the answer can come from ends with, or (a lone word) holds, key[-1]
        self._scan_naming(key[-1])
        cands = {n for n in self._by_last.get(key[-1], ()) if n[-len(key) :] == key}
        if len(key) == 1 and cands <= {key}:
            # a first surname of two ("Fuentes" for Carolina Fuentes Araya), not the first name
            longer = {n for n in self._by_name if len(n) >= 3 and key[0] in n[1:-1]}
            cands = longer or cands
        if not cands and len(key) == 1:
            cands = set(self._by_first.get(key[0], ()))
        if not cands:
            return " ".join(ref), None
        full = {n for n in cands if not any(len(o) > len(n) and o[-len(n) :] == n for o in cands)}
        if key in full and len(key) > 1:
            best = key
        else:
            # the latest mentioned before ``pos``; of equals, the one the article names first
            best = max(full, key=lambda n: (self._last_pos(n, pos), _earlier(self._first_pos(n))))
        mentions = self._by_name[best]
        shown = mentions[0].words
        role = next((m.role for m in mentions if m.role), None)
        if role is None:  # a role stated at a shorter, unambiguous mention
            for n in sorted(cands, key=self._first_pos):
                if n != best and len([f for f in full if f[-len(n) :] == n]) == 1:
                    role = role or next((m.role for m in self._by_name[n] if m.role), None)
        return " ".join(shown), role

    def _last_pos(self, name: tuple[str, ...], pos: Pos) -> Pos:
        before = [m.pos for m in self._by_name[name] if m.pos <= pos]
        return max(before) if before else (-1, -1)

    def _first_pos(self, name: tuple[str, ...]) -> Pos:
        return self._by_name[name][0].pos


# --- spans -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Span:
    para: int
    start: int
    end: int
    text: str
    closed: bool


def _spans(text: str, para: int) -> list[_Span]:
    """Quotation spans of one paragraph; the last may be open (runs to the paragraph end)."""
    out: list[_Span] = []
    pos = 0
    openers = _OPENERS.scanner(text)
    closers: dict[str, Callable[[int], Any]] = {}  # a scanner per kind of opening mark
    while (opening := openers(pos)) is not None:
        start, mark = opening.start(), text[opening.start()]
        if mark not in closers:
            closers[mark] = _CLOSERS[mark].scanner(text)
        if (closing := closers[mark](start + 1)) is None:
            out.append(_Span(para, start, len(text), text[start + 1 :], closed=False))
            break
        close = closing.start()
        out.append(_Span(para, start, close + 1, text[start + 1 : close], True))
        pos = close + 1
    return out


def _joins(prev: _Span, nxt: _Span, text: str) -> bool:
    """“A,” said X, “B” — the second part continues the first (one attribution between)."""
    between = text[prev.end : nxt.start]
    if len(between) > MAX_SCAN or "\n" in between:
        return False
    if not (prev.text.rstrip().endswith(",") or between.lstrip().startswith(",")):
        return False
    return sum(_is_speech_verb(t) for t in _tokens(between)) == 1


def _group(paras: Sequence[str], spans: Sequence[list[_Span]]) -> list[list[_Span]]:
    groups: list[list[_Span]] = []
    for para_spans in spans:
        for span in para_spans:
            last = groups[-1][-1] if groups else None
            if (
                last is not None
                and not last.closed
                and span.para == last.para + 1
                and not paras[span.para][: span.start].strip()
                and len(groups[-1]) < MAX_PARTS
            ) or (
                last is not None
                and last.closed
                and last.para == span.para
                and _joins(last, span, paras[span.para])
            ):
                groups[-1].append(span)
            else:
                groups.append([span])
    return groups


# --- attribution -------------------------------------------------------------------------

Ref = tuple[tuple[str, ...] | None, Pos]  # (name words, or None for a pronoun; where)


def _speaker_in(toks: Sequence[_Tok], v: int, para: int) -> Ref | None:
    """The speaker of the speech verb at ``v``: a person named or pronoun before it."""
    for i in range(v):  # an honorific mention is the clearest signal
        hon = _honorific_len(toks, i)
        if hon and (end := _name_run(toks, i + hon)) > i + hon:
            return _words(toks, i + hon, end), (para, toks[i].start)
    start = _name_before(toks, v)
    if start < v:
        end = _name_run(toks, start)
        if end > start:
            return _words(toks, start, end), (para, toks[start].start)
    for i in range(v):
        if toks[i].low in PRONOUNS:
            return None, (para, toks[i].start)
    for i in range(v):
        starts = _is_name_word(toks[i]) or _is_particle(toks, i)
        if not starts or (end := _name_run(toks, i)) == i:
            continue
        # a person by context, or a two-word name opening the clause (its subject)
        if _person_context(toks, i, end) or (i == 0 and end - i >= 2):
            return _words(toks, i, end), (para, toks[i].start)
    return None


def _speaker_after(toks: Sequence[_Tok], v: int, para: int) -> Ref | None:
    """``said Dr. X`` / ``said lead author X``: the first name after the verb."""
    for i in range(v + 1, min(len(toks), v + 9)):
        hon = _honorific_len(toks, i)
        if hon and (end := _name_run(toks, i + hon)) > i + hon:
            return _words(toks, i + hon, end), (para, toks[i].start)
        if (_is_name_word(toks[i]) or _is_particle(toks, i)) and (end := _name_run(toks, i)) > i:
            return _words(toks, i, end), (para, toks[i].start)
        if toks[i].low in PRONOUNS:
            return None, (para, toks[i].start)
        if toks[i].trail:
            # "adds the national director of CENARS, Pablo Riquelme Soto": a role, then the name
            if toks[i].trail == "," and _is_role_phrase(toks[v + 1 : i + 1]):
                nxt = i + 1
                hon = _honorific_len(toks, nxt) if nxt < len(toks) else 0
                end = _name_run(toks, nxt + hon) if nxt + hon < len(toks) else nxt + hon
                if end > nxt + hon:
                    return _words(toks, nxt + hon, end), (para, toks[nxt].start)
            break
    return None


def _is_role_phrase(toks: Sequence[_Tok]) -> bool:
    """Words naming a position ("the national director of CENARS")."""
    return any(t.low in ROLE_HEADS or t.low.endswith(("ist", "ian")) for t in toks)


def _sentence_end(tok: _Tok) -> bool:
    if not tok.trail or tok.trail[0] not in ".!?":
        return False
    return tok.low not in HONORIFIC_WORDS and len(tok.core) > 1


def _dash_speaker(text: str, para: int) -> Ref | None:
    """``— Dr Jane Doe, role`` after a quotation: the name after the dash."""
    stripped = text.lstrip()
    if stripped[:1] not in _DASHES:
        return None
    toks = _tokens(stripped[1 : MAX_SCAN + 1], 0)
    ref = _speaker_after([_Tok(0, "", "", ""), *toks], 0, para)
    return ref if ref and ref[0] else None


def _role_subject(toks: Sequence[_Tok], v: int) -> str | None:
    """``the trial’s lead physiotherapist explained``: a speaker given by role alone; returns
    the role's head noun."""
    if v < 2 or v > 6 or toks[0].low not in DETERMINERS or any(t.trail for t in toks[: v - 1]):
        return None
    head = toks[v - 1].low
    return head if head in ROLE_HEADS or head.endswith(("ist", "ian")) else None


def _after(text: str, span: _Span, para: int, next_start: int) -> Ref | None:
    """``“…,” said X.`` / ``“…,” X, role, said.`` / ``“…” — X, role``: attribution right
    after the close."""
    if ref := _dash_speaker(text[span.end : next_start], para):
        return ref
    stop = min(next_start, span.end + MAX_SCAN)
    toks = _tokens(text[span.end : stop], span.end)
    sentence: list[_Tok] = []
    ended = stop == len(text)
    for tok in toks:
        sentence.append(tok)
        if _sentence_end(tok):
            ended = True
            break
    if not sentence:
        return None
    leads_next = not ended and next_start < len(text)
    # the comma may sit inside the marks (“A,” said X) or after them (« A », explique X)
    comma = span.text.rstrip().endswith(",") or text[span.end : span.end + 3].lstrip()[:1] == ","
    if leads_next and not comma:
        return None  # "… She added, “B”": the clause introduces the next quotation
    v = next((i for i, t in enumerate(sentence) if _is_speech_verb(t)), None)
    if v is None or v > 25:
        return None
    if v == 0:
        return _speaker_after(sentence, 0, para)
    if head := _role_subject(sentence, v):
        stated = " ".join(t.raw for t in sentence[1:v])  # "trial’s lead physiotherapist"
        return (ROLE_REF, head, stated), (para, sentence[0].start)
    first = sentence[0]
    # the clause after the quotation must open with its speaker ("he", "Zhou", "lead author")
    opens_attribution = first.core[:1].isupper() or first.low in PRONOUNS
    if not (opens_attribution or first.core in PARTICLES or _pre_role(sentence, 1)):
        return None
    return _speaker_in(sentence, v, para)


def _sentence_before(text: str, start: int, floor: int) -> list[_Tok]:
    seg_start = max(floor, start - MAX_SCAN)
    seg = text[seg_start:start]
    cut = seg.rfind("\n")
    if cut >= 0:
        seg_start, seg = seg_start + cut + 1, seg[cut + 1 :]
    toks = _tokens(seg, seg_start)
    for i in range(len(toks) - 1, -1, -1):
        if _sentence_end(toks[i]):
            return toks[i + 1 :]
    return toks


def _before(text: str, span: _Span, para: int, floor: int) -> Ref | None:
    """``X said: “…”`` / ``X commented, “…”`` / ``According to X, “…”`` in the same sentence."""
    toks = _sentence_before(text, span.start, floor)
    if not toks:
        return None
    last = toks[-1]
    if not (last.trail[-1:] in {":", ","} or _is_speech_verb(last)):
        return None
    if last.low in NAMING_WORDS:
        return None
    for i in range(len(toks) - 1):
        if toks[i].low == "according" and toks[i + 1].low == "to":
            return _speaker_after(toks, i + 1, para)
    v = next((i for i, t in enumerate(toks) if _is_speech_verb(t)), None)
    if v is None:
        return _colon_lead_in(toks, para) if last.trail[-1:] == ":" else None
    if v == 0:
        return _speaker_after(toks, 0, para)
    return _speaker_in(toks, v, para)


def _colon_lead_in(toks: Sequence[_Tok], para: int) -> Ref | None:
    """``X, technical manager, put it simply: “…”``: a sentence that names a person and hands
    over to the quotation with a colon, without a speech verb. The first person named wins."""
    mentions = _segment_mentions(toks, para)
    if mentions:
        return mentions[0].words, mentions[0].pos
    # interview style, "Desrosiers: “…”": the lead-in is nothing but a name
    if 0 < len(toks) <= 4 and _name_run(toks, 0) == len(toks):
        return _words(toks, 0, len(toks)), (para, toks[0].start)
    return None


def _previous_sentence(text: str, span: _Span, para: int, floor: int) -> Ref | None:
    """``Dr X said the work matters. “We did it.”``: a speech verb in the sentence before."""
    seg_start = max(floor, span.start - MAX_SCAN)
    toks = _tokens(text[seg_start : span.start], seg_start)
    if not toks or not _sentence_end(toks[-1]):
        return None  # the quotation does not start its sentence
    k = len(toks) - 1
    while k > 0 and not _sentence_end(toks[k - 1]):
        k -= 1
    sentence = toks[k:]
    v = next((i for i, t in enumerate(sentence) if _is_speech_verb(t)), None)
    if v is None:
        return None
    return _speaker_after(sentence, 0, para) if v == 0 else _speaker_in(sentence, v, para)


def _is_standalone(paras: Sequence[str], group: list[_Span]) -> bool:
    first, last = group[0], group[-1]
    tail = paras[last.para][last.end :].strip()
    return not paras[first.para][: first.start].strip() and not tail.strip(_TRAIL + " ")


def _context(paras: Sequence[str], group: list[_Span], registry: _Registry) -> Ref | None:
    """Speaker of a blockquote-style paragraph: the previous paragraph's first person, or a
    dash line ("— Dr Jane Doe, ...") just after it."""
    last = group[-1]
    if last.para + 1 < len(paras) and (ref := _dash_speaker(paras[last.para + 1], last.para + 1)):
        return ref
    first = group[0]
    for back in (1, 2):
        p = first.para - back
        if p < 0:
            break
        mention = registry.first_in_paragraph(p)
        if mention is not None:
            return mention.words, mention.pos
    return None


# --- filters -----------------------------------------------------------------------------


def _is_title_or_scare(text: str, before: str) -> bool:
    """Scare quotes and titles: short, Title-Case, or introduced by "called"/"titled"."""
    words = text.split()
    if len(words) < MIN_WORDS:
        return True
    prev = before.split()[-1:] if before.strip() else []
    if prev and prev[0].lower().strip(_TRAIL) in NAMING_WORDS:
        return True
    if len(words) > 12:
        return False  # longer than a title (most quotations): no need to count capitals
    alpha = [w for w in words if w[:1].isalpha() and w.lower() not in SMALL_WORDS]
    capped = sum(w[:1].isupper() for w in alpha)
    return bool(alpha) and capped / len(alpha) >= 0.75


# --- main --------------------------------------------------------------------------------


def _attribute(
    paras: Sequence[str], group: list[_Span], spans: Sequence[list[_Span]], registry: _Registry
) -> Ref | None:
    first, last = group[0], group[-1]
    last_text = paras[last.para]
    later = [s.start for s in spans[last.para] if s.start >= last.end]
    if last.closed and (
        ref := _after(last_text, last, last.para, min(later, default=len(last_text)))
    ):
        return ref
    for prev, nxt in pairwise(group):
        if prev.para == nxt.para and (ref := _after(paras[prev.para], prev, prev.para, nxt.start)):
            return ref
    text = paras[first.para]
    floor = max((s.end for s in spans[first.para] if s.end <= first.start), default=0)
    if ref := _before(text, first, first.para, floor):
        return ref
    if ref := _previous_sentence(text, first, first.para, floor):
        return ref
    if _is_standalone(paras, group):
        return _context(paras, group, registry)
    return None


def extract_quotes(paragraphs: Sequence[str]) -> list[Quote]:
    """Every direct quotation of a person in ``paragraphs``, in order.

    >>> q = extract_quotes(["“We did it, and it works,” said Dr. Jane Doe, a chemist at X."])
    >>> (q[0].text, q[0].speaker, q[0].speaker_role)
    ('We did it, and it works,', 'Jane Doe', 'chemist at X')
    """
    paras = [p or "" for p in paragraphs]
    spans = [_spans(text, i) for i, text in enumerate(paras)]
    registry = _Registry(paras, spans)  # scans nothing until a kept quotation asks
    quotes: list[Quote] = []
    for group in _group(paras, spans):
        text = " ".join(normalise_whitespace(s.text) for s in group).strip()
        first = group[0]
        if _is_title_or_scare(text, paras[first.para][max(0, first.start - 40) : first.start]):
            continue
        ref = _attribute(paras, group, spans, registry)
        if ref is None:
            continue
        words, pos = ref
        if words is not None and words[0] == ROLE_REF:
            # a speaker named by role: the person the article gives that role to, if anyone
            mention = registry.with_role(words[1], pos)
            if mention is None:
                continue
            speaker, _ = registry.resolve(mention.words, mention.pos)
            quotes.append(
                Quote(text=text, speaker=speaker, speaker_role=words[2], paragraph=first.para)
            )
            continue
        if words is None:
            mention = registry.last_before(pos)
            if mention is None:
                continue
            words, pos = mention.words, mention.pos
        speaker, role = registry.resolve(words, pos)
        quotes.append(Quote(text=text, speaker=speaker, speaker_role=role, paragraph=first.para))
    return quotes
