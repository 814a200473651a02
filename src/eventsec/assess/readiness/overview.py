"""Readiness across a workspace: resolve each venue, assess safety, score its status file."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from eventsec.assess.readiness.deadlines import as_of_instant, kickoffs, venue_zone
from eventsec.assess.readiness.matches import (
    IN_PROGRESS,
    UPCOMING,
    MatchReadiness,
    OtherReason,
    assess_match,
    controls_in_place,
    controls_planned,
)
from eventsec.assess.readiness.scores import AT_RISK, NO_GO, VERDICT_ORDER, VenueReadiness, assess_readiness
from eventsec.assess.risk.register import AssessedRegister, assess_register, verdict_reasons
from eventsec.assess.safety.assessment import MissingParameters, assess
from eventsec.errors import ContentError, EventsecError
from eventsec.findings import Finding, sorted_findings
from eventsec.i18n.message import Message
from eventsec.load.workspace import Workspace
from eventsec.plan.model import Plan
from eventsec.plan.resolve import resolve
from eventsec.plan.risk_matrix import Matrix


@dataclass(frozen=True)
class OpenSafety:
    """A plan's open safety findings that weigh on a go/no-go, assessed once."""

    critical: list[Message]
    """Critical findings: NO-GO."""
    high: list[OtherReason]
    """High findings (a steward workforce short of the deployment...) as AT-RISK reasons of a
    match's go/no-go: the match can go, but not as planned."""

    @classmethod
    def of(cls, plan: Plan) -> OpenSafety | None:
        """None when the library lacks the safety parameters."""
        try:
            findings = assess(plan).findings
        except MissingParameters:
            return None
        critical = [f.summary for f in findings if f.severity == "critical"]
        high = [(AT_RISK, "reason_safety_high", {"message": f.summary}) for f in findings if f.severity == "high"]
        return cls(critical, high)


def venue_readiness(
    workspace: Workspace, plan: Plan, as_of: str, other_reasons: Mapping[str, Sequence[OtherReason]] | None = None
) -> VenueReadiness:
    """One venue's preparation readiness, including its open critical safety findings, with each
    match's execution record and go/no-go in ``matches`` and each match's assessed risk register
    in ``risks``. A match's go/no-go folds in its register's open risks (assessed against the
    controls in place for that match: preparation items done and its own match-day items done)
    and ``other_reasons``, by match id, from elsewhere.

    A library without the safety parameters still gets readiness; the result says safety was
    not assessed rather than pretending it is clean.
    """
    status = workspace.statuses().get(plan.venue["id"])
    data = status.data if status else None
    safety = OpenSafety.of(plan)
    critical = safety.critical if safety else None
    preparation = assess_readiness(plan, data, as_of, critical)
    moment = as_of_instant(as_of, venue_zone(plan.venue["timezone"]))
    registers = registers_by_match(workspace)
    for match_id, kickoff in kickoffs(plan.venue):
        if plan.match and plan.match["id"] != match_id:
            continue
        # a match already kicked off was decided on the preparation of that moment: post items
        # due after the tournament must not turn a January match AT-RISK in February
        judged = preparation if kickoff > moment else assess_readiness(plan, data, kickoff.isoformat(), critical)
        outside = (other_reasons or {}).get(match_id, ())
        match, register = match_readiness(
            workspace, plan, safety, judged, data, match_id, as_of, outside, registers.get(match_id)
        )
        preparation.matches.append(match)
        if register is not None:
            preparation.risks[match_id] = register
    return preparation


def registers_by_match(workspace: Workspace) -> dict[str, dict]:
    """The workspace's risk registers' data, by match id (validate allows one per match)."""
    return {doc.data["match"]: doc.data for doc in workspace.index.of_kind("risk-register")}


def match_register(plan: Plan, register: dict, preparation: VenueReadiness, match: MatchReadiness) -> AssessedRegister:
    """A match's register assessed against the controls in place for it (preparation items done
    and the match's own match-day items done) and those planned (its match-day items not yet due)."""
    matrix = Matrix.from_values(plan.parameter_values())
    return assess_register(register, matrix, controls_in_place(preparation, match), controls_planned(match))


def match_readiness(
    workspace: Workspace,
    plan: Plan,
    safety: OpenSafety | None,
    preparation: VenueReadiness,
    status: dict | None,
    match_id: str,
    as_of: str,
    other_reasons: Sequence[OtherReason] = (),
    register: dict | None = None,
) -> tuple[MatchReadiness, AssessedRegister | None]:
    """One match's clock, and its risk register assessed (None without one).

    A match a match overlay targets has its own plan (items added, removed or made critical for
    it, its own safety findings); any other match takes the match-day items of ``plan`` that
    apply to it and is judged on ``plan``'s high safety findings (``safety``; its critical ones
    are already among the preparation reasons). With a risk register, the match's open risks
    join its verdict's reasons."""
    checklist = [c for c in preparation.match_day if c.item.applies_to is None or match_id in c.item.applies_to]
    critical: Sequence[Message] = ()
    own = {block.target for block in workspace.index.operation_blocks() if block.layer == "match"}
    if match_id in own:
        match_plan = plan if plan.match else resolve(workspace, plan.venue["id"], match_id)[0]
        if match_plan is not None:
            checklist = assess_readiness(match_plan, status, as_of, []).match_day
            safety = OpenSafety.of(match_plan)
            critical = safety.critical if safety else ()
    reasons = [*other_reasons, *(safety.high if safety else ())]

    def judge(reasons: Sequence[OtherReason]) -> MatchReadiness:
        return assess_match(checklist, plan.venue, status, match_id, as_of, preparation, critical, reasons)

    match = judge(reasons)
    if register is None:
        return match, None
    assessed = match_register(plan, register, preparation, match)
    risks = verdict_reasons(assessed)
    return (judge([*reasons, *risks]) if risks else match), assessed


def current_match(matches: list[MatchReadiness]) -> MatchReadiness | None:
    """The match in progress, else the next upcoming one: the one a CI gate and the overview judge."""
    return next((m for m in matches if m.phase == IN_PROGRESS), None) or next(
        (m for m in matches if m.phase == UPCOMING), None
    )


def worst_first(venues: list[VenueReadiness]) -> list[VenueReadiness]:
    return sorted(venues, key=lambda r: (VERDICT_ORDER.index(r.verdict), r.score, r.venue))


def tournament_readiness(workspace: Workspace, as_of: str) -> tuple[list[VenueReadiness], list]:
    """Every venue's readiness, worst first, and any resolution findings, each once (a library
    mistake stops every venue with the same finding)."""
    results, findings = [], []
    for venue_id in sorted(workspace.venues()):
        plan, problems = resolve(workspace, venue_id)
        if plan is None:
            findings += problems
            continue
        results.append(venue_readiness(workspace, plan, as_of))
    return worst_first(results), sorted_findings(findings)


def readiness(workspace: Workspace, venue: str | None, as_of: str) -> tuple[list[VenueReadiness], list[Finding]]:
    """What ``eventsec status`` shows: one venue's readiness, or every venue's worst first, and
    the findings that stop a venue resolving (then nothing is shown).

    A value the readiness code rejects (a venue's time zone, a kickoff) is the workspace's
    content, so it becomes a ContentError (exit 1), never a traceback.
    """
    try:
        if venue is None:
            return tournament_readiness(workspace, as_of)
        plan, findings = resolve(workspace, venue)
        return ([venue_readiness(workspace, plan, as_of)], []) if plan is not None else ([], findings)
    except EventsecError:
        raise
    except ValueError as exc:
        raise ContentError(str(exc)) from exc


def gate_failures(shown: list[VenueReadiness], fail_under: float | None) -> list[VenueReadiness]:
    """The venues that fail a CI gate: preparation NO-GO, the match in progress (or else the next
    one) NO-GO, or a preparation score under ``fail_under`` when one is set. A played match's
    verdict is history and does not fail the gate."""
    return [
        r
        for r in shown
        if r.verdict == NO_GO
        or (fail_under is not None and r.score < fail_under)
        or getattr(current_match(r.matches), "verdict", None) == NO_GO
    ]
