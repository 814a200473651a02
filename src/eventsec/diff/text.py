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
from eventsec.i18n import english
from eventsec.i18n.message import Message, Translated

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


def _at(change: Message, at: str | None, was_at: str | None = None) -> Message:
    """The change with where it is: ``(file:line)`` of the new value, or ``(was file:line)``."""
    if at:
        return Message("diff_at", {"change": change, "at": at})
    return Message("diff_was_at", {"change": change, "at": was_at}) if was_at else change


def _side(value: Any, text: str) -> Message | str:
    """One side of a change as shown: ``(unset)`` said in the reader's language."""
    return Message("diff_unset") if value is ABSENT else text


def _field(record: Message | str, change: FieldChange, separator: str = ".") -> Message:
    """``~ record.path: before → after``; ``record`` names what changed (an item id, a protocol…)."""
    before, after = _pair_text(change.old, change.new)
    line = Message(
        "diff_field",
        {
            "record": record,
            "path": f"{separator}{change.path}" if change.path else "",
            "before": _side(change.old, before),
            "after": _side(change.new, after),
        },
    )
    return _at(line, change.at)


def _protocol(change: ProtocolChange) -> list[Message]:
    title = Translated.of(change.value, "title")  # only an added or removed protocol says its title
    if change.change == ADDED:
        line = Message(
            "diff_protocol_added", {"key": change.key, "version": change.value.get("version", ""), "title": title}
        )
        return [_at(line, change.at)]
    if change.change == REMOVED:
        return [_at(Message("diff_protocol_removed", {"key": change.key, "title": title}), None, change.was_at)]
    record = Message("diff_record_protocol", {"key": change.key})
    return [_field(record, f) for f in change.fields]


def _declared_in(line: Message, layer: str) -> Message:
    """``…, added by the venue overlay`` for an item an overlay declares, not the library."""
    return line if layer == "library" else Message("diff_added_by", {"change": line, "layer": layer})


def _item(change: ItemChange) -> list[Message]:
    title = Translated.of(change.value, "title") if isinstance(change.value, dict) else Translated(change.title)
    values = {"key": change.key, "title": title, "protocol": change.protocol}
    if change.change == ADDED:
        return [_at(_declared_in(Message("diff_item_added", values), change.declared_in), change.at)]
    if change.change == REMOVED:
        removed = _declared_in(Message("diff_item_removed", values), change.declared_in)
        return [_at(removed, None, change.was_at)]
    lines = []
    if change.change == MOVED:
        moved = Message(
            "diff_item_moved",
            {"key": change.key, "before": change.moved_from.message(), "after": change.moved_to.message()},
        )
        lines.append(_at(moved, change.at))
    lines += [_field(change.key, f) for f in change.fields]
    return lines


def _parameter(change: ParameterChange) -> list[Message]:
    declaration = change.scope == "declaration"
    name = change.key if declaration else f"{change.key} [{change.scope}]"
    if change.change in (ADDED, REMOVED):
        kind = (
            ("declared" if declaration else "set")
            if change.change == ADDED
            else ("undeclared" if declaration else "unset")
        )
        line = Message(f"diff_parameter_{kind}", {"name": name, "value": value_text(_setting(change.value))})
        return [_at(line, change.at) if change.change == ADDED else _at(line, None, change.was_at)]
    record = Message("diff_record_parameter", {"name": name})
    return [_field(record, f) for f in change.fields]


def _setting(value: Any) -> Any:
    """A setting or declaration shown by its value: X for ``{value: X, source: …}``, else the whole."""
    if isinstance(value, dict):
        for key in ("value", "expression"):
            if value.get(key) is not None:
                return value[key]
    return value


def _overlay(change: OverlayChange) -> list[Message]:
    """Overlay names, scopes and operations are the workspace's own words: they stay as written."""
    if change.operation == "overlay":
        head = f"{change.overlay} ({change.scope})"
        if change.change == ADDED:
            return [_at(Message("diff_added", {"what": head}), change.at)]
        if change.change == REMOVED:
            return [_at(Message("diff_removed", {"what": head}), None, change.was_at)]
        return [_field(head, f, " ") for f in change.fields]
    head = f"{change.overlay} {change.operation} {change.item}"
    if change.change == ADDED:
        return [_at(Message("diff_added", {"what": f"{head}: {_entry_text(change.value)}"}), change.at)]
    if change.change == REMOVED:
        return [_at(Message("diff_removed", {"what": f"{head}: {_entry_text(change.value)}"}), None, change.was_at)]
    return [_field(head, f, " ") for f in change.fields]


def _leaves(value: Any, prefix: str = "") -> list[tuple[str, Any]]:
    if isinstance(value, dict) and value:
        return [leaf for key, v in value.items() for leaf in _leaves(v, f"{prefix}.{key}" if prefix else key)]
    return [(prefix, value)]


def _entry_text(value: dict) -> str:
    """An overlay entry on one line, its note left out (the JSON output keeps it)."""
    shown = [f"{path}: {value_text(v)}" for path, v in _leaves(value) if path != "note"]
    return ", ".join(shown) or "{}"


def _lesson(change: LessonChange) -> list[Message]:
    new = ", ".join(change.new_items)
    old = ", ".join(change.old_items)

    def noted(line: Message) -> Message:
        note = {ADDED: "diff_new_lesson", REMOVED: "diff_lesson_removed"}.get(change.lesson or "")
        return Message(note, {"change": line}) if note else line

    if change.change == NEWLY_COVERED:
        return [_at(noted(Message("diff_lesson_covered", {"id": change.id, "items": new})), change.at)]
    if change.change == UNCOVERED:
        line = Message("diff_lesson_uncovered", {"id": change.id})
        if old:
            line = Message("diff_was_covered", {"change": line, "items": old})
        return [_at(noted(line), change.at)]
    if change.change == COVERAGE_CHANGED:
        delta = [f"+{i}" for i in change.new_items if i not in change.old_items]
        delta += [f"-{i}" for i in change.old_items if i not in change.new_items]
        line = Message(
            "diff_lesson_coverage", {"id": change.id, "delta": " ".join(delta), "count": len(change.new_items)}
        )
        return [_at(line, change.at)]
    return [noted(Message("diff_lesson_gone", {"id": change.id}))]


def _venue(change: VenueChange) -> list[Message]:
    if change.change == ADDED:
        name = Translated(change.name, Translated.of(change.value, "name").translations)
        return [_at(Message("diff_venue_added", {"key": change.key, "name": name}), change.at)]
    if change.change == REMOVED:
        name = Translated(change.name, Translated.of(change.value, "name").translations)
        return [_at(Message("diff_venue_removed", {"key": change.key, "name": name}), None, change.was_at)]
    record = Message("diff_record_venue", {"key": change.key})
    return [_field(record, f) for f in change.fields]


def _tournament(change: TournamentChange) -> list[Message]:
    return [_field(Message("diff_record_tournament"), f) for f in change.fields]


RENDERERS = {
    "tournament": _tournament,
    "protocols": _protocol,
    "items": _item,
    "parameters": _parameter,
    "overlays": _overlay,
    "lessons": _lesson,
    "venues": _venue,
}
"""Each section's changes as messages, one per line (said in English by :func:`render_text`,
in the plan's language by ``render --since``)."""


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
                lines += [english(line) for line in RENDERERS[section](change)]
    lines += ["", summary_line(result)]
    return "\n".join(lines) + "\n"
