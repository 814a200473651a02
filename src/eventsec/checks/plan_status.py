"""Status entries checked against a venue's resolved plan, in ``validate``'s resolve pass.

A lint rule sees the library; only the resolved plan knows what a venue's overlays did to an
item: raised it to critical, removed it, or added it at another venue only. So the checks that
depend on that run here, once per venue, with the status file's own file:line.
"""

from __future__ import annotations

from eventsec.findings import Finding, Severity
from eventsec.load.documents import Document
from eventsec.plan.resolve import REMOVED, Plan

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
