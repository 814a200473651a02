"""The JSON Schemas in ``schemas/`` are the contract; this module checks documents against them.

One ``referencing.Registry`` over every schema file and one reused validator per kind (building
a validator per document re-checks the schema each time and is several times slower). Errors
are mapped back to YAML positions and rewritten as messages a planner can act on.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
import unicodedata
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
    resolving ~100 references per document at validation time was half the schema pass. Its
    ``pattern`` reads ``$`` as JSON Schema's regexes (ECMA-262) do, so it reports a value with a
    final newline beside the document's other errors, as jsonschema-rs rejects it.
    """
    schema = json.loads(schema_text(kind))
    base = f"{kind}.schema.json"
    inlined = _inline(schema, base, _registry().resolver(base_uri=base))
    return strict_validator(inlined, registry=_registry())


def strict_validator(schema: dict, **options: Any):
    """A Draft 2020-12 validator of ``schema`` as eventsec reads it: ``$`` in a ``pattern`` is the
    end of the text (ECMA-262), and ``format: date`` is a real date in :data:`PLAN_YEARS`."""
    from jsonschema import Draft202012Validator, FormatChecker, validators

    formats = FormatChecker()
    formats.checks("date")(plan_date)
    strict = validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})
    return strict(schema, format_checker=formats, **options)


def _ecma_pattern(validator: Any, pattern: str, instance: Any, schema: dict) -> Iterable:
    """jsonschema's ``pattern`` keyword with ECMA-262's ``$``: the end of the text only.

    Python's ``$`` also matches before a final newline, so plain jsonschema accepts ``"21:00\\n"``
    for ``^...[0-9]$``; the regex is otherwise the same, and so is the error.
    """
    from jsonschema.exceptions import ValidationError

    if validator.is_type(instance, "string") and not _ecma_regex(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@functools.cache
def _ecma_regex(pattern: str) -> re.Pattern:
    """``pattern`` compiled with each ``$`` anchor (not escaped, not in a class) read as ``\\Z``."""
    out, escaped, in_class = [], False, False
    for char in pattern:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in "[]":
            in_class = char == "["
        elif char == "$" and not in_class:
            char = r"\Z"
        out.append(char)
    return re.compile("".join(out))


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
    return [_finding(document, err) for err in strict_errors(validator(kind), fast_validator(kind), document.data)]


def strict_errors(python: Any, fast: Any, instance: Any) -> list:
    """The schema errors of ``instance``, empty only when jsonschema and jsonschema-rs both accept it.

    A valid document costs one jsonschema-rs call. One it rejects is re-checked by jsonschema,
    whose errors read best (oneOf branches, ``required`` alternatives); when jsonschema finds
    nothing, the stricter jsonschema-rs wins and its own errors are reported. The two disagreed
    on regexes (Python's ``$`` also matches before a final newline, so plain jsonschema accepts
    ``"21:00\\n"``), which :func:`validator` now reads as jsonschema-rs does; this keeps any other
    disagreement from passing. Trusting jsonschema-rs's "valid" relies on it never being the
    more lenient of the two, which tests/test_schema.py checks for every schema pattern and fixture.
    """
    if fast is None:
        return list(_leaf_errors(python.iter_errors(instance)))
    if fast.is_valid(instance):
        return []
    return list(_leaf_errors(python.iter_errors(instance))) or [
        _StrictError.of(err, python.schema) for err in fast.iter_errors(instance)
    ]


@dataclasses.dataclass(frozen=True)
class _StrictError:
    """A jsonschema-rs error in the shape of a jsonschema one, so :func:`_finding` words it the same."""

    absolute_path: tuple
    validator: str
    validator_value: Any
    schema: dict
    instance: Any
    message: str
    parent: None = None

    @classmethod
    def of(cls, err: Any, root: dict) -> _StrictError:
        """``err`` read against ``root``, the inlined schema whose ``schema_path`` it gives."""
        import jsonschema_rs

        *where, keyword = err.schema_path
        schema: Any = root
        for step in where:
            schema = schema[step]
        kind = err.kind
        instance = err.instance
        message = err.message
        if isinstance(kind, jsonschema_rs.ValidationErrorKind.PropertyNames):  # the failing key, as jsonschema gives it
            instance = kind.error.instance
        elif isinstance(kind, jsonschema_rs.ValidationErrorKind.Required):  # jsonschema's wording, which _finding reads
            message = f"{kind.property!r} is a required property"
        return cls(tuple(err.instance_path), keyword, schema.get(keyword), schema, instance, message)


@functools.cache
def fast_validator(kind: str):
    """jsonschema-rs over the same inlined schema: the fast and strict half of :func:`strict_errors`."""
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
        hint = f"{_hidden_character(value)} {_describe(err.schema)}".strip()
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


def _hidden_character(value: Any) -> str:
    """What makes a value that looks right fail its format: a line break, an invisible character
    or a digit other than 0-9 (a YAML ``"21:00\\n"`` or a value pasted from a web page), said first."""
    if not isinstance(value, str):
        return ""
    for at, char in enumerate(value):
        category = unicodedata.category(char)
        if category in ("Zl", "Zp") or char in "\r\n":
            if value[at:].strip():
                return f"the value contains a line break ({char!r}): keep it on one line."
            return f"the value ends with a line break ({value[at:]!r}): remove the line break after the value."
        if category in ("Cc", "Cf") or (category == "Zs" and char != " "):
            name = unicodedata.name(char, "a control character")
            return f"the value contains an invisible character ({char!r}, {name}): type the value again without it."
        if category == "Nd" and not char.isascii():
            return f"the value contains the digit {char!r} ({unicodedata.name(char)}): write digits as 0-9."
    return ""


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
