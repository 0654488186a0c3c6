"""Smoke test of the evaluation script's scoring on a tiny synthetic expected/actual pair."""

from __future__ import annotations

import copy
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "evaluate_fields.py"


@pytest.fixture(scope="module")
def ev() -> ModuleType:
    spec = importlib.util.spec_from_file_location("evaluate_fields", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["evaluate_fields"] = module
    spec.loader.exec_module(module)
    return module


EXPECTED: dict[str, Any] = {
    "quotes": [
        {
            "text": "We did it, and it works.",
            "speaker": "Jane Doe",
            "speaker_role_contains": "chemist",
        },
        {
            "text": "Next year we scale up.",
            "speaker": "Jane Doe",
            "speaker_role_contains": "chemist",
        },
    ],
    "contacts": {
        "emails": ["press@example.org"],
        "phones": [{"raw": "+44 20 7946 0000", "e164": "+442079460000"}],
        "websites": ["www.example.org"],
        "social": [{"platform": "x", "handle": "@ExampleOrg"}],
        "people": [
            {
                "name": "Leigh Fergus",
                "organisation_contains": "Example",
                "email": "press@example.org",
            }
        ],
    },
    "organisations": [
        {
            "name": "Example Organisation",
            "acronym": "EO",
            "founded": "1958",
            "facts_mention": ["46 members"],
        }
    ],
}

ACTUAL: dict[str, Any] = {
    "quotes": [
        {
            "text": "“We did it, and it works,”",
            "speaker": "Dr. Jane Doe",
            "speaker_role": "a chemist at X",
        },
        {"text": "Next  year we scale up.", "speaker": "Jane Doe", "speaker_role": "chemist"},
    ],
    "contacts": {
        "emails": ["Press@Example.org"],
        "phones": [{"raw": "020 7946 0000", "e164": "+442079460000"}],
        "websites": ["https://example.org/"],
        "social": [{"platform": "x", "handle": "exampleorg", "url": None}],
        "people": [
            {"name": "Leigh FERGUS", "organisation": "Example Org", "email": "press@example.org"}
        ],
    },
    "organisations": [
        {
            "name": "Example Organisation",
            "acronym": "EO",
            "founded": "1958",
            "facts": ["It has 46 members."],
        }
    ],
}


def scores(ev: ModuleType, actual: dict[str, Any]) -> dict[str, Any]:
    return ev.evaluate([("page", EXPECTED, actual)])


def test_perfect_match_scores_one(ev: ModuleType) -> None:
    for name, score in scores(ev, ACTUAL).items():
        assert score.recall == 1.0, name
        assert score.precision in (1.0, None), name


def test_missing_item_lowers_recall(ev: ModuleType) -> None:
    actual = copy.deepcopy(ACTUAL)
    actual["quotes"].pop()
    actual["contacts"]["emails"] = []
    result = scores(ev, actual)
    assert result["quotes"].recall == 0.5
    assert result["quotes"].precision == 1.0
    assert result["contacts.emails"].recall == 0.0


def test_extra_item_lowers_precision(ev: ModuleType) -> None:
    actual = copy.deepcopy(ACTUAL)
    actual["quotes"].append({"text": "Train the Trainers", "speaker": None, "speaker_role": None})
    actual["contacts"]["websites"].append("www.other.example")
    result = scores(ev, actual)
    assert result["quotes"].precision == pytest.approx(2 / 3)
    assert result["quotes"].recall == 1.0
    assert result["contacts.websites"].precision == 0.5


def test_wrong_speaker_counts_for_text_only(ev: ModuleType) -> None:
    actual = copy.deepcopy(ACTUAL)
    actual["quotes"][1]["speaker"] = "John Roe"
    result = scores(ev, actual)
    assert result["quotes"].recall == 0.5
    assert result["quotes (text only)"].recall == 1.0


def test_wrong_attribute_is_a_false_positive_and_a_miss(ev: ModuleType) -> None:
    actual = copy.deepcopy(ACTUAL)
    actual["organisations"][0]["founded"] = "1959"
    score = scores(ev, actual)["organisation details"]
    assert (score.fp, score.fn) == (1, 1)
