"""Status files, checked twice: as documents, by lint rules (they point at a real venue and at
items of the library, one file per venue), and against each venue's resolved plan in
``validate``'s resolve pass (:func:`status_findings`). A lint rule sees the library; only the
resolved plan knows what a venue's overlays did to an item: raised it to critical, removed it,
or added it at another venue only. Both raise ``status-item``, here, from one module."""

from __future__ import annotations

from collections.abc import Iterator

from eventsec.checks.rule import Rule, rule
from eventsec.findings import Finding, Severity
from eventsec.load.documents import Document
from eventsec.load.index import Index
from eventsec.plan.model import REMOVED, Plan
from eventsec.vocabulary import did_you_mean


@rule(
    "status-venue",
    Severity.ERROR,
    "Every status file names a venue of the workspace.",
    explanation="A status file records one venue's progress, so it names a venue of the workspace.",
    failing="kind: status\nvenue: v9\n",
    fixed="kind: status\nvenue: v1\n",
)
def status_venue(r: Rule, index: Index) -> Iterator[Finding]:
    if not index.tournaments():
        return
    venues = index.ids(index.venues())
    reported = index.rejected_ids("venue")  # a venue that failed its schema is not "unknown"
    for doc in index.statuses():
        venue = doc.data.get("venue")
        if isinstance(venue, str) and venue not in venues and venue not in reported:
            yield r.finding(doc.locate(("venue",)), f"status for unknown venue '{venue}'", did_you_mean(venue, venues))


@rule(
    "status-item",
    Severity.WARNING,
    "Every status entry names an item of the library (stale entries are flagged).",
    explanation="Status entries name library items. An entry for an item the library no longer has (or never had) is stale and is flagged so it can be removed.",
    failing="kind: status\nvenue: v1\nitems:\n  CRW-099: {state: not-started}\n",
    fixed="kind: status\nvenue: v1\nitems:\n  CRW-002: {state: not-started}\n",
)
def status_item(r: Rule, index: Index) -> Iterator[Finding]:
    items = index.item_ids()
    if not items:
        return
    rejected = index.rejected_ids("venue")  # its overlay's items are unknown until it passes its schema
    unread = index.rejected_added_items()
    for doc in index.statuses():
        if doc.data.get("venue") in rejected:
            continue
        for item in doc.data.get("items") or {}:
            if item not in items and item not in unread:
                yield r.finding(
                    doc.key_location(("items", item)),
                    f"status entry for item '{item}', which is not in the library",
                    did_you_mean(item, items) or "the item was renamed or removed; update or delete the entry",
                )


@rule(
    "status-duplicate",
    Severity.ERROR,
    "A venue has one status file (with two, the verdict would depend on file names).",
    explanation="A venue's progress is kept in one status file; with two, which one wins would depend on file names.",
    failing="# status/v1.yaml and status/v1-copy.yaml\nkind: status\nvenue: v1\n",
    fixed="# status/v1.yaml only\nkind: status\nvenue: v1\n",
)
def status_duplicate(r: Rule, index: Index) -> Iterator[Finding]:
    first: dict[str, str] = {}
    for doc in index.statuses():
        venue = doc.data.get("venue")
        if not isinstance(venue, str):
            continue
        if venue in first:
            yield r.finding(
                doc.locate(("venue",)),
                f"a second status file for venue '{venue}' (the first is {first[venue]})",
                "keep one status file per venue; merge the entries",
            )
        else:
            first[venue] = doc.path


WAIVER_HINT = "add 'waiver: {approved_by: ..., date: YYYY-MM-DD, reason: ...}', as a removal would"


def status_findings(plan: Plan, status: Document, library_items: set[str], match_items: set[str]) -> list[Finding]:
    """What is wrong with ``status`` for this plan: a locked or critical item marked
    not-applicable without a waiver (error), entries for items this venue's plan does not have
    or has removed (warning; entries for items no plan has are the ``status-item`` rule's, and
    ``match_items``, added by this venue's match overlays, belong to its match plans)."""
    items = {item.id: item for item in plan.items()}
    found: list[Finding] = []
    for item_id, entry in (status.data.get("items") or {}).items():
        item = items.get(item_id)
        where = status.key_location(("items", item_id))
        if item is None:
            if item_id in library_items and item_id not in match_items:
                found.append(
                    Finding(
                        where,
                        "status-item",
                        Severity.WARNING,
                        f"status entry for item '{item_id}', which venue '{plan.venue['id']}' does not have",
                        "the item is added at other venues only; delete the entry",
                    )
                )
        elif item.state == REMOVED:
            found.append(
                Finding(
                    where,
                    "status-item",
                    Severity.WARNING,
                    f"status entry for item '{item_id}', which this venue's plan removes "
                    f"({item.removal['file']}:{item.removal['line']})",
                    "delete the entry",
                )
            )
        elif (
            entry.get("state") == "not-applicable"
            and not entry.get("waiver")
            and (item.fields.get("locked") or item.fields.get("criticality") == "critical")
        ):
            found.append(
                Finding(
                    status.locate(("items", item_id, "state")),
                    "status-waiver",
                    Severity.ERROR,
                    f"item '{item_id}' is locked or critical in this venue's plan; marking it "
                    "not-applicable needs a waiver",
                    WAIVER_HINT,
                )
            )
    return found
