"""The second clock: each match's execution of the match-day items, and its go/no-go.

A match-day item (MD-Nh, MD, MD+Nh) is done once per match. The status file records it under
``matches: <match id>: items:`` with when (``at``, venue time unless it has an offset) and by
whom. Rules (docs/readiness.md):

* Each row is due at kick-off plus the item's phase offset, in the venue's time zone.
* done: recorded done by its due instant; late: recorded done after it; overdue: due has passed
  with nothing recorded, or recorded not-done; not due: its due instant is still ahead.
* An entry counts only for its own match, only from its match's window (MD-72h) and only once
  its ``at`` has passed as of the date: an item is never done for a match before that match.
* The score is over the rows due so far (done and late earn their weight, overdue nothing).
* The match's go/no-go uses both clocks: the venue's preparation verdict and reasons, a
  critical row overdue (NO-GO) or a high one (AT-RISK), the match plan's open critical safety
  findings (NO-GO), and reasons from outside readiness (``other_reasons``, e.g. open risks).

Pure: the plan, status data, preparation readiness and the safety or risk reasons are inputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from eventsec.assess.readiness.deadlines import as_of_instant, kickoffs, venue_zone
from eventsec.assess.readiness.scores import AT_RISK, NO_GO, ON_TRACK, ChecklistItem, VenueReadiness
from eventsec.i18n import english
from eventsec.i18n.message import Message
from eventsec.plan.model import ResolvedItem
from eventsec.plan.phases import parse_local_instant, parse_phase, window_opens

DONE, LATE, OVERDUE, NOT_DUE = "done", "late", "overdue", "not-due"
UPCOMING, IN_PROGRESS, PLAYED = "upcoming", "in-progress", "played"

OtherReason = tuple[str, str, dict]
"""(verdict NO-GO or AT-RISK, catalog key, values): a reason from outside readiness."""


@dataclass(frozen=True)
class ExecutionRow:
    """One match-day item for one match: when it is due, what was recorded, and its state."""

    item: ResolvedItem
    domain: str
    due: datetime
    weight: float
    state: str
    entry: dict | None = None
    at: datetime | None = None

    @property
    def criticality(self) -> str:
        return self.item.fields["criticality"]

    @property
    def due_passed(self) -> bool:
        return self.state != NOT_DUE

    def to_dict(self) -> dict:
        return {
            "id": self.item.id,
            "title": self.item.fields["title"],
            "criticality": self.criticality,
            "phase": self.item.fields["phase"],
            "due": self.due.isoformat(),
            "due_local": self.due.strftime("%Y-%m-%d %H:%M"),
            "state": self.state,
            "at": self.at.isoformat() if self.at else None,
            **({"status": self.entry} if self.entry else {}),
        }


@dataclass
class MatchReadiness:
    """One match's execution record and go/no-go as of a date."""

    match: str
    kickoff: datetime
    phase: str
    rows: list[ExecutionRow]
    verdict: str = ON_TRACK
    reason_codes: list[tuple[str, dict]] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)
    """The reasons in English, for the CLI; plans render ``reason_codes``."""

    @property
    def due_rows(self) -> list[ExecutionRow]:
        return [r for r in self.rows if r.due_passed]

    @property
    def score(self) -> float | None:
        """Percent of the weight due so far that was done (late included); None before any is due."""
        due = self.due_rows
        total = sum(r.weight for r in due)
        return 100.0 * sum(r.weight for r in due if r.state in (DONE, LATE)) / total if total else None

    def count(self, state: str) -> int:
        return sum(1 for r in self.rows if r.state == state)

    @property
    def critical_misses(self) -> list[ExecutionRow]:
        return [r for r in self.rows if r.state == OVERDUE and r.criticality == "critical"]

    def to_dict(self) -> dict:
        score = self.score
        return {
            "match": self.match,
            "kickoff": self.kickoff.isoformat(),
            "phase": self.phase,
            "verdict": self.verdict,
            "reasons": self.reasons,
            "score": round(score, 1) if score is not None else None,
            "counts": {state: self.count(state) for state in (DONE, LATE, OVERDUE, NOT_DUE)},
            "critical_misses": [r.item.id for r in self.critical_misses],
            "rows": [r.to_dict() for r in self.rows],
        }


def assess_match(
    plan_items: Sequence[ChecklistItem],
    venue: dict,
    status: dict | None,
    match_id: str,
    as_of: str,
    preparation: VenueReadiness,
    safety_critical: Sequence[Message] = (),
    other_reasons: Sequence[OtherReason] = (),
) -> MatchReadiness:
    """The execution record and go/no-go of ``match_id`` as of ``as_of``.

    ``plan_items`` are the match-day items that apply to this match (from the venue's plan, or
    the match's own plan when a match overlay adds some); ``safety_critical`` the match plan's
    open critical safety findings; ``other_reasons`` verdict reasons from outside readiness.
    """
    zone = venue_zone(venue["timezone"])
    moment = as_of_instant(as_of, zone)
    entries = ((status or {}).get("matches") or {}).get(match_id, {}).get("items") or {}
    kickoff = dict(kickoffs(venue))[match_id]
    rows = [
        _row(checklist, kickoff + parse_phase(checklist.item.fields["phase"]).offset, kickoff, entries, moment)
        for checklist in plan_items
    ]
    rows.sort(key=lambda r: (r.due, r.item.id))
    result = MatchReadiness(match_id, kickoff, _phase(rows, kickoff, moment), rows)
    result.verdict, result.reason_codes = _verdict(result, preparation, safety_critical, other_reasons)
    result.reasons = [english(Message(key, values)) for key, values in result.reason_codes]
    return result


def _row(checklist: ChecklistItem, due: datetime, kickoff: datetime, entries: dict, moment: datetime) -> ExecutionRow:
    entry = entries.get(checklist.item.id)
    at = parse_local_instant(entry["at"], kickoff.tzinfo) if entry else None
    if at is None or at > moment or at < window_opens(kickoff):
        entry, at = None, None  # not recorded yet as of the date, or not for this match
    if entry and entry["state"] == "done":
        state = DONE if at <= due else LATE
    else:
        state = OVERDUE if due <= moment else NOT_DUE
    return ExecutionRow(checklist.item, checklist.domain, due, checklist.weight, state, entry, at)


def _phase(rows: list[ExecutionRow], kickoff: datetime, moment: datetime) -> str:
    """Upcoming before the match's first match-day deadline, played once its last has passed."""
    instants = [r.due for r in rows] + [kickoff]
    if moment < min(instants):
        return UPCOMING
    return PLAYED if moment >= max(instants) else IN_PROGRESS


def _verdict(
    result: MatchReadiness,
    preparation: VenueReadiness,
    safety_critical: Sequence[Message],
    other_reasons: Sequence[OtherReason],
) -> tuple[str, list[tuple[str, dict]]]:
    no_go: list[tuple[str, dict]] = []
    at_risk: list[tuple[str, dict]] = []
    (no_go if preparation.verdict == NO_GO else at_risk).extend(preparation.reason_codes)
    for row in result.rows:
        if row.state == OVERDUE and row.criticality in ("critical", "high"):
            key = "match_reason_critical_missed" if row.criticality == "critical" else "match_reason_high_missed"
            (no_go if row.criticality == "critical" else at_risk).append(
                (key, {"id": row.item.id, "match": result.match})
            )
    for message in safety_critical:
        if ("reason_safety", {"message": message}) not in no_go:
            no_go.append(("reason_safety", {"message": message}))
    for verdict, key, values in other_reasons:
        (no_go if verdict == NO_GO else at_risk).append((key, values))
    if no_go:
        return NO_GO, no_go
    return (AT_RISK, at_risk) if at_risk else (ON_TRACK, [])


def controls_in_place(preparation: VenueReadiness, match: MatchReadiness) -> set[str]:
    """The item ids whose controls are in place for ``match``: preparation items done as of the
    date, and this match's match-day items done (late included). What a risk register's
    residual rating reads (the ``done`` its assessment takes; :func:`controls_planned` gives
    the match-day items still to come)."""
    return {i.item.id for i in preparation.items if i.state == "done"} | {
        r.item.id for r in match.rows if r.state in (DONE, LATE)
    }


def controls_planned(match: MatchReadiness) -> set[str]:
    """This match's match-day items not yet due: planned for their time, not missing (a
    dispersal plan due at full time must not hold a risk open at kick-off)."""
    return {r.item.id for r in match.rows if r.state == NOT_DUE}
