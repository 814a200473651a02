"""Everything one plan PDF shows, gathered before rendering: the resolved plan, its safety
assessment and readiness, and release facts. Rendering reads only this; it never re-reads YAML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from eventsec import __version__
from eventsec.assess.operations import TimelineEntry, longest_egress, match_timeline
from eventsec.assess.readiness.deadlines import DeadlineError
from eventsec.assess.readiness.overview import venue_readiness
from eventsec.assess.readiness.scores import ItemReadiness, MissingReadinessParameters, VenueReadiness
from eventsec.assess.safety.assessment import MissingParameters, SafetyAssessment, assess
from eventsec.diff.amendments import AmendmentRecord, amendment_record
from eventsec.findings import Finding, error
from eventsec.load.workspace import Workspace
from eventsec.plan.model import Plan
from eventsec.plan.resolve import resolve


@dataclass
class Operations:
    """What the operations order adds to the plan (render/operations.py): the timeline of the
    report's match, the amendment record and, in a venue plan, each match's released report
    for its short order. Contacts and radio channels are the released venue's own."""

    timeline: list[TimelineEntry] = field(default_factory=list)
    amendments: AmendmentRecord = AmendmentRecord((), "none")
    matches: list[PlanReport] = field(default_factory=list)


@dataclass
class PlanReport:
    plan: Plan
    safety: SafetyAssessment | None
    readiness: VenueReadiness
    as_of: str
    lang: str
    marking: str
    plan_version: str
    tool_version: str = __version__
    release_level: str | None = None
    release_levels: tuple[str, ...] = ()
    """The tournament's release levels, lowest first."""
    withheld: dict[str, int] = field(default_factory=dict)
    changes: object | None = None
    """A ChangesSince (``render --since``); once released, only the lines the release may show."""
    changes_withheld: int = 0
    operations: Operations = field(default_factory=Operations)

    @property
    def released_in_full(self) -> bool:
        """Released at the highest level: nothing withheld."""
        return bool(self.release_levels) and self.release_level == self.release_levels[-1]

    @property
    def released_above_lowest(self) -> bool:
        """Released at any level but the lowest (the full plan included): it may hold content
        not everyone may see. True when the levels are unknown."""
        return not self.release_levels or self.release_level != self.release_levels[0]

    @property
    def status(self) -> dict[str, ItemReadiness]:
        return {i.item.id: i for i in self.readiness.items}


def build_report(
    workspace: Workspace,
    venue_id: str,
    as_of: str,
    lang: str,
    match_id: str | None = None,
    release: str | None = None,
    changes=None,
) -> tuple[PlanReport | None, list[Finding]]:
    """Resolve and assess one venue, then keep only what may be released at ``release``.

    Findings instead of a report when it cannot be resolved or its readiness cannot be assessed
    (a library without the readiness parameters, a venue without usable deadlines). Readiness and safety are assessed
    on the full plan (a withheld overdue item still makes a venue NO-GO); the release
    (:func:`eventsec.release.redact.release_report`) then makes the report of the release level, and
    its reasons say only how many were withheld.
    """
    from eventsec.i18n import Catalog
    from eventsec.release.redact import Release, marks_of, release_report

    plan, findings = resolve(workspace, venue_id, match_id)
    if plan is None:
        return None, findings
    try:
        safety = assess(plan)
    except MissingParameters:
        safety = None
    try:
        readiness = venue_readiness(workspace, plan, as_of)
    except (MissingReadinessParameters, DeadlineError) as exc:
        return None, [error(workspace.venue(venue_id).at("id"), "readiness", str(exc))]
    tournament = plan.tournament
    report = PlanReport(
        plan, safety, readiness, as_of, lang, "", str(tournament.get("plan_version", "1.0")), changes=changes
    )
    policy = Release.for_tournament(tournament, release)
    released = release_report(report, policy, marks_of(workspace, venue_id), Catalog(lang).t("withheld_text"))
    released.operations = gather_operations(workspace, report, released, venue_id, match_id is None)
    return released, []


def plan_files(workspace: Workspace, venue_id: str) -> list[Path]:
    """The files a venue's plan is made from (venue, tournament, overlays of the venue and its
    matches), for the amendment record from git."""
    venue = workspace.venue(venue_id)
    blocks = workspace.operations_for("venue", venue_id)
    for match in venue.value.get("matches") or []:
        blocks += workspace.operations_for("match", match["id"])
    paths = [venue.document.path, workspace.tournament.path, *(b.document.path for b in blocks)]
    return [Path(p) for p in dict.fromkeys(paths)]


def released_timeline(full: PlanReport, released: PlanReport) -> list[TimelineEntry]:
    """The match's timeline, computed on the full plan (a release may withhold the venue's time
    zone, which every time needs) and kept to what the release shows: items it shows, planning
    values from parameters it shows, the stands cleared only with its safety figures."""
    from eventsec.assess.operations import PLANNING_PARAMETERS

    if full.plan.match is None:
        return []
    shown_items = {item.id for item in released.plan.items()}
    parameters = {**PLANNING_PARAMETERS, "gates_open": "gates_open_before_kickoff_min"}
    kept = []
    for entry in match_timeline(full.plan, full.plan.match, full.safety):
        if entry.kind == "item" and entry.item not in shown_items:
            continue
        if entry.planned and entry.kind in parameters and parameters[entry.kind] not in released.plan.parameters:
            continue
        if entry.kind == "stands_clear" and longest_egress(released.safety) != entry.minutes:
            continue
        kept.append(entry)
    return kept


def gather_operations(
    workspace: Workspace, full: PlanReport, report: PlanReport, venue_id: str, venue_plan: bool
) -> Operations:
    """The operations order's facts for the released ``report``. A git amendment record is
    shown only in a plan released in full: commit subjects carry no release level. A venue
    plan also gathers each released match's report (its timeline and deployment)."""
    plan = report.plan
    timeline = released_timeline(full, report)
    record = amendment_record(plan.tournament, plan.venue, plan_files(workspace, venue_id))
    if record.source == "git" and not report.released_in_full:
        report.withheld["amendments"] = len(record.entries)
        record = AmendmentRecord((), "none")
    matches = []
    if venue_plan:
        for match in plan.venue.get("matches") or []:
            released, _ = build_report(
                workspace, venue_id, report.as_of, report.lang, match["id"], report.release_level
            )
            if released is not None:
                matches.append(released)
    return Operations(timeline, record, matches)
