"""Overlays say exactly what they change: targets exist, removals are justified, parameters are declared."""

from __future__ import annotations

from collections.abc import Iterator

from eventsec.checks.rule import Rule, rule
from eventsec.findings import Finding, Severity
from eventsec.load.index import Entry, Index
from eventsec.plan.model import CRITICALITY_RANK
from eventsec.plan.parameters import parameter_problem
from eventsec.vocabulary import did_you_mean

PLACEHOLDER_REASONS = {"n/a", "na", "none", "tbd", "todo", "-", "not needed", "no", "removed"}


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
