"""Overlays say exactly what they change: targets exist, removals are justified, parameters are declared."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from eventsec.checks import Rule, rule
from eventsec.findings import Finding, Severity
from eventsec.load.index import Entry, Index
from eventsec.vocabulary import did_you_mean, truncate

PLACEHOLDER_REASONS = {"n/a", "na", "none", "tbd", "todo", "-", "not needed", "no", "removed"}
CRITICALITY_RANK = {"critical": 3, "high": 2, "medium": 1, "low": 0}
MAX_MAGNITUDE = 1e9
"""Largest parameter value either way: event figures (people, metres, minutes, weights) stay far
below it, and larger numbers (``9 ** 9999``) only overflow the calculations."""
MIN_MAGNITUDE = 1e-9
"""Smallest parameter value other than zero, either way: rates, ratios and shares stay far above
it, and a figure such as 1e-300 is a slip whose reciprocal (a time, a count) overflows every
later figure. With :data:`MAX_MAGNITUDE` it keeps the figures the calculations derive below
10^27, the most digits the plan's number formatting holds."""


PHYSICAL_FLOORS = {
    "turnstile_rate_per_hour": (1, "persons per turnstile per hour; the Green Guide plans 660"),
    "flow_rate_level": (1, "persons per metre per minute; Fruin's freest walkway carries up to 23"),
    "flow_rate_stepped": (1, "persons per metre per minute; Fruin's freest walkway carries up to 23"),
    "entry_time_target_min": (1, "minutes; entry is planned over about an hour"),
    "egress_target_min": (1, "minutes; the Green Guide plans 8"),
    "emergency_evacuation_target_min": (1, "minutes; the Green Guide's range is 2.5 to 8"),
    "steward_ratio": (1, "spectators per steward; SGSA guidance plans 250"),
    "steward_ratio_high_risk": (1, "spectators per steward"),
    "supervisor_ratio": (1, "stewards per supervisor"),
    "spectators_per_ambulance": (1, "spectators per additional ambulance"),
    "readiness_weight_critical": (1, "weight of a critical item; with 0 a venue with nothing done scored 100%"),
}
"""Lowest value that makes sense for the parameters the safety calculations divide by, and for
the critical items' readiness weight, whatever a workspace's own library declares: a zero rate,
target or ratio is no figure at all and stopped status, safety and render with a division by
zero. The built-in library declares minimums at or above these floors."""


def _library_items(index: Index) -> dict[str, Entry]:
    found: dict[str, Entry] = {}
    for _, item in index.items():
        found.setdefault(item.value.get("id"), item)
    for _, item in index.added_items():
        found.setdefault(item.value.get("id"), item)
    return found


@rule(
    "unknown-item",
    Severity.ERROR,
    "Every overlay set, remove and add anchor names an existing item (unless optional: true).",
    explanation="Overlays set, remove and add after items by id; each id must exist in the library, unless the entry says `optional: true`.",
    failing="set:\n  - item: CRW-099\n    fields: {criticality: high}\n",
    fixed="set:\n  - item: CRW-002\n    fields: {criticality: high}\n",
)
def unknown_item(r: Rule, index: Index) -> Iterator[Finding]:
    items = index.item_ids()
    protocols = index.ids(index.protocols())
    for block in index.operation_blocks():
        for operation in ("set", "remove"):
            for entry in block.entries(operation):
                target = entry.value.get("item")
                if isinstance(target, str) and target not in items and not entry.value.get("optional"):
                    yield r.finding(
                        entry.at("item"),
                        f"{operation} targets item '{target}', which does not exist",
                        did_you_mean(target, items)
                        or "check the id, or add 'optional: true' if the item may be absent",
                    )
        for entry in block.entries("add"):
            protocol = entry.value.get("protocol")
            if isinstance(protocol, str) and protocol not in protocols:
                yield r.finding(
                    entry.at("protocol"),
                    f"add targets protocol '{protocol}', which does not exist",
                    did_you_mean(protocol, protocols),
                )
            for anchor in ("after", "before"):
                target = entry.value.get(anchor)
                if isinstance(target, str) and target not in items:
                    yield r.finding(
                        entry.at(anchor),
                        f"add is placed {anchor} '{target}', which does not exist",
                        did_you_mean(target, items),
                    )


@rule(
    "unknown-target",
    Severity.ERROR,
    "Every overlay's target is a host country, a venue or a match of the workspace.",
    explanation="An overlay targets a host country (country layer), a venue (venue layer) or a match (match layer) of the workspace.",
    failing="kind: overlay\nlayer: venue\ntarget: v9\n",
    fixed="kind: overlay\nlayer: venue\ntarget: v1\n",
)
def unknown_target(r: Rule, index: Index) -> Iterator[Finding]:
    if not index.tournaments():
        return
    known = {
        "country": index.host_countries(),
        "venue": index.ids(index.venues()),
        "match": {m.value.get("id") for _, m in index.matches()},
    }
    for doc in index.of_kind("overlay"):
        layer, target = doc.data.get("layer"), doc.data.get("target")
        if layer in known and isinstance(target, str) and target not in known[layer]:
            yield r.finding(
                doc.locate(("target",)),
                f"{layer} overlay targets '{target}', which is not a {layer} of the tournament",
                did_you_mean(target, known[layer]),
            )
        if layer == "tournament" and target is not None:
            yield r.finding(
                doc.locate(("target",)), "a tournament overlay applies to the whole tournament; remove 'target'"
            )
    hosts = known["country"]
    for venue in index.venues():
        country = venue.value.get("country")
        if isinstance(country, str) and country not in hosts:
            yield r.finding(
                venue.at("country"),
                f"venue country '{country}' is not a host of the tournament",
                f"hosts: {', '.join(sorted(hosts))}",
            )


@rule(
    "removal-reason",
    Severity.ERROR,
    "Every removal gives a real reason, not a placeholder.",
    explanation="An overlay that removes an item says why in words a reviewer can check; placeholders such as `n/a`, `tbd` or `-` are not reasons.",
    failing="remove:\n  - item: CRW-002\n    reason: n/a\n",
    fixed="remove:\n  - item: CRW-002\n    reason: Stewards are briefed by the club's own procedure\n",
)
def removal_reason(r: Rule, index: Index) -> Iterator[Finding]:
    for block in index.operation_blocks():
        for entry in block.entries("remove"):
            reason = entry.value.get("reason")
            if isinstance(reason, str) and (reason.strip().lower() in PLACEHOLDER_REASONS or len(reason.strip()) < 10):
                yield r.finding(
                    entry.at("reason"),
                    f"removal reason {reason!r} does not say why the item does not apply",
                    "write the reason a reviewer needs, e.g. 'No fan zone at this venue (city fan festival is run by the city)'",
                )


@rule(
    "removal-waiver",
    Severity.ERROR,
    "A locked or critical item is removed only with a waiver (who approved, when, why).",
    explanation="A locked item is a tournament minimum and a critical one a safety essential; removing either "
    "at a venue is approved on record by a waiver: who approved it, when and why.",
    failing="remove:\n  - item: CRW-001\n    reason: The operator's own plan is used at this venue\n",
    fixed="remove:\n  - item: CRW-001\n    reason: The operator's own plan is used at this venue\n    waiver: {approved_by: J. Doe, date: '2025-05-01', reason: Equivalent plan reviewed}\n",
)
def removal_waiver(r: Rule, index: Index) -> Iterator[Finding]:
    items = _library_items(index)
    # An item whose criticality an overlay sets is judged on its resolved value, by the resolver
    # (validate's resolve pass): a venue may lower an unlocked item before removing it.
    recriticalized = {
        entry.value.get("item")
        for block in index.operation_blocks()
        for entry in block.entries("set")
        if "criticality" in (entry.value.get("fields") or {})
    }
    for block in index.operation_blocks():
        for entry in block.entries("remove"):
            target = items.get(entry.value.get("item"))
            if target is None or entry.value.get("waiver"):
                continue
            critical = target.value.get("criticality") == "critical" and target.value.get("id") not in recriticalized
            why = "locked" if target.value.get("locked") else "critical" if critical else ""
            if why:
                yield r.finding(
                    entry.at("item"),
                    f"item '{target.value['id']}' is {why} and cannot be removed without a waiver",
                    "add 'waiver: {approved_by: ..., date: YYYY-MM-DD, reason: ...}'",
                )


@rule(
    "locked-change",
    Severity.ERROR,
    "An overlay may not lower the criticality of a locked item.",
    explanation="Locked items are the tournament's minimum; an overlay may raise their criticality but never lower it.",
    failing="set:\n  - item: CRW-001   # locked, critical\n    fields: {criticality: low}\n",
    fixed="set:\n  - item: CRW-001\n    fields: {note: Checked with the local operator}\n",
)
def locked_change(r: Rule, index: Index) -> Iterator[Finding]:
    items = _library_items(index)
    for block in index.operation_blocks():
        for entry in block.entries("set"):
            target = items.get(entry.value.get("item"))
            new = (entry.value.get("fields") or {}).get("criticality")
            if target is None or not target.value.get("locked") or new not in CRITICALITY_RANK:
                continue
            old = target.value.get("criticality")
            if CRITICALITY_RANK[new] < CRITICALITY_RANK.get(old, 0):
                yield r.finding(
                    entry.at("fields", "criticality"),
                    f"item '{target.value['id']}' is locked; its criticality cannot drop from {old} to {new}",
                )


@rule(
    "parameter",
    Severity.ERROR,
    "Parameter defaults fit their declaration, and settings name a declared parameter and fit its type and range.",
    explanation="Protocol parameters declare a type and a range. Their defaults must fit them, and every overlay setting must name a declared parameter and fit its type and range.",
    failing="parameters:\n  steward_ratio: 5          # minimum 50\n  stewards_per_gate: 4      # not declared\n",
    fixed="parameters:\n  steward_ratio: 200\n",
)
def parameter(r: Rule, index: Index) -> Iterator[Finding]:
    yield from _default_problems(r, index)
    declared = index.parameters()
    if not declared:
        return
    for block in index.operation_blocks():
        for name, setting in (block.data.get("parameters") or {}).items():
            location = block.document.locate(block.path + ("parameters", name), key=True)
            if name not in declared:
                yield r.finding(
                    location,
                    f"parameter '{name}' is not declared by any protocol",
                    did_you_mean(name, declared) or "declare it under a protocol's 'parameters:'",
                )
                continue
            value = setting.get("value") if isinstance(setting, dict) else setting
            if value is not None:
                problem = parameter_problem(declared[name].value, value, name)
                if problem:
                    yield r.finding(
                        block.document.locate(block.path + ("parameters", name)), f"parameter '{name}': {problem}"
                    )


def _default_problems(r: Rule, index: Index) -> Iterator[Finding]:
    """A protocol's default outside its own declaration (a default of 1e-300 reached the safety calculations)."""
    for protocol in index.protocols():
        for name, declaration in (protocol.value.get("parameters") or {}).items():
            if isinstance(declaration, dict) and "default" in declaration:
                problem = parameter_problem(declaration, declaration["default"], name)
                if problem:
                    yield r.finding(
                        protocol.document.locate(("parameters", name, "default")),
                        f"parameter '{name}' default: {problem}",
                    )


def short_repr(value: Any, limit: int = 30) -> str:
    """``repr`` cut to ``limit`` characters, for values that may be 90-digit numbers."""
    return truncate(repr(value), limit)


def parameter_problem(declaration: dict, value: Any, name: str = "") -> str:
    """Why ``value`` does not fit the declaration (and :data:`PHYSICAL_FLOORS` for parameter ``name``), or the empty string."""
    kind = declaration.get("type")
    fits = {
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, (int, float)) and not isinstance(value, bool),
        "string": isinstance(value, str),
        "boolean": isinstance(value, bool),
    }.get(kind, True)
    if not fits:
        return f"expected {kind}, got {value!r}"
    if kind in ("integer", "number") and not (
        value == 0 or MIN_MAGNITUDE <= abs(value) <= MAX_MAGNITUDE
    ):  # nan fails too
        return (
            f"{short_repr(value)} is not a finite number of plausible size (zero, or from {MIN_MAGNITUDE:.0e} "
            f"to {MAX_MAGNITUDE:.0e} either way)"
        )
    if "minimum" in declaration and value < declaration["minimum"]:
        return f"{value} is below the minimum {declaration['minimum']}"
    floor, unit = PHYSICAL_FLOORS.get(name, (None, ""))
    if floor is not None and isinstance(value, (int, float)) and value < floor:
        return f"{value} is below {floor}, the least that makes sense ({unit})"
    if "maximum" in declaration and value > declaration["maximum"]:
        return f"{value} is above the maximum {declaration['maximum']}"
    if "enum" in declaration and value not in declaration["enum"]:
        return f"{value!r} is not one of {declaration['enum']}"
    return ""
