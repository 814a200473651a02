"""The JSON Schemas in ``schemas/`` are the contract; this module checks documents against them.

One ``referencing.Registry`` over every schema file and one reused validator per kind (building
a validator per document re-checks the schema each time and is several times slower). Errors
are mapped back to YAML positions and rewritten as messages a planner can act on.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from datetime import date
from typing import Any

from eventsec.findings import Finding, Location, error
from eventsec.load.documents import Document
from eventsec.load.resources import schemas_dir
from eventsec.vocabulary import DOCUMENT_KINDS, did_you_mean

"""Document kinds, in the order ``eventsec schema`` lists them."""


PLAN_YEARS = (2000, 2100)
"""First and last year of a date eventsec reads (tournament and match dates, status dates,
waivers). A plan covers a tournament being prepared or just held: anything outside is a typo
(0030 for 2030), and dates near the ends of the calendar make deadline arithmetic overflow
(a T-60d deadline before 0001-01-01 or a post-tournament one after 9999-12-31)."""


def plan_date(text: object) -> bool:
    """The ``date`` format: a real calendar date, YYYY-MM-DD, in :data:`PLAN_YEARS` (not a string: other keywords' business)."""
    if not isinstance(text, str):
        return True
    day = _calendar_date(text)
    return day is not None and PLAN_YEARS[0] <= day.year <= PLAN_YEARS[1]


def _calendar_date(text: str) -> date | None:
    """``text`` as a date when it is one written YYYY-MM-DD (``fromisoformat`` also reads 20300613)."""
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


@functools.cache
def schema_text(kind: str) -> str:
    """The schema of ``kind`` as published JSON text."""
    return (schemas_dir() / f"{kind}.schema.json").read_text(encoding="utf-8")


@functools.cache
def _registry():
    """Every schema under its file name: the schemas carry no ``$id``, so a ``$ref`` such as
    ``common.schema.json#/$defs/slug`` resolves beside the referring file, here as in any
    validator given the files (a relative root ``$id`` is read against the working directory
    by some, check-jsonschema among them)."""
    from referencing import Registry, Resource

    registry = Registry()
    for path in sorted(schemas_dir().glob("*.schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        registry = registry.with_resource(path.name, Resource.from_contents(contents))
    return registry


@functools.cache
def validator(kind: str):
    """A reusable Draft 2020-12 validator for ``kind`` (built once per process).

    Every ``$ref`` is inlined when the validator is built: the schemas are not recursive, and
    resolving ~100 references per document at validation time was half the schema pass.
    """
    from jsonschema import Draft202012Validator, FormatChecker

    schema = json.loads(schema_text(kind))
    base = f"{kind}.schema.json"
    inlined = _inline(schema, base, _registry().resolver(base_uri=base))
    formats = FormatChecker()
    formats.checks("date")(plan_date)
    return Draft202012Validator(inlined, registry=_registry(), format_checker=formats)


def _inline(node: Any, base: str, resolver: Any) -> Any:
    """``node`` with every ``$ref`` replaced by its target (a sibling description is kept)."""
    from urllib.parse import urldefrag, urljoin

    if isinstance(node, list):
        return [_inline(item, base, resolver) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        uri = urljoin(base, node["$ref"])
        target = resolver.lookup(uri).contents
        merged = {**_inline(target, urldefrag(uri).url, resolver), **{k: v for k, v in node.items() if k != "$ref"}}
        return merged
    return {key: _inline(value, base, resolver) for key, value in node.items()}


def check_document(document: Document) -> list[Finding]:
    """Schema findings for one document: unknown kind, then every schema error."""
    kind = document.data.get("kind")
    if kind is None:
        return [
            error(
                document.locate(()),
                "schema",
                "missing 'kind' (what this document is)",
                f"add a first line 'kind: <one of {', '.join(DOCUMENT_KINDS)}>'",
            )
        ]
    if kind not in DOCUMENT_KINDS:
        return [
            error(
                document.locate(("kind",)),
                "unknown-kind",
                f"unknown kind {kind!r}",
                did_you_mean(str(kind), DOCUMENT_KINDS) or f"use one of: {', '.join(DOCUMENT_KINDS)}",
            )
        ]
    fast = fast_validator(kind)
    if fast is not None and fast.is_valid(document.data):
        return []
    return [_finding(document, err) for err in _leaf_errors(validator(kind).iter_errors(document.data))]


@functools.cache
def fast_validator(kind: str):
    """jsonschema-rs over the same inlined schema: a fast yes for valid documents.

    Only its "valid" answer is used; any document it rejects goes through the Python validator,
    whose errors become the findings, so messages never depend on it. tests/test_schema.py
    checks on every fixture that it never accepts what the Python validator rejects.
    """
    try:
        import jsonschema_rs
    except ImportError:
        return None
    schema = validator(kind).schema
    return jsonschema_rs.validator_for(schema, validate_formats=True, formats={"date": plan_date})


def _leaf_errors(errors: Iterable) -> Iterable:
    """Replace oneOf/anyOf errors by their most relevant alternative's errors."""
    from jsonschema.exceptions import best_match

    for err in errors:
        if err.validator in ("oneOf", "anyOf") and err.context:
            yield from _leaf_errors(_closest_branch(err.context) or [best_match(err.context)])
        else:
            yield err


def _closest_branch(context: list) -> list:
    """Errors of the first alternative whose type fits the value (its errors are the useful ones)."""
    branches: dict[Any, list] = {}
    for err in context:
        branches.setdefault(err.schema_path[0] if err.schema_path else None, []).append(err)
    for branch in branches.values():
        if not any(e.validator == "type" and not e.relative_path for e in branch):
            return branch
    return []


def _finding(document: Document, err: Any) -> Finding:
    path = tuple(err.absolute_path)
    field = _field_name(path)
    keyword = err.validator
    if keyword == "additionalProperties":
        allowed = sorted(err.schema.get("properties", {}))
        extras = sorted(set(err.instance) - set(allowed)) if isinstance(err.instance, dict) else []
        extra = extras[0] if extras else "?"
        return error(
            document.key_location(path + (extra,)),
            "schema",
            f"unknown field '{extra}'" + (f" in {field}" if field else ""),
            did_you_mean(extra, allowed) or f"allowed fields: {', '.join(allowed)}",
        )
    alternatives = _required_alternatives(err)
    if keyword == "required" and alternatives:  # oneOf [{required: [value]}, {required: [expression]}]
        return error(
            document.locate(path), "schema", f"{field or 'value'}: give " + " or ".join(f"'{n}'" for n in alternatives)
        )
    if keyword == "required":
        missing = err.message.split("'")[1] if "'" in err.message else err.message
        where = document.key_location(path) if path else document.locate(())
        return error(
            where,
            "schema",
            f"missing required field '{missing}'" + (f" in {field}" if field else ""),
            _describe(err.schema.get("properties", {}).get(missing, {})),
        )
    location = document.locate(path)
    value = err.instance
    if keyword == "enum":
        options = [str(o) for o in err.validator_value]
        return error(
            location,
            "schema",
            f"{field or 'value'} must be one of {', '.join(options)}; got {value!r}",
            did_you_mean(str(value), options),
        )
    if keyword == "const":
        return error(location, "schema", f"{field or 'value'} must be {err.validator_value!r}; got {value!r}")
    if keyword == "type":
        expected = err.validator_value if isinstance(err.validator_value, str) else " or ".join(err.validator_value)
        return error(
            location,
            "schema",
            f"{field or 'value'} must be {_article(expected)}; got {_type_name(value)} {value!r}"[:300],
            _type_hint(expected, value),
        )
    if keyword == "format" and err.validator_value == "date":
        return _date_finding(location, field or "value", value)
    if keyword in ("pattern", "format"):
        hint = _describe(err.schema)
        examples = err.schema.get("examples")
        if examples:
            hint = f"{hint} Examples: {', '.join(map(str, examples))}".strip()
        return error(location, "schema", f"{field or 'value'} {value!r} is not valid", hint)
    if keyword in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):  # the description says why the bound
        return error(location, "schema", f"{field + ': ' if field else ''}{err.message}"[:400], _describe(err.schema))
    if keyword == "not" and set(err.validator_value) == {"required"}:  # fields that exclude each other
        excluded = list(err.validator_value["required"])  # not all of these, or not this one beside the branch's own
        both = excluded if len(excluded) > 1 else list(err.schema.get("required", [])) + excluded
        return error(
            document.locate(path),
            "schema",
            f"{field or 'value'}: give " + " or ".join(f"'{name}'" for name in both) + ", not both",
        )
    if keyword == "propertyNames":
        return error(location, "schema", f"invalid name in {field or 'mapping'}: {err.message}")
    return error(location, "schema", f"{field + ': ' if field else ''}{err.message}"[:400])


def _date_finding(location: Location, field: str, value: str) -> Finding:
    """A date the ``date`` format refused: not a calendar date, or outside :data:`PLAN_YEARS`."""
    first, last = PLAN_YEARS
    hint = f"write a calendar date as YYYY-MM-DD, e.g. {first + 30}-06-13"
    if _calendar_date(value):  # a real date, in the wrong year
        return error(
            location,
            "schema",
            f"{field} {value!r} is outside the years {first} to {last}",
            f"{hint}; a plan covers a tournament of this century (is the year a typo?)",
        )
    return error(location, "schema", f"{field} {value!r} is not a calendar date", hint)


def _required_alternatives(err: Any) -> list[str]:
    """The fields of a oneOf whose every branch requires one field, when ``err`` is one branch's."""
    parent = err.parent
    branches = parent.validator_value if parent is not None and parent.validator == "oneOf" else []
    names = [b["required"][0] for b in branches if isinstance(b, dict) and len(b.get("required", [])) == 1]
    return names if branches and len(names) == len(branches) else []


def _field_name(path: tuple) -> str:
    parts = []
    for step in path:
        parts.append(f"[{step}]" if isinstance(step, int) else (("." if parts else "") + str(step)))
    return "".join(parts)


def _describe(schema: dict) -> str:
    return str(schema.get("description", "")) if isinstance(schema, dict) else ""


def _article(name: str) -> str:
    return f"an {name}" if name[:1] in "aeiou" else f"a {name}"


def _type_name(value: Any) -> str:
    return {
        dict: "mapping",
        list: "list",
        str: "text",
        bool: "boolean",
        int: "integer",
        float: "number",
        type(None): "empty value",
    }.get(type(value), type(value).__name__)


def _type_hint(expected: str, value: Any) -> str:
    if (
        expected in ("integer", "number")
        and isinstance(value, str)
        and value.replace(",", "").replace(" ", "").isdigit()
    ):
        return "write the number without separators or quotes, e.g. 75600"
    if value is None:
        return "the field is present but empty; give it a value or remove it"
    if expected == "string" and isinstance(value, (int, float, bool)):
        return f'quote it to keep it as text: "{value}"'

    return ""
