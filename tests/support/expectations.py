"""Compare an extracted record with an expected file (``fixtures/expected/<slug>.json``).

One place for the comparison rules, so every golden test reads the same way:
``exact`` values must be equal; ``body.contains_in_order`` snippets must appear in that
order; ``body.must_not_contain`` strings must be absent.
"""

from __future__ import annotations

from typing import Any


def _squash(text: str) -> str:
    return " ".join(text.split())


def body_order_problems(body: str, snippets: list[str]) -> list[str]:
    """Snippets missing from ``body`` or out of order (whitespace-insensitive)."""
    text, pos, problems = _squash(body), 0, []
    for snippet in snippets:
        found = text.find(_squash(snippet), pos)
        if found < 0:
            where = "out of order" if _squash(snippet) in text else "missing"
            problems.append(f"{where}: {snippet!r}")
        else:
            pos = found + len(_squash(snippet))
    return problems


def body_forbidden_problems(body: str, forbidden: list[str]) -> list[str]:
    """Forbidden strings that appear in ``body``."""
    text = _squash(body)
    return [f"present: {s!r}" for s in forbidden if _squash(s) in text]


def exact_problem(record: dict[str, Any], field: str, expected: Any) -> str | None:
    """A message when ``record[field]`` differs from ``expected``."""
    actual = record.get(field)
    if actual != expected:
        return f"{field}: expected {expected!r}, got {actual!r}"
    return None
