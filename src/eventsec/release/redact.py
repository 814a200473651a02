"""Release controls: what a plan released at a given level may contain.

Content carries a sensitivity level — by default public < internal < restricted <
confidential; a tournament may rename the levels (``sensitivity_levels``). Every document kind
that carries text may be marked (``sensitivity``); unmarked documents take the tournament's
``classification`` (the lowest level when unset), and unmarked content takes its container's
level, all the way down to every string: an item its protocol's, a contact, exit, section or
match its venue's, a lesson its file's, a status entry its status file's.

What an overlay (an overlay file, the tournament's or a venue's own operations) contributes
takes the level of the document it is written in: an item it adds, changes or removes is at
least at that level, and so is a parameter it sets (and every parameter computed from it).

The rule is enforced here, once, by :func:`release_report`: a pure transform from the full
report to the report of one release level. Sections render what they are given; none of them
decides what may be shown. docs/release.md describes the model.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from eventsec.errors import UsageError
from eventsec.vocabulary import DEFAULT_RELEASE_LEVELS

GEOMETRY_GROUPS = ("sections", "exits", "entrances", "holding_areas", "posts")


class ReleaseError(UsageError, ValueError):
    """A release level the tournament does not define."""


@dataclass
class Release:
    """The tournament's levels, the level released at, and what was withheld."""

    levels: tuple[str, ...]
    allowed: str
    default: str
    withheld: dict[str, int] = field(default_factory=dict)
    present: set[str] = field(default_factory=set)

    @classmethod
    def for_tournament(cls, tournament: dict, allowed: str | None) -> Release:
        levels = tuple(tournament.get("sensitivity_levels") or DEFAULT_RELEASE_LEVELS)
        default = str(tournament.get("classification") or levels[0])
        if default not in levels:
            raise ReleaseError(f"classification '{default}' is not one of the levels {', '.join(levels)}")
        chosen = allowed or levels[-1]
        if chosen not in levels:
            raise ReleaseError(f"release level '{chosen}' is not one of {', '.join(levels)}")
        return cls(levels, chosen, default)

    @property
    def full(self) -> bool:
        """True at the highest level: nothing can be withheld."""
        return self.allowed == self.levels[-1]

    def rank(self, level: str) -> int:
        return self.levels.index(level) if level in self.levels else len(self.levels)  # unknown: above every level

    def level(self, *chain: Any) -> str:
        """The first level given, innermost first; the tournament default when none is."""
        return next((str(level) for level in chain if isinstance(level, str) and level), self.default)

    def highest(self, levels: Iterable[str]) -> str:
        return max(levels, key=self.rank, default=self.levels[0])

    def allows(self, level: str) -> bool:
        return self.rank(level) <= self.rank(self.allowed)

    def admit(self, level: str, what: str = "") -> bool:
        """True when content at ``level`` may be released; records what is present or withheld."""
        if self.allows(level):
            self.present.add(level)
            return True
        if what:
            self.withheld[what] = self.withheld.get(what, 0) + 1
        return False

    @property
    def marking(self) -> str:
        """The highest level actually present in the released plan."""
        return self.highest(self.present)


@dataclass(frozen=True)
class Marks:
    """The levels documents declare, which the plan's resolved content no longer carries."""

    files: dict[str, str | None]
    """A document's own ``sensitivity`` by source name (the names origins use)."""
    lessons: dict[str, str | None] = field(default_factory=dict)
    """A lesson's file's mark, by lesson id."""
    domains: dict[str, str | None] = field(default_factory=dict)
    roles: dict[str, str | None] = field(default_factory=dict)
    """A catalog entry's file's mark, by id."""
    status: str | None = None
    """The venue's status file's mark."""
    status_entries: dict[str, str | None] = field(default_factory=dict)
    """A status entry's own mark, by item id."""


def marks_of(workspace, venue_id: str) -> Marks:
    """Every document's own mark, so origins (file:line) and plan lookups find their container."""
    index = workspace.index
    files = {workspace.source_name(d): _mark(d.data) for d in index.all_documents() if isinstance(d.data, dict)}
    status = workspace.statuses().get(venue_id)

    def by_id(entries) -> dict[str, str | None]:
        return {e.value["id"]: _mark(e.document.data) for e in entries}

    entries = (status.data.get("items") or {}) if status else {}
    return Marks(
        files,
        by_id(index.lessons()),
        by_id(index.catalog_entries("domains")),
        by_id(index.catalog_entries("roles")),
        _mark(status.data) if status else None,
        {item_id: _mark(entry) for item_id, entry in entries.items()},
    )


def _mark(data: Any) -> str | None:
    mark = data.get("sensitivity") if isinstance(data, dict) else None
    return mark if isinstance(mark, str) else None


@functools.cache
def identifier_keys() -> frozenset[str]:
    """Property names that hold an identifier, enum, date or other pattern-bound string in every
    schema that declares them. Their values cannot carry prose and the plan looks things up by
    them, so they are released with their entry; every other string is released by its level,
    including the strings of a field added to a schema later."""
    from eventsec.load.resources import schemas_dir

    schemas = {path.name: json.loads(path.read_text(encoding="utf-8")) for path in schemas_dir().glob("*.schema.json")}
    free: set[str] = set()
    bound: set[str] = set()

    def resolve(node: Any, home: str) -> tuple[Any, str]:
        while isinstance(node, dict) and "$ref" in node:
            target, _, pointer = node["$ref"].partition("#")
            home = target or home
            node = schemas[home]
            for step in [s for s in pointer.split("/") if s]:
                node = node[step]
        return node, home

    def free_text(node: Any, home: str) -> bool:
        node, home = resolve(node, home)
        if not isinstance(node, dict):
            return False
        if any(free_text(option, home) for key in ("oneOf", "anyOf") for option in node.get(key, [])):
            return True
        if node.get("type") == "array":
            return free_text(node.get("items", {}), home)
        types = node.get("type")
        stringy = types == "string" or (isinstance(types, list) and "string" in types)
        return stringy and not any(key in node for key in ("enum", "const", "pattern", "format"))

    seen: set[int] = set()

    def walk(node: Any, home: str) -> None:
        node, home = resolve(node, home)
        if not isinstance(node, dict) or id(node) in seen:
            return
        seen.add(id(node))
        for name, prop in (node.get("properties") or {}).items():
            (free if free_text(prop, home) else bound).add(name)
            walk(prop, home)
        for key in ("items", "additionalProperties"):
            walk(node.get(key), home)
        for key in ("oneOf", "anyOf", "allOf"):
            for option in node.get(key, []):
                walk(option, home)
        for definition in (node.get("$defs") or {}).values():
            walk(definition, home)

    for name, schema in schemas.items():
        walk(schema, name)
    return frozenset(bound - free)


def release_report(report, policy: Release, marks: Marks, withheld_text: str):
    """The report of ``policy.allowed``: a new report without anything above it (the given
    report is left as it was). ``withheld_text`` stands in for a withheld string."""
    policy = replace(policy, withheld={}, present=set())
    return _Releaser(report, policy, marks, withheld_text).run()


class _Releaser:
    """One release of one report: the level of each piece of content, and what stays."""

    def __init__(self, report, policy: Release, marks: Marks, withheld_text: str) -> None:
        self.report, self.policy, self.marks, self.withheld_text = report, policy, marks, withheld_text
        self.identifiers = identifier_keys()

    def file_level(self, source: str) -> str:
        return self.policy.level(self.marks.files.get(source))

    # -- strings and plain data ----------------------------------------------------------------
    def text(self, value: Any, level: str, key: str = "") -> Any:
        """``value`` with every string above the level replaced and every list entry above it
        left out (counted under its list's name). A mapping's own ``sensitivity`` is the level
        of what it holds; anything unmarked takes ``level``."""
        if isinstance(value, str):
            return value if key in self.identifiers or self.policy.admit(level) else self.withheld_text
        if isinstance(value, dict):
            inner = self.policy.level(value.get("sensitivity"), level)
            return {name: self.text(child, inner, name) for name, child in value.items()}
        if isinstance(value, list):
            kept: list = []
            for entry in value:
                if isinstance(entry, dict) and not self.policy.admit(
                    self.policy.level(entry.get("sensitivity"), level), key
                ):
                    continue
                released = self.text(entry, level, key)
                if not (released == self.withheld_text and kept and kept[-1] == self.withheld_text):
                    kept.append(released)
            return kept
        return value

    # -- the report -----------------------------------------------------------------------------
    def run(self):
        report, policy = self.report, self.policy
        plan = report.plan
        self.venue_level = policy.level(plan.venue.get("sensitivity"))
        venue = self.text(plan.venue, self.venue_level)
        hidden_places = self.hidden_places(plan.venue, venue)
        protocols, withheld_ids = self.protocols(plan.protocols)
        parameters = self.parameters(plan.parameters)
        released_plan = replace(
            plan,
            tournament=self.text(plan.tournament, policy.level(plan.tournament.get("sensitivity"))),
            venue=venue,
            match=self.text(plan.match, policy.level(plan.match.get("sensitivity"), self.venue_level))
            if plan.match
            else None,
            protocols=protocols,
            parameters={name: p for name, p in plan.parameters.items() if name in parameters},
            lessons=self.lessons(plan.lessons),
            domains={
                key: self.text(d, policy.level(d.get("sensitivity"), self.marks.domains.get(key)))
                for key, d in plan.domains.items()
            },
            roles={
                key: self.text(r, policy.level(r.get("sensitivity"), self.marks.roles.get(key)))
                for key, r in plan.roles.items()
            },
        )
        safety = self.safety(report.safety, hidden_places, parameters, venue)
        readiness = self.readiness(report.readiness, withheld_ids, released_plan, safety)
        changes, changes_withheld = self.changes(report.changes, released_plan)
        plan_version = self.text(report.plan_version, policy.level(plan.tournament.get("sensitivity")))
        return replace(
            report,
            plan=released_plan,
            safety=safety,
            readiness=readiness,
            changes=changes,
            changes_withheld=changes_withheld,
            withheld=dict(policy.withheld),
            marking=policy.marking,
            release_level=policy.allowed,
            release_levels=policy.levels,
            plan_version=plan_version,
        )

    def hidden_places(self, before: dict, after: dict) -> list[dict]:
        """Sections, exits, entrances, holding areas and posts the release left out."""
        hidden = []
        for group in GEOMETRY_GROUPS:
            kept = {entry.get("id") for entry in (after.get("geometry") or {}).get(group) or []}
            hidden += [
                entry for entry in (before.get("geometry") or {}).get(group) or [] if entry.get("id") not in kept
            ]
        return hidden

    def item_level(self, item, protocol_level: str) -> str:
        """An item's own level (its mark, or its protocol's) raised to the level of every overlay
        that added it, set or appended a field of it, or removed it. A mark an overlay sets
        raises the level the item was declared at, never lowers it: an overlay cannot release
        text another document wrote."""
        levels = [
            self.policy.level(item.fields.get("sensitivity"), protocol_level),
            self.policy.level(item.base_value("sensitivity"), protocol_level),
        ]
        levels += [
            self.file_level(change.origin.file)
            for changes in item.history.values()
            for change in changes
            if change.operation != "library"
        ]
        if item.added:
            levels.append(self.file_level(item.added.file))
        if item.removal:
            levels.append(self.file_level(item.removal["file"]))
        return self.policy.highest(levels)

    def protocols(self, protocols) -> tuple[list, set[str]]:
        released, withheld_ids = [], set()
        for protocol in protocols:
            level = self.policy.level(protocol.sensitivity)
            kept = []
            for item in protocol.items:
                if self.policy.admit(self.item_level(item, level), f"domain:{protocol.domain}"):
                    kept.append(item)
                else:
                    withheld_ids.add(item.id)
            released.append(replace(protocol, title=self.text(protocol.title, level), items=kept))
        return released, withheld_ids

    def parameters(self, parameters) -> set[str]:
        """Names of the parameters this release may show: declared and set only by documents at
        or below the level, and computed only from such parameters."""
        from eventsec.plan.expressions import ExpressionError, names

        withheld = {
            name
            for name, p in parameters.items()
            if not self.policy.allows(self.policy.highest(self.file_level(c.origin.file) for c in p.history))
        }
        reads = {}
        for name, p in parameters.items():
            try:
                reads[name] = names(p.expression) if p.expression else set()
            except ExpressionError:
                withheld.add(name)
        grew = True
        while grew:
            more = {name for name, used in reads.items() if name not in withheld and used & withheld}
            grew, withheld = bool(more), withheld | more
        self.count("parameters", len(withheld))
        return set(parameters) - withheld

    def lessons(self, lessons: dict) -> dict:
        kept = {}
        for key, lesson in lessons.items():
            level = self.policy.level(lesson.get("sensitivity"), self.marks.lessons.get(key))
            if self.policy.admit(level, "lessons"):
                kept[key] = self.text(lesson, level)
        return kept

    def status_entry(self, entry: dict | None) -> dict | None:
        if entry is None:
            return None
        return self.text(entry, self.policy.level(entry.get("sensitivity"), self.marks.status))

    # -- derived content ------------------------------------------------------------------------
    def safety(self, safety, hidden_places: list[dict], parameters: set[str], venue: dict):
        """The venue's safety figures: all of them are the venue's content (they are computed
        from its geometry), so they go with it; a withheld place takes its figures and findings
        with it, and so does a withheld parameter; staffing figures have their own level. A
        withheld section still counts in the venue's safe capacity (a total, like the venue
        entry time), under no name."""
        if safety is None:
            return None
        if not self.policy.admit(self.venue_level, "safety"):
            return None
        figures = [f for f in safety.figures if set(f.parameters) <= parameters]
        staffing = self.policy.level(venue.get("staffing_sensitivity"), self.venue_level)
        if not self.policy.admit(staffing, "staffing"):
            figures = [f for f in figures if not f.key.startswith(("stewards.", "medical."))]
        keys = {f"entry.{place.get('id')}" for place in hidden_places}
        names = [
            re.compile(rf"(?<!\w){re.escape(str(place['name']))}(?!\w)") for place in hidden_places if place.get("name")
        ]

        def names_one(text: str) -> bool:
            return any(name.search(text) for name in names)

        figures = [f for f in figures if f.key not in keys and not names_one(f.label)]
        kept = {f.key for f in figures}
        hidden_ids = {place.get("id") for place in hidden_places}
        return replace(
            safety,
            figures=figures,
            findings=[f for f in safety.findings if f.figure in kept and not names_one(f.message + " " + f.fix)],
            sections=[replace(s, name=self.withheld_text) if s.section in hidden_ids else s for s in safety.sections],
            parameters={name: p for name, p in safety.parameters.items() if name in parameters},
            parameter_notes={name: n for name, n in safety.parameter_notes.items() if name in parameters},
        )

    def readiness(self, readiness, withheld_ids: set[str], plan, safety):
        """Readiness keeps the whole plan's verdict and overall line; its chapters, reasons and
        status texts keep only what this release shows."""
        overall = readiness.overall() if withheld_ids else readiness.full_plan_overall
        self.count("present", sum(1 for i in readiness.items if i.item.id in withheld_ids))
        self.count("overdue_critical", sum(1 for i in readiness.overdue_critical if i.item.id in withheld_ids))
        self.count("excluded", sum(1 for e in readiness.excluded if e["id"] in withheld_ids))
        domains = []
        for domain in readiness.domains:
            items = [
                replace(i, entry=self.status_entry(i.entry)) for i in domain.items if i.item.id not in withheld_ids
            ]
            if items:  # a domain withheld whole is not charted at 100%
                title = (plan.domains.get(domain.domain) or {}).get("title", self.withheld_text)
                domains.append(replace(domain, title=title, items=items))
        excluded = [self.excluded(e) for e in readiness.excluded if e["id"] not in withheld_ids]
        shown_messages = [f.summary for f in safety.findings] if safety else []
        codes, hidden = [], 0
        for key, values in readiness.reason_codes:
            if values.get("id") in withheld_ids or (
                key == "reason_safety" and values.get("message") not in shown_messages
            ):
                hidden += 1
            elif key == "reason_critical_blocked":
                entry = next((i.entry for i in readiness.items if i.item.id == values.get("id")), None) or {}
                codes.append((key, {**values, "reason": self.status_entry(entry).get("reason", "")}))
            else:
                codes.append((key, values))
        if hidden:
            codes.append(("reason_withheld", {"count": hidden}))
        return replace(
            readiness,
            name=self.text(readiness.name, self.venue_level),
            domains=domains,
            excluded=excluded,
            reason_codes=codes,
            reasons=[],  # English reasons are for the CLI; the plan renders reason_codes
            safety_critical=[m for m in readiness.safety_critical if m in shown_messages],
            full_plan_overall=overall,
            withheld=len(withheld_ids),
        )

    def count(self, what: str, withheld: int) -> None:
        """Record ``withheld`` entries of ``what`` that the release left out (none: no record)."""
        if withheld:
            self.policy.withheld[what] = self.policy.withheld.get(what, 0) + withheld

    def excluded(self, entry: dict) -> dict:
        """A status not-applicable reason is the status entry's text; other details (a condition,
        a removal) are the item's, released with it."""
        if entry.get("why") != "status not-applicable":
            return entry
        level = self.policy.level(self.marks.status_entries.get(entry["id"]), self.marks.status)
        return {**entry, "detail": self.text(entry["detail"], level)}

    def changes(self, changes, plan) -> tuple[Any, int]:
        """All change lines in a full release; below it, only lines about an item the plan shows,
        from documents (then and now) whose level the release allows, about a record whose
        marks (then and now) it allows too. A document that exists no more has no known level:
        its lines are withheld."""
        if changes is None or self.policy.full:
            return changes, 0
        visible = {item.id for item in plan.items()}

        def releasable(line) -> bool:
            known = all(source in self.marks.files for source in line.sources)
            return (
                line.item in visible
                and bool(line.sources)
                and known
                and all(self.policy.allows(self.file_level(source)) for source in line.sources)
                and all(self.policy.allows(mark) for mark in line.marks)
            )

        kept = tuple(line for line in changes.lines if releasable(line))
        return replace(changes, lines=kept), len(changes.lines) - len(kept)
