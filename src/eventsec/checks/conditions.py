"""Conditions and phases parse: ``applies_when`` expressions, computed parameters and item phases."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator

from eventsec.checks.references import all_items, overlay_writes
from eventsec.checks.rule import Rule, rule
from eventsec.findings import Finding, Severity
from eventsec.load.index import Entry, Index
from eventsec.plan.expressions import (
    MAX_BUILT_LENGTH,
    MAX_FORMAT_WIDTH,
    MAX_INTEGER_BITS,
    ExpressionError,
    LimitExceeded,
    compared_constants,
    fact_paths,
    unknown_names,
)
from eventsec.plan.phases import PhaseError, parse_phase
from eventsec.vocabulary import did_you_mean


def _check_expression(
    r: Rule, entry: Entry, field: str, parameters: set[str], values: dict[tuple[str, str], frozenset[str]]
) -> Iterator[Finding]:
    expression = entry.value.get(field)
    if not isinstance(expression, str):
        return
    try:
        unknown = unknown_names(expression, parameters)
    except ExpressionError as exc:
        yield r.finding(
            entry.at(field),
            f"{field} {expression!r}: {exc}",
            LIMITS_HINT
            if isinstance(exc, LimitExceeded)
            else "write a Python-like condition, e.g. venue.capacity >= 20000 and match.risk == 'high'",
        )
        return
    for name in sorted(unknown):
        yield r.finding(
            entry.at(field),
            f"{field} {expression!r} reads unknown name '{name}'",
            "use venue.*, match.*, tournament.*, country.* or a declared parameter",
        )
    fields = context_fields()
    for root, name, *_ in (path for path in fact_paths(expression) if len(path) > 1 and path[0] in fields):
        if name not in fields[root]:
            yield r.finding(
                entry.at(field),
                f"{field} {expression!r} reads '{root}.{name}', which no {root} has (it would always read as empty)",
                did_you_mean(name, fields[root]) or f"{root} fields: {', '.join(sorted(fields[root]))}",
            )
    for path, constant in compared_constants(expression):
        allowed = values.get(path[:2]) if len(path) == 2 else None
        if allowed and isinstance(constant, str) and constant not in allowed:
            yield r.finding(
                entry.at(field),
                f"{field} {expression!r} compares '{'.'.join(path)}' with {constant!r}, which it never is",
                did_you_mean(constant, allowed) or f"it is one of: {', '.join(sorted(allowed))}",
            )


LIMITS_HINT = (
    f"expressions need only plain numbers and short texts: integers stay within {MAX_INTEGER_BITS} bits, "
    f"built texts and lists within {MAX_BUILT_LENGTH:,} elements, format widths within {MAX_FORMAT_WIDTH} "
    "(see 'Bounds' in docs/authoring.md)"
)
"""The hint for an expression refused for passing a bound: what the bounds are."""


@functools.cache
def fact_values() -> dict[tuple[str, str], frozenset[str]]:
    """The values some facts can take: match risk and stage (schema enums), so a condition
    testing them for anything else is a typo. (Country codes are not checked: an overlay may
    name a country this tournament does not host, as the shared library does.)"""
    from eventsec.load.schema import schema_text

    match = json.loads(schema_text("venue"))["properties"]["matches"]["items"]["properties"]
    return {("match", "risk"): frozenset(match["risk"]["enum"]), ("match", "stage"): frozenset(match["stage"]["enum"])}


@functools.cache
def context_fields() -> dict[str, frozenset[str]]:
    """The fields a condition can read under each context root, from the schemas (which allow
    no other field): the resolver's context is the venue, the match, the tournament without its
    operations, and the host country's code and name."""
    from eventsec.load.schema import schema_text
    from eventsec.plan.model import NOT_IN_CONTEXT

    venue = json.loads(schema_text("venue"))["properties"]
    tournament = json.loads(schema_text("tournament"))["properties"]
    return {
        "venue": frozenset(venue) - NOT_IN_CONTEXT["venue"],
        "match": frozenset(venue["matches"]["items"]["properties"]),
        "tournament": frozenset(tournament) - NOT_IN_CONTEXT["tournament"],
        "country": frozenset({"code", "name"}),
    }


@rule(
    "expression",
    Severity.ERROR,
    "applies_when conditions and computed parameters parse, name only known things and stay within the bounds on expressions.",
    explanation="`applies_when` conditions and computed parameters are small expressions. They must parse, read only known parameters and venue fields, and stay within the size and depth bounds.",
    failing="applies_when: venue.capacity >\n",
    fixed="applies_when: venue.capacity > 40000\n",
)
def expression(r: Rule, index: Index) -> Iterator[Finding]:
    parameters = set(index.parameters())
    values = fact_values()
    for _, item in all_items(index):
        yield from _check_expression(r, item, "applies_when", parameters, values)
    for declaration in index.parameters().values():
        if isinstance(declaration.value, dict):
            yield from _check_expression(r, declaration, "expression", parameters, values)
    for block in index.operation_blocks():
        for entry in block.entries("set"):
            fields = entry.value.get("fields")
            if isinstance(fields, dict):
                yield from _check_expression(
                    r, Entry(entry.document, entry.path + ("fields",), fields), "applies_when", parameters, values
                )
        for name, setting in (block.data.get("parameters") or {}).items():
            if isinstance(setting, dict):
                entry = Entry(block.document, block.path + ("parameters", name), setting)
                yield from _check_expression(r, entry, "expression", parameters, values)


@rule(
    "phase",
    Severity.ERROR,
    "Item phases parse and are in range (T-1d..T-730d, MD-72h..MD+72h, post).",
    explanation="An item's phase says when it is done: `T-<n>d` days before the tournament (1 to 730), `MD-<n>h`/`MD+<n>h` hours around a match (up to 72), or `post`.",
    failing="phase: T-800d\n",
    fixed="phase: T-60d\n",
)
def phase(r: Rule, index: Index) -> Iterator[Finding]:
    written = [(item, ("phase",), item.value.get("phase")) for _, item in all_items(index)]
    written += overlay_writes(index, "phase", ("fields",))
    for entry, steps, text in written:
        if isinstance(text, str):
            try:
                parse_phase(text)
            except PhaseError as exc:
                yield r.finding(entry.at(*steps), str(exc), "e.g. T-60d, MD-4h, MD, MD+2h or post")


@rule(
    "unknown-feature",
    Severity.WARNING,
    "A condition reads only venue features some venue of the workspace declares.",
    explanation="A condition that reads a venue feature no venue declares is always false, which is usually a misspelling (warning).",
    failing="applies_when: venue.features.fanzone\n# venues declare features: {fan_zone: true}\n",
    fixed="applies_when: venue.features.fan_zone\n",
)
def unknown_feature(r: Rule, index: Index) -> Iterator[Finding]:
    declared = {name for venue in index.venues() for name in (venue.value.get("features") or {})}
    if not declared:
        return  # a library checked on its own: no venues to compare with
    entries = [item for _, item in all_items(index)] + [
        Entry(entry.document, entry.path + ("fields",), entry.value["fields"])
        for block in index.operation_blocks()
        for entry in block.entries("set")
        if isinstance(entry.value.get("fields"), dict)
    ]
    for entry in entries:
        condition = entry.value.get("applies_when")
        if not isinstance(condition, str):
            continue
        try:
            paths = fact_paths(condition)
        except ExpressionError:
            continue  # the expression rule reports it
        for path in paths:
            if path[:2] == ("venue", "features") and len(path) > 2 and path[2] not in declared:
                yield r.finding(
                    entry.at("applies_when"),
                    f"applies_when {condition!r} reads venue feature '{path[2]}', "
                    "which no venue declares (it is false everywhere)",
                    did_you_mean(path[2], declared) or f"declared features: {', '.join(sorted(declared))}",
                )
