"""Resolve one venue's plan: library → tournament → host country → venue → match.

The contract (docs/overlays.md):

1. Layers apply in that fixed order; later layers win. Two overlays of the *same* layer
   setting one field (or parameter) to different values is an error.
2. Items merge by id, never by position. ``set`` replaces scalars, deep-merges maps and
   replaces lists unless ``append`` is used; ``add`` places a new item ``after``/``before`` an
   id or at the end of its protocol; ``remove`` needs a reason (and a waiver for locked or
   critical items); parameter settings must name a declared parameter and fit its type.
3. An unknown target is an error at the overlay entry's file:line unless ``optional: true``.
4. ``applies_when`` is evaluated (simpleeval) against the resolved context; items that do not
   apply stay in the plan as ``not_applicable`` with the condition.
5. Parameters may be expressions over venue facts and other parameters; cycles and unknown
   names are errors.
6. Every field of every item records the file:line that set it and what it overrode.
7. The resolved plan is checked against ``schemas/plan.schema.json`` (a third validation pass).
8. Deterministic: same inputs, same output, byte for byte.

The resolver is pure: a validated :class:`~eventsec.load.workspace.Workspace` in, a :class:`Plan`
and findings out. It prints nothing and reads no files.
"""

from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field
from typing import Any

from eventsec.findings import Finding, Location, error
from eventsec.load.documents import Document
from eventsec.load.index import Entry, Operations
from eventsec.load.workspace import Workspace
from eventsec.plan.contingencies import contingency_documents, resolve_contingencies
from eventsec.plan.expressions import Evaluator, ExpressionError, Outcomes, evaluate, names
from eventsec.plan.model import (
    CRITICALITY_RANK,
    NOT_APPLICABLE,
    NOT_IN_CONTEXT,
    REMOVED,
    Change,
    Origin,
    Plan,
    ResolvedItem,
    ResolvedParameter,
    ResolvedProtocol,
)
from eventsec.plan.parameters import parameter_problem, short_repr


@dataclass
class _LibraryLayer:
    """The library layer of a workspace, built by its first resolution and shared by the others."""

    items: dict[str, ResolvedItem]
    order: dict[str, list[str]]
    protocols: dict[str, ResolvedProtocol]
    parameters: dict[str, ResolvedParameter]
    documents: dict[str, Document]
    conditional: set[str]
    """Ids of the items with an ``applies_when``."""
    passed: set[str] = field(default_factory=set)
    """Ids of the items the plan schema has accepted as they are in this layer."""
    passed_as: set[tuple] = field(default_factory=set)
    """:meth:`check_key` of the items the plan schema has accepted in a run's copy."""

    def check_key(self, item: ResolvedItem) -> tuple | None:
        """What a plan-schema check of a run's copy of an item depends on when its fields and
        history are still this layer's: its id, state and matches. None when they are not."""
        base = self.items.get(item.id)
        if base is None or item.fields is not base.fields or item.history is not base.history or item.removal:
            return None
        return item.id, item.state, tuple(item.applies_to or ())


def resolve(workspace: Workspace, venue_id: str, match_id: str | None = None) -> tuple[Plan | None, list[Finding]]:
    """Resolve the plan of ``venue_id`` (and ``match_id``); findings are errors that stop it."""
    return _Resolver(workspace, venue_id, match_id).run()


class _Resolver:
    """One resolution run; holds the working state so each step stays a small method."""

    def __init__(self, workspace: Workspace, venue_id: str, match_id: str | None) -> None:
        self.workspace = workspace
        self.venue_entry = workspace.venue(venue_id)
        self.match_entry = workspace.match(venue_id, match_id) if match_id else None
        self.findings: list[Finding] = []
        self.items: dict[str, ResolvedItem] = {}
        self.order: dict[str, list[str]] = {}
        self.protocols: dict[str, ResolvedProtocol] = {}
        self.parameters: dict[str, ResolvedParameter] = {}
        self.shared: set[str] = set()
        """Ids whose item is still the workspace's library-layer object, unchanged by this run."""
        self.documents_used: dict[str, Document] = {}
        """Input documents by path (paths are unique in a workspace), for the inputs digest."""

    # -- helpers -------------------------------------------------------------
    def origin(self, layer: str, document: Document, path: tuple) -> Origin:
        return Origin(layer, self.workspace.source_name(document), document.locate(path).line)

    def location_of(self, origin: Origin) -> Location:
        """Where a finding about a value set at ``origin`` points: the file as loaded."""
        if origin.file.startswith("builtin:"):  # the bundled library: its name, not this machine's path
            return Location(origin.file, origin.line, 1)
        return Location(self.workspace.loaded_path(origin.file), origin.line, 1)

    def fail(self, location: Location, message: str, hint: str = "") -> None:
        self.findings.append(error(location, "resolve", message, hint))

    def own(self, item: ResolvedItem) -> ResolvedItem:
        """This run's copy of ``item``, made when the run first changes it (copy on write)."""
        if item.id in self.shared:
            self.shared.discard(item.id)
            item = self.items[item.id] = item.clone()
        return item

    # -- steps ---------------------------------------------------------------
    def run(self) -> tuple[Plan | None, list[Finding]]:
        self.load_library()
        venue = self.venue_entry.value
        match = self.match_entry.value if self.match_entry else None
        chain = [("tournament", None), ("country", venue.get("country")), ("venue", venue.get("id"))]
        if match:
            chain.append(("match", match.get("id")))
        for layer, target in chain:
            self.apply_layer(layer, self.workspace.operations_for(layer, target))
        self.compute_parameters()
        if not self.findings:  # conditions read parameters: after a cycle they would only echo it
            self.evaluate_conditions()
        if self.findings:
            return None, self.findings
        plan = self.plan()
        self.check_plan(plan)
        return (None, self.findings) if self.findings else (plan, [])

    def load_library(self) -> None:
        """The library layer: built once per workspace, then shared by every run. Its items are
        never changed; a run copies an item only when an overlay or condition first changes it
        (:meth:`own`), so a venue pays only for the items its overlays touch."""
        library = self.workspace.cache.get("library")
        if library is None:
            self.build_library()
            library = self.workspace.cache["library"] = _LibraryLayer(
                self.items,
                self.order,
                self.protocols,
                self.parameters,
                dict(self.documents_used),
                {item_id for item_id, item in self.items.items() if item.condition},
            )
        self.items = dict(library.items)
        self.shared = set(library.items)
        self.order = {protocol: list(sequence) for protocol, sequence in library.order.items()}
        self.protocols = {
            key: ResolvedProtocol(
                p.id, p.title, p.domain, p.version, sensitivity=p.sensitivity, references=p.references
            )
            for key, p in library.protocols.items()
        }
        self.parameters = {
            name: ResolvedParameter(p.name, p.value, dict(p.declaration), list(p.history), p.expression)
            for name, p in library.parameters.items()
        }
        self.documents_used = dict(library.documents)

    def build_library(self) -> None:
        index = self.workspace.index
        domain_order = {d.value["id"]: d.value.get("order", 999) for d in index.catalog_entries("domains")}
        protocols = sorted(
            index.protocols(), key=lambda p: (domain_order.get(p.value.get("domain"), 999), p.value["id"])
        )
        for protocol in protocols:
            data = protocol.value
            self.documents_used[protocol.document.path] = protocol.document
            resolved = ResolvedProtocol(
                data["id"],
                data["title"],
                data["domain"],
                data["version"],
                sensitivity=data.get("sensitivity"),
                references=tuple(data.get("references") or ()),
            )
            self.protocols[data["id"]] = resolved
            self.order[data["id"]] = []
            for position, item in enumerate(data.get("items") or []):
                path = ("items", position)
                self.items[item["id"]] = self.new_item(item, data["id"], "library", protocol.document, path)
                self.order[data["id"]].append(item["id"])
            for name, declaration in (data.get("parameters") or {}).items():
                origin = self.origin("library", protocol.document, ("parameters", name))
                value = declaration.get("default")
                self.parameters[name] = ResolvedParameter(
                    name, value, declaration, [Change("library", value, origin)], declaration.get("expression")
                )

    def new_item(self, item: dict, protocol: str, layer: str, document: Document, path: tuple) -> ResolvedItem:
        history = {
            name: [Change(layer if layer == "library" else "add", value, self.origin(layer, document, path + (name,)))]
            for name, value in item.items()
            if name != "id"
        }
        fields = {name: value for name, value in item.items() if name != "id"}
        return ResolvedItem(item["id"], protocol, fields, history)

    def apply_layer(self, layer: str, blocks: list[Operations]) -> None:
        claimed: dict[tuple[str, str], tuple[Any, Location]] = {}
        for block in blocks:
            self.documents_used.setdefault(block.document.path, block.document)
            for entry in block.entries("add"):
                self.add(layer, entry)
            for entry in block.entries("set"):
                self.set(layer, entry, claimed)
            for entry in block.entries("remove"):
                self.remove(layer, entry)
            for name, setting in (block.data.get("parameters") or {}).items():
                self.set_parameter(layer, block, name, setting, claimed)

    def add(self, layer: str, entry: Entry) -> None:
        spec = entry.value
        item, protocol = spec["item"], spec["protocol"]
        if item["id"] in self.items:
            self.fail(
                entry.at("item", "id"),
                f"add: item '{item['id']}' already exists",
                "use 'set' to change an existing item, or choose a new id",
            )
            return
        if protocol not in self.order:
            self.fail(entry.at("protocol"), f"add: protocol '{protocol}' does not exist")
            return
        anchor_id = spec.get("after") or spec.get("before")
        sequence = self.order[protocol]
        if anchor_id is None:
            position = len(sequence)
        elif anchor_id not in sequence:
            where = f"in protocol '{protocol}'" if anchor_id in self.items else "anywhere"
            self.fail(entry.at("after" if "after" in spec else "before"), f"add: anchor '{anchor_id}' is not {where}")
            return
        else:
            position = self.anchor_position(sequence, anchor_id, after="after" in spec)
        resolved = self.new_item(item, protocol, layer, entry.document, entry.path + ("item",))
        resolved.added = self.origin(layer, entry.document, entry.path)
        resolved.anchor = spec.get("after")
        self.items[item["id"]] = resolved
        sequence.insert(position, item["id"])

    def anchor_position(self, sequence: list[str], anchor: str, after: bool) -> int:
        """Insertion index keeping earlier adds at the same anchor first (file order)."""
        index = sequence.index(anchor)
        if not after:
            return index
        index += 1
        while index < len(sequence) and self.items[sequence[index]].anchor == anchor:
            index += 1
        return index

    def target(self, operation: str, entry: Entry) -> ResolvedItem | None:
        """The item an entry names; an error unless it exists or the entry says ``optional: true``."""
        spec = entry.value
        target = self.items.get(spec["item"])
        if target is None and not spec.get("optional"):
            self.fail(
                entry.at("item"),
                f"{operation}: item '{spec['item']}' does not exist",
                "check the id, or add 'optional: true' if the item may be absent",
            )
        return target

    def set(self, layer: str, entry: Entry, claimed: dict) -> None:
        spec = entry.value
        target = self.target("set", entry)
        if target is None:
            return
        if target.state == REMOVED:
            self.fail(
                entry.at("item"),
                f"set: item '{target.id}' was removed at {target.removal['file']}:{target.removal['line']}",
            )
            return
        target = self.own(target)
        for name, value in (spec.get("fields") or {}).items():
            location = entry.at("fields", name)
            key = (target.id, name)
            if key in claimed and claimed[key][0] != value:
                self.fail(
                    location,
                    f"'{target.id}.{name}' is set to {value!r} here and to {claimed[key][0]!r} at "
                    f"{claimed[key][1]}, both in the {layer} layer",
                    "one overlay per layer must own a value; remove one of the settings",
                )
                continue
            claimed[key] = (value, location)
            if (
                name == "criticality"
                and target.fields.get("locked")
                and CRITICALITY_RANK[value] < CRITICALITY_RANK.get(target.fields.get("criticality"), 0)
            ):
                self.fail(location, f"item '{target.id}' is locked; its criticality cannot be lowered")
                continue
            merged = _deep_merge(target.fields.get(name), value)
            target.record(
                name,
                merged,
                Change(
                    "set",
                    merged,
                    self.origin(layer, entry.document, entry.path + ("fields", name)),
                    spec.get("note", ""),
                ),
            )
        for name, values in (spec.get("append") or {}).items():
            existing = list(target.fields.get(name) or [])
            combined = existing + [v for v in values if v not in existing]
            target.record(
                name,
                combined,
                Change(
                    "append",
                    combined,
                    self.origin(layer, entry.document, entry.path + ("append", name)),
                    spec.get("note", ""),
                ),
            )

    def remove(self, layer: str, entry: Entry) -> None:
        spec = entry.value
        target = self.target("remove", entry)
        if target is None:
            return
        locked = target.fields.get("locked") or target.fields.get("criticality") == "critical"
        if locked and not spec.get("waiver"):
            self.fail(
                entry.at("item"),
                f"remove: item '{target.id}' is locked or critical and needs a waiver",
                "add 'waiver: {approved_by: ..., date: YYYY-MM-DD, reason: ...}'",
            )
            return
        origin = self.origin(layer, entry.document, entry.path)
        target = self.own(target)
        target.state = REMOVED
        target.removal = {"reason": spec["reason"], "waiver": spec.get("waiver"), **origin.to_dict()}

    def set_parameter(self, layer: str, block: Operations, name: str, setting: Any, claimed: dict) -> None:
        path = block.path + ("parameters", name)
        location = block.document.locate(path)
        parameter = self.parameters.get(name)
        if parameter is None:
            self.fail(block.document.locate(path, key=True), f"parameter '{name}' is not declared by any protocol")
            return
        spec = setting if isinstance(setting, dict) else {"value": setting}
        value, expression = spec.get("value"), spec.get("expression")
        key = ("parameter", name)
        if key in claimed and claimed[key][0] != (value, expression):
            self.fail(
                location,
                f"parameter '{name}' is set here and at {claimed[key][1]}, both in the {layer} layer",
                "one overlay per layer must own a value; remove one of the settings",
            )
            return
        claimed[key] = ((value, expression), location)
        if value is not None:
            problem = parameter_problem(parameter.declaration, value, name)
            if problem:
                self.fail(location, f"parameter '{name}': {problem}")
                return
        parameter.value, parameter.expression = value, expression
        origin = self.origin(layer, block.document, path)
        # The library's source and confidence describe its default, not this value: a setting
        # brings its own, and one that gives none has no source (its set_by says where it was
        # set; a plan says "no source") and is unverified unless it says otherwise.
        declaration = {key: v for key, v in parameter.declaration.items() if key != "source"}
        parameter.declaration = {
            **declaration,
            **({"source": spec["source"]} if spec.get("source") else {}),
            "confidence": spec.get("confidence", "unverified"),
        }
        parameter.history.append(Change("parameter", expression or value, origin, spec.get("note", "")))

    def base_context(self) -> dict:
        tournament = self.workspace.tournament.data
        venue = {k: v for k, v in self.venue_entry.value.items() if k not in NOT_IN_CONTEXT["venue"]}
        hosts = {h["country"]: h for h in tournament.get("hosts", [])}
        country = {"code": venue.get("country"), "name": hosts.get(venue.get("country"), {}).get("name")}
        return {
            "tournament": {k: v for k, v in tournament.items() if k not in NOT_IN_CONTEXT["tournament"]},
            "venue": venue,
            "country": country,
        }

    def compute_parameters(self) -> None:
        context = self.base_context()
        context["match"] = self.match_entry.value if self.match_entry else {}
        pending = {name: p for name, p in self.parameters.items() if p.expression}
        resolved = {name: p.value for name, p in self.parameters.items() if not p.expression}
        for name in self._expression_order(pending):
            parameter = pending[name]
            try:
                value = evaluate(parameter.expression, {**context, **resolved})
            except ExpressionError as exc:
                self.fail(self._parameter_location(parameter), f"parameter '{name}': {exc}")
                continue
            problem = parameter_problem(parameter.declaration, value, name)
            if problem:
                self.fail(
                    self._parameter_location(parameter), f"parameter '{name}' computes {short_repr(value)}: {problem}"
                )
                continue
            parameter.value = resolved[name] = value

    def _expression_order(self, pending: dict[str, ResolvedParameter]) -> list[str]:
        """Computed parameters in dependency order; cycles and unknown names become findings."""
        known = set(self.parameters) | {"venue", "match", "tournament", "country"}
        depends: dict[str, set[str]] = {}
        for name, parameter in pending.items():
            try:
                used = names(parameter.expression)
            except ExpressionError as exc:
                self.fail(self._parameter_location(parameter), f"parameter '{name}': {exc}")
                continue
            for unknown in sorted(used - known):
                self.fail(self._parameter_location(parameter), f"parameter '{name}' reads unknown name '{unknown}'")
            depends[name] = used & set(pending)
        ordered: list[str] = []
        state: dict[str, str] = {}
        cyclic: set[str] = set()

        def visit(name: str, trail: list[str]) -> None:
            if state.get(name) == "done":
                return
            if state.get(name) == "visiting":
                members = trail[trail.index(name) :]
                cyclic.update(members)
                cycle = " → ".join(members + [name])
                self.fail(self._parameter_location(pending[name]), f"computed parameters form a cycle: {cycle}")
                return
            state[name] = "visiting"
            for dependency in sorted(depends.get(name, ())):
                visit(dependency, trail + [name])
            state[name] = "done"
            ordered.append(name)

        for name in sorted(depends):
            visit(name, [])
        return [name for name in ordered if name not in cyclic]

    def _parameter_location(self, parameter: ResolvedParameter) -> Location:
        origin = parameter.history[-1].origin
        return self.location_of(origin)

    def evaluate_conditions(self) -> None:
        """Mark items whose ``applies_when`` holds for no match ``not_applicable``, and record the
        matches of an item that applies to some of the venue's matches only."""
        context = self.base_context()
        context.update({name: p.value for name, p in self.parameters.items()})
        matches = [self.match_entry.value] if self.match_entry else list(self.venue_entry.value.get("matches") or [])
        evaluators = [Evaluator({**context, "match": match}) for match in matches or [{}]]
        remembered = self.workspace.cache.setdefault("condition-outcomes", Outcomes())
        outcomes: dict[str, list[str] | ExpressionError] = {}  # items share a handful of conditions
        library: _LibraryLayer = self.workspace.cache["library"]
        candidates = library.conditional | (self.items.keys() - self.shared)  # a run's copy may have gained one
        for item in [item for item_id, item in self.items.items() if item_id in candidates]:
            condition = item.condition
            if not condition:
                continue
            if condition not in outcomes:
                outcomes[condition] = _matches_where(condition, matches or [{}], evaluators, remembered)
            outcome = outcomes[condition]
            if isinstance(outcome, ExpressionError):
                origin = item.origin("applies_when")
                self.fail(
                    self.location_of(origin) if origin else self.venue_entry.location, f"item '{item.id}': {outcome}"
                )
            elif not outcome:
                self.own(item).state = NOT_APPLICABLE
            elif not self.match_entry and any(outcome) and len(outcome) < len(matches):
                self.own(item).applies_to = [m for m in outcome if m]

    def check_plan(self, plan: Plan) -> None:
        """Third validation pass: the resolved plan against schemas/plan.schema.json."""
        from eventsec.load.schema import fast_validator, strict_errors, validator

        # No plan item's validity depends on another's. An item whose fields and history are
        # still the library layer's depends only on its id, state and matches (check_key): once
        # the schema accepted that, later plans of the workspace skip it.
        library: _LibraryLayer = self.workspace.cache["library"]
        keys = {item_id: library.check_key(self.items[item_id]) for item_id in self.items.keys() - self.shared}
        include = (self.shared - library.passed) | {
            i for i, key in keys.items() if key is None or key not in library.passed_as
        }
        data = plan.to_dict(include=include)
        errors = strict_errors(validator("plan"), fast_validator("plan"), data)
        if not errors:
            library.passed |= self.shared & include
            library.passed_as.update(key for key in keys.values() if key is not None)
            return
        checked = [[(n, i) for n, i in enumerate(p.items) if i.id in include] for p in plan.protocols]
        for err in errors:
            path = list(err.absolute_path)
            location = self.venue_entry.location  # a value no input file set: the venue whose plan it is
            if len(path) >= 4 and path[0] == "protocols" and path[2] == "items":
                path[3], item = checked[path[1]][path[3]]  # the item's place in the whole plan, as printed
                origin = item.origin(str(path[4])) if len(path) > 4 else item.origin("title")
                if origin:
                    location = self.location_of(origin)
            self.fail(location, f"resolved plan is invalid at {'/'.join(map(str, path))}: {err.message}")

    def plan(self) -> Plan:
        for protocol_id, sequence in self.order.items():
            self.protocols[protocol_id].items = [self.items[i] for i in sequence]
        index = self.workspace.index
        shared = self.workspace.cache.get("plan-lookups")
        if shared is None:
            shared = self.workspace.cache["plan-lookups"] = (
                {lesson.value["id"]: lesson.value for lesson in index.lessons()},
                {d.value["id"]: d.value for d in index.catalog_entries("domains")},
                {r.value["id"]: r.value for r in index.catalog_entries("roles")},
                index.of_kind("lessons") + index.of_kind("catalog") + contingency_documents(index),
            )
        lessons, domains, roles, reference_documents = dict(shared[0]), dict(shared[1]), dict(shared[2]), shared[3]
        venue = {k: v for k, v in self.venue_entry.value.items() if k != "overlay"}
        documents = (
            list(self.documents_used.values())
            + [self.workspace.tournament, self.venue_entry.document]
            + reference_documents
        )
        return Plan(
            self.workspace.tournament.data,
            venue,
            self.match_entry.value if self.match_entry else None,
            list(self.protocols.values()),
            self.parameters,
            lessons,
            domains,
            roles,
            inputs_digest(documents),
            resolve_contingencies(index, self.items, self.venue_entry, self.origin),
        )


def _matches_where(
    condition: str, matches: list[dict], evaluators: list[Evaluator], outcomes: Outcomes
) -> list[str] | ExpressionError:
    """Ids of the matches for which ``condition`` holds, or the error that stopped its evaluation."""
    applying = []
    for match, evaluator in zip(matches, evaluators):
        try:
            if outcomes.holds(condition, evaluator):
                applying.append(match.get("id", ""))
        except ExpressionError as exc:
            return exc
    return applying


def _deep_merge(base: Any, update: Any) -> Any:
    """Maps merge key by key; everything else (scalars, lists) is replaced."""
    if isinstance(base, dict) and isinstance(update, dict):
        merged = copy.deepcopy(base)
        for key, value in update.items():
            merged[key] = _deep_merge(merged.get(key), value)
        return merged
    return copy.deepcopy(update)


def inputs_digest(documents: list[Document]) -> str:
    """sha256 over the sorted content digests of the documents a plan was built from (not their
    paths). Combining per-document digests, each computed once, keeps a venue's digest cheap when
    every venue's plan includes the same library."""
    digest = hashlib.sha256()
    for content in sorted({doc.content_digest for doc in documents}):
        digest.update(content.encode("ascii") + b"\n")
    return "sha256:" + digest.hexdigest()
