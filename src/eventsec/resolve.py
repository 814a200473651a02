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

The resolver is pure: a validated :class:`~eventsec.workspace.Workspace` in, a :class:`Plan`
and findings out. It prints nothing and reads no files.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Iterator

from eventsec.expressions import Evaluator, ExpressionError, evaluate, names
from eventsec.findings import Finding, Location, error
from eventsec.index import Entry, Operations
from eventsec.loader import Document
from eventsec.rules.overlays import CRITICALITY_RANK, parameter_problem
from eventsec.workspace import Workspace

PRESENT, NOT_APPLICABLE, REMOVED = "present", "not_applicable", "removed"


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


@dataclass
class ResolvedItem:
    """An item of the plan with its state and the history of every field."""

    id: str
    protocol: str
    fields: dict
    history: dict[str, list[Change]]
    state: str = PRESENT
    condition: str | None = None
    applies_to: list[str] | None = None
    removal: dict | None = None
    added: Origin | None = None
    anchor: str | None = None

    def clone(self) -> "ResolvedItem":
        """A copy this run may change: fields and histories are new containers, values are shared
        (overlays replace values, never mutate them in place)."""
        return ResolvedItem(self.id, self.protocol, dict(self.fields), {k: list(v) for k, v in self.history.items()},
                            self.state, self.condition, self.applies_to, self.removal, self.added, self.anchor)

    def changed_fields(self) -> list[str]:
        """Fields an overlay changed after the library (empty for untouched items)."""
        return [name for name, changes in self.history.items() if len(changes) > 1]

    def base_value(self, name: str) -> Any:
        return self.history[name][0].value if name in self.history else None

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

    def items(self) -> Iterator[ResolvedItem]:
        for protocol in self.protocols:
            yield from protocol.items

    def item(self, item_id: str) -> ResolvedItem | None:
        return next((i for i in self.items() if i.id == item_id), None)

    def tournament_country_name(self) -> str:
        """The venue's host-country name as the tournament spells it (the code when absent)."""
        code = self.venue.get("country")
        return next((h.get("name", code) for h in self.tournament.get("hosts", []) if h.get("country") == code), code)

    def parameter_values(self) -> dict[str, Any]:
        return {name: p.value for name, p in self.parameters.items()}

    def to_dict(self) -> dict:
        counts = {state: sum(1 for i in self.items() if i.state == state) for state in (PRESENT, NOT_APPLICABLE, REMOVED)}
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
                {"id": p.id, "title": p.title, "domain": p.domain, "version": p.version,
                 "items": [i.to_dict() for i in p.items]}
                for p in self.protocols
            ],
        }


def resolve(workspace: Workspace, venue_id: str, match_id: str | None = None) -> tuple[Plan | None, list[Finding]]:
    """Resolve the plan of ``venue_id`` (and ``match_id``); findings are errors that stop it."""
    return _Resolver(workspace, venue_id, match_id).run()


def source_name(document: Document, workspace: Workspace) -> str:
    """A machine-independent name for a document: workspace-relative, or builtin:<file>."""
    from pathlib import Path

    from eventsec.resources import library_dir

    path = Path(document.path).resolve()
    for root, prefix in ((workspace.root.resolve(), ""), (library_dir().resolve(), "builtin:")):
        try:
            return prefix + path.relative_to(root).as_posix()
        except ValueError:
            continue
    return document.path


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
        self.documents_used: list[Document] = []
        self.source_names: dict[str, str] = {}

    # -- helpers -------------------------------------------------------------
    def origin(self, layer: str, document: Document, path: tuple) -> Origin:
        name = self.source_names.get(document.path)
        if name is None:  # resolving paths is slow; a plan records ~40,000 origins over ~30 files
            name = self.source_names[document.path] = source_name(document, self.workspace)
        return Origin(layer, name, document.locate(path).line)

    def fail(self, location: Location, message: str, hint: str = "") -> None:
        self.findings.append(error(location, "resolve", message, hint))

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
        self.evaluate_conditions()
        if self.findings:
            return None, self.findings
        plan = self.plan()
        self.check_plan(plan)
        return (None, self.findings) if self.findings else (plan, [])

    def load_library(self) -> None:
        """The library layer, built once per workspace and cloned for each venue."""
        library = self.workspace.cache.get("library")
        if library is None:
            self.build_library()
            library = self.workspace.cache["library"] = (self.items, self.order, self.protocols, self.parameters,
                                                          list(self.documents_used), dict(self.source_names))
        items, order, protocols, parameters, documents, names = library
        self.items = {item_id: item.clone() for item_id, item in items.items()}
        self.order = {protocol: list(sequence) for protocol, sequence in order.items()}
        self.protocols = {key: ResolvedProtocol(p.id, p.title, p.domain, p.version, sensitivity=p.sensitivity)
                          for key, p in protocols.items()}
        self.parameters = {name: ResolvedParameter(p.name, p.value, dict(p.declaration), list(p.history), p.expression)
                           for name, p in parameters.items()}
        self.documents_used = list(documents)
        self.source_names.update(names)

    def build_library(self) -> None:
        index = self.workspace.index
        domain_order = {d.value["id"]: d.value.get("order", 999) for d in index.catalog_entries("domains")}
        protocols = sorted(index.protocols(), key=lambda p: (domain_order.get(p.value.get("domain"), 999), p.value["id"]))
        for protocol in protocols:
            data = protocol.value
            self.documents_used.append(protocol.document)
            resolved = ResolvedProtocol(data["id"], data["title"], data["domain"], data["version"],
                                        sensitivity=data.get("sensitivity"))
            self.protocols[data["id"]] = resolved
            self.order[data["id"]] = []
            for position, item in enumerate(data.get("items") or []):
                path = ("items", position)
                self.items[item["id"]] = self.new_item(item, data["id"], "library", protocol.document, path)
                self.order[data["id"]].append(item["id"])
            for name, declaration in (data.get("parameters") or {}).items():
                origin = self.origin("library", protocol.document, ("parameters", name))
                value = declaration.get("default")
                self.parameters[name] = ResolvedParameter(name, value, declaration, [Change("library", value, origin)],
                                                          declaration.get("expression"))

    def new_item(self, item: dict, protocol: str, layer: str, document: Document, path: tuple) -> ResolvedItem:
        history = {name: [Change(layer if layer == "library" else "add", value, self.origin(layer, document, path + (name,)))]
                   for name, value in item.items() if name != "id"}
        fields = {name: (copy.deepcopy(value) if isinstance(value, (dict, list)) else value)
                  for name, value in item.items() if name != "id"}
        return ResolvedItem(item["id"], protocol, fields, history)

    def apply_layer(self, layer: str, blocks: list[Operations]) -> None:
        claimed: dict[tuple[str, str], tuple[Any, Location]] = {}
        for block in blocks:
            if block.document not in self.documents_used:
                self.documents_used.append(block.document)
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
            self.fail(entry.at("item", "id"), f"add: item '{item['id']}' already exists",
                      "use 'set' to change an existing item, or choose a new id")
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
            self.fail(entry.at("item"), f"{operation}: item '{spec['item']}' does not exist",
                      "check the id, or add 'optional: true' if the item may be absent")
        return target

    def set(self, layer: str, entry: Entry, claimed: dict) -> None:
        spec = entry.value
        target = self.target("set", entry)
        if target is None:
            return
        if target.state == REMOVED:
            self.fail(entry.at("item"), f"set: item '{target.id}' was removed at {target.removal['file']}:{target.removal['line']}")
            return
        for name, value in (spec.get("fields") or {}).items():
            location = entry.at("fields", name)
            key = (target.id, name)
            if key in claimed and claimed[key][0] != value:
                self.fail(location, f"'{target.id}.{name}' is set to {value!r} here and to {claimed[key][0]!r} at "
                                    f"{claimed[key][1]}, both in the {layer} layer",
                          "one overlay per layer must own a value; remove one of the settings")
                continue
            claimed[key] = (value, location)
            if name == "criticality" and target.fields.get("locked") and \
                    CRITICALITY_RANK[value] < CRITICALITY_RANK.get(target.fields.get("criticality"), 0):
                self.fail(location, f"item '{target.id}' is locked; its criticality cannot be lowered")
                continue
            merged = _deep_merge(target.fields.get(name), value)
            target.fields[name] = merged
            target.history.setdefault(name, []).append(
                Change("set", merged, self.origin(layer, entry.document, entry.path + ("fields", name)), spec.get("note", "")))
        for name, values in (spec.get("append") or {}).items():
            existing = list(target.fields.get(name) or [])
            combined = existing + [v for v in values if v not in existing]
            target.fields[name] = combined
            target.history.setdefault(name, []).append(
                Change("append", combined, self.origin(layer, entry.document, entry.path + ("append", name)), spec.get("note", "")))

    def remove(self, layer: str, entry: Entry) -> None:
        spec = entry.value
        target = self.target("remove", entry)
        if target is None:
            return
        locked = target.fields.get("locked") or target.fields.get("criticality") == "critical"
        if locked and not spec.get("waiver"):
            self.fail(entry.at("item"), f"remove: item '{target.id}' is locked or critical and needs a waiver",
                      "add 'waiver: {approved_by: ..., date: YYYY-MM-DD, reason: ...}'")
            return
        origin = self.origin(layer, entry.document, entry.path)
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
            self.fail(location, f"parameter '{name}' is set here and at {claimed[key][1]}, both in the {layer} layer",
                      "one overlay per layer must own a value; remove one of the settings")
            return
        claimed[key] = ((value, expression), location)
        if value is not None:
            problem = parameter_problem(parameter.declaration, value)
            if problem:
                self.fail(location, f"parameter '{name}': {problem}")
                return
        parameter.value, parameter.expression = value, expression
        if "confidence" in spec or "source" in spec:
            parameter.declaration = {**parameter.declaration, **{k: spec[k] for k in ("source", "confidence") if k in spec}}
        parameter.history.append(Change("parameter", expression or value, self.origin(layer, block.document, path), spec.get("note", "")))

    def base_context(self) -> dict:
        tournament = self.workspace.tournament.data
        venue = {k: v for k, v in self.venue_entry.value.items() if k not in ("overlay", "kind")}
        hosts = {h["country"]: h for h in tournament.get("hosts", [])}
        country = {"code": venue.get("country"), "name": hosts.get(venue.get("country"), {}).get("name")}
        return {"tournament": {k: v for k, v in tournament.items() if k not in ("set", "add", "remove", "kind")},
                "venue": venue, "country": country}

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
            problem = parameter_problem(parameter.declaration, value)
            if problem:
                self.fail(self._parameter_location(parameter), f"parameter '{name}' computes {value!r}: {problem}")
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
                members = trail[trail.index(name):]
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
        return Location(origin.file, origin.line, 1)

    def evaluate_conditions(self) -> None:
        context = self.base_context()
        context.update({name: p.value for name, p in self.parameters.items()})
        matches = [self.match_entry.value] if self.match_entry else list(self.venue_entry.value.get("matches") or [])
        evaluators = [(match, Evaluator({**context, "match": match})) for match in matches or [{}]]
        outcomes: dict[tuple[str, int], Any] = {}  # items share a few conditions: evaluate each once per match

        def applies(condition: str, k: int) -> Any:
            if (condition, k) not in outcomes:
                try:
                    outcomes[condition, k] = evaluators[k][1].value_of(condition)
                except ExpressionError as exc:
                    outcomes[condition, k] = exc
            if isinstance(outcomes[condition, k], ExpressionError):
                raise outcomes[condition, k]
            return outcomes[condition, k]

        for item in self.items.values():
            condition = item.fields.get("applies_when")
            if not condition or item.state == REMOVED:
                continue
            item.condition = condition
            applies_to = []
            for k, (match, _) in enumerate(evaluators):
                try:
                    if applies(condition, k):
                        applies_to.append(match.get("id", ""))
                except ExpressionError as exc:
                    origin = item.origin("applies_when")
                    self.fail(Location(origin.file, origin.line, 1) if origin else Location("?"), f"item '{item.id}': {exc}")
                    break
            if not applies_to:
                item.state = NOT_APPLICABLE
            if not self.match_entry and any(applies_to) and len(applies_to) < len(matches):
                item.applies_to = [m for m in applies_to if m]

    def check_plan(self, plan: Plan) -> None:
        """Third validation pass: the resolved plan against schemas/plan.schema.json."""
        from eventsec.schema import fast_validator, validator

        data = plan.to_dict()
        fast = fast_validator("plan")
        if fast is not None and fast.is_valid(data):
            return
        items = [list(p.items) for p in plan.protocols]
        for err in validator("plan").iter_errors(data):
            path = list(err.absolute_path)
            location = Location("<resolved plan>")
            if len(path) >= 4 and path[0] == "protocols" and path[2] == "items":
                item = items[path[1]][path[3]]
                origin = item.origin(str(path[4])) if len(path) > 4 else item.origin("title")
                if origin:
                    location = Location(origin.file, origin.line, 1)
            self.fail(location, f"resolved plan is invalid at {'/'.join(map(str, path))}: {err.message}")

    def plan(self) -> Plan:
        for protocol_id, sequence in self.order.items():
            self.protocols[protocol_id].items = [self.items[i] for i in sequence]
        index = self.workspace.index
        shared = self.workspace.cache.get("plan-lookups")
        if shared is None:
            shared = self.workspace.cache["plan-lookups"] = (
                {l.value["id"]: l.value for l in index.lessons()},
                {d.value["id"]: d.value for d in index.catalog_entries("domains")},
                {r.value["id"]: r.value for r in index.catalog_entries("roles")},
                index.of_kind("lessons") + index.of_kind("catalog"))
        lessons, domains, roles, reference_documents = dict(shared[0]), dict(shared[1]), dict(shared[2]), shared[3]
        venue = {k: v for k, v in self.venue_entry.value.items() if k != "overlay"}
        documents = self.documents_used + [self.workspace.tournament, self.venue_entry.document] + reference_documents
        return Plan(self.workspace.tournament.data, venue, self.match_entry.value if self.match_entry else None,
                    list(self.protocols.values()), self.parameters, lessons, domains, roles, inputs_digest(documents))


def _deep_merge(base: Any, update: Any) -> Any:
    """Maps merge key by key; everything else (scalars, lists) is replaced."""
    if isinstance(base, dict) and isinstance(update, dict):
        merged = copy.deepcopy(base)
        for key, value in update.items():
            merged[key] = _deep_merge(merged.get(key), value)
        return merged
    return copy.deepcopy(update)


def inputs_digest(documents: list[Document]) -> str:
    """sha256 over the canonical JSON of the documents a plan was built from (not their paths)."""
    canonical = sorted({_canonical(doc) for doc in documents})
    digest = hashlib.sha256()
    for text in canonical:
        digest.update(text.encode("utf-8"))
        digest.update(b"\n")
    return "sha256:" + digest.hexdigest()


def _canonical(document: Document) -> str:
    """A document's canonical JSON, computed once (every venue's digest includes the library)."""
    text = document._locations.get("canonical")
    if text is None:
        text = document._locations["canonical"] = json.dumps(document.data, sort_keys=True, ensure_ascii=False)
    return text
