"""Ids are unique: protocols, items (library and overlay adds), lessons, roles, domains, venues, matches, overlays."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from eventsec.checks.rule import Rule, rule
from eventsec.findings import Finding, Severity
from eventsec.load.index import Entry, Index


def _duplicates(r: Rule, what: str, entries: Iterable[Entry]) -> Iterator[Finding]:
    first: dict[str, Entry] = {}
    for entry in entries:
        ident = entry.value.get("id")
        if not isinstance(ident, str):
            continue
        if ident in first:
            earlier = first[ident].at("id")
            yield r.finding(
                entry.at("id"),
                f"duplicate {what} id '{ident}' (first defined at {earlier})",
                "ids must be unique; rename one of them",
            )
        else:
            first[ident] = entry


@rule(
    "duplicate-id",
    Severity.ERROR,
    "Every protocol, item, lesson, role, domain, venue, match and overlay id is unique.",
    explanation="Ids are how overlays, status files and links find things; two protocols, items, lessons, roles, domains, venues, matches or overlays with one id would make every such reference ambiguous.",
    failing="items:\n  - id: CRW-001\n    title: Approve the stewarding plan\n  - id: CRW-001\n    title: Check the gates\n",
    fixed="items:\n  - id: CRW-001\n    title: Approve the stewarding plan\n  - id: CRW-003\n    title: Check the gates\n",
)
def duplicate_id(r: Rule, index: Index) -> Iterator[Finding]:
    yield from _duplicates(r, "protocol", index.protocols())
    items = [item for _, item in index.items()] + [item for _, item in index.added_items()]
    yield from _duplicates(r, "item", items)
    yield from _duplicates(r, "lesson", index.lessons())
    yield from _duplicates(r, "role", index.catalog_entries("roles"))
    yield from _duplicates(r, "domain", index.catalog_entries("domains"))
    yield from _duplicates(r, "venue", index.venues())
    yield from _duplicates(r, "match", [match for _, match in index.matches()])
    yield from _duplicates(r, "overlay", [Entry(doc, (), doc.data) for doc in index.of_kind("overlay")])
