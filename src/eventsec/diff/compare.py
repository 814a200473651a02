"""Compare two workspaces for review: what a change to the protocol changes (``eventsec diff``).

The comparison is made on the written documents — the protocol library (built-in or local)
and every block of overlay operations — not on resolved venue plans, so one change is reported
once, where it was written, rather than once per venue it reaches. Both workspaces are
validated first; when one fails, its findings are returned instead of a diff (errors as values).

What is compared, each record by its identity:

``protocols``
    by protocol id: header fields (version, title, domain, summary, references …).
``items``
    by item id, for library items and items added by an overlay ``add``: added, removed,
    changed field by field (``old → new``, with the file:line of the new value), and
    **moved** when the item's place changed: another protocol, another position in its
    protocol (items that merely shifted because others were inserted or deleted before them
    are not moved: the moved ones are those outside the longest common order), or another
    declaring block (library ↔ an overlay's ``add``, or a different ``after``/``before``).
``parameters``
    declarations by name (type, default, range, unit, source …) and settings by name and the
    block that sets them (``tournament``, ``overlay <id>``, ``venue <id>``); a bare value is
    compared as ``{value: …}``.
``overlays``
    each ``set`` and ``remove`` entry by block, operation and target item (a second entry for
    the same item in one block is ``ITEM#2``), and an overlay file's own fields (layer, target,
    description …). An ``add`` entry is reported as its item, under ``items``.
``lessons``
    coverage: the items linking each lesson in the tournament-wide view — library items and
    added items with their own ``lessons``, after the tournament layer's ``set``/``append``
    of ``lessons`` and without the items the tournament layer removes (so a tournament-wide
    ``remove`` can uncover a lesson that ``validate`` still counts as covered). Country,
    venue and match overlays touch only some venues and are reported under ``overlays``.
    A lesson is *newly covered* (no linking item before, some now, including a new lesson),
    *uncovered* (the reverse, including a removed lesson) or *coverage-changed*.
``venues``
    by venue id: added, removed, and their fields changed (not the ``overlay:`` section,
    which is an overlay block).
``tournament``
    the tournament's own fields (dates, hosts, languages, classification, sensitivity levels,
    distribution, name …): they move every deadline and decide what a release withholds. Its
    ``set``/``add``/``remove`` are an overlay block and its ``parameters`` settings, each
    reported in their own section.

Nested values are compared key by key (``translations.fr.title``, ``fields.criticality``);
lists of records with ids are compared by id (``matches[m1].risk``); other lists as a whole.

A renamed field is reported as what it is in the documents: the old field removed (``old →
(unset)``) and the new one added (``(unset) → new``), two :class:`FieldChange` entries. Both
workspaces satisfy the same schemas, so two field names always mean two different things
(``fields.tags`` replaces a list, ``append.tags`` extends it); pairing them as a rename would
hide that change of meaning.

Status files are not compared (``eventsec status`` reports readiness). Output order is deterministic: every section is sorted by its key.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eventsec.checks.validate import load_workspace
from eventsec.diff.model import (
    ABSENT,
    ADDED,
    CHANGED,
    COVERAGE_CHANGED,
    MOVED,
    NEWLY_COVERED,
    REMOVED,
    UNCOVERED,
    FieldChange,
    ItemChange,
    LessonChange,
    OverlayChange,
    ParameterChange,
    Place,
    ProtocolChange,
    TournamentChange,
    VenueChange,
    WorkspaceDiff,
)
from eventsec.findings import Severity
from eventsec.load.documents import DataPath, Document
from eventsec.load.index import Operations
from eventsec.load.workspace import Workspace


def diff_paths(
    old_root: Path, new_root: Path, old_label: str | None = None, new_label: str | None = None
) -> WorkspaceDiff:
    """Load, validate and compare two workspace directories.

    Raises :class:`~eventsec.load.workspace.WorkspaceError` when a path is not a workspace (a usage
    problem); a workspace with errors gives a :class:`WorkspaceDiff` holding its findings.
    """
    old_ws, old_result = load_workspace(old_root)
    new_ws, new_result = load_workspace(new_root)
    labels = (old_label or str(old_root), new_label or str(new_root))
    if old_ws is None or new_ws is None:
        findings = {}
        for side, workspace, result in (("old", old_ws, old_result), ("new", new_ws, new_result)):
            if workspace is None:
                findings[side] = [f for f in result.findings if f.severity is Severity.ERROR]
        return WorkspaceDiff(*labels, findings=findings)
    return diff_workspaces(old_ws, new_ws, *labels)


def diff_workspaces(old: Workspace, new: Workspace, old_label: str = "old", new_label: str = "new") -> WorkspaceDiff:
    """Compare two validated workspaces (pure: reads no files)."""
    a, b = _Side(old), _Side(new)
    return WorkspaceDiff(
        old_label,
        new_label,
        tournament=_diff_tournament(a, b),
        protocols=_diff_protocols(a, b),
        items=_diff_items(a, b),
        parameters=_diff_parameters(a, b),
        overlays=_diff_overlays(a, b),
        lessons=_diff_lessons(a, b),
        venues=_diff_venues(a, b),
    )


# -- one side ----------------------------------------------------------------------------------
@dataclass
class _Record:
    """A value of one side with where it is written."""

    value: Any
    document: Document
    path: DataPath


@dataclass
class _Item:
    id: str
    fields: dict
    document: Document
    path: DataPath
    place: Place


class _Side:
    """One workspace, with workspace-relative names for its files."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.index = workspace.index
        self._names: dict[str, str] = {}
        self._blocks: dict[str, Operations] | None = None
        self._items: dict[str, _Item] | None = None

    def name(self, document: Document) -> str:
        """``venues/v1.yaml``, ``builtin:crowd-management.yaml`` or ``../lib/x.yaml``: never machine-specific."""
        if document.path not in self._names:
            named = self.workspace.source_name(document)
            if named == document.path:
                named = Path(os.path.relpath(os.path.abspath(document.path), self.workspace.root.resolve())).as_posix()
            self._names[document.path] = named
        return self._names[document.path]

    def at(self, document: Document, path: DataPath) -> str:
        return f"{self.name(document)}:{document.locate(path).line}"

    def record_at(self, record: _Record | _Item, steps: DataPath = ()) -> str:
        return self.at(record.document, record.path + steps)

    # blocks of overlay operations, keyed by a name stable across the two sides
    def blocks(self) -> dict[str, Operations]:
        if self._blocks is not None:
            return self._blocks
        blocks: dict[str, Operations] = {}
        for block in self.index.operation_blocks():
            if block.document.kind == "tournament":
                label = "tournament"
            elif block.document.kind == "venue":
                label = f"venue {block.target}"
            else:
                label = f"overlay {block.document.data.get('id')}"
            unique, n = label, 1
            while unique in blocks:
                n += 1
                unique = f"{label}#{n}"
            blocks[unique] = block
        self._blocks = blocks
        return blocks

    def items(self) -> dict[str, _Item]:
        """Library items and items added by overlays, by id (ids are unique in a valid workspace)."""
        if self._items is not None:
            return self._items
        found: dict[str, _Item] = {}
        previous: dict[str, str | None] = {}
        for protocol, entry in self.index.items():
            protocol_id = str(protocol.value.get("id"))
            item_id = entry.value["id"]
            place = Place(protocol_id, "library", after=previous.get(protocol_id))
            previous[protocol_id] = item_id
            found.setdefault(item_id, _Item(item_id, _without(entry.value, "id"), entry.document, entry.path, place))
        for label, block in self.blocks().items():
            for entry in block.entries("add"):
                item = entry.value.get("item")
                spec = entry.value
                place = Place(str(spec.get("protocol")), label, spec.get("after"), spec.get("before"))
                found.setdefault(
                    item["id"], _Item(item["id"], _without(item, "id"), entry.document, entry.path + ("item",), place)
                )
        self._items = found
        return found


def _without(data: dict, *keys: str) -> dict:
    return {k: v for k, v in data.items() if k not in keys}


# -- comparing values ----------------------------------------------------------------------------
def _keyed(value: Any) -> dict[str, int] | None:
    """For a list of records that all have a distinct text ``id``: id → position; else None."""
    if not isinstance(value, list) or not value:
        return None
    ids = [element.get("id") if isinstance(element, dict) else None for element in value]
    if not all(isinstance(i, str) for i in ids) or len(set(ids)) != len(ids):
        return None
    return {i: position for position, i in enumerate(ids)}


def compare_values(
    old: Any,
    new: Any,
    side: _Side | None = None,
    document: Document | None = None,
    data_path: DataPath = (),
    prefix: str = "",
) -> list[FieldChange]:
    """Leaf differences between two values: maps key by key, lists of records by id, else whole."""
    changes: list[FieldChange] = []
    _compare(old, new, prefix, data_path, changes, side, document)
    return changes


def _compare(
    old: Any,
    new: Any,
    path: str,
    data_path: DataPath,
    out: list[FieldChange],
    side: _Side | None,
    document: Document | None,
) -> None:
    if old == new and type(old) is type(new):
        return
    one_sided_map = (old is ABSENT and isinstance(new, dict) and new) or (
        new is ABSENT and isinstance(old, dict) and old
    )
    if one_sided_map or (isinstance(old, dict) and isinstance(new, dict)):
        # a map that appeared or disappeared is shown leaf by leaf too (fields.tags, append.tags)
        old, new = ({} if old is ABSENT else old), ({} if new is ABSENT else new)
        for key in list(old) + [k for k in new if k not in old]:
            _compare(
                old.get(key, ABSENT),
                new.get(key, ABSENT),
                f"{path}.{key}" if path else str(key),
                data_path + (key,),
                out,
                side,
                document,
            )
        return
    old_ids, new_ids = _keyed(old), _keyed(new)
    if old_ids is not None and new_ids is not None:
        for ident in list(old_ids) + [i for i in new_ids if i not in old_ids]:
            old_value = _without(old[old_ids[ident]], "id") if ident in old_ids else ABSENT
            new_value = _without(new[new_ids[ident]], "id") if ident in new_ids else ABSENT
            step = (new_ids[ident],) if ident in new_ids else ()
            if old_value is ABSENT or new_value is ABSENT:  # a whole record of the list added or removed
                at = side.at(document, data_path + step) if side is not None and document is not None else None
                out.append(FieldChange(f"{path}[{ident}]", old_value, new_value, at))
            else:
                _compare(old_value, new_value, f"{path}[{ident}]", data_path + step, out, side, document)
        return
    at = side.at(document, data_path) if side is not None and document is not None else None
    out.append(FieldChange(path, old, new, at))


def sensitivity_marks(*values: Any) -> tuple[str, ...]:
    """The ``sensitivity`` values anywhere in ``values``."""
    found: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for key, child in value.items():
                if key == "sensitivity" and isinstance(child, str):
                    found.add(child)
                else:
                    walk(child)
        elif isinstance(value, list):
            for child in value:
                walk(child)

    for value in values:
        walk(value)
    return tuple(sorted(found))


def _ordered_keys(old: dict, new: dict) -> list:
    return sorted(set(old) | set(new))


# -- sections ------------------------------------------------------------------------------------
def _diff_records(old: dict[str, _Record], new: dict[str, _Record], a: _Side, b: _Side, make) -> list:
    """Added, removed and changed records between two keyed maps; ``make(key, **kw)`` builds one change."""
    changes = []
    for key in _ordered_keys(old, new):
        before, after = old.get(key), new.get(key)
        if before is None:
            changes.append(
                make(
                    key,
                    change=ADDED,
                    at=b.record_at(after),
                    value=after.value,
                    record=after,
                    marks=sensitivity_marks(after.value),
                )
            )
        elif after is None:
            changes.append(
                make(
                    key,
                    change=REMOVED,
                    was_at=a.record_at(before),
                    value=before.value,
                    record=before,
                    marks=sensitivity_marks(before.value),
                )
            )
        else:
            fields = compare_values(before.value, after.value, b, after.document, after.path)
            if fields:
                changes.append(
                    make(
                        key,
                        change=CHANGED,
                        at=b.record_at(after),
                        was_at=a.record_at(before),
                        fields=fields,
                        record=after,
                        marks=sensitivity_marks(before.value, after.value),
                    )
                )
    return changes


def _diff_protocols(a: _Side, b: _Side) -> list[ProtocolChange]:
    def records(side: _Side) -> dict[str, _Record]:
        found: dict[str, _Record] = {}
        for protocol in side.index.protocols():
            found.setdefault(
                protocol.value["id"],
                _Record(_without(protocol.value, "kind", "id", "items", "parameters"), protocol.document, ()),
            )
        return found

    def make(key, record, **kw):
        return ProtocolChange(key, **kw)

    return _diff_records(records(a), records(b), a, b, make)


def _diff_tournament(a: _Side, b: _Side) -> list[TournamentChange]:
    def records(side: _Side) -> dict[str, _Record]:
        document = side.workspace.tournament
        return {
            "tournament": _Record(_without(document.data, "kind", "set", "add", "remove", "parameters"), document, ())
        }

    return _diff_records(records(a), records(b), a, b, lambda key, record, **kw: TournamentChange(key, **kw))


def _diff_venues(a: _Side, b: _Side) -> list[VenueChange]:
    def records(side: _Side) -> dict[str, _Record]:
        return {
            venue.value["id"]: _Record(_without(venue.value, "kind", "id", "overlay"), venue.document, ())
            for venue in side.index.venues()
        }

    def make(key, record, **kw):
        return VenueChange(key, name=str(record.value.get("name", "")), **kw)

    return _diff_records(records(a), records(b), a, b, make)


def _diff_parameters(a: _Side, b: _Side) -> list[ParameterChange]:
    def records(side: _Side) -> dict[tuple[str, str], _Record]:
        found: dict[tuple[str, str], _Record] = {}
        for name, entry in side.index.parameters().items():
            found[(name, "")] = _Record(entry.value, entry.document, entry.path)
        for label, block in side.blocks().items():
            for name, setting in (block.data.get("parameters") or {}).items():
                value = setting if isinstance(setting, dict) else {"value": setting}
                found[(name, label)] = _Record(value, block.document, block.path + ("parameters", name))
        return found

    old, new = records(a), records(b)
    keyed_old = {_scope_key(k): v for k, v in old.items()}
    keyed_new = {_scope_key(k): v for k, v in new.items()}

    def make(key, record, **kw):
        name, _, scope = key.partition("\x00")
        return ParameterChange(name, scope=scope[2:] or "declaration", **kw)

    return _diff_records(keyed_old, keyed_new, a, b, make)


def _scope_key(key: tuple[str, str]) -> str:
    """Sort key ``name, declaration first, then blocks by label`` flattened into one string."""
    name, label = key
    return f"{name}\x00{'0:' if not label else '1:'}{label}"


def _overlay_scope(block: Operations) -> str:
    return f"{block.layer} {block.target}" if block.target else block.layer


def _diff_overlays(a: _Side, b: _Side) -> list[OverlayChange]:
    def records(side: _Side) -> tuple[dict[str, _Record], dict[str, tuple[str, str, str, str | None]]]:
        found: dict[str, _Record] = {}
        meta: dict[str, tuple[str, str, str, str | None]] = {}
        for label, block in side.blocks().items():
            scope = _overlay_scope(block)
            if block.document.kind == "overlay":
                key = f"{label}\x000\x00"
                found[key] = _Record(
                    _without(block.data, "kind", "id", "set", "add", "remove", "parameters"), block.document, ()
                )
                meta[key] = (label, scope, "overlay", None)
            for order, operation in enumerate(("set", "remove"), start=1):
                seen: dict[str, int] = {}
                for entry in block.entries(operation):
                    item = str(entry.value.get("item"))
                    seen[item] = seen.get(item, 0) + 1
                    target = item if seen[item] == 1 else f"{item}#{seen[item]}"
                    key = f"{label}\x00{order}\x00{target}"
                    found[key] = _Record(_without(entry.value, "item"), entry.document, entry.path)
                    meta[key] = (label, scope, operation, target)
        return found, meta

    old, old_meta = records(a)
    new, new_meta = records(b)

    def make(key, record, **kw):
        label, scope, operation, item = new_meta.get(key) or old_meta[key]
        return OverlayChange(key, overlay=label, scope=scope, operation=operation, item=item, **kw)

    changes = _diff_records(old, new, a, b, make)
    for change in changes:
        change.key = f"{change.overlay} {change.operation}" + (f" {change.item}" if change.item else "")
    return changes


def _diff_items(a: _Side, b: _Side) -> list[ItemChange]:
    old, new = a.items(), b.items()
    shifted = _moved_in_order(old, new)
    changes: list[ItemChange] = []
    for item_id in _ordered_keys(old, new):
        before, after = old.get(item_id), new.get(item_id)
        if before is None:
            changes.append(
                ItemChange(
                    item_id,
                    ADDED,
                    at=b.record_at(after),
                    value=after.fields,
                    marks=sensitivity_marks(after.fields),
                    title=str(after.fields.get("title", "")),
                    protocol=after.place.protocol,
                    declared_in=after.place.declared_in,
                )
            )
            continue
        if after is None:
            changes.append(
                ItemChange(
                    item_id,
                    REMOVED,
                    was_at=a.record_at(before),
                    value=before.fields,
                    marks=sensitivity_marks(before.fields),
                    title=str(before.fields.get("title", "")),
                    protocol=before.place.protocol,
                    declared_in=before.place.declared_in,
                )
            )
            continue
        fields = compare_values(before.fields, after.fields, b, after.document, after.path)
        moved = _moved(before.place, after.place, item_id in shifted)
        if fields or moved:
            changes.append(
                ItemChange(
                    item_id,
                    MOVED if moved else CHANGED,
                    at=b.record_at(after),
                    was_at=a.record_at(before),
                    fields=fields,
                    marks=sensitivity_marks(before.fields, after.fields),
                    title=str(after.fields.get("title", "")),
                    protocol=after.place.protocol,
                    declared_in=after.place.declared_in,
                    moved_from=before.place if moved else None,
                    moved_to=after.place if moved else None,
                )
            )
    return changes


def _moved(before: Place, after: Place, shifted: bool) -> bool:
    if before.declared_in == after.declared_in == "library" and before.protocol == after.protocol:
        return shifted
    return before != after


def _moved_in_order(old: dict[str, _Item], new: dict[str, _Item]) -> set[str]:
    """Library items whose order in their (unchanged) protocol changed, beyond insertions and deletions.

    Items kept in the longest common order stay put; the others moved.
    """

    def sequences(items: dict[str, _Item], other: dict[str, _Item]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for item in items.values():
            there = other.get(item.id)
            if (
                item.place.declared_in == "library"
                and there is not None
                and there.place.declared_in == "library"
                and there.place.protocol == item.place.protocol
            ):
                found.setdefault(item.place.protocol, []).append(item.id)
        return found

    old_sequences, new_sequences = sequences(old, new), sequences(new, old)
    moved: set[str] = set()
    for protocol, old_sequence in old_sequences.items():
        new_sequence = new_sequences.get(protocol, [])
        matcher = difflib.SequenceMatcher(None, old_sequence, new_sequence, autojunk=False)
        kept = {
            item for block in matcher.get_matching_blocks() for item in old_sequence[block.a : block.a + block.size]
        }
        moved.update(i for i in old_sequence if i not in kept)
    return moved


def _coverage(side: _Side) -> tuple[dict[str, set[str]], dict[str, _Record]]:
    """Lesson id → the items linking it tournament-wide; and the lessons with where they are."""
    lessons = {entry.value["id"]: _Record(entry.value, entry.document, entry.path) for entry in side.index.lessons()}
    links = {item.id: list(item.fields.get("lessons") or []) for item in side.items().values()}
    for block in side.workspace.operations_for("tournament", None):
        for entry in block.entries("set"):
            item = entry.value.get("item")
            if item in links and "lessons" in (entry.value.get("fields") or {}):
                links[item] = list(entry.value["fields"]["lessons"] or [])
            if item in links:
                links[item] += [
                    lesson
                    for lesson in (entry.value.get("append") or {}).get("lessons") or []
                    if lesson not in links[item]
                ]
        for entry in block.entries("remove"):
            links.pop(entry.value.get("item"), None)
    coverage: dict[str, set[str]] = {lesson: set() for lesson in lessons}
    for item, linked in links.items():
        for lesson in linked:
            coverage.setdefault(lesson, set()).add(item)
    return coverage, lessons


def _diff_lessons(a: _Side, b: _Side) -> list[LessonChange]:
    old, old_lessons = _coverage(a)
    new, new_lessons = _coverage(b)
    changes: list[LessonChange] = []
    for lesson in sorted(set(old_lessons) | set(new_lessons)):
        before, after = sorted(old.get(lesson, ())), sorted(new.get(lesson, ()))
        presence = ADDED if lesson not in old_lessons else REMOVED if lesson not in new_lessons else None
        if not before and after:
            change = NEWLY_COVERED
        elif (before and not after) or (not after and presence == ADDED):
            change = UNCOVERED
        elif before != after:
            change = COVERAGE_CHANGED
        elif presence == REMOVED:
            change = REMOVED
        else:
            continue
        record = new_lessons.get(lesson) or old_lessons[lesson]
        at = b.record_at(record) if lesson in new_lessons else None
        changes.append(LessonChange(lesson, str(record.value.get("title", "")), change, before, after, presence, at))
    return changes
