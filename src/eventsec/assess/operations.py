"""The timeline of a match day, for the operations order: gates open, the match-day items by
the local time they are due, kick-off, half-time, full time, the stands cleared, and the items
due after the match.

Kick-off is the match's; everything else around the match is a planning value from the
library's parameters (``gates_open_before_kickoff_min`` unless the match sets ``gates_open``,
``half_time_after_kickoff_min``, ``full_time_after_kickoff_min``, ``extra_time_allowance_min``
at knockout stages), and the stands cleared is full time plus the safety engine's longest
egress time. Each entry says whether it is planned (assumed) or set for the match.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from eventsec.assess.readiness.deadlines import venue_zone
from eventsec.assess.safety.assessment import SafetyAssessment
from eventsec.plan.model import Plan
from eventsec.plan.phases import PhaseError, parse_phase

KNOCKOUT_STAGES = ("round-of-32", "round-of-16", "quarter-final", "semi-final", "third-place", "final")
"""Stages where a draw goes to extra time and penalties."""
PLANNING_PARAMETERS = {
    "gates_open": "gates_open_before_kickoff_min",
    "half_time": "half_time_after_kickoff_min",
    "full_time": "full_time_after_kickoff_min",
    "extra_time": "extra_time_allowance_min",
}


@dataclass(frozen=True)
class TimelineEntry:
    """One moment of the day. ``kind`` is gates_open, item, kickoff, half_time, full_time,
    extra_time or stands_clear; ``item`` and ``owner`` are set for items; ``minutes`` is the
    duration a planned entry adds (the egress time for stands_clear)."""

    at: datetime
    kind: str
    planned: bool
    item: str | None = None
    owner: str | None = None
    minutes: float | None = None


def kickoff_of(plan: Plan, match: dict) -> datetime:
    hour, minute = (int(part) for part in match["kickoff"].split(":"))
    return datetime.combine(
        datetime.fromisoformat(match["date"]).date(), time(hour, minute), venue_zone(plan.venue["timezone"])
    )


def parameter_minutes(plan: Plan, name: str) -> float | None:
    parameter = plan.parameters.get(name)
    return float(parameter.value) if parameter is not None and isinstance(parameter.value, (int, float)) else None


def gates_open(plan: Plan, match: dict, kickoff: datetime) -> TimelineEntry | None:
    """The match's own gates_open, or kick-off less the library's planning value."""
    if match.get("gates_open"):
        hour, minute = (int(part) for part in match["gates_open"].split(":"))
        opened = kickoff.replace(hour=hour, minute=minute)
        return TimelineEntry(opened - timedelta(days=1) if opened > kickoff else opened, "gates_open", False)
    before = parameter_minutes(plan, PLANNING_PARAMETERS["gates_open"])
    return (
        None
        if before is None
        else TimelineEntry(kickoff - timedelta(minutes=before), "gates_open", True, minutes=before)
    )


def match_items(plan: Plan, match: dict, kickoff: datetime) -> list[TimelineEntry]:
    """Every present match-day item that applies to this match, at kick-off plus its phase."""
    entries = []
    for item in plan.items():
        if item.state != "present" or (item.applies_to is not None and match["id"] not in item.applies_to):
            continue
        try:
            phase = parse_phase(str(item.fields.get("phase")))
        except PhaseError:
            continue  # the phase rule reports it; validate refuses the workspace
        if phase.anchor == "MD":
            entries.append(TimelineEntry(kickoff + phase.offset, "item", False, item.id, item.fields.get("owner")))
    return entries


def match_moments(plan: Plan, match: dict, kickoff: datetime, safety: SafetyAssessment | None) -> list[TimelineEntry]:
    """Kick-off, half-time, full time, extra time at knockout stages and the stands cleared."""
    entries = [TimelineEntry(kickoff, "kickoff", False)]
    for kind in ("half_time", "full_time"):
        minutes = parameter_minutes(plan, PLANNING_PARAMETERS[kind])
        if minutes is not None:
            entries.append(TimelineEntry(kickoff + timedelta(minutes=minutes), kind, True, minutes=minutes))
    full_time = next((e.at for e in entries if e.kind == "full_time"), None)
    if full_time is None:
        return entries
    extra = parameter_minutes(plan, PLANNING_PARAMETERS["extra_time"])
    if match.get("stage") in KNOCKOUT_STAGES and extra:
        entries.append(TimelineEntry(full_time + timedelta(minutes=extra), "extra_time", True, minutes=extra))
    egress = longest_egress(safety)
    if egress is not None:
        entries.append(TimelineEntry(full_time + timedelta(minutes=egress), "stands_clear", True, minutes=egress))
    return entries


def longest_egress(safety: SafetyAssessment | None) -> float | None:
    """The longest normal egress time of any section (the last stand to empty), in minutes."""
    times = [f.value for f in (safety.figures if safety else []) if f.key.startswith("egress.")]
    return max(times) if times else None


def match_timeline(plan: Plan, match: dict, safety: SafetyAssessment | None) -> list[TimelineEntry]:
    """The day of ``match`` in time order; at one time, the match's moments before the items."""
    kickoff = kickoff_of(plan, match)
    entries = match_moments(plan, match, kickoff, safety) + match_items(plan, match, kickoff)
    opened = gates_open(plan, match, kickoff)
    if opened:
        entries.append(opened)
    order = ("gates_open", "kickoff", "half_time", "full_time", "extra_time", "stands_clear", "item")
    return sorted(entries, key=lambda e: (e.at, order.index(e.kind), e.item or ""))
