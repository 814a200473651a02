"""A workspace diff as text for reviewers: one line per change, like a changelog.

```
--- old
+++ new

+ item CRW-003 "Inspect barriers before gates open" in crowd-management (library/crowd.yaml:29)
- item CRW-004 "Brief the fire officer" from crowd-management (was library/crowd.yaml:38)
> item CRW-002 moved: crowd-management, after CRW-001 → crowd-management, after CRW-003 (library/crowd.yaml:39)
~ CRW-001.criticality: high → critical (library/crowd.yaml:14)
~ parameter steward_ratio [tournament].value: 125 → 100 (tournament.yaml:9)
~ overlay v1 set CRW-002 fields.tags: [heat] → (unset) (venues/v1.yaml:12)
+ lesson T25-L02 newly covered by CRW-003 (new lesson) (library/lessons.yaml:12)

items: 1 added, 1 changed, 1 moved, 1 removed; parameters: 1 changed; ...
```

``+`` added, ``-`` removed, ``~`` changed, ``>`` moved. Locations are those of the new value,
or ``was …`` for something only the old workspace has. ``(unset)`` marks a missing field.
"""

from __future__ import annotations

import json
from typing import Any

from eventsec.diff.model import (
    ABSENT,
    ADDED,
    COVERAGE_CHANGED,
    MOVED,
    NEWLY_COVERED,
    REMOVED,
    SECTIONS,
    UNCOVERED,
    FieldChange,
    ItemChange,
    LessonChange,
    OverlayChange,
    ParameterChange,
    ProtocolChange,
    TournamentChange,
    VenueChange,
    WorkspaceDiff,
)

MAX_VALUE = 70


def value_text(value: Any) -> str:
    """A value on one line: plain text as is, anything else as compact JSON, long values cut."""
    text = _full_text(value)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def _full_text(value: Any) -> str:
    if value is ABSENT:
        return "(unset)"
    if isinstance(value, str) and value and "\n" not in value and value.strip() == value:
        return value
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _pair_text(old: Any, new: Any) -> tuple[str, str]:
    """Both sides of a change, each cut to the same window around their first difference, so a
    change late in a long value (a host added to a list) is still visible."""
    before, after = _full_text(old), _full_text(new)
    if len(before) <= MAX_VALUE and len(after) <= MAX_VALUE:
        return before, after
    first = next((i for i, (a, b) in enumerate(zip(before, after)) if a != b), min(len(before), len(after)))
    start = max(0, first - MAX_VALUE // 4)

    def window(text: str) -> str:
        cut = text[start : start + MAX_VALUE - 2]
        return ("…" if start else "") + cut + ("…" if start + len(cut) < len(text) else "")

    return window(before), window(after)


def _where(at: str | None, was_at: str | None = None) -> str:
    if at:
        return f" ({at})"
    return f" (was {was_at})" if was_at else ""


def _field(prefix: str, change: FieldChange, separator: str = ".") -> str:
    name = f"{prefix}{separator}{change.path}" if change.path else prefix
    before, after = _pair_text(change.old, change.new)
    return f"~ {name}: {before} → {after}{_where(change.at)}"


def _protocol(change: ProtocolChange) -> list[str]:
    if change.change == ADDED:
        version = change.value.get("version", "")
        return [f'+ protocol {change.key} {version} "{change.value.get("title", "")}"{_where(change.at)}']
    if change.change == REMOVED:
        return [f'- protocol {change.key} "{change.value.get("title", "")}"{_where(None, change.was_at)}']
    return [_field(f"protocol {change.key}", f) for f in change.fields]


def _item(change: ItemChange) -> list[str]:
    source = "" if change.declared_in == "library" else f", added by {change.declared_in}"
    if change.change == ADDED:
        return [f'+ item {change.key} "{change.title}" in {change.protocol}{source}{_where(change.at)}']
    if change.change == REMOVED:
        return [f'- item {change.key} "{change.title}" from {change.protocol}{source}{_where(None, change.was_at)}']
    lines = []
    if change.change == MOVED:
        lines.append(f"> item {change.key} moved: {change.moved_from} → {change.moved_to}{_where(change.at)}")
    lines += [_field(change.key, f) for f in change.fields]
    return lines


def _parameter(change: ParameterChange) -> list[str]:
    name = change.key if change.scope == "declaration" else f"{change.key} [{change.scope}]"
    if change.change == ADDED:
        what = "declared" if change.scope == "declaration" else "set"
        return [f"+ parameter {name} {what}: {value_text(_setting(change.value))}{_where(change.at)}"]
    if change.change == REMOVED:
        what = "declaration" if change.scope == "declaration" else "setting"
        return [f"- parameter {name} {what}: {value_text(_setting(change.value))}{_where(None, change.was_at)}"]
    return [_field(f"parameter {name}", f) for f in change.fields]


def _setting(value: Any) -> Any:
    """A setting or declaration shown by its value: X for ``{value: X, source: …}``, else the whole."""
    if isinstance(value, dict):
        for key in ("value", "expression"):
            if value.get(key) is not None:
                return value[key]
    return value


def _overlay(change: OverlayChange) -> list[str]:
    if change.operation == "overlay":
        head = f"{change.overlay} ({change.scope})"
        if change.change == ADDED:
            return [f"+ {head}{_where(change.at)}"]
        if change.change == REMOVED:
            return [f"- {head}{_where(None, change.was_at)}"]
        return [_field(head, f, " ") for f in change.fields]
    head = f"{change.overlay} {change.operation} {change.item}"
    if change.change == ADDED:
        return [f"+ {head}: {_entry_text(change.value)}{_where(change.at)}"]
    if change.change == REMOVED:
        return [f"- {head}: {_entry_text(change.value)}{_where(None, change.was_at)}"]
    return [_field(head, f, " ") for f in change.fields]


def _leaves(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict) and value:
        return [leaf for key, v in value.items() for leaf in _leaves(v, f"{prefix}.{key}" if prefix else key)]
    return [(prefix, value)]


def _entry_text(value: dict) -> str:
    """An overlay entry on one line, its note left out (the JSON output keeps it)."""
    shown = [f"{path}: {value_text(v)}" for path, v in _leaves(value) if path != "note"]
    return ", ".join(shown) or "{}"


def _lesson(change: LessonChange) -> list[str]:
    new = ", ".join(change.new_items)
    old = ", ".join(change.old_items)
    note = {ADDED: " (new lesson)", REMOVED: " (lesson removed)"}.get(change.lesson or "", "")
    if change.change == NEWLY_COVERED:
        return [f"+ lesson {change.id} newly covered by {new}{note}{_where(change.at)}"]
    if change.change == UNCOVERED:
        was = f", was covered by {old}" if old else ""
        return [f"- lesson {change.id} uncovered{was}{note}{_where(change.at)}"]
    if change.change == COVERAGE_CHANGED:
        delta = [f"+{i}" for i in change.new_items if i not in change.old_items]
        delta += [f"-{i}" for i in change.old_items if i not in change.new_items]
        return [
            f"~ lesson {change.id} coverage {' '.join(delta)} (now {len(change.new_items)} item(s)){_where(change.at)}"
        ]
    return [f"- lesson {change.id}{note}"]


def _venue(change: VenueChange) -> list[str]:
    if change.change == ADDED:
        return [f'+ venue {change.key} "{change.name}"{_where(change.at)}']
    if change.change == REMOVED:
        return [f'- venue {change.key} "{change.name}"{_where(None, change.was_at)}']
    return [_field(f"venue {change.key}", f) for f in change.fields]


def _tournament(change: TournamentChange) -> list[str]:
    return [_field("tournament", f) for f in change.fields]


RENDERERS = {
    "tournament": _tournament,
    "protocols": _protocol,
    "items": _item,
    "parameters": _parameter,
    "overlays": _overlay,
    "lessons": _lesson,
    "venues": _venue,
}


def summary_line(result: WorkspaceDiff) -> str:
    counts = result.summary()
    if not counts:
        return "no differences"
    return "; ".join(
        f"{section}: " + ", ".join(f"{n} {kind}" for kind, n in kinds.items()) for section, kinds in counts.items()
    )


def render_text(result: WorkspaceDiff) -> str:
    """The diff as changelog lines, grouped by section, ending with a summary and a newline."""
    lines = [f"--- {result.old}", f"+++ {result.new}"]
    for section in SECTIONS:
        changes = getattr(result, section)
        if changes:
            lines.append("")
            for change in changes:
                lines += RENDERERS[section](change)
    lines += ["", summary_line(result)]
    return "\n".join(lines) + "\n"
