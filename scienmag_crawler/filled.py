"""``is_filled``: when a record field counts as present, one rule for every consumer.

The crawl's coverage stats (and so the monitors) and the harvest report's coverage table
must agree on what an empty field is, or the report would flag what the run passed. The rule
is kept free of Scrapy so the report command can use it without importing the crawler.
"""

from __future__ import annotations

import dataclasses
from typing import Any


def is_filled(value: Any) -> bool:
    """True unless the value is None or an empty or blank string, list or object.

    Nested records (dicts or item dataclasses) count as filled when any of their members is
    (``contacts`` is filled when any of its lists holds something); ``0`` and ``False`` are
    values, not gaps.

    >>> [is_filled(v) for v in (None, "", " ", [], {}, {"emails": [], "phones": []}, 0)]
    [False, False, False, False, False, False, True]
    >>> is_filled({"emails": [], "phones": ["+44"]})
    True
    """
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, dict):
        return any(is_filled(v) for v in value.values())
    if isinstance(value, list | tuple | set):
        return bool(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return any(is_filled(getattr(value, f.name)) for f in dataclasses.fields(value))
    return True
