"""Readiness across a workspace: resolve each venue, assess safety, score its status file."""

from __future__ import annotations

from eventsec.assess.readiness.scores import NO_GO, VERDICT_ORDER, VenueReadiness, assess_readiness
from eventsec.assess.safety.assessment import MissingParameters, assess
from eventsec.errors import ContentError, EventsecError
from eventsec.findings import Finding, sorted_findings
from eventsec.i18n.message import Message
from eventsec.load.workspace import Workspace
from eventsec.plan.model import Plan
from eventsec.plan.resolve import resolve


def venue_readiness(workspace: Workspace, plan: Plan, as_of: str) -> VenueReadiness:
    """One venue's readiness, including its open critical safety findings.

    A library without the safety parameters still gets readiness; the result says safety was
    not assessed rather than pretending it is clean.
    """
    try:
        safety = assess(plan)
        critical: list[Message] | None = [f.summary for f in safety.findings if f.severity == "critical"]
    except MissingParameters:
        critical = None
    status = workspace.statuses().get(plan.venue["id"])
    return assess_readiness(plan, status.data if status else None, as_of, critical)


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
    """The venues that fail a CI gate: NO-GO, or a score under ``fail_under`` when one is set."""
    return [r for r in shown if r.verdict == NO_GO or (fail_under is not None and r.score < fail_under)]
