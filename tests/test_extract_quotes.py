"""Quotations and speakers: one table row per press-release style, plus bad input."""

from __future__ import annotations

import time
from typing import Any

import pytest

from scienmag_crawler.extract.quotes import extract_quotes

# (paragraphs, [(text, speaker, role substring or None, paragraph index)])
STYLES = [
    pytest.param(
        [
            "“The ice is thinning faster than models predicted,” said Dr. Jane Holt, a glaciologist at Polar University."
        ],
        [
            (
                "The ice is thinning faster than models predicted,",
                "Jane Holt",
                "glaciologist at Polar University",
                0,
            )
        ],
        id="said-X-after",
    ),
    pytest.param(
        ["“The ice is thinning faster than models predicted,” Jane Holt said."],
        [("The ice is thinning faster than models predicted,", "Jane Holt", None, 0)],
        id="X-said-after",
    ),
    pytest.param(
        [
            "Dr. Jane Holt, a glaciologist, said: “The ice is thinning faster than models predicted.”"
        ],
        [("The ice is thinning faster than models predicted.", "Jane Holt", "glaciologist", 0)],
        id="X-said-colon-before",
    ),
    pytest.param(
        [
            "Mere Tipene, volunteer coordinator at the Reef Trust, put it simply: “Our divers come back and they can see the difference they made.”"
        ],
        [
            (
                "Our divers come back and they can see the difference they made.",
                "Mere Tipene",
                "volunteer coordinator",
                0,
            )
        ],
        id="colon-lead-in-without-speech-verb",
    ),
    pytest.param(
        [
            "Its technical manager, Carmen Ruiz Delgado, was frank about what the mills expect: “Every year we pay to get rid of this water.”"
        ],
        [
            (
                "Every year we pay to get rid of this water.",
                "Carmen Ruiz Delgado",
                "technical manager",
                0,
            )
        ],
        id="role-set-off-by-comma-before-the-name",
    ),
    pytest.param(
        [
            "“Heat is not only a weather statistic. It is a health issue.” — Mpho Radebe, Acting Chief Executive Officer, NWCS"
        ],
        [
            (
                "Heat is not only a weather statistic. It is a health issue.",
                "Mpho Radebe",
                "Acting Chief Executive Officer",
                0,
            )
        ],
        id="dash-attribution-in-the-same-paragraph",
    ),
    pytest.param(
        [
            "Maya Desrosiers, co-founder and CEO of PolarCell, said the pack was ready.",
            "Q: Who will use it first?",
            "Desrosiers: “Our first pilots are with two northern power co-operatives.”",
        ],
        [
            (
                "Our first pilots are with two northern power co-operatives.",
                "Maya Desrosiers",
                "CEO",
                2,
            )
        ],
        id="interview-style-surname-colon",
    ),
    pytest.param(
        [
            "“Most of our patients had never set foot in a gym,” the trial’s lead physiotherapist explained.",
            "That physiotherapist, Dr Ciarán Dunphy, now runs the programme.",
        ],
        [("Most of our patients had never set foot in a gym,", "Ciarán Dunphy", None, 0)],
        id="speaker-by-role-named-later",
    ),
    pytest.param(
        [
            "Professor Orla Fitzmaurice led the trial.",
            "“Most of our patients had never set foot in a gym,” the trial’s lead physiotherapist explained.",
        ],
        [],
        id="speaker-by-role-never-named-is-not-the-last-person",
    ),
    pytest.param(
        [
            "Prof. (Dr.) Meenakshi Sundaralingam, Head of the Department of Anthropology, led the study.",
            "“When we started, many people told us that moi is simply about honour.”",
        ],
        [
            (
                "When we started, many people told us that moi is simply about honour.",
                "Meenakshi Sundaralingam",
                "Head of the Department of Anthropology",
                1,
            )
        ],
        id="bracketed-second-title",
    ),
    pytest.param(
        [
            "“The key is timing,” explains Dr. Carolina Fuentes Araya, an agronomist at CENARS.",
            "Fuentes noted that many growers still irrigate on a fixed calendar.",
            "“Water came from the canal, and you opened the gate on Tuesday,” Fuentes said.",
        ],
        [
            ("The key is timing,", "Carolina Fuentes Araya", "agronomist", 0),
            (
                "Water came from the canal, and you opened the gate on Tuesday,",
                "Carolina Fuentes Araya",
                "agronomist",
                2,
            ),
        ],
        id="first-of-two-surnames",
    ),
    pytest.param(
        [
            "“Our job as a public agency is to turn research into practice,” adds the national director of CENARS, Pablo Riquelme Soto."
        ],
        [
            (
                "Our job as a public agency is to turn research into practice,",
                "Pablo Riquelme Soto",
                None,
                0,
            )
        ],
        id="verb-role-comma-name",
    ),
    pytest.param(
        [
            "« Most parents who come back », explains Pr Claire Delorme, head of the paediatric emergency department, « are not returning because their baby is worse. »"
        ],
        [
            (
                "Most parents who come back are not returning because their baby is worse.",
                "Claire Delorme",
                "head of the paediatric emergency department",
                0,
            )
        ],
        id="guillemets-comma-after-the-mark-french-title",
    ),
    pytest.param(
        [
            "Dr. Haruka Nishimoto (Senior Researcher, Center for Atmospheric Environment, NIAER), who led the study, explains: “On clear, calm winter nights the ground cools quickly.”"
        ],
        [
            (
                "On clear, calm winter nights the ground cools quickly.",
                "Haruka Nishimoto",
                "Senior Researcher",
                0,
            )
        ],
        id="role-in-brackets-after-the-name",
    ),
    pytest.param(
        [
            "“We see a carbon skeleton with exactly the pore structure you want,” said Dra. Mariana Olvera Castañeda, professor of environmental chemistry."
        ],
        [
            (
                "We see a carbon skeleton with exactly the pore structure you want,",
                "Mariana Olvera Castañeda",
                "professor of environmental chemistry",
                0,
            )
        ],
        id="spanish-title-dra",
    ),
    pytest.param(
        ["The kit holds three parts: “a frame, a sensor and a long cable to connect them.”"],
        [],
        id="colon-lead-in-without-a-person",
    ),
    pytest.param(
        [
            "Project lead Omar Haddad commented, “We finally have the data we were missing for years.”"
        ],
        [("We finally have the data we were missing for years.", "Omar Haddad", "Project lead", 0)],
        id="X-commented-comma-before",
    ),
    pytest.param(
        [
            "According to Professor Lena Berg of the Nordic Sea Institute, “Cod stocks can recover within a decade.”"
        ],
        [("Cod stocks can recover within a decade.", "Lena Berg", "Nordic Sea Institute", 0)],
        id="according-to-X",
    ),
    pytest.param(
        [
            "Ms. Aisha Khan echoed this sentiment, stating, “This partnership marks a real step forward for us.”"
        ],
        [("This partnership marks a real step forward for us.", "Aisha Khan", None, 0)],
        id="echoed-stating",
    ),
    pytest.param(
        [
            "Chief executive Paula Reyes welcomed the decision.",
            "“It gives every small farm a way to sell directly to the city.”",
        ],
        [
            (
                "It gives every small farm a way to sell directly to the city.",
                "Paula Reyes",
                "Chief executive",
                1,
            )
        ],
        id="blockquote-after-intro",
    ),
    pytest.param(
        [
            "“Open data is the only way this field will move quickly enough to matter.”",
            "— Dr. Tom Ellis, director of the Open Science Lab",
        ],
        [
            (
                "Open data is the only way this field will move quickly enough to matter.",
                "Tom Ellis",
                "director",
                0,
            )
        ],
        id="blockquote-dash-attribution",
    ),
    pytest.param(
        [
            '"We expected a small effect, not a doubling," said Dr. Ravi Menon, an economist at Bayfield College.'
        ],
        [("We expected a small effect, not a doubling,", "Ravi Menon", "economist", 0)],
        id="straight-marks",
    ),
    pytest.param(
        [
            "Anna Vogt, Leiterin des Projekts, sagte: „Wir haben das nicht erwartet, ehrlich gesagt.“ She said it twice."
        ],
        [],
        id="german-marks-unknown-verb",
    ),
    pytest.param(
        ["Dr. Hans Vogt, a chemist at Kiel, said: „Das Ergebnis war eindeutig und überraschend.“"],
        [("Das Ergebnis war eindeutig und überraschend.", "Hans Vogt", "chemist at Kiel", 0)],
        id="german-low-high-marks",
    ),
    pytest.param(
        [
            "Marie Dubois, présidente de l’association, said: « Nous attendions ces résultats depuis longtemps. »"
        ],
        [("Nous attendions ces résultats depuis longtemps.", "Marie Dubois", "présidente", 0)],
        id="guillemets",
    ),
]

AWKWARD = [
    pytest.param(
        [
            "“A network tells you why,” said Dr. Helena Marsh. “With more stations we can map the core.”"
        ],
        [
            (
                "A network tells you why, With more stations we can map the core.",
                "Helena Marsh",
                None,
                0,
            )
        ],
        id="mid-quote-attribution-joined",
    ),
    pytest.param(
        ["“Lanternfish are only one piece of the puzzle,” he said, “but a very big piece.”"],
        [],
        id="pronoun-without-anyone-named",
    ),
    pytest.param(
        [
            "Dr. Samuel Osei, an oceanographer, studies fish.",
            "“Lanternfish are only one piece of the puzzle,” he said, “but a very big piece.”",
        ],
        [
            (
                "Lanternfish are only one piece of the puzzle, but a very big piece.",
                "Samuel Osei",
                "oceanographer",
                1,
            )
        ],
        id="pronoun-follow-up-and-mid-attribution",
    ),
    pytest.param(
        [
            "Professor Mia Tanaka, head of the Seismology Group at Osaka Tech, led the study.",
            "“The fault moved in two steps,” Tanaka said. “Nobody had seen that before.” She added, “We will check it again next year.”",
        ],
        [
            (
                "The fault moved in two steps, Nobody had seen that before.",
                "Mia Tanaka",
                "head of the Seismology Group",
                1,
            ),
            ("We will check it again next year.", "Mia Tanaka", "head of the Seismology Group", 1),
        ],
        id="surname-then-she-added-two-quotes",
    ),
    pytest.param(
        [
            "COSPAR President Prof. Pascale Ehrenfreund met the delegation in July.",
            "Prof. Ehrenfreund commented, “We look forward to this new journey of cooperation.”",
        ],
        [
            (
                "We look forward to this new journey of cooperation.",
                "Pascale Ehrenfreund",
                "COSPAR President",
                1,
            )
        ],
        id="prof-surname-resolved-to-full-name",
    ),
    pytest.param(
        [
            "Lead author Dr Sarah Okafor, Senior Lecturer at Northbridge, presented the survey.",
            "Professor Daniel Okafor, Head of the School of Education, was not involved.",
            "“Retention is not only a question of pay,” Okafor said.",
            "“New teachers are extraordinarily conscientious people,” Sarah Okafor added.",
        ],
        [
            (
                "Retention is not only a question of pay,",
                "Daniel Okafor",
                "Head of the School of Education",
                2,
            ),
            (
                "New teachers are extraordinarily conscientious people,",
                "Sarah Okafor",
                "Senior Lecturer",
                3,
            ),
        ],
        id="shared-surname-most-recent-or-exact",
    ),
    pytest.param(
        [
            "Dr. Rosa Alvarez, a sociologist, said the design mattered.",
            "“Women who use drugs carry a particular set of risks.",
            "“If a programme ignores that, it fails them,” Alvarez said.",
        ],
        [
            (
                "Women who use drugs carry a particular set of risks. If a programme ignores that, it fails them,",
                "Rosa Alvarez",
                "sociologist",
                1,
            )
        ],
        id="multi-paragraph-quote",
    ),
    pytest.param(
        [
            "Dr. Rosa Alvarez, a sociologist, said the findings pointed to a hidden problem:",
            "“Many teachers described a second, invisible job.",
            "“Because it is never written down, they cannot say no.”",
        ],
        [
            (
                "Many teachers described a second, invisible job. Because it is never written down, they cannot say no.",
                "Rosa Alvarez",
                "sociologist",
                1,
            )
        ],
        id="multi-paragraph-blockquote-after-colon",
    ),
    pytest.param(
        ["Dr. Lee said the results were promising. “We now need a larger trial to be sure.”"],
        [("We now need a larger trial to be sure.", "Lee", None, 0)],
        id="attribution-in-previous-sentence",
    ),
]

NOT_QUOTES = [
    pytest.param(
        ["They plan to expand the “Train the Trainers” program next year."],
        id="title-case-programme",
    ),
    pytest.param(["The authors call this a “climate penalty” on ozone."], id="scare-quote-short"),
    pytest.param(
        ["Researchers describe a “hidden curriculum” of teaching, said Dr. Ann Ross."],
        id="short-scare-with-said",
    ),
    pytest.param(
        [
            "The paper, “Regional climate penalties on surface ozone under emission controls,” appears in May."
        ],
        id="paper-title",
    ),
    pytest.param(
        ["Dr. Ann Ross said the results were clear and the method robust."], id="said-without-marks"
    ),
    pytest.param(
        ["The campaign, dubbed “the cleanest summer in a generation for us”, ran for months."],
        id="dubbed-name",
    ),
    pytest.param(
        [
            "Paper: Smith J. et al. (2023), “Body size and infection jointly shape heat tolerance in bees,” Proc. B."
        ],
        id="citation-title",
    ),
    pytest.param(["A growing “climate penalty”"], id="heading"),
]


@pytest.mark.parametrize(("paragraphs", "expected"), STYLES + AWKWARD)
def test_quote_styles(
    paragraphs: list[str], expected: list[tuple[str, str, str | None, int]]
) -> None:
    quotes = extract_quotes(paragraphs)
    got = [(q.text, q.speaker, q.paragraph) for q in quotes]
    assert got == [(text, speaker, para) for text, speaker, _, para in expected]
    for quote, (_, _, role, _) in zip(quotes, expected, strict=True):
        if role is not None:
            assert quote.speaker_role is not None
            assert role in quote.speaker_role


@pytest.mark.parametrize("paragraphs", NOT_QUOTES)
def test_not_quotes(paragraphs: list[str]) -> None:
    assert extract_quotes(paragraphs) == []


@pytest.mark.parametrize(
    "paragraphs",
    [
        pytest.param(
            ["“Unclosed quotation with no attribution that runs to the end"], id="unclosed"
        ),
        pytest.param(
            ["Closing mark first” then “ an opening one", "” and « then » „ “"], id="stray-marks"
        ),
        pytest.param(["", "“", "”", '"'], id="marks-only"),
        pytest.param([], id="no-paragraphs"),
    ],
)
def test_unbalanced_marks_do_not_crash(paragraphs: list[str]) -> None:
    for quote in extract_quotes(paragraphs):
        assert quote.text.strip()


def test_unbalanced_quote_still_attributed() -> None:
    quotes = extract_quotes(["Dr. Ann Ross said: “We will publish all of the data next month."])
    assert [(q.text, q.speaker) for q in quotes] == [
        ("We will publish all of the data next month.", "Ann Ross")
    ]


@pytest.mark.parametrize(
    "paragraph",
    [
        "Omar Haddad, of says: “We did it all again.”",
        "“We did it all again,” Omar Haddad, of says.",
    ],
)
def test_a_role_of_one_bare_preposition_is_no_role(paragraph: str) -> None:
    # the appositive holds "of" and nothing else: it once made the extraction fail
    [quote] = extract_quotes([paragraph])
    assert (quote.speaker, quote.speaker_role) == ("Omar Haddad", None)


PATHOLOGICAL = [
    pytest.param(["word " * 40_000], id="200KB-paragraph"),
    pytest.param(["“" * 10_000], id="10000-opening-marks"),
    pytest.param(['"' * 10_000 + " said Dr. X"], id="10000-straight-marks"),
    pytest.param(["“a,” said Dr. Ann Lee, " * 5_000], id="thousands-of-attributed-quotes"),
    pytest.param(["„x“ " * 10_000 + "”"], id="german-marks-no-english-closer"),
    pytest.param(
        ["研究者 said “数据 显示 Ωμέγα тест مرحبا,” Dr. Ли Wei Δ said. " * 3_000],
        id="mixed-scripts",
    ),
    pytest.param(["Dr. " * 20_000 + "Smith said"], id="honorific-run"),
    pytest.param(["A B C D E F G H, " * 10_000], id="capitalised-runs"),
    pytest.param(["“ok” " * 2_000 for _ in range(50)], id="many-paragraphs"),
    pytest.param(["„x” " * 100_000], id="german-marks-without-the-other-closer"),
    pytest.param(
        ["“We are done,” said the lead physiotherapist.", "Plain words follow. " * 20] * 2_000,
        id="role-only-speakers-among-plain-paragraphs",
    ),
]


@pytest.mark.parametrize("paragraphs", PATHOLOGICAL)
def test_pathological_input_is_fast(paragraphs: list[str]) -> None:
    started = time.perf_counter()
    extract_quotes(paragraphs)
    assert time.perf_counter() - started < 5.0


def test_tokens_split_as_a_whitespace_pattern_would() -> None:
    import re  # noqa: PLC0415

    from scienmag_crawler.extract.quotes import _tokens  # noqa: PLC0415

    text = "“We did it,” said\u2003Dr.\u00a0Jane  Doe (CERN) —\tits head.\n« Oui » ‘x’ , –"
    expected = []
    for m in re.finditer(r"\S+", text):
        core = m.group().lstrip("([{“„«\"'‘").rstrip(",.;:!?)]}”“»\"'’…")
        if core:
            expected.append((m.start() + 7, core))
    assert [(t.start, t.core) for t in _tokens(text, 7)] == expected


def test_pages_without_quotations_need_no_speaker_scan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from scienmag_crawler.extract import quotes  # noqa: PLC0415

    def fail(*_: object) -> None:
        raise AssertionError("text scanned for speakers")

    monkeypatch.setattr(quotes, "_segment_mentions", fail)
    assert extract_quotes(["Dr Jane Doe said the mission worked.", "A “scare” quote."]) == []


def _registry_pair(paragraphs: list[str]) -> tuple[Any, Any]:
    """A lazy registry and one filled from every segment, over the same paragraphs."""
    from scienmag_crawler.extract import quotes  # noqa: PLC0415

    spans = [quotes._spans(text, i) for i, text in enumerate(paragraphs)]
    lazy = quotes._Registry(paragraphs, spans)
    full = quotes._Registry(paragraphs, spans)
    full._scan_all()
    return lazy, full


_PEOPLE = [
    "Prof. Mei Zhou of Lakeside University led the survey with Dr. Omar Haddad.",
    "The team counted 4,000 nests. “Numbers are up by a third,” Zhou said.",
    "Graduate student Lena Zhou, who ran the drones, said the birds returned early.",
    "Nothing else happened here, and the weather held all week long.",
    "“It was a good season for everyone,” she added.",
    "Haddad, a statistician at the institute, checked the counts.",
]


@pytest.mark.parametrize(
    ("ref", "pos"),
    [
        (("Zhou",), (1, 40)),
        (("Zhou",), (5, 0)),
        (("Mei", "Zhou"), (4, 0)),
        (("Lena", "Zhou"), (4, 0)),
        (("Haddad",), (0, 0)),
        (("Lena",), (3, 0)),
        (("Nobody",), (2, 0)),
    ],
)
def test_lazy_registry_answers_as_a_full_one(ref: tuple[str, ...], pos: tuple[int, int]) -> None:
    lazy, full = _registry_pair(_PEOPLE)
    assert lazy.resolve(ref, pos) == full.resolve(ref, pos)


@pytest.mark.parametrize("pos", [(0, 0), (1, 0), (2, 70), (3, 10), (4, 5), (5, 60)])
def test_lazy_registry_finds_the_same_antecedent(pos: tuple[int, int]) -> None:
    lazy, full = _registry_pair(_PEOPLE)
    assert lazy.last_before(pos) == full.last_before(pos)
    assert _paragraph_mentions(lazy, pos[0]) == _paragraph_mentions(full, pos[0])
    first, _ = _registry_pair(_PEOPLE)
    assert first.first_in_paragraph(pos[0]) == ([*_paragraph_mentions(full, pos[0]), None])[0]


@pytest.mark.parametrize(
    ("head", "pos"),
    [
        ("statistician", (1, 0)),
        ("student", (5, 0)),
        ("professor", (3, 0)),
        ("ecologist", (0, 0)),
    ],
)
def test_lazy_registry_finds_the_same_role_holder(head: str, pos: tuple[int, int]) -> None:
    lazy, full = _registry_pair([*_PEOPLE, "Associate Prof. Ana Ruiz, a statistician, agreed."])
    assert lazy.with_role(head, pos) == full.with_role(head, pos)


def test_a_role_is_looked_for_only_where_the_text_holds_its_noun() -> None:
    lazy, _ = _registry_pair(_PEOPLE)
    holder = lazy.with_role("statistician", (1, 0))
    assert holder is not None and holder.words == ("Haddad",)
    scanned = {seg.para for seg, done in zip(lazy._segments, lazy._scanned, strict=True) if done}
    assert scanned == {5}


def _paragraph_mentions(registry: Any, para: int) -> list[Any]:
    """The mentions of one paragraph, once its segments are scanned."""
    for k, seg in enumerate(registry._segments):
        if seg.para == para:
            registry._scan(k)
    return [m for m in registry._mentions if m.pos[0] == para]


def test_a_name_is_looked_for_only_where_the_text_holds_it() -> None:
    lazy, _ = _registry_pair(_PEOPLE)
    assert lazy.resolve(("Haddad",), (5, 0)) == ("Omar Haddad", "statistician at the institute")
    scanned = {seg.para for seg, done in zip(lazy._segments, lazy._scanned, strict=True) if done}
    assert scanned == {0, 5}


def test_a_full_name_is_looked_for_only_where_its_surname_is() -> None:
    # every name that can answer ends with "zhou": a paragraph naming only "Lena" cannot
    paragraphs = [
        "Lena Zhou, an ecologist at the institute, joined in May.",
        "Lena was pleased with the results of the survey.",
        "“Good,” said Lena Zhou.",
    ]
    lazy, full = _registry_pair(paragraphs)
    assert lazy.resolve(("Lena", "Zhou"), (2, 0)) == full.resolve(("Lena", "Zhou"), (2, 0))
    assert lazy.resolve(("Lena", "Zhou"), (2, 0))[0] == "Lena Zhou"
    scanned = {seg.para for seg, done in zip(lazy._segments, lazy._scanned, strict=True) if done}
    assert 1 not in scanned


def test_a_short_surname_is_looked_for_as_a_word_not_as_letters() -> None:
    # "li" is in "likely", "climate" and "Lisbon": only paragraphs naming Li are scanned
    paragraphs = [
        "Dr. Wei Li, a climate scientist at the institute, led the study.",
        "It is likely that the climate shift began early, the team from Lisbon wrote.",
        "Slightly warmer winters followed in the Baltic, and the sea ice thinned.",
        "“The signal was clear,” Li said.",
    ]
    lazy, full = _registry_pair(paragraphs)
    assert lazy.resolve(("Li",), (3, 0)) == full.resolve(("Li",), (3, 0))
    assert lazy.resolve(("Li",), (3, 0))[0] == "Wei Li"
    scanned = {seg.para for seg, done in zip(lazy._segments, lazy._scanned, strict=True) if done}
    assert scanned == {0, 3}


def test_a_shared_surname_resolves_the_same_in_every_process() -> None:
    # "Smith" before either Smith is named: the tie goes to the one the article names first,
    # not to the hash order of a set (which changes with PYTHONHASHSEED)
    import os  # noqa: PLC0415
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415

    code = (
        "from scienmag_crawler.extract.quotes import extract_quotes\n"
        "q = extract_quotes(['“The samples behaved exactly as we hoped they would,” Smith said.',"
        " 'Dr. Jane Smith, a chemist, and Dr. John Smith, a physicist, led the work.'])\n"
        "print(q[0].speaker, '|', q[0].speaker_role)\n"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        for seed in range(1, 5)
    }
    assert seen == {"Jane Smith | chemist"}
