"""Everything one plan PDF shows, gathered before rendering: the resolved plan, its safety
assessment and readiness, and release facts. Rendering reads only this; it never re-reads YAML.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from eventsec import __version__
from eventsec.assess.readiness.deadlines import DeadlineError
from eventsec.assess.readiness.matches import MatchReadiness
from eventsec.assess.readiness.overview import venue_readiness
from eventsec.assess.readiness.scores import ItemReadiness, MissingReadinessParameters, VenueReadiness
from eventsec.assess.risk.register import AssessedRegister
from eventsec.assess.safety.assessment import MissingParameters, SafetyAssessment, assess
from eventsec.findings import Finding, error
from eventsec.load.workspace import Workspace
from eventsec.plan.model import Plan
from eventsec.plan.resolve import resolve
from eventsec.plan.risk_matrix import RiskBandsError
from eventsec.render.operations_report import Operations, gather_operations


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
    risks: dict[str, AssessedRegister] = field(default_factory=dict)
    """The risk registers of the plan's matches (its one match for a match plan), by match id."""
    matches: list[MatchReadiness] = field(default_factory=list)
    """Each match's execution record and go/no-go (the plan's match only, for a match plan)."""
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
    except RiskBandsError as exc:
        return None, [error(workspace.venue(venue_id).at("id"), "risk-bands", f"cannot band the risk registers: {exc}")]
    tournament = plan.tournament
    report = PlanReport(
        plan,
        safety,
        readiness,
        as_of,
        lang,
        "",
        str(tournament.get("plan_version", "1.0")),
        changes=changes,
        risks=readiness.risks,
    )
    report.matches = [m for m in readiness.matches if match_id is None or m.match == match_id]
    policy = Release.for_tournament(tournament, release)
    released = release_report(report, policy, marks_of(workspace, venue_id), Catalog(lang).t("withheld_text"))
    released.operations = gather_operations(workspace, report, released, venue_id, None if match_id else build_report)
    return released, []
