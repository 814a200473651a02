"""Text views of a resolved plan for people: an item's value chain, layer by layer."""

from __future__ import annotations

import json

from eventsec.errors import UsageError
from eventsec.formats import printable
from eventsec.plan.model import Plan, ResolvedItem
from eventsec.vocabulary import truncate


def _short(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return truncate(printable(text), 70)


def explain(plan: Plan, item_id: str) -> str:
    """The value chain of the item ``item_id``; an id the plan does not hold is a usage error."""
    item = plan.item(item_id)
    if item is None:
        raise UsageError(f"no item '{item_id}' in the plan of {plan.venue['id']}")
    return explain_item(plan, item)


def explain_item(plan: Plan, item: ResolvedItem) -> str:
    """Every field of ``item`` with each layer's value and the file:line that set it."""
    lines = [
        f"{item.id} — {printable(str(item.fields.get('title', '')))}",
        f"  protocol: {item.protocol}   state: {item.state}",
    ]
    if item.added:
        lines.append(f"  added by the {item.added.layer} layer at {item.added}")
    if item.condition:
        lines.append(
            f"  applies_when: {item.condition}"
            + (f" (matches: {', '.join(item.applies_to)})" if item.applies_to else "")
        )
    if item.removal:
        lines.append(
            f"  removed at {item.removal['file']}:{item.removal['line']} ({item.removal['layer']}): {printable(item.removal['reason'])}"
        )
        if item.removal.get("waiver"):
            waiver = item.removal["waiver"]
            lines.append(
                f"    waiver: {printable(waiver['approved_by'])}, {waiver['date']}: {printable(waiver['reason'])}"
            )
    for name, changes in item.history.items():
        lines.append(f"  {name}:")
        for change in changes:
            note = f"  ({change.note})" if change.note else ""
            lines.append(
                f"    {change.origin.layer:<10} {change.operation:<7} {_short(change.value):<72} {change.origin}{note}"
            )
    return "\n".join(lines)
