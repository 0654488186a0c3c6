"""Contact extraction: emails, phones (and their decoys), websites, social accounts, people."""

from __future__ import annotations

import time

import phonenumbers
import pytest

from scienmag_crawler.extract import contacts as contacts_module
from scienmag_crawler.extract.contacts import extract_contacts, normalise_person
from scienmag_crawler.extract.text import finditer_at, finditer_lines, finditer_near
from scienmag_crawler.items import Phone


def contacts(*paragraphs: str, links=(), language="en-US"):
    return extract_contacts(list(paragraphs), list(links), language)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param(
            "Email: Jane.Doe@Example.org", ["jane.doe@example.org"], id="plain-lowercased"
        ),
        pytest.param("Email: jane [at] example [dot] org", ["jane@example.org"], id="brackets"),
        pytest.param("Email: jane(at)uni(dot)ac(dot)uk", ["jane@uni.ac.uk"], id="parens-multi-dot"),
        pytest.param(
            "Write to a@x.org or a@x.org, then b@y.org.", ["a@x.org", "b@y.org"], id="dedup-order"
        ),
        pytest.param("Mastodon: @COSPAR@astrodon.social", [], id="mastodon-handle-not-email"),
    ],
)
def test_emails(text: str, expected: list[str]) -> None:
    assert contacts(text).emails == expected


def test_mailto_link_email() -> None:
    got = contacts("Contact the office.", links=[("mailto:Press@Example.org", "press office")])
    assert got.emails == ["press@example.org"]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        pytest.param(
            "Tel: 412-555-0136", "en-US", [("412-555-0136", "+14125550136")], id="us-dashes"
        ),
        pytest.param(
            "Phone: (617) 555-0142", "en-US", [("(617) 555-0142", "+16175550142")], id="us-parens"
        ),
        pytest.param(
            "Tel: 0131 496 0600",
            "en-GB",
            [("0131 496 0600", "+441314960600")],
            id="gb-from-language",
        ),
        pytest.param(
            "Tel: +44 (0)20 7946 0321",
            "en-US",
            [("+44 (0)20 7946 0321", "+442079460321")],
            id="gb-trunk-zero",
        ),
        pytest.param(
            "Contact: +61 3 7010 1234 or 0491 570 156",
            "en-US",
            [("+61 3 7010 1234", "+61370101234"), ("0491 570 156", "+61491570156")],
            id="au-national-from-prefix",
        ),
        pytest.param(
            "India: Ananya Iyer, Media Office, 0423 244 1187",
            "en-US",
            [("0423 244 1187", "+914232441187")],
            id="in-from-country-label",
        ),
        pytest.param(
            "Press office (Tokyo, Japan): 03-5841-7716",
            "en-US",
            [("03-5841-7716", "+81358417716")],
            id="jp-from-country",
        ),
        pytest.param(
            "Mobile: +49 151 23456789",
            "en-US",
            [("+49 151 23456789", "+4915123456789")],
            id="de-mobile",
        ),
        pytest.param("Tel: +976 11 312456", "en-US", [("+976 11 312456", "+97611312456")], id="mn"),
    ],
)
def test_phones(text: str, language: str, expected: list[tuple[str, str]]) -> None:
    assert [(p.raw, p.e164) for p in contacts(text, language=language).phones] == expected


def test_national_number_prefers_country_named_in_article() -> None:
    got = contacts(
        "The institute in Toulouse, France, supplies the models.",
        "IMS press office, Toulouse: 05 61 33 47 20",
        "Tel: +31 71 524 8830",
    )
    assert [p.e164 for p in got.phones] == ["+33561334720", "+31715248830"]


@pytest.mark.parametrize(
    ("line", "heading"),
    [
        ("Media contact", True),
        ("Kontakt", True),
        ("Contacto de prensa / Media contact", True),
        # a heading's part before " / ", though the line ends a sentence
        ("Contact / For more information, visit the site.", True),
        # nine words, but a known form ("... for <words>:")
        ("Information for journalists and editors of science desks:", True),
        ("Please contact the press office for more information about the trial.", False),
        ("The information was shared with the media and the press office on Monday", False),
    ],
)
def test_contact_headings_are_told_from_prose(line: str, heading: bool) -> None:
    assert contacts_module._is_contact_heading(line) is heading


def test_a_number_read_in_two_regions_goes_to_the_place_the_line_names(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # 0800 123 456 is a freephone number in Britain and in Switzerland
    swiss = contacts_module.find_phones("Press office, Switzerland: 0800 123 456", ["GB", "CH"])
    assert [p.e164 for _, p in swiss] == ["+41800123456"]
    plain = contacts_module.find_phones("Press office: 0800 123 456", ["GB", "CH"])
    assert [p.e164 for _, p in plain] == ["+44800123456"]  # else the first region's
    # a number only one region reads is not geocoded
    asked: list[str] = []
    monkeypatch.setattr(contacts_module, "_near_place", lambda e164, line: asked.append(e164))
    found = contacts_module.find_phones("Tel: 020 7946 0958", ["GB", "US"])
    assert [p.e164 for _, p in found] == ["+442079460958"] and asked == []


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "Contact: see doi:10.1098/rspb.2023.9412 and DOI 10.5555/2022.00731", id="doi"
        ),
        pytest.param(
            "Contact the team about teachers who qualified between 2019–2023.", id="year-range"
        ),
        pytest.param(
            "Media will attend the Symposium, 5-7 November 2024, Sharjah.", id="day-range"
        ),
        pytest.param("Contact: grant R01 AG071234 and (grant 2022-0417)", id="grant"),
        pytest.param("Press: ISBN 978-99978-4-127-8, ISBN 978-3-16-148410-0", id="isbn"),
        pytest.param("Contact site office at 47.5912° N, 2.7431° W", id="coordinates"),
        pytest.param(
            "Press release: agreement No 101086541 and award NSF AST-2109876", id="agreement-number"
        ),
        pytest.param("Media: 2,316 bees at 48 sites; 13,000 scientists", id="counts"),
        pytest.param("Contact: Proc. R. Soc. B 290: 20239412", id="citation"),
        pytest.param("Published 2024-08-27 by the press office", id="iso-date"),
    ],
)
def test_decoys_are_not_phones(text: str) -> None:
    assert contacts(text, language="en-GB").phones == []


def test_phone_without_cue_in_prose_is_ignored() -> None:
    assert contacts("The sample of 412 555 0136 particles was large.").phones == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("www.apsco.int", ["www.apsco.int"], id="bare-line"),
        pytest.param(
            "For more information visit www.x.example.org.",
            ["www.x.example.org"],
            id="visit-trailing-dot",
        ),
        pytest.param(
            "Registration is available at www.isps.org/lunar-network.",
            ["www.isps.org/lunar-network"],
            id="with-path",
        ),
        pytest.param("apsco.int", ["apsco.int"], id="bare-domain-no-www"),
        pytest.param(
            "The article is at https://doi.org/10.1016/j.palaeo.2025.112874.",
            [],
            id="doi-url-excluded",
        ),
        pytest.param(
            "Watch it at https://twitter.com/x/status/1 now", [], id="social-url-excluded"
        ),
    ],
)
def test_websites(text: str, expected: list[str]) -> None:
    assert contacts(text).websites == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("X: @CosparHQ", [("x", "@CosparHQ", "https://x.com/CosparHQ")], id="x-line"),
        pytest.param(
            "Twitter: @Example", [("x", "@Example", "https://x.com/Example")], id="twitter-is-x"
        ),
        pytest.param(
            "Mastodon: @COSPAR@astrodon.social",
            [("mastodon", "@COSPAR@astrodon.social", "https://astrodon.social/@COSPAR")],
            id="mastodon",
        ),
        pytest.param(
            "LinkedIn: Committee on Space Research – COSPAR",
            [("linkedin", "Committee on Space Research – COSPAR", None)],
            id="linkedin-page",
        ),
        pytest.param(
            "Facebook: Committee on Space Research",
            [("facebook", "Committee on Space Research", None)],
            id="facebook-page",
        ),
        pytest.param("YouTube: COSPAR", [("youtube", "COSPAR", None)], id="youtube"),
        pytest.param(
            "Instagram: cosparhq",
            [("instagram", "cosparhq", "https://www.instagram.com/cosparhq/")],
            id="instagram",
        ),
        pytest.param(
            "Bluesky: @eoswr.bsky.social",
            [("bluesky", "@eoswr.bsky.social", "https://bsky.app/profile/eoswr.bsky.social")],
            id="bluesky",
        ),
        pytest.param(
            "GitHub: open-manipulation-foundation",
            [
                (
                    "github",
                    "open-manipulation-foundation",
                    "https://github.com/open-manipulation-foundation",
                )
            ],
            id="github",
        ),
        pytest.param(
            "Follow the university on X: @Uni and Threads: @uni",
            [
                ("x", "@Uni", "https://x.com/Uni"),
                ("threads", "@uni", "https://www.threads.net/@uni"),
            ],
            id="inline-two",
        ),
        pytest.param(
            "Learn more or follow @Lumacoat on Instagram.",
            [("instagram", "@Lumacoat", "https://www.instagram.com/Lumacoat/")],
            id="handle-on-platform",
        ),
        pytest.param(
            "Videos on Instagram (@midlifemap).",
            [("instagram", "@midlifemap", "https://www.instagram.com/midlifemap/")],
            id="platform-paren-handle",
        ),
        pytest.param(
            "Follow the mission on Instagram @polar_lynx and on LinkedIn: Nordic Balloon Group",
            [
                ("instagram", "@polar_lynx", "https://www.instagram.com/polar_lynx/"),
                ("linkedin", "Nordic Balloon Group", None),
            ],
            id="platform-space-handle-in-a-sentence",
        ),
        pytest.param(
            "Facebook: Southern Reef Trust – Instagram: @southernreefs",
            [
                ("facebook", "Southern Reef Trust", None),
                ("instagram", "@southernreefs", "https://www.instagram.com/southernreefs/"),
            ],
            id="two-labels-one-line-dash",
        ),
        pytest.param(
            "LinkedIn: Committee on Space Research – COSPAR",
            [("linkedin", "Committee on Space Research – COSPAR", None)],
            id="dash-inside-a-page-name",
        ),
        pytest.param("Figure X: the results for sample X.", [], id="figure-x-not-social"),
    ],
)
def test_social_lines(text: str, expected: list[tuple[str, str, str | None]]) -> None:
    assert [(s.platform, s.handle, s.url) for s in contacts(text).social] == expected


@pytest.mark.parametrize(
    ("href", "label", "expected"),
    [
        pytest.param(
            "https://www.linkedin.com/company/solmar-water",
            "LinkedIn",
            ("linkedin", "solmar-water"),
            id="linkedin-company",
        ),
        pytest.param(
            "https://twitter.com/ISPS_Quakes/status/1899405512387436544",
            "March 11, 2025",
            ("x", "@ISPS_Quakes"),
            id="tweet-embed",
        ),
        pytest.param(
            "https://www.instagram.com/midlifehealthmap/",
            "@midlifehealthmap",
            ("instagram", "@midlifehealthmap"),
            id="instagram",
        ),
        pytest.param(
            "https://mastodon.social/@someone",
            "someone",
            ("mastodon", "@someone@mastodon.social"),
            id="mastodon",
        ),
    ],
)
def test_body_social_links(href: str, label: str, expected: tuple[str, str]) -> None:
    got = contacts("See the post.", links=[(href, label)]).social
    assert [(s.platform, s.handle) for s in got] == [expected]


@pytest.mark.parametrize(
    "href",
    [
        pytest.param("https://t.co/kQ3vTzL8pa", id="short-link"),
        pytest.param("https://twitter.com/intent/tweet?text=x", id="share-intent"),
        pytest.param("https://www.facebook.com/sharer/sharer.php?u=x", id="facebook-sharer"),
    ],
)
def test_share_links_are_not_accounts(href: str) -> None:
    assert contacts("See.", links=[(href, "share")]).social == []


def test_labelled_number_in_unusual_grouping_is_a_phone() -> None:
    got = contacts(
        "Call the Support Line on Freephone 1800 30 40 50, Monday to Friday.", language="en-IE"
    )
    assert [(p.raw, p.e164) for p in got.phones] == [("1800 30 40 50", "+3531800304050")]


def test_unlabelled_number_in_unusual_grouping_is_not() -> None:
    assert contacts("The trial enrolled 1800 30 40 50 participants.", language="en-IE").phones == []


def test_at_obfuscation_with_plain_dots() -> None:
    got = contacts("E-mail: nishimoto.haruka[at]niaer.example.go.jp (please replace [at] with @)")
    assert got.emails == ["nishimoto.haruka@niaer.example.go.jp"]


def test_qualified_contact_labels_and_account_lines() -> None:
    got = contacts(
        "Research contact: Dr. Haruka Nishimoto, Center for Atmospheric Environment, NIAER\nE-mail: h.nishimoto@niaer.example.go.jp",
        "NIAER on social media\nX (Twitter): @NIAER_en\nYouTube: NIAER Channel",
        "SCMA Media: Tom Haddad, media@scma.example.org.au",
    )
    assert [(p.name, p.organisation, p.email) for p in got.people] == [
        ("Haruka Nishimoto", "NIAER", "h.nishimoto@niaer.example.go.jp"),
        ("Tom Haddad", "SCMA Media", "media@scma.example.org.au"),
    ]


def test_page_names_in_brackets_and_account_lists() -> None:
    got = contacts(
        "Follow HUVL news on X at @HUVL_Tours and on LinkedIn (Hôpitaux Universitaires du Val de Loire).",
        "Follow the museum: @southcoastmuseum on Instagram | South Coast Museum of Australia on Facebook | @SCMuseumAU on Twitter",
    )
    assert {(s.platform, s.handle) for s in got.social} == {
        ("x", "@HUVL_Tours"),
        ("linkedin", "Hôpitaux Universitaires du Val de Loire"),
        ("instagram", "@southcoastmuseum"),
        ("facebook", "South Coast Museum of Australia"),
        ("x", "@SCMuseumAU"),
    }


def test_spanish_and_norwegian_phone_labels() -> None:
    got = contacts("Our offices are in Mexico City.", "Cel.: 55 4123 8765")
    assert [p.e164 for p in got.phones] == ["+525541238765"]


def test_bare_domain_the_reader_is_sent_to_is_a_website() -> None:
    got = contacts("Learn more at calloway.example.edu. The figures are in table 2.1.")
    assert got.websites == ["calloway.example.edu"]


def test_whatsapp_label_marks_a_number() -> None:
    got = contacts("Mobile/WhatsApp: 0722 413 906", language="en-KE")
    assert [p.e164 for p in got.phones] == ["+254722413906"]


def test_platform_then_handle_without_colon() -> None:
    got = contacts("Follow CENARS: Twitter @CENARS_Chile – Instagram @cenars.chile")
    assert [(s.platform, s.handle) for s in got.social] == [
        ("x", "@CENARS_Chile"),
        ("instagram", "@cenars.chile"),
    ]


def test_company_suffix_full_stop_stays_in_the_handle() -> None:
    got = contacts("Follow us on LinkedIn: Polar Cell Technologies Inc.")
    assert [s.handle for s in got.social] == ["Polar Cell Technologies Inc."]


def test_line_and_link_for_same_account_merge() -> None:
    got = contacts("X: @ISPS_Quakes", links=[("https://twitter.com/ISPS_Quakes/status/1", "date")])
    assert [(s.handle, s.url) for s in got.social] == [
        ("@ISPS_Quakes", "https://x.com/ISPS_Quakes")
    ]


def test_link_whose_text_names_a_stated_account_lends_its_url() -> None:
    got = contacts(
        "YouTube: AISC Química Sostenible",
        links=[("https://www.youtube.com/@AISCquimica", "AISC Química Sostenible")],
    )
    assert [(s.platform, s.handle, s.url) for s in got.social] == [
        ("youtube", "AISC Química Sostenible", "https://www.youtube.com/@AISCquimica")
    ]


def _people(*paragraphs: str, language: str = "en-US"):
    return [
        (p.name, p.role, p.organisation, p.email, p.phone)
        for p in contacts(*paragraphs, language=language).people
    ]


@pytest.mark.parametrize(
    ("paragraphs", "expected"),
    [
        pytest.param(
            ["Issued by COSPAR Communications, Ms Leigh FERGUS", "leigh.fergus@cosparhq.cnes.fr"],
            [
                (
                    "Leigh Fergus",
                    None,
                    "COSPAR Communications",
                    "leigh.fergus@cosparhq.cnes.fr",
                    None,
                )
            ],
            id="issued-by-capitals-email-below",
        ),
        pytest.param(
            [
                "Issued by EOSWR Communications, Ms Anneke DE VRIES\nEmail: anneke.devries (at) eoswr (dot) eu\nTel: +31 71 524 8830"
            ],
            [
                (
                    "Anneke de Vries",
                    None,
                    "EOSWR Communications",
                    "anneke.devries@eoswr.eu",
                    "+31715248830",
                )
            ],
            id="issued-by-particle",
        ),
        pytest.param(
            [
                "Media contact:\nCHARMAINE NG\nAssistant Manager, Corporate Communications Office\nNanyang Technological University, Singapore\nEmail: charmaine.ng@ntu.example.sg\nTel: +65 6790 1234 | Mobile: +65 9123 4567"
            ],
            [
                (
                    "Charmaine Ng",
                    "Assistant Manager",
                    "Nanyang Technological University",
                    "charmaine.ng@ntu.example.sg",
                    "+6567901234",
                )
            ],
            id="block-lines-capitals",
        ),
        pytest.param(
            [
                "Media Contact",
                "Thomas Reilly\nDirector of Communications, Center for Pharmaceutical Value Research\ntreilly@cpvr.example.org\n(617) 555-0142",
            ],
            [
                (
                    "Thomas Reilly",
                    "Director of Communications",
                    "Center for Pharmaceutical Value Research",
                    "treilly@cpvr.example.org",
                    "+16175550142",
                )
            ],
            id="heading-then-block",
        ),
        pytest.param(
            [
                "Media contact: Colleen Barrett, Three Rivers University News Office, cbarrett@threeriversu.edu, (412) 555-0198"
            ],
            [
                (
                    "Colleen Barrett",
                    None,
                    "Three Rivers University News Office",
                    "cbarrett@threeriversu.edu",
                    "+14125550198",
                )
            ],
            id="one-line",
        ),
        pytest.param(
            [
                "Media inquiries: Laura Bennett, Planetary Radar Consortium, lb@pr.org\nBrazil: Rafael Souza, Vale do Paraíba Radio Observatory, +55 12 3947-6620"
            ],
            [
                ("Laura Bennett", None, "Planetary Radar Consortium", "lb@pr.org", None),
                ("Rafael Souza", None, "Vale do Paraíba Radio Observatory", None, "+551239476620"),
            ],
            id="one-per-line-country-label",
        ),
        pytest.param(
            [
                "For press enquiries please contact Sofia Marques at AIWT, sofia.marques@aiwt-water.pt, +351 265 710 432."
            ],
            [("Sofia Marques", None, "AIWT", "sofia.marques@aiwt-water.pt", "+351265710432")],
            id="please-contact-at",
        ),
        pytest.param(
            [
                "Contact: Maya Lindqvist (press@isps-seismo.org), ISPS Communications Office, Washington, DC, tel. (202) 555-0173"
            ],
            [
                (
                    "Maya Lindqvist",
                    None,
                    "ISPS Communications Office",
                    "press@isps-seismo.org",
                    "+12025550173",
                )
            ],
            id="email-in-parens",
        ),
        pytest.param(
            ["AARI Communications: Olivier Bastien, +1 514 555 0161, obastien@aari-research.ca"],
            [],
            id="org-label-without-cue-is-not-a-block",
        ),
        pytest.param(
            [
                "Media contacts",
                "TRRA Public Relations Office (Tokyo): 03-5841-7716, pr@trra-space.jp\nAARI Communications: Olivier Bastien, +1 514 555 0161, obastien@aari-research.ca",
            ],
            [
                (
                    "Olivier Bastien",
                    None,
                    "AARI Communications",
                    "obastien@aari-research.ca",
                    "+15145550161",
                )
            ],
            id="office-is-not-a-person",
        ),
        pytest.param(
            ["Media contact: Gulf Stream Shark Institute communications office, 561-555-0199."],
            [],
            id="office-only",
        ),
        pytest.param(
            [
                "For further information, please contact:",
                "Róisín Hegarty, Communications Manager, Shannon Cancer Research Trust\nTel: +353 61 412 905\nEmail: rhegarty@scrt.example.ie",
            ],
            [
                (
                    "Róisín Hegarty",
                    "Communications Manager",
                    "Shannon Cancer Research Trust",
                    "rhegarty@scrt.example.ie",
                    "+35361412905",
                )
            ],
            id="lead-ending-in-colon-introduces-next-paragraph",
        ),
        pytest.param(
            [
                "For further information: Media: Jordan Leclair, Head of Communications, PolarCell, press@polarcell.example.ca, 519-555-0143 (office)"
            ],
            [
                (
                    "Jordan Leclair",
                    "Head of Communications",
                    "PolarCell",
                    "press@polarcell.example.ca",
                    "+15195550143",
                )
            ],
            id="chained-labels-brand-organisation",
        ),
        pytest.param(
            [
                "Enquiries:\nLerato Nkosi, Senior Communications Officer\nE-mail: lerato@nwcs.example.co.za"
            ],
            [
                (
                    "Lerato Nkosi",
                    "Senior Communications Officer",
                    None,
                    "lerato@nwcs.example.co.za",
                    None,
                )
            ],
            id="job-title-with-an-organisation-word-is-a-role",
        ),
        pytest.param(
            [
                "Kontakt",
                "Prof. Dr. Katharina Albrecht\nNoether Institute for Mathematical Sciences\nTel.: +49 (0)551 3895-240\nE-Mail: k.albrecht@nims.example.de",
                "Dr. Jan-Philipp Hoffmeister\nPress and Public Relations, NIMS\nE-Mail: presse@nims.example.de",
            ],
            [
                (
                    "Katharina Albrecht",
                    None,
                    "Noether Institute for Mathematical Sciences",
                    "k.albrecht@nims.example.de",
                    "+495513895240",
                ),
                ("Jan-Philipp Hoffmeister", None, "NIMS", "presse@nims.example.de", None),
            ],
            id="short-heading-in-german-two-people-titles-kept-whole",
        ),
        pytest.param(
            [
                "For media queries, please contact:",
                "Dr. R. Kavitha\nPublic Relations Officer, Vaigai University\nEmail: pro@vaigai.example.ac.in",
            ],
            [
                (
                    "R. Kavitha",
                    "Public Relations Officer",
                    "Vaigai University",
                    "pro@vaigai.example.ac.in",
                    None,
                )
            ],
            id="name-with-an-initial",
        ),
        pytest.param(
            [
                "Contacto de prensa / Media contact\nMarta Giménez Soler – Communications Officer, Andalusian Institute for Sustainable Chemistry\nprensa@aisc.example.es · +34 957 21 84 60"
            ],
            [
                (
                    "Marta Giménez Soler",
                    "Communications Officer",
                    "Andalusian Institute for Sustainable Chemistry",
                    "prensa@aisc.example.es",
                    "+34957218460",
                )
            ],
            id="bilingual-heading-dash-separated",
        ),
        pytest.param(
            [
                "For interview requests with Dr. Mendoza, contact the Bayview University news office at news@bayview.example.edu."
            ],
            [],
            id="named-interviewee-is-not-the-contact",
        ),
    ],
)
def test_people(paragraphs: list[str], expected: list[tuple]) -> None:
    assert _people(*paragraphs) == expected


def test_lead_author_email_resolved_to_named_person() -> None:
    got = _people(
        "“We were surprised,” said Dr. Zoë Ólafsdóttir, a neurobiologist at the Reykjavík Institute for Insect Biology and the study’s lead author.",
        "Press contact: press@pg.eu\nLead author: z.olafsdottir@rib-insect.is",
    )
    assert got == [
        (
            "Zoë Ólafsdóttir",
            None,
            "Reykjavík Institute for Insect Biology",
            "z.olafsdottir@rib-insect.is",
            None,
        )
    ]


def test_generic_affiliation_resolved() -> None:
    got = _people(
        "A study by economists at the Harbourview Policy Research Institute.",
        "“Quote,” lead author Dr. Elena Marchetti, a senior research fellow at the institute, said.",
        "Corresponding author: Dr. Elena Marchetti, elena.marchetti@hpri.example.edu",
    )
    assert got[0][2] == "Harbourview Policy Research Institute"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("Ms Leigh FERGUS", "Leigh Fergus", id="capitals"),
        pytest.param("Prof. Dr. Jean-PIERRE Dupont", "Jean-Pierre Dupont", id="hyphen"),
        pytest.param("Anneke DE VRIES", "Anneke de Vries", id="particle"),
    ],
)
def test_normalise_person(raw: str, expected: str) -> None:
    assert normalise_person(raw) == expected


def test_empty_input() -> None:
    got = contacts()
    assert (got.emails, got.phones, got.websites, got.social, got.people) == ([], [], [], [], [])


@pytest.mark.parametrize(
    "paragraph",
    [
        pytest.param("Tel: " + "1" * 200_000, id="200k-digits"),
        pytest.param("Media contact: " + " ".join(["12 34"] * 10_000), id="10k-digit-groups"),
        pytest.param(
            "Contact: +" + "(" * 50_000 + "1" * 20 + "[at]" * 10_000, id="unbalanced-brackets"
        ),
        pytest.param("Press: " + "中文 Ελληνικά العربية 123-456 " * 5_000, id="mixed-scripts"),
        pytest.param("a" * 100_000 + "@" + "b." * 50_000, id="email-like-flood"),
        pytest.param("X: @" + "a" * 100_000 + "\nLinkedIn: " + "Word " * 40_000, id="social-flood"),
        pytest.param("www." + "x-" * 100_000, id="url-flood"),
    ],
)
def test_pathological_input_is_fast(paragraph: str) -> None:
    start = time.perf_counter()
    contacts(paragraph, paragraph[:5000])
    assert time.perf_counter() - start < 5


def test_an_article_of_many_brackets_is_read_in_linear_time() -> None:
    # 3 MB of round brackets and no square one: each bracket once looked for the next
    # square bracket to the end of the text
    start = time.perf_counter()
    found = contacts(*["(x " * 5_000] * 200, "jo [at] lab [dot] org")
    assert found.emails == ["jo@lab.org"]
    assert time.perf_counter() - start < 5


def test_country_name_table_is_current_with_phonenumbers() -> None:
    assert contacts_module._country_names() == contacts_module.derive_country_names(), (
        "run: python -m scienmag_crawler.extract.contacts"
    )


# --- the fast paths give the plain patterns' answers ------------------------------------------

_SCAN_TEXT = (
    "Follow us on X: @polar_cell and on Instagram @polarcell. Twitter: @a_b – LinkedIn: Polar "
    "Cell Technologies Inc.\nMastodon: @lab@fosstodon.org | South Coast Museum of Australia on "
    "Facebook | X (@museum)\nsee calloway.example.edu. Learn more at www.Example.ORG/path), "
    "HTTPS://Example.com/x and hello@example.org; bob [at] lab [dot] org +44 20 7946 0958, "
    "++3 x+1 ＋33 1 23 45 67 89\n@handle on GitHub; visit github.com; more at\nnext.org"
)


@pytest.mark.parametrize(
    ("pattern", "needle", "shift"),
    [
        ("_PLATFORM_LABEL", "_PLATFORM_LABEL_START", 0),
        ("_PLATFORM_PAREN_PAGE", "_PLATFORM_PAREN_PAGE_START", 0),
        ("_PAGE_ON_PLATFORM", "_PAGE_ON_PLATFORM_START", 2),
        ("_INTL_PREFIX", "_PLUS", 0),
    ],
)
def test_patterns_tried_at_their_needles_match_as_finditer(
    pattern: str, needle: str, shift: int
) -> None:
    rx, mark = getattr(contacts_module, pattern), getattr(contacts_module, needle)
    for text in (_SCAN_TEXT, _SCAN_TEXT * 3, _SCAN_TEXT.replace("\n", " "), ""):
        fast = [(m.span(), m.groups()) for m in finditer_at(rx, mark, text, shift)]
        assert fast == [(m.span(), m.groups()) for m in rx.finditer(text)]


#: addresses and cues at the edges of what the quicker scans assume
_EDGE_TEXT = (
    "a@b.org@c.org; " + "a" * 70 + "@x.org; " + "b" * 64 + "@y.org; _x@z.org; @@q.org "
    "jo.doe@x.org\njo [at] x [dot] org; jo  [at] x.org; jo\n(AT) lab.org; x@[at] y.org "
    "SEE y.org, ſee z.org, oversee w.org, Learn More At www.q.org and more information at "
    "info.example.org; K ı İ: see k.org"
)


@pytest.mark.parametrize(
    ("pattern", "scan"),
    [
        ("_EMAIL", "_plain_emails"),
        ("_OBFUSCATED_EMAIL", "_obfuscated_emails"),
        ("_CUED_DOMAIN", "_cued_domains"),
    ],
)
def test_patterns_tried_where_they_can_start_match_as_finditer(pattern: str, scan: str) -> None:
    rx, fast = getattr(contacts_module, pattern), getattr(contacts_module, scan)
    texts = [_SCAN_TEXT, _SCAN_TEXT * 3, _SCAN_TEXT.replace("\n", " "), _EDGE_TEXT, ""]
    texts += [_EDGE_TEXT.replace("ſ", "s").replace("K ı İ", "")]
    for text in texts:
        found = [(m.span(), m.groups()) for m in fast(text)]
        assert found == [(m.span(), m.groups()) for m in rx.finditer(text)]
    assert any(rx.finditer(_EDGE_TEXT))


def test_quick_scans_answer_as_the_patterns() -> None:
    for text in (_SCAN_TEXT, _EDGE_TEXT, "Tel. 020 7946 0958", "in 2024", "１２３４５６７８", ""):
        for replacement in (" ", ""):
            expected = contacts_module._OBFUSCATED_EMAIL.sub(
                replacement, contacts_module._EMAIL.sub(replacement, text)
            )
            assert contacts_module._without_emails(text, replacement) == expected
        expected_run = contacts_module._DIGIT_RUN.search(text) is not None
        assert contacts_module._has_digit_run(text) == expected_run, text
    handles = contacts_module._PLATFORM_PAREN_HANDLE
    mark = contacts_module._PLATFORM_HANDLE_MARK
    for text in (_SCAN_TEXT, "on X (@a), moon X @b, X @c", "on on X @d"):
        fast = [(m.span(), m.groups()) for m in finditer_near(handles, mark, text, lead=3)]
        assert fast == [(m.span(), m.groups()) for m in handles.finditer(text)]


@pytest.mark.parametrize(("pattern", "guard"), [("_URL", "_URL_MARK")])
def test_line_patterns_run_on_guarded_lines_match_as_finditer(pattern: str, guard: str) -> None:
    rx, mark = getattr(contacts_module, pattern), getattr(contacts_module, guard)
    for text in (_SCAN_TEXT, "\n" + _SCAN_TEXT + "\n\n", "no addresses here"):
        fast = [m.span() for m in finditer_lines(rx, mark, text)]
        assert fast == [m.span() for m in rx.finditer(text)]


def test_guards_stand_only_in_front_of_what_they_guard() -> None:
    # every phrase the full patterns match carries the mark checked first
    assert contacts_module._PLATFORM_HANDLE_MARK.search(_SCAN_TEXT)
    handles = list(contacts_module._PLATFORM_PAREN_HANDLE.finditer(_SCAN_TEXT))
    assert handles
    for m in handles:  # a space or a bracket before the handle's at sign
        assert m.string[m.start(2) - 1] in " (", m.group()
    pages = list(contacts_module._PAGE_ON_PLATFORM.finditer(_SCAN_TEXT))
    assert pages
    for m in pages:
        assert contacts_module._PAGE_PLATFORM_MARK.search(m.group()), m.group()
    assert contacts_module._AT_WORD.search("bob (AT) lab")
    assert contacts_module.find_emails("bob [at] lab [dot] org") == [(0, "bob@lab.org")]
    for heading in ("Media contact:", "KONTAKT", "Prensa", "For journalists", "Inquiries"):
        assert contacts_module._is_contact_heading(heading), heading
    assert not contacts_module._is_contact_heading("The results were published today")


def test_phone_matches_are_found_once_per_line_and_regions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ctx = contacts_module._PhoneContext("A study from the United Kingdom.", language="en-GB")
    calls = []
    real = contacts_module._all_numbers

    def counting(line: str, *args: object) -> list[tuple[int, Phone]]:
        calls.append(line)
        return real(line, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(contacts_module, "_all_numbers", counting)
    line, national = "Tel: +44 20 7946 0958", "Tel: 020 7946 0958"
    first = ctx.phones(line, line, line)
    again = ctx.phones(line, line, line)
    # the same national number in another paragraph that gives the same regions
    found = ctx.phones(national, national, "")
    ctx.phones(national, national, "Press office")
    assert first == again and [p.e164 for _, p in first] == ["+442079460958"]
    assert [p.e164 for _, p in found] == ["+442079460958"]
    assert calls == [line, national]
    # only the national number needed the countries the article names
    assert "article_regions" in ctx.__dict__
    assert list(ctx._regions) == [(national, ""), (national, "Press office")]


def test_a_line_of_international_numbers_needs_no_country_hints() -> None:
    ctx = contacts_module._PhoneContext("Scientists in Chile and Peru.", language=None)
    assert [p.e164 for _, p in ctx.phones("Tel: +44 20 7946 0958", "Tel: +44 20 7946 0958", "")]
    assert "article_regions" not in ctx.__dict__ and not ctx._regions


def test_unlabelled_and_plus_less_lines_skip_matching_that_cannot_add_numbers() -> None:
    # no label word: only correctly grouped numbers; no plus sign: no region-less parse
    assert [p.e164 for _, p in contacts_module.find_phones("020 7946 0958", ["GB"])] == [
        "+442079460958"
    ]
    assert [p.e164 for _, p in contacts_module.find_phones("Tel: 020 7946 0958", ["GB"])] == [
        "+442079460958"
    ]


EU = ["GB", "US", "DE", "FR", "IT", "ES", "SE", "AU", "JP", "NL", "IE", "RU"]


def _regions_matched(line: str, regions: list[str], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    real = contacts_module._matches

    def spy(text: str, region: str, leniency: int):  # type: ignore[no-untyped-def]
        seen.append(region)
        return real(text, region, leniency)

    monkeypatch.setattr(contacts_module, "_matches", spy)
    contacts_module.find_phones(line, regions)
    return seen


def test_international_numbers_are_matched_once_not_once_per_region(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert _regions_matched("Tel: +31 71 524 8830", EU, monkeypatch) == ["ZZ"]
    # a national number beside it still gets the regions, most specific first
    line = "Tel: +31 71 524 8830 / 071 524 8830"
    # (loosely, then strictly where that found one; no British number reads as 071 524 8830,
    # so Britain is not matched at all)
    assert _regions_matched(line, ["NL", "GB"], monkeypatch) == ["ZZ", "NL", "NL"]
    assert [p.e164 for _, p in contacts_module.find_phones(line, ["NL", "GB"])] == [
        "+31715248830",
        "+31715248830",
    ]


def test_labelled_line_is_matched_strictly_only_where_loosely_found(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen: list[tuple[str, int, bool]] = []
    real = contacts_module._matches

    def spy(text: str, region: str, leniency: int):  # type: ignore[no-untyped-def]
        found = list(real(text, region, leniency))
        seen.append((region, leniency, bool(found)))
        return iter(found)

    monkeypatch.setattr(contacts_module, "_matches", spy)
    phones = contacts_module.find_phones("Tel: 020 7946 0958", ["US", "GB", "JP"])
    assert [p.e164 for _, p in phones] == ["+442079460958"]
    strict, valid = phonenumbers.Leniency.STRICT_GROUPING, phonenumbers.Leniency.VALID
    loose_hits = {r for r, leniency, hit in seen if leniency == valid and hit}
    # no US number reads as 020 7946 0958: the US is not matched at all (see below); Japan
    # rewrites its national prefix, so it is always matched
    assert {r for r, leniency, _ in seen if leniency == valid} == {"GB", "JP"}
    assert {r for r, leniency, _ in seen if leniency == strict} == loose_hits


ESA = [
    "US",
    "NL",
    "BE",
    "AT",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LU",
    "NO",
    "PL",
    "PT",
    "RO",
    "ES",
    "SE",
    "CH",
    "GB",
]


@pytest.mark.parametrize(
    ("line", "regions", "expected", "skipped"),
    [
        pytest.param(  # a French number, the 23 members of an agency named in the article
            "IMS press office, Toulouse: 05 61 33 47 20",
            ESA,
            ["+33561334720"],
            {"US", "CZ", "EE", "GR", "HU", "IT", "PL", "PT", "RO", "ES", "GB"},
            id="toulouse",
        ),
        pytest.param(  # a dialling prefix makes it a French number in Britain too
            "Tel: 00 33 5 61 33 47 20",
            ["GB", "US"],
            ["+33561334720"],
            {"US"},
            id="dialling-prefix",
        ),
        pytest.param(  # "int" after a number: phonenumbers may read the letters on a keypad
            "Tel 222 1234 int. 3461",
            ["US", "IN", "KY", "GB"],
            ["+912221234468"],
            set(),
            id="keypad-letters",
        ),
        pytest.param(  # Argentina rewrites its national prefix: always matched there
            "Tel: 011 15-2345-6789",
            ["AR", "GB"],
            ["+5491123456789"],
            {"GB"},
            id="rewritten-prefix",
        ),
    ],
)
def test_regions_that_cannot_read_a_number_are_not_matched(
    line: str,
    regions: list[str],
    expected: list[str],
    skipped: set[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert [p.e164 for _, p in contacts_module.find_phones(line, regions)] == expected
    assert set(regions) - set(_regions_matched(line, regions, monkeypatch)) == skipped
    # the same numbers as when every region is matched
    monkeypatch.setattr(contacts_module, "_may_read_national", lambda runs, region: True)
    assert [p.e164 for _, p in contacts_module.find_phones(line, regions)] == expected
    assert set(_regions_matched(line, regions, monkeypatch)) >= set(regions)


@pytest.mark.parametrize(
    ("line", "regions", "expected"),
    [
        pytest.param(  # the national number between two international ones was lost
            "T. +49 (0)171 4829 305 / (02) 9850 7111 / 312-555-0119",
            ["AU", "US", "GB"],
            ["+491714829305", "+61298507111", "+13125550119"],
            id="between-international-numbers",
        ),
        pytest.param(  # read once, not also as an Italian number starting one space earlier
            "Fax: 312-555-0119 / (02) 9850 7111",
            EU,
            ["+13125550119", "+33298507111"],
            id="one-reading-per-number",
        ),
        pytest.param(
            "Fax: 071 524 8830 / 00 44 20 7946 0958 / +39 347 218 5563",
            ["DE", "GB"],
            ["+49715248830", "+442079460958", "+393472185563"],
            id="idd-prefix-once",
        ),
    ],
)
def test_numbers_in_a_run_are_each_read_once(
    line: str, regions: list[str], expected: list[str]
) -> None:
    assert [p.e164 for _, p in contacts_module.find_phones(line, regions)] == expected


def test_phone_metadata_patterns_survive_a_full_re_cache() -> None:
    import re  # noqa: PLC0415

    from phonenumbers import re_util  # noqa: PLC0415

    line = "Tel: +44 20 7946 0958 or +33 1 42 68 53 00"
    first = contacts_module.find_phones(line, ["GB"])
    kept = dict(re_util._COMPILED_PATTERNS or {})
    assert kept, "phonenumbers' pattern cache is off: its patterns compete for re's cache"
    re.purge()  # as when other libraries filled re's own cache
    assert contacts_module.find_phones(line, ["GB"]) == first
    assert all(re_util._COMPILED_PATTERNS[p] is c for p, c in kept.items())
