"""Status files point at a real venue and at items of the plan."""

from __future__ import annotations

from typing import Iterator

from eventsec.findings import Finding, Severity
from eventsec.index import Index
from eventsec.rules import Rule, rule
from eventsec.rules.references import suggest


@rule("status-venue", Severity.ERROR, "Every status file names a venue of the workspace.")
def status_venue(r: Rule, index: Index) -> Iterator[Finding]:
    if not index.tournaments():
        return
    venues = index.ids(index.venues())
    for doc in index.statuses():
        venue = doc.data.get("venue")
        if isinstance(venue, str) and venue not in venues:
            yield r.finding(doc.locate(("venue",)), f"status for unknown venue '{venue}'", suggest(venue, venues))


@rule("status-item", Severity.WARNING, "Every status entry names an item of the library (stale entries are flagged).")
def status_item(r: Rule, index: Index) -> Iterator[Finding]:
    items = index.item_ids()
    if not items:
        return
    for doc in index.statuses():
        for item in (doc.data.get("items") or {}):
            if item not in items:
                yield r.finding(doc.key_location(("items", item)), f"status entry for item '{item}', which is not in the library",
                                suggest(item, items) or "the item was renamed or removed; update or delete the entry")
