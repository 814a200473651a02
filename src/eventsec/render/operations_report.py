"""What the operations order of a match needs beyond the plan, gathered with the report
(render/report.py) so rendering never reads a file or runs git: the timeline of the report's
match as the release may show it, the amendment record and, for a venue plan, each match's
released report. Reports are typed ``Any`` here: report.py imports this module.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from eventsec.assess.operations import PLANNING_PARAMETERS, TimelineEntry, longest_egress, match_timeline
from eventsec.diff.amendments import AmendmentRecord, amendment_record
from eventsec.load.workspace import Workspace


@dataclass
class Operations:
    """What the operations order adds to the plan (render/operations.py): the timeline of the
    report's match, the amendment record and, in a venue plan, each match's released report
    for its short order. Contacts and radio channels are the released venue's own."""

    timeline: list[TimelineEntry] = field(default_factory=list)
    amendments: AmendmentRecord = field(default_factory=lambda: AmendmentRecord((), "none"))
    matches: list[Any] = field(default_factory=list)


def plan_files(workspace: Workspace, venue_id: str) -> list[Path]:
    """The files a venue's plan is made from (venue, tournament, overlays of the venue and its
    matches), for the amendment record from git."""
    venue = workspace.venue(venue_id)
    blocks = workspace.operations_for("venue", venue_id)
    for match in venue.value.get("matches") or []:
        blocks += workspace.operations_for("match", match["id"])
    paths = [venue.document.path, workspace.tournament.path, *(b.document.path for b in blocks)]
    return [Path(p) for p in dict.fromkeys(paths)]


def released_timeline(full: Any, released: Any) -> list[TimelineEntry]:
    """The match's timeline, computed on the full plan (a release may withhold the venue's time
    zone, which every time needs) and kept to what the release shows: items it shows, planning
    values from parameters it shows, the stands cleared only with its safety figures."""
    if full.plan.match is None:
        return []
    shown_items = {item.id for item in released.plan.items()}
    kept = []
    for entry in match_timeline(full.plan, full.plan.match, full.safety):
        if entry.kind == "item" and entry.item not in shown_items:
            continue
        if entry.kind in PLANNING_PARAMETERS and PLANNING_PARAMETERS[entry.kind] not in released.plan.parameters:
            continue
        if entry.kind == "stands_clear" and longest_egress(released.safety) != entry.minutes:
            continue
        kept.append(entry)
    return kept


def gather_operations(
    workspace: Workspace, full: Any, report: Any, venue_id: str, build: Callable | None
) -> Operations:
    """The operations order's facts for the released ``report`` (``full``: the same report
    before release). A git amendment record is shown only in a plan released in full: commit
    subjects carry no release level. A venue plan passes ``build`` (build_report) to gather each
    released match's report (its timeline and deployment)."""
    plan = report.plan
    timeline = released_timeline(full, report)
    record = amendment_record(plan.tournament, plan.venue, plan_files(workspace, venue_id))
    if record.source == "git" and not report.released_in_full:
        report.withheld["amendments"] = len(record.entries)
        record = AmendmentRecord((), "none")
    matches = []
    if build is not None:
        for match in plan.venue.get("matches") or []:
            released, _ = build(workspace, venue_id, report.as_of, report.lang, match["id"], report.release_level)
            if released is not None:
                matches.append(released)
    return Operations(timeline, record, matches)
