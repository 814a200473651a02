"""The resolved plan: items, parameters and protocols with the origin of every value.

What the resolver (:mod:`eventsec.plan.resolve`) produces and every later stage reads; it holds
data and the views of it (``to_dict``), never the merge rules.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Container, Iterator
from dataclasses import dataclass, field
from typing import Any

from eventsec.i18n.message import Translated

CRITICALITY_RANK = {"critical": 3, "high": 2, "medium": 1, "low": 0}
"""Item criticality, lowest 0: an overlay may raise an item's criticality, never lower it."""

PRESENT, NOT_APPLICABLE, REMOVED = "present", "not_applicable", "removed"
NOT_IN_PLAN = "not_in_plan"
"""The state of an item a contingency lists that this plan does not hold at all (an item another
venue's overlay adds)."""

NOT_IN_CONTEXT = {"venue": frozenset({"kind", "overlay"}), "tournament": frozenset({"kind", "set", "add", "remove"})}
"""Fields of the venue and tournament documents that conditions cannot read (operations, not facts)."""


@dataclass(frozen=True)
class Origin:
    """Where a value was set: the layer and a workspace-relative file:line."""

    layer: str
    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"

    def to_dict(self) -> dict:
        return {"layer": self.layer, "file": self.file, "line": self.line}


@dataclass(frozen=True)
class Change:
    """One value given to a field or parameter by one layer."""

    operation: str
    value: Any
    origin: Origin
    note: str = ""


def _declared(change: Change) -> bool:
    """Whether ``change`` is the value an item was declared with: in the library, or by the overlay that added it."""
    return change.operation in ("library", "add")


@dataclass
class ResolvedItem:
    """An item of the plan with its state and the history of every field.

    Field values are shared with the loaded documents and between the plans of a workspace, and
    so are the library layer's items until a plan changes them (it then changes a copy, see
    :meth:`clone`). Nothing changes a value in place (an overlay's value replaces the field, a
    deep merge builds a new mapping), so no plan sees another's changes and values need no copy."""

    id: str
    protocol: str
    fields: dict
    history: dict[str, list[Change]]
    state: str = PRESENT
    applies_to: list[str] | None = None
    removal: dict | None = None
    added: Origin | None = None
    anchor: str | None = None

    def clone(self) -> ResolvedItem:
        """A copy one run may change. It shares ``fields`` and ``history`` with the original:
        they are replaced, never changed in place (:meth:`record`), so sharing them is safe and
        tells a check that the item's content is still the original's."""
        return ResolvedItem(
            self.id,
            self.protocol,
            self.fields,
            self.history,
            self.state,
            self.applies_to,
            self.removal,
            self.added,
            self.anchor,
        )

    def record(self, name: str, value: Any, change: Change) -> None:
        """Give field ``name`` a new value, with ``change`` appended to its history (new maps)."""
        self.fields = {**self.fields, name: value}
        self.history = {**self.history, name: [*self.history.get(name, ()), change]}

    @property
    def condition(self) -> str | None:
        """The ``applies_when`` this plan evaluated for the item (none once it is removed)."""
        return None if self.state == REMOVED else self.fields.get("applies_when") or None

    def changed_fields(self) -> list[str]:
        """Fields an overlay changed after the library (empty for untouched items), including a
        field it gave an item that had none, such as references a country adds to a library item."""
        return [name for name, changes in self.history.items() if len(changes) > 1 or not _declared(changes[0])]

    def base_value(self, name: str) -> Any:
        """The value the item was declared with (library or adding overlay); None for a field an overlay introduced."""
        changes = self.history.get(name)
        return changes[0].value if changes and _declared(changes[0]) else None

    def origin(self, name: str) -> Origin | None:
        return self.history[name][-1].origin if self.history.get(name) else None

    def to_dict(self) -> dict:
        data: dict[str, Any] = {"id": self.id, "protocol": self.protocol, "state": self.state}
        data.update(self.fields)
        if self.condition:
            data["condition"] = self.condition
        if self.applies_to is not None:
            data["applies_to_matches"] = self.applies_to
        if self.removal:
            data["removal"] = self.removal
        provenance = {}
        for name, changes in self.history.items():
            last = changes[-1]
            entry = {**last.origin.to_dict(), "operation": last.operation}
            if len(changes) > 1:
                before = changes[-2]
                entry["overrode"] = {"value": before.value, **before.origin.to_dict()}
            provenance[name] = entry
        data["provenance"] = provenance
        return data


@dataclass
class ResolvedParameter:
    """A parameter's value, its declaration (unit, source, confidence) and who set it."""

    name: str
    value: Any
    declaration: dict
    history: list[Change]
    expression: str | None = None

    @property
    def confidence(self) -> str:
        return str(self.declaration.get("confidence", "unverified"))

    @property
    def unverified(self) -> bool:
        return self.confidence == "unverified"

    @property
    def label(self) -> Translated:
        """The declaration's short ``label`` with its translations (``translations: {fr: {label:
        …}}``), for footnotes and conditions; the name with spaces where it declares none, which
        reads better than snake case in any plan."""
        label = str(self.declaration.get("label") or self.name.replace("_", " "))
        translations = self.declaration.get("translations") or {}
        return Translated(
            label, tuple((lang, str(texts["label"])) for lang, texts in translations.items() if texts.get("label"))
        )

    def to_dict(self) -> dict:
        data = {"value": self.value}
        for key in ("unit", "source", "confidence"):
            if key in self.declaration:
                data[key] = self.declaration[key]
        if self.expression:
            data["expression"] = self.expression
        data["set_by"] = self.history[-1].origin.to_dict()
        if len(self.history) > 1:
            data["overrode"] = [{"value": c.value, **c.origin.to_dict()} for c in self.history[:-1]]
        return data


@dataclass
class ResolvedProtocol:
    id: str
    title: str
    domain: str
    version: str
    items: list[ResolvedItem] = field(default_factory=list)
    sensitivity: str | None = None
    references: tuple[dict, ...] = ()
    """The protocol's ``references`` (id, title, publisher…), so a plan can name a source by its title."""


@dataclass(frozen=True)
class PreparingItem:
    """An item a contingency lists as preparing it, and its state in this plan (present, not
    applicable, removed, or :data:`NOT_IN_PLAN`)."""

    id: str
    state: str


@dataclass
class ResolvedContingency:
    """A library contingency as one venue's plan sees it: its texts, each preparing item's state
    there, and the venue's code word (None when the venue gives none, or a release withholds it)."""

    id: str
    entry: dict
    """The contingency as the library writes it (title, trigger, first actions, message,
    translations), shared with the loaded document and never changed."""
    items: tuple[PreparingItem, ...]
    code: str | None = None
    origin: Origin | None = None
    """Where the contingency is defined."""
    code_origin: Origin | None = None
    """Where the venue sets its code word."""

    @property
    def decision_maker(self) -> str:
        return str(self.entry.get("decision_maker", ""))

    @property
    def prepared(self) -> bool:
        """Whether some preparing item is still in the plan (present)."""
        return any(item.state == PRESENT for item in self.items)

    def to_dict(self) -> dict:
        data: dict[str, Any] = {"id": self.id, "decision_maker": self.decision_maker}
        if self.entry.get("alternate_decision_maker"):
            data["alternate_decision_maker"] = self.entry["alternate_decision_maker"]
        data["items"] = {item.id: item.state for item in self.items}
        if self.code is not None:
            data["code"] = self.code
        provenance = {}
        if self.origin:
            provenance["contingency"] = self.origin.to_dict()
        if self.code_origin:
            provenance["code"] = self.code_origin.to_dict()
        if provenance:
            data["provenance"] = provenance
        return data


@dataclass
class Plan:
    """A venue's resolved plan: what later stages (assess, render) read, and nothing else."""

    tournament: dict
    venue: dict
    match: dict | None
    protocols: list[ResolvedProtocol]
    parameters: dict[str, ResolvedParameter]
    lessons: dict[str, dict]
    domains: dict[str, dict]
    roles: dict[str, dict]
    inputs_digest: str
    contingencies: list[ResolvedContingency] = field(default_factory=list)
    """The library's contingencies with their preparing items' states and the venue's code words."""

    def items(self) -> Iterator[ResolvedItem]:
        for protocol in self.protocols:
            yield from protocol.items

    def item(self, item_id: str) -> ResolvedItem | None:
        return next((i for i in self.items() if i.id == item_id), None)

    def reference_title(self, reference_id: str) -> str | None:
        """The title a protocol of the plan gives the reference ``reference_id``, if any does."""
        for protocol in self.protocols:
            for reference in protocol.references:
                if reference.get("id") == reference_id and reference.get("title"):
                    return str(reference["title"])
        return None

    def parameter_values(self) -> dict[str, Any]:
        return {name: p.value for name, p in self.parameters.items()}

    def to_dict(self, include: Container[str] | None = None) -> dict:
        """The plan as plain data (``eventsec resolve`` prints it); ``include`` limits the items
        listed to those ids (the counts are always of every item)."""
        states = Counter(i.state for i in self.items())
        counts = {state: states[state] for state in (PRESENT, NOT_APPLICABLE, REMOVED)}
        return {
            "plan": {
                "tournament": self.tournament.get("id"),
                "venue": self.venue.get("id"),
                "match": self.match.get("id") if self.match else None,
                "inputs_digest": self.inputs_digest,
                "counts": counts,
            },
            "parameters": {name: p.to_dict() for name, p in sorted(self.parameters.items())},
            "protocols": [
                {
                    "id": p.id,
                    "title": p.title,
                    "domain": p.domain,
                    "version": p.version,
                    "items": [i.to_dict() for i in p.items if include is None or i.id in include],
                }
                for p in self.protocols
            ],
            **({"contingencies": [c.to_dict() for c in self.contingencies]} if self.contingencies else {}),
        }
