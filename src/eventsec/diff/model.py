"""What a workspace diff says: records added, removed, changed field by field or moved, by
section; :mod:`eventsec.diff.compare` builds it, :mod:`eventsec.diff.text` prints it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from eventsec.findings import Finding
from eventsec.i18n import english
from eventsec.i18n.message import Message

ADDED, REMOVED, CHANGED, MOVED = "added", "removed", "changed", "moved"
NEWLY_COVERED, UNCOVERED, COVERAGE_CHANGED = "newly-covered", "uncovered", "coverage-changed"


class _Absent:
    """A field that is not there (distinct from a field set to null or to an empty value)."""

    _instance: _Absent | None = None

    def __new__(cls) -> _Absent:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "ABSENT"

    def __bool__(self) -> bool:
        return False


ABSENT: Any = _Absent()


# -- result ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class FieldChange:
    """One leaf value that differs; ``old``/``new`` are :data:`ABSENT` when the field is missing."""

    path: str
    old: Any
    new: Any
    at: str | None = None
    """file:line of the new value (of its nearest parent when the field was removed)."""

    @property
    def change(self) -> str:
        if self.old is ABSENT:
            return ADDED
        if self.new is ABSENT:
            return REMOVED
        return CHANGED

    def to_dict(self) -> dict:
        data: dict[str, Any] = {"field": self.path, "change": self.change}
        if self.old is not ABSENT:
            data["old"] = self.old
        if self.new is not ABSENT:
            data["new"] = self.new
        data["at"] = self.at
        return data


@dataclass
class RecordChange:
    """A record (protocol, venue, parameter, overlay entry) added, removed or changed."""

    key: str
    change: str
    at: str | None = None
    """Location in the new workspace (None when removed)."""
    was_at: str | None = None
    """Location in the old workspace (None when added)."""
    fields: list[FieldChange] = field(default_factory=list)
    value: Any = ABSENT
    """The whole record when it was added or removed."""
    marks: tuple[str, ...] = ()
    """Every ``sensitivity`` in the record, before and after (a release shows what it allows)."""

    def _base(self) -> dict:
        data: dict[str, Any] = {"change": self.change, "at": self.at, "was_at": self.was_at}
        if self.value is not ABSENT:
            data["value"] = self.value
        data["fields"] = [f.to_dict() for f in self.fields]
        return data


@dataclass
class ProtocolChange(RecordChange):
    def to_dict(self) -> dict:
        return {"id": self.key, **self._base()}


@dataclass
class TournamentChange(ProtocolChange):
    """The tournament's own fields, keyed like a protocol's header (by id)."""


@dataclass
class VenueChange(RecordChange):
    name: str = ""

    def to_dict(self) -> dict:
        return {"id": self.key, "name": self.name, **self._base()}


@dataclass
class ParameterChange(RecordChange):
    scope: str = "declaration"
    """``declaration``, or the block that sets the parameter (``tournament``, ``overlay ID``, ``venue ID``)."""

    def to_dict(self) -> dict:
        return {"name": self.key, "scope": self.scope, **self._base()}


@dataclass
class OverlayChange(RecordChange):
    overlay: str = ""
    """The block: ``tournament``, ``overlay <id>`` or ``venue <id>``."""
    scope: str = ""
    """Layer and target, e.g. ``country MA``."""
    operation: str = ""
    """``set``, ``remove``, or ``overlay`` for the overlay file's own fields."""
    item: str | None = None

    def to_dict(self) -> dict:
        return {
            "overlay": self.overlay,
            "scope": self.scope,
            "operation": self.operation,
            "item": self.item,
            **self._base(),
        }


@dataclass(frozen=True)
class Place:
    """Where an item sits: its protocol, its declaring block and its neighbour."""

    protocol: str
    declared_in: str
    after: str | None = None
    before: str | None = None

    def to_dict(self) -> dict:
        return {"protocol": self.protocol, "declared_in": self.declared_in, "after": self.after, "before": self.before}

    def message(self) -> Message:
        """``crowd-management, after CRW-001`` (and ``, added by venue`` for an overlay's item)."""
        if self.after:
            where = Message("diff_place_after", {"protocol": self.protocol, "item": self.after})
        elif self.before:
            where = Message("diff_place_before", {"protocol": self.protocol, "item": self.before})
        else:
            where = Message(
                "diff_place_first" if self.declared_in == "library" else "diff_place_end", {"protocol": self.protocol}
            )
        return (
            where
            if self.declared_in == "library"
            else Message("diff_added_by", {"change": where, "layer": self.declared_in})
        )

    def __str__(self) -> str:
        return english(self.message())


@dataclass
class ItemChange(RecordChange):
    title: str = ""
    protocol: str = ""
    declared_in: str = "library"
    moved_from: Place | None = None
    moved_to: Place | None = None

    def to_dict(self) -> dict:
        data = {
            "id": self.key,
            "title": self.title,
            "protocol": self.protocol,
            "declared_in": self.declared_in,
            **self._base(),
        }
        if self.moved_from and self.moved_to:
            data["moved"] = {"from": self.moved_from.to_dict(), "to": self.moved_to.to_dict()}
        return data


@dataclass
class LessonChange:
    """A lesson whose coverage (the items linking it) changed."""

    id: str
    title: str
    change: str
    old_items: list[str]
    new_items: list[str]
    lesson: str | None = None
    """``added`` or ``removed`` when the lesson itself appeared or disappeared."""
    at: str | None = None

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "change": self.change,
            "lesson": self.lesson,
            "old_items": self.old_items,
            "new_items": self.new_items,
            "at": self.at,
        }


SECTIONS = ("tournament", "protocols", "items", "parameters", "overlays", "lessons", "venues")


@dataclass
class WorkspaceDiff:
    """Everything that differs between two workspaces, or the findings that prevented the diff."""

    old: str
    new: str
    tournament: list[TournamentChange] = field(default_factory=list)
    protocols: list[ProtocolChange] = field(default_factory=list)
    items: list[ItemChange] = field(default_factory=list)
    parameters: list[ParameterChange] = field(default_factory=list)
    overlays: list[OverlayChange] = field(default_factory=list)
    lessons: list[LessonChange] = field(default_factory=list)
    venues: list[VenueChange] = field(default_factory=list)
    findings: dict[str, list[Finding]] = field(default_factory=dict)
    """Errors of the side(s) that failed validation, under ``old``/``new``; empty when both are valid."""

    @property
    def valid(self) -> bool:
        return not any(self.findings.values())

    @property
    def differs(self) -> bool:
        return any(getattr(self, section) for section in SECTIONS)

    @property
    def status(self) -> str:
        return "invalid" if not self.valid else "different" if self.differs else "identical"

    def summary(self) -> dict[str, dict[str, int]]:
        """Counts of each kind of change, by section (only kinds that occur)."""
        counts: dict[str, dict[str, int]] = {}
        for section in SECTIONS:
            kinds: dict[str, int] = {}
            for change in getattr(self, section):
                kinds[change.change] = kinds.get(change.change, 0) + 1
            if kinds:
                counts[section] = dict(sorted(kinds.items()))
        return counts

    def to_dict(self) -> dict:
        data: dict[str, Any] = {"old": self.old, "new": self.new, "status": self.status, "summary": self.summary()}
        for section in SECTIONS:
            data[section] = [change.to_dict() for change in getattr(self, section)]
        data["findings"] = {side: [f.to_dict() for f in found] for side, found in self.findings.items() if found}
        return data


# -- entry points ----------------------------------------------------------------------------
