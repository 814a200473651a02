"""Every reference resolves: items to lessons, references, roles and domains."""

from __future__ import annotations

import difflib
from typing import Iterable, Iterator

from eventsec.findings import Finding, Severity
from eventsec.index import Entry, Index
from eventsec.rules import Rule, rule


def suggest(value: str, known: Iterable[str]) -> str:
    """A 'did you mean' hint, or the empty string."""
    close = difflib.get_close_matches(value, sorted(known), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def all_items(index: Index) -> Iterator[tuple[str, Entry]]:
    """(protocol id, item) for library items and items added by overlays."""
    for protocol, item in index.items():
        yield str(protocol.value.get("id")), item
    for _, item in index.added_items():
        yield "", item


@rule("unknown-role", Severity.ERROR, "Every item owner and contact role is a role id from the catalog.")
def unknown_role(r: Rule, index: Index) -> Iterator[Finding]:
    roles = index.ids(index.catalog_entries("roles"))
    for _, item in all_items(index):
        owner = item.value.get("owner")
        if isinstance(owner, str) and owner not in roles:
            yield r.finding(item.at("owner"), f"owner '{owner}' is not a role in the catalog",
                            suggest(owner, roles) or "add the role to the catalog or use an existing role id")
    for venue in index.venues():
        for position, contact in enumerate(venue.value.get("contacts") or []):
            role = contact.get("role") if isinstance(contact, dict) else None
            if isinstance(role, str) and role not in roles:
                yield r.finding(venue.at("contacts", position, "role"), f"contact role '{role}' is not a role in the catalog",
                                suggest(role, roles))


@rule("unknown-domain", Severity.ERROR, "Every protocol and lesson names a domain from the catalog.")
def unknown_domain(r: Rule, index: Index) -> Iterator[Finding]:
    domains = index.ids(index.catalog_entries("domains"))
    for entry in list(index.protocols()) + list(index.lessons()):
        domain = entry.value.get("domain")
        if isinstance(domain, str) and domain not in domains:
            yield r.finding(entry.at("domain"), f"domain '{domain}' is not in the catalog", suggest(domain, domains))


@rule("unknown-lesson", Severity.ERROR, "Every lesson an item links to exists in a lessons document.")
def unknown_lesson(r: Rule, index: Index) -> Iterator[Finding]:
    lessons = index.ids(index.lessons())
    for _, item in all_items(index):
        for position, lesson in enumerate(item.value.get("lessons") or []):
            if isinstance(lesson, str) and lesson not in lessons:
                yield r.finding(item.at("lessons", position), f"lesson '{lesson}' does not exist",
                                suggest(lesson, lessons) or "add it to a lessons document or remove the link")


@rule("unknown-reference", Severity.ERROR, "Every reference an item cites is declared in its protocol's references.")
def unknown_reference(r: Rule, index: Index) -> Iterator[Finding]:
    for protocol, item in index.items():
        declared = {ref.get("id") for ref in protocol.value.get("references") or [] if isinstance(ref, dict)}
        for position, use in enumerate(item.value.get("references") or []):
            ref_id = use.get("id") if isinstance(use, dict) else use
            if isinstance(ref_id, str) and ref_id not in declared:
                yield r.finding(item.at("references", position),
                                f"reference '{ref_id}' is not declared in protocol '{protocol.value.get('id')}'",
                                suggest(ref_id, declared) or "declare it under the protocol's 'references:'")


@rule("unsourced-item", Severity.WARNING, "Every item cites a reference or says 'basis: practice'.")
def unsourced_item(r: Rule, index: Index) -> Iterator[Finding]:
    for _, item in all_items(index):
        if not item.value.get("references") and not item.value.get("basis"):
            yield r.finding(item.at("id"), f"item '{item.value.get('id')}' cites no reference and gives no basis",
                            "add 'references: [...]' or 'basis: practice' (never invent a citation)")
