"""Organisation facts from "About X" / "Note to Editors" passages."""

from __future__ import annotations

import time

import pytest

from scienmag_crawler.extract.organisations import acronym_fits, extract_organisations

APSCO = (
    "About APSCO The Asia-Pacific Space Cooperation Organization (APSCO) was established on 16 "
    "December 2008, as a not-for-profit organization. APSCO currently has 14 Member States, including "
    "Bangladesh, China and Türkiye. China is the host country for APSCO, and the Headquarters of APSO "
    "is located in Beijing, China."
)


def one(*paragraphs: str):
    orgs = extract_organisations(list(paragraphs))
    assert len(orgs) == 1, orgs
    return orgs[0]


def test_inline_about_with_acronym() -> None:
    org = one(APSCO, "www.apsco.int")
    assert (org.name, org.acronym, org.founded, org.headquarters, org.website) == (
        "Asia-Pacific Space Cooperation Organization",
        "APSCO",
        "2008-12-16",
        "Beijing, China",
        "www.apsco.int",
    )
    assert any("14 Member States" in f for f in org.facts)
    assert [(c.count, c.of) for c in org.member_counts] == [(14, "Member States")]


def test_note_to_editors_acronym_named_from_social_line() -> None:
    orgs = extract_organisations(
        [
            "Note to Editors",
            "COSPAR, the largest international scientific society dedicated to space research, was established in 1958. Today, COSPAR comprises 46 national scientific institutions and 13 international scientific unions.",
            "COSPAR’s core mission is to facilitate dialogue.",
            "LinkedIn: Committee on Space Research – COSPAR",
            "X: @CosparHQ",
        ]
    )
    assert len(orgs) == 1
    org = orgs[0]
    assert (org.name, org.acronym, org.founded) == ("Committee on Space Research", "COSPAR", "1958")
    assert [(c.count, c.of) for c in org.member_counts] == [
        (46, "national scientific institutions"),
        (13, "international scientific unions"),
    ]
    assert any("core mission" in f for f in org.facts)
    assert [s.handle for s in org.social] == ["Committee on Space Research – COSPAR", "@CosparHQ"]


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        pytest.param(
            [
                "About the Australian Pollinator Research Network",
                "The Australian Pollinator Research Network (APRN) was established in 2012. Headquartered in Canberra, it links 31 universities. Visit www.aprn.example.org.au to join.",
            ],
            (
                "Australian Pollinator Research Network",
                "APRN",
                "2012",
                "Canberra",
                "www.aprn.example.org.au",
            ),
            id="about-the-name-heading",
        ),
        pytest.param(
            [
                "About AARI",
                "The Aurora Aerospace Research Institute (AARI) was established in 2006 and is headquartered in Montreal, Canada. With about 180 researchers and engineers, it specialises in re-entry. www.aari-research.ca",
            ],
            (
                "Aurora Aerospace Research Institute",
                "AARI",
                "2006",
                "Montreal, Canada",
                "www.aari-research.ca",
            ),
            id="about-acronym-heading",
        ),
        pytest.param(
            [
                "About the University of Northbridge",
                "The University of Northbridge was founded in 1894 as the Northbridge Technical Institute and received university status in 1966. Based in Manchester, England, it has more than 31,000 students.",
            ],
            ("University of Northbridge", None, "1894", "Manchester, England", None),
            id="no-acronym-first-year-wins",
        ),
        pytest.param(
            [
                "About the Steppe Health Foundation",
                "The Steppe Health Foundation (SHF) was established on 15 March 2016 to improve access to care. Based in Darkhan, the foundation has equipped 210 centres.",
            ],
            ("Steppe Health Foundation", "SHF", "2016-03-15", "Darkhan", None),
            id="full-date-and-lowercase-after-place",
        ),
        pytest.param(
            [
                "About PollenGuard",
                "PollenGuard is a research consortium launched on 1 September 2022 to study pollinators. www.pollenguard.eu",
            ],
            ("PollenGuard", None, "2022-09-01", None, "www.pollenguard.eu"),
            id="launched-on-date",
        ),
        pytest.param(
            [
                "About IMS",
                "The Institut de Météorologie Spatiale (IMS) is a French public research institute founded in 1988 and based in Toulouse.",
            ],
            ("Institut de Météorologie Spatiale", "IMS", "1988", "Toulouse", None),
            id="connector-de",
        ),
        pytest.param(
            [
                "About the University of Northern Allegheny",
                "Founded in 1887 and headquartered in Pittsburgh, Pennsylvania, the University of Northern Allegheny (UNA) is a public research university. Its School of Public Health, established in 1949, is the oldest.",
            ],
            ("University of Northern Allegheny", "UNA", "1887", "Pittsburgh, Pennsylvania", None),
            id="founded-first-sentence",
        ),
        pytest.param(
            ["About the Company", "Example Ltd was founded on March 3, 2001 in Leeds."],
            ("Company", None, "2001-03-03", None, None),
            id="us-style-date",
        ),
        pytest.param(
            [
                "About Polar Cell Technologies Inc.",
                "Polar Cell Technologies Inc. (PCT) was founded in 2018 by two engineers. The company is headquartered in Waterloo, Ontario.",
            ],
            ("Polar Cell Technologies Inc.", "PCT", "2018", "Waterloo, Ontario", None),
            id="heading-ending-in-company-suffix",
        ),
        pytest.param(
            [
                "Notes to Editors",
                "The Shannon Research Trust (SRT) was founded in 1987 by patients and nurses in Limerick, where it is still headquartered.",
            ],
            ("Shannon Research Trust", "SRT", "1987", "Limerick", None),
            id="headquarters-after-the-place",
        ),
        pytest.param(
            [
                "About the National Weather Service",
                "The National Weather Service (NWS) was established as a public entity on 15 July 2001.",
            ],
            ("National Weather Service", "NWS", "2001-07-15", None, None),
            id="words-between-verb-and-date",
        ),
        pytest.param(
            [
                "About CENARS",
                "The National Centre for Irrigation and Soils (Centro Nacional de Riego y Suelos, CENARS) is a public research agency created in 1981. From its headquarters in Chillán, in the Ñuble Region, it runs 11 experimental stations.",
            ],
            ("National Centre for Irrigation and Soils", "CENARS", "1981", "Chillán", None),
            id="native-name-in-the-parenthesis-its-headquarters-in",
        ),
        pytest.param(
            [
                "About Vaigai University",
                "Vaigai University (VU) was established in 1966 and is headquartered on Alagar Kovil Road, Madurai.",
            ],
            ("Vaigai University", "VU", "1966", "Alagar Kovil Road, Madurai", None),
            id="headquartered-on-a-street",
        ),
        pytest.param(
            [
                "Notes for editors",
                "Lakeside University College of Health Sciences (LUCoHS), established in 1997, is a public institution in Kisumu.",
            ],
            ("Lakeside University College of Health Sciences", "LUCoHS", "1997", "Kisumu", None),
            id="kind-of-organisation-in-a-place",
        ),
        pytest.param(
            [
                "About the Mexican Society for Green Chemistry",
                "The Sociedad Mexicana de Química Verde (SMQV), the Mexican Society for Green Chemistry, was founded on 22 March 1994 in Guadalajara. Its offices are in Coyoacán, Mexico City.",
            ],
            (
                "Sociedad Mexicana de Química Verde",
                "SMQV",
                "1994-03-22",
                "Coyoacán, Mexico City",
                None,
            ),
            id="heading-translates-the-name-the-section-gives",
        ),
        pytest.param(
            [
                "About the Calloway School of Business",
                "Founded in 1923, the Calloway School of Business (CSB) is one of the oldest business schools in the Midwest. Based in downtown Chicago, the school enrolls 3,400 students.",
            ],
            ("Calloway School of Business", "CSB", "1923", "Chicago", None),
            id="based-in-downtown",
        ),
    ],
)
def test_about_sections(paragraphs: list[str], expected: tuple) -> None:
    org = one(*paragraphs)
    assert (org.name, org.acronym, org.founded, org.headquarters, org.website) == expected


def test_note_to_editors_with_two_subjects() -> None:
    orgs = extract_organisations(
        [
            "Note to Editors",
            "Journalists are welcome to attend free of charge.",
            "The event is co-organised with the Baltic Institute of Molecular Medicine (BIMM). Founded on 1 June 1998 and based in Gdańsk, Poland, BIMM employs more than 350 scientists. www.bimm.example.org",
            "About ICTVT",
            "The International Consortium for Targeted Vesicle Therapeutics (ICTVT) is a society founded in 2019 and headquartered in Heidelberg, Germany. www.ictvt.example.org",
        ]
    )
    assert [(o.name, o.acronym, o.founded, o.headquarters, o.website) for o in orgs] == [
        (
            "Baltic Institute of Molecular Medicine",
            "BIMM",
            "1998-06-01",
            "Gdańsk, Poland",
            "www.bimm.example.org",
        ),
        (
            "International Consortium for Targeted Vesicle Therapeutics",
            "ICTVT",
            "2019",
            "Heidelberg, Germany",
            "www.ictvt.example.org",
        ),
    ]


def test_section_ends_at_contact_block() -> None:
    orgs = extract_organisations(
        [
            "About ISPS",
            "The International Society for Planetary Seismology (ISPS) was founded in 1991.",
            "Media contact: Jane Doe, jane@x.org",
            "It was founded in 1800.",
        ]
    )
    assert [o.founded for o in orgs] == ["1991"]


def test_no_sections_no_organisations() -> None:
    assert (
        extract_organisations(["About 40 people attended.", "The study (NIH) was done about it."])
        == []
    )


@pytest.mark.parametrize(
    ("acronym", "name", "fits"),
    [
        pytest.param("APSCO", "Asia-Pacific Space Cooperation Organization", True, id="hyphenated"),
        pytest.param("COSPAR", "Committee on Space Research", True, id="syllables"),
        pytest.param("IMS", "Institut de Météorologie Spatiale", True, id="connector"),
        pytest.param("NASA", "European Space Agency", False, id="mismatch"),
        pytest.param("PCT", "Polar Cell Technologies Inc.", True, id="company-suffix"),
    ],
)
def test_acronym_fits(acronym: str, name: str, fits: bool) -> None:
    assert acronym_fits(acronym, name) is fits


@pytest.mark.parametrize(
    "paragraphs",
    [
        pytest.param(["About X", "Founded in " + "1" * 200_000], id="200k-digits"),
        pytest.param(
            ["Note to Editors", "(" * 100_000 + "A (B) " * 20_000], id="unbalanced-brackets"
        ),
        pytest.param(["About The", "based in " + "Abc " * 50_000], id="place-flood"),
        pytest.param(["Note to Editors", "中文 Ελληνικά (ABC) " * 10_000], id="mixed-scripts"),
        pytest.param(["About " + "Word " * 20_000, " 12 members," * 10_000], id="count-flood"),
    ],
)
def test_pathological_input_is_fast(paragraphs: list[str]) -> None:
    start = time.perf_counter()
    extract_organisations(paragraphs)
    assert time.perf_counter() - start < 5
