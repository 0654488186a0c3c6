"""A JSON Schema compiled once into plain Python checks: is this record valid, yes or no.

``jsonschema`` walks the schema for every record and costs more than a millisecond per
article, a large share of a crawl's time per item. The record schema uses only a handful of
keywords, so they are turned into nested closures once; the pipeline asks these first and
calls ``jsonschema`` only for a record they reject, to name the errors. Each keyword is
implemented with ``jsonschema``'s own semantics (``integer`` accepts ``1.0``, ``True`` is no
number, ``pattern`` is ``re.search``), and a schema holding any other keyword is not
compiled at all (:func:`compile_schema` returns ``None``), so the answer never differs.
"""

from __future__ import annotations

import json
import numbers
import re
from collections.abc import Callable
from importlib.resources import files
from typing import Any

Check = Callable[[Any], bool]

#: keywords that say nothing about validity
ANNOTATIONS = frozenset(
    {"$schema", "$id", "$comment", "title", "description", "default", "examples"}
)


class UnsupportedSchemaError(Exception):
    """The schema uses a keyword this module does not implement."""


def _is_number(value: Any) -> bool:
    return isinstance(value, numbers.Number) and not isinstance(value, bool)


_TYPES: dict[str, Check] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
    "number": _is_number,
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def _literal(value: Any) -> Check:
    """``const``/``enum`` member: only strings and null are supported (compared as
    ``jsonschema`` compares them)."""
    if isinstance(value, str):
        return lambda v: isinstance(v, str) and v == value
    if value is None:
        return lambda v: v is None
    raise UnsupportedSchemaError(f"literal {value!r}")


def _type(spec: Any) -> Check:
    names = [spec] if isinstance(spec, str) else list(spec)
    try:
        checks = [_TYPES[name] for name in names]
    except (KeyError, TypeError) as exc:
        raise UnsupportedSchemaError(f"type {spec!r}") from exc
    return lambda v: any(check(v) for check in checks)


def _object_checks(schema: dict[str, Any]) -> list[Check]:
    checks: list[Check] = []
    props = {name: _compile(sub) for name, sub in schema.get("properties", {}).items()}
    if props:
        items = list(props.items())

        def properties(v: Any) -> bool:
            if not isinstance(v, dict):
                return True
            return all(check(v[name]) for name, check in items if name in v)

        checks.append(properties)
    if "required" in schema:
        required = list(schema["required"])
        checks.append(lambda v: not isinstance(v, dict) or all(k in v for k in required))
    if "additionalProperties" in schema:
        extra = schema["additionalProperties"]
        if extra is False:
            known = frozenset(props)
            checks.append(lambda v: not isinstance(v, dict) or known.issuperset(v))
        elif extra is not True:
            extra_check = _compile(extra)
            known = frozenset(props)
            checks.append(
                lambda v: (
                    not isinstance(v, dict) or all(extra_check(v[k]) for k in v if k not in known)
                )
            )
    return checks


def _compile(schema: Any) -> Check:
    """One check for a (sub)schema; raises :class:`UnsupportedSchemaError` for other keywords."""
    if schema is True:
        return lambda v: True
    if schema is False:
        return lambda v: False
    if not isinstance(schema, dict):
        raise UnsupportedSchemaError(f"schema {schema!r}")
    object_keys = {"properties", "required", "additionalProperties"}
    handled = ANNOTATIONS | object_keys | {"type", "items", "pattern", "minLength", "minimum"}
    handled |= {"const", "enum", "not", "if", "then", "else"}
    unknown = set(schema) - handled
    if unknown:
        raise UnsupportedSchemaError(", ".join(sorted(unknown)))
    checks: list[Check] = []
    if "type" in schema:
        checks.append(_type(schema["type"]))
    if "const" in schema:
        checks.append(_literal(schema["const"]))
    if "enum" in schema:
        members = [_literal(e) for e in schema["enum"]]
        checks.append(lambda v: any(member(v) for member in members))
    if "pattern" in schema:
        search = re.compile(schema["pattern"]).search
        checks.append(lambda v: not isinstance(v, str) or search(v) is not None)
    if "minLength" in schema:
        min_length = schema["minLength"]
        checks.append(lambda v: not isinstance(v, str) or len(v) >= min_length)
    if "minimum" in schema:
        minimum = schema["minimum"]
        checks.append(lambda v: not _is_number(v) or v >= minimum)
    if "items" in schema:
        item = _compile(schema["items"])
        checks.append(lambda v: not isinstance(v, list) or all(item(x) for x in v))
    checks.extend(_object_checks(schema))
    if "not" in schema:
        negated = _compile(schema["not"])
        checks.append(lambda v: not negated(v))
    if "if" in schema:
        condition = _compile(schema["if"])
        then = _compile(schema.get("then", True))
        otherwise = _compile(schema.get("else", True))
        checks.append(lambda v: then(v) if condition(v) else otherwise(v))
    if len(checks) == 1:
        return checks[0]
    return lambda v: all(check(v) for check in checks)


def compile_schema(schema: dict[str, Any]) -> Check | None:
    """``is_valid(record)`` for ``schema``, or ``None`` when the schema uses a keyword that is
    not implemented here (then only ``jsonschema`` can say)."""
    try:
        return _compile(schema)
    except UnsupportedSchemaError:
        return None


def load_record_schema() -> dict[str, Any]:
    """The checked-in record schema (``schema/article.schema.json``). Read here rather than in
    :mod:`scienmag_crawler.schema`, whose generator imports itemadapter and with it Scrapy,
    so that the Scrapy-free commands (tables, report) load it the same way the crawler does."""
    text = files("scienmag_crawler").joinpath("schema/article.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema
