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
from eventsec.i18n.message import Translated
from eventsec.vocabulary import DEFAULT_RELEASE_LEVELS

GEOMETRY_GROUPS = ("sections", "exits", "entrances", "holding_areas", "posts", "routes")
STAFFING_FIGURES = ("stewards.", "medical.")
"""Figures of staffing, released at the venue's ``staffing_sensitivity`` with the deployment
and the medical provision."""
ROUTE_PARAMETERS = ("flow_rate_level", "flow_rate_stepped")
"""What a route's flow is computed from."""


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


@dataclass
class Hidden:
    """The places of the venue a release leaves out: their ids by group, and their names,
    which any text naming one of them must not carry."""

    ids: dict[str, set[str]] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)

    def add(self, group: str, place: dict) -> None:
        self.ids.setdefault(group, set()).add(place.get("id"))
        if place.get("name"):
            self.names.add(str(place["name"]))

    @property
    def every_id(self) -> set[str]:
        return set().union(*self.ids.values())

    @functools.cached_property
    def _patterns(self) -> list[re.Pattern]:
        return [re.compile(rf"(?<!\w){re.escape(name)}(?!\w)") for name in self.names]

    def named(self, text: str) -> bool:
        """True when ``text`` names a withheld place (as a whole word or words)."""
        return any(pattern.search(text) for pattern in self._patterns)

    def names_a_place(self, text: str) -> bool:
        """True when ``text`` is a withheld place's name or id, or names one."""
        return text in self.names or text in self.every_id or self.named(text)


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


def withheld_items(plan, policy: Release, marks: Marks) -> set[str]:
    """Ids of the plan's items a release at ``policy.allowed`` leaves out, decided as
    :func:`release_report` decides them, for what charts readiness without a whole report (the
    site's trend over past commits)."""
    policy = replace(policy, withheld={}, present=set())
    return _Releaser(None, policy, marks, "").protocols(plan.protocols)[1]


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
        codes_shown = policy.allows(self.code_level(plan.venue))
        venue = self.text(
            {k: v for k, v in plan.venue.items() if codes_shown or k != "contingency_codes"}, self.venue_level
        )
        hidden = self.hidden_places(plan.venue, venue)
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
            contingencies=self.contingencies(plan.contingencies, withheld_ids, self.code_level(plan.venue)),
        )
        safety = self.safety(report.safety, hidden, parameters, venue)
        readiness = self.readiness(report.readiness, withheld_ids, released_plan, safety)
        risks = self.risks(report.risks, withheld_ids)
        matches = self.matches(report.matches, withheld_ids, safety, report.readiness.items, released_plan, risks)
        changes, changes_withheld = self.changes(report.changes, released_plan)
        plan_version = self.text(report.plan_version, policy.level(plan.tournament.get("sensitivity")))
        return replace(
            report,
            risks=risks,
            plan=released_plan,
            safety=safety,
            readiness=readiness,
            matches=matches,
            changes=changes,
            changes_withheld=changes_withheld,
            withheld=dict(policy.withheld),
            marking=policy.marking,
            release_level=policy.allowed,
            release_levels=policy.levels,
            plan_version=plan_version,
        )

    def hidden_places(self, before: dict, after: dict) -> Hidden:
        """Sections, exits, entrances, holding areas, posts and routes the release left out."""
        hidden = Hidden()
        for group in GEOMETRY_GROUPS:
            kept = {entry.get("id") for entry in (after.get("geometry") or {}).get(group) or []}
            for entry in (before.get("geometry") or {}).get(group) or []:
                if entry.get("id") not in kept:
                    hidden.add(group, entry)
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

    def code_level(self, venue: dict) -> str:
        """The level of the venue's code words: its ``contingency_codes_sensitivity``, by default
        the second-highest of the tournament's levels (restricted, of the default four) and never
        the lowest; never below the venue's own level. A code word is for staff before the
        public hears anything: a public plan must not carry it."""
        levels = self.policy.levels
        default = levels[max(1, len(levels) - 2)] if len(levels) > 1 else levels[0]
        return self.policy.highest(
            [self.policy.level(venue.get("contingency_codes_sensitivity"), default), self.venue_level]
        )

    def contingencies(self, contingencies: list, withheld_ids: set[str], code_level: str) -> list:
        """Each contingency at its level (its own mark, else its file's); the preparing items this
        release shows (a withheld item's id is left out, not named); the code word at
        ``code_level``, else the withheld text in its place (counted)."""
        released = []
        for contingency in contingencies:
            level = self.policy.level(contingency.entry.get("sensitivity"), self.file_level(contingency.origin.file))
            if not self.policy.admit(level, "contingencies"):
                continue
            code = contingency.code
            if code is not None and not self.policy.admit(code_level, "contingency_codes"):
                code = self.withheld_text
            items = tuple(item for item in contingency.items if item.id not in withheld_ids)
            self.count("contingency_items", len(contingency.items) - len(items))
            released.append(
                replace(
                    contingency,
                    entry=self.text(contingency.entry, level),
                    items=items,
                    code=code,
                    code_origin=contingency.code_origin if code == contingency.code else None,
                )
            )
        return released

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
    def safety(self, safety, hidden: Hidden, parameters: set[str], venue: dict):
        """The venue's safety figures: all of them are the venue's content (they are computed
        from its geometry), so they go with it; a withheld place takes its figures, findings,
        route rows, deployment rows and any bottleneck named after it with it, and so does a
        withheld parameter; staffing (figures, deployment, medical provision) has its own
        level. A withheld section still counts in the venue's safe capacity (a total, like
        the venue entry time), under no name."""
        if safety is None:
            return None
        if not self.policy.admit(self.venue_level, "safety"):
            return None
        figures = [f for f in safety.figures if set(f.parameters) <= parameters]
        staffing = self.policy.admit(self.policy.level(venue.get("staffing_sensitivity"), self.venue_level), "staffing")
        if not staffing:
            figures = [f for f in figures if not f.key.startswith(STAFFING_FIGURES)]
        figures = [f for f in figures if f.section not in hidden.every_id and not hidden.named(f.label)]
        kept = {f.key for f in figures}
        return replace(
            safety,
            figures=figures,
            findings=[f for f in safety.findings if f.figure in kept and not hidden.named(f.message + " " + f.fix)],
            sections=self.section_capacities(safety.sections, hidden, venue) if "capacity.safe" in kept else [],
            routes=self.routes(safety.routes, hidden, parameters),
            deployment=self.deployment(safety.deployment, hidden) if staffing and "stewards.total" in kept else None,
            medical=self.medical(safety.medical, kept) if staffing else None,
            parameters={name: p for name, p in safety.parameters.items() if name in parameters},
            parameter_notes={name: n for name, n in safety.parameter_notes.items() if name in parameters},
        )

    def section_capacities(self, sections: list, hidden: Hidden, venue: dict) -> list:
        """Each section's capacities: a withheld section's under no name, a bottleneck that is a
        withheld element's name withheld, the factors' source as the released venue says it.
        (The caller leaves them all out when the safe capacity rests on a withheld parameter.)"""
        released = {s.get("id"): s for s in (venue.get("geometry") or {}).get("sections") or []}
        out = []
        for capacity in sections:
            section = released.get(capacity.section)
            bottleneck = capacity.bottleneck
            if bottleneck is not None and (section is None or hidden.names_a_place(bottleneck)):
                bottleneck = self.withheld_text
            out.append(
                replace(
                    capacity,
                    name=capacity.name if section is not None else self.withheld_text,
                    bottleneck=bottleneck,
                    factors_source=(section or {}).get("factors_source"),
                )
            )
        return out

    def routes(self, routes: list, hidden: Hidden, parameters: set[str]) -> list:
        """The exit routes this release shows: none whose flow rests on a withheld parameter, and
        none that is withheld, serves a withheld section or passes a withheld element (a route
        the venue does not declare is its one exit)."""
        if not set(ROUTE_PARAMETERS) <= parameters:
            return []
        declared = (self.report.plan.venue.get("geometry") or {}).get("routes") or []
        through = {r.get("id"): r.get("through") or [] for r in declared}

        def shown(route) -> bool:
            elements = {*through.get(route.route, [route.route]), route.governing}
            return not (
                route.route in hidden.ids.get("routes", set())
                or hidden.ids.get("sections", set()) & set(route.sections)
                or hidden.ids.get("exits", set()) & elements
                or hidden.names_a_place(route.name)
                or hidden.names_a_place(route.governing_name)
            )

        return [route for route in routes if shown(route)]

    def deployment(self, deployment, hidden: Hidden):
        """The stewarding deployment without the rows of withheld sections: their stewards stay
        in it under no name (the withheld text), so the total on duty still adds up, as a
        withheld section still counts in the safe capacity."""
        if deployment is None:
            return None
        sections = hidden.ids.get("sections", set())
        return replace(
            deployment,
            posts=[
                replace(row, section=self.withheld_text) if row.section in sections else row for row in deployment.posts
            ],
        )

    def medical(self, medical, kept: set[str]):
        """The medical provision's rows whose figures this release shows."""
        if medical is None:
            return None
        rows = [row for row in medical.rows if f"medical.{row.resource}" in kept]
        return replace(medical, rows=rows) if rows else None

    def readiness(self, readiness, withheld_ids: set[str], plan, safety):
        """Readiness keeps the whole plan's verdict and overall line; its chapters, reasons and
        status texts keep only what this release shows."""
        overall = readiness.overall() if withheld_ids else readiness.full_plan_overall
        every = [*readiness.items, *readiness.later, *readiness.match_day]
        self.count("present", sum(1 for i in every if i.item.id in withheld_ids))
        self.count("overdue_critical", sum(1 for i in readiness.overdue_critical if i.item.id in withheld_ids))
        self.count("excluded", sum(1 for e in readiness.excluded if e["id"] in withheld_ids))
        domains = []
        for domain in readiness.domains:
            items = [
                replace(i, entry=self.status_entry(i.entry), deadlines=self.deadlines(i.deadlines))
                for i in domain.items
                if i.item.id not in withheld_ids
            ]
            if items:  # a domain withheld whole is not charted at 100%
                title = (plan.domains.get(domain.domain) or {}).get("title", self.withheld_text)
                domains.append(replace(domain, title=title, items=items))
        excluded = [self.excluded(e) for e in readiness.excluded if e["id"] not in withheld_ids]
        shown_messages = [f.summary for f in safety.findings] if safety else []
        codes = self.reason_codes(readiness.reason_codes, withheld_ids, shown_messages, readiness.items)
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
            later=[
                replace(i, entry=self.status_entry(i.entry), deadlines=self.deadlines(i.deadlines))
                for i in readiness.later
                if i.item.id not in withheld_ids
            ],
            match_day=[m for m in readiness.match_day if m.item.id not in withheld_ids],
            matches=[],  # the report's own ``matches`` carry the released execution records
        )

    def deadlines(self, deadlines: list) -> list:
        """An item's deadlines; a milestone of the tournament's own is named by its title, which
        is the tournament's text: withheld when the tournament's text is."""
        if self.policy.admit(self.policy.level(self.report.plan.tournament.get("sensitivity"))):
            return deadlines
        return [_untitled(deadline, self.withheld_text) for deadline in deadlines]

    def risks(self, registers: dict, withheld_ids: set[str]) -> dict:
        """The risk registers this release may show, whole: a register is released at its own
        ``sensitivity`` (required: a threat assessment never takes a default). A control that is
        a withheld item is named by the withheld text, as the item's id would say what it is."""
        kept = {}
        for match, register in registers.items():
            if not self.policy.admit(self.policy.level(register.sensitivity), "risks"):
                continue

            def named(ids: tuple[str, ...]) -> tuple[str, ...]:
                return tuple(self.withheld_text if i in withheld_ids else i for i in ids)

            risks = tuple(replace(r, controls=named(r.controls), missing=named(r.missing)) for r in register.risks)
            kept[match] = replace(register, risks=risks)
        return kept

    def reason_codes(self, reason_codes, withheld_ids: set[str], shown_messages: list, items, hidden: int = 0) -> list:
        """The verdict reasons this release may show; the others (and ``hidden`` ones already
        left out) are counted in one reason."""
        codes = []
        for key, values in reason_codes:
            if values.get("id") in withheld_ids or (
                key == "reason_safety" and values.get("message") not in shown_messages
            ):
                hidden += 1
            elif key == "reason_critical_blocked":
                entry = next((i.entry for i in items if i.item.id == values.get("id")), None) or {}
                codes.append((key, {**values, "reason": self.status_entry(entry).get("reason", "")}))
            else:
                codes.append((key, values))
        if hidden:
            codes.append(("reason_withheld", {"count": hidden}))
        return codes

    def matches(self, matches, withheld_ids: set[str], safety, items, plan, risks: dict) -> list:
        """Each match's execution record with the released plan's items (their texts at their
        levels), without withheld items' rows (counted per match), its entries' texts at their
        level (an entry's own mark, else its status file's), and only the reasons this release
        may show. An item only a match overlay adds is not in the venue plan the release judged:
        it is shown in a full release only. A reason from a risk register is shown only with its
        released register (``risks``), naming its controls as the released register does."""
        shown_messages = [f.summary for f in safety.findings] if safety else []
        released_items = {item.id: item for item in plan.items()}
        released = []
        for match in matches:
            rows = [
                replace(r, item=released_items.get(r.item.id, r.item), entry=self.status_entry(r.entry))
                for r in match.rows
                if r.item.id not in withheld_ids and (r.item.id in released_items or self.policy.full)
            ]
            self.count(f"execution:{match.match}", len(match.rows) - len(rows))
            reasons, hidden = self.risk_reasons(match.reason_codes, risks.get(match.match))
            codes = self.reason_codes(reasons, withheld_ids, shown_messages, items, hidden)
            released.append(replace(match, rows=rows, reason_codes=codes, reasons=[]))
        return released

    def risk_reasons(self, reason_codes: list, register) -> tuple[list, int]:
        """A match's verdict reasons with those from its risk register kept only when the register
        itself is released (else counted as withheld: the id, score and controls of a risk are the
        register's content), their controls named as the released register names them."""
        risks = {risk.id: risk for risk in register.risks} if register else {}
        kept, hidden = [], 0
        for key, values in reason_codes:
            if not key.startswith("riskreg_"):
                kept.append((key, values))
            elif values.get("id") not in risks:
                hidden += 1
            elif "controls" in values:
                kept.append((key, {**values, "controls": ", ".join(risks[values["id"]].missing)}))
            else:
                kept.append((key, values))
        return kept, hidden

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


def _untitled(deadline, withheld: str):
    """``deadline`` with its milestone's own title (if any) replaced by the withheld text."""
    milestone = deadline.bound.milestone if deadline.bound else None
    if milestone is None or milestone.title is None:
        return deadline
    return replace(deadline, bound=replace(deadline.bound, milestone=replace(milestone, title=Translated(withheld))))
