"""Status files, checked twice: as documents, by lint rules (they point at a real venue and at
items of the library, one file per venue), and against each venue's resolved plan in
``validate``'s resolve pass (:func:`status_findings`). A lint rule sees the library; only the
resolved plan knows what a venue's overlays did to an item: raised it to critical, removed it,
or added it at another venue only. Both raise ``status-item``, here, from one module."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from eventsec.checks.rule import Rule, rule
from eventsec.findings import Finding, Severity
from eventsec.load.documents import Document
from eventsec.load.index import Index
from eventsec.plan.model import REMOVED, Plan
from eventsec.plan.phases import MAX_MATCH_HOURS, is_match_day, local_kickoff, parse_local_instant, window_opens
from eventsec.vocabulary import did_you_mean


@rule(
    "status-venue",
    Severity.ERROR,
    "Every status file names a venue of the workspace.",
    explanation="A status file records one venue's progress, so it names a venue of the workspace.",
    failing="kind: status\nvenue: v9\n",
    fixed="kind: status\nvenue: v1\n",
)
def status_venue(r: Rule, index: Index) -> Iterator[Finding]:
    if not index.tournaments():
        return
    venues = index.ids(index.venues())
    reported = index.rejected_ids("venue")  # a venue that failed its schema is not "unknown"
    for doc in index.statuses():
        venue = doc.data.get("venue")
        if isinstance(venue, str) and venue not in venues and venue not in reported:
            yield r.finding(doc.locate(("venue",)), f"status for unknown venue '{venue}'", did_you_mean(venue, venues))


@rule(
    "status-item",
    Severity.WARNING,
    "Every status entry names an item of the library (stale entries are flagged).",
    explanation="Status entries name library items. An entry for an item the library no longer has (or never had) is stale and is flagged so it can be removed.",
    failing="kind: status\nvenue: v1\nitems:\n  CRW-099: {state: not-started}\n",
    fixed="kind: status\nvenue: v1\nitems:\n  CRW-002: {state: not-started}\n",
)
def status_item(r: Rule, index: Index) -> Iterator[Finding]:
    items = index.item_ids()
    if not items:
        return
    rejected = index.rejected_ids("venue")  # its overlay's items are unknown until it passes its schema
    unread = index.rejected_added_items()
    for doc in index.statuses():
        if doc.data.get("venue") in rejected:
            continue
        for path in _entry_paths(doc):
            item = path[-1]
            if item not in items and item not in unread:
                yield r.finding(
                    doc.key_location(path),
                    f"status entry for item '{item}', which is not in the library",
                    did_you_mean(item, items) or "the item was renamed or removed; update or delete the entry",
                )


@rule(
    "status-duplicate",
    Severity.ERROR,
    "A venue has one status file (with two, the verdict would depend on file names).",
    explanation="A venue's progress is kept in one status file; with two, which one wins would depend on file names.",
    failing="# status/v1.yaml and status/v1-copy.yaml\nkind: status\nvenue: v1\n",
    fixed="# status/v1.yaml only\nkind: status\nvenue: v1\n",
)
def status_duplicate(r: Rule, index: Index) -> Iterator[Finding]:
    first: dict[str, str] = {}
    for doc in index.statuses():
        venue = doc.data.get("venue")
        if not isinstance(venue, str):
            continue
        if venue in first:
            yield r.finding(
                doc.locate(("venue",)),
                f"a second status file for venue '{venue}' (the first is {first[venue]})",
                "keep one status file per venue; merge the entries",
            )
        else:
            first[venue] = doc.path


def _entry_paths(doc: Document) -> Iterator[tuple[str, ...]]:
    """The data path of every entry of a status file: ``items`` first, then each match's."""
    for item in doc.data.get("items") or {}:
        yield ("items", item)
    for match, record in (doc.data.get("matches") or {}).items():
        for item in (record or {}).get("items") or {}:
            yield ("matches", match, "items", item)


def _phases(index: Index) -> dict[str, str]:
    """Each item's phase as the library, or the overlay that adds it, gives it. An overlay that
    moves an item to the other clock (sets a T phase to MD) is not seen by this lint rule;
    readiness goes by the resolved phase and ignores an entry on the wrong clock."""
    phases = {str(item.value.get("id")): str(item.value.get("phase")) for _, item in index.items()}
    for _, item in index.added_items():
        phases.setdefault(str(item.value.get("id")), str(item.value.get("phase")))
    return phases


def _venues(index: Index) -> dict[str, dict]:
    return {venue.value["id"]: venue.value for venue in index.venues() if isinstance(venue.value.get("id"), str)}


def _match_ids(venue: dict) -> list[str]:
    return [str(m.get("id")) for m in venue.get("matches") or [] if isinstance(m, dict)]


@rule(
    "status-clock",
    Severity.ERROR,
    "Preparation entries go under items:, match-day execution under matches: <id>: items: (not-applicable may be anywhere).",
    explanation="Preparation (T-phase and post items) and match-day execution (MD phases) are two clocks. "
    "A match-day item is done once per match, so its entries are recorded per match with when and by whom; "
    "under items: it would count as done for every match before any is played. Marking a match-day item "
    "not-applicable (a venue without a fan zone) stays under items:. A preparation item recorded under a "
    "match is refused too: it is done once, for the venue.",
    failing="kind: status\nvenue: v1\nitems:\n  CRW-002: {state: done, evidence: Briefing log}\n",
    fixed="kind: status\nvenue: v1\nitems: {}\nmatches:\n  m1:\n    items:\n"
    "      CRW-002: {state: done, at: 2025-06-10T15:40, by: Chief steward, evidence: Briefing log}\n",
)
def status_clock(r: Rule, index: Index) -> Iterator[Finding]:
    phases, venues = _phases(index), _venues(index)
    for doc in index.statuses():
        venue = venues.get(doc.data.get("venue"), {})
        for path in _entry_paths(doc):
            phase = phases.get(path[-1])
            if phase is None:
                continue  # status-item's
            if (
                path[0] == "items"
                and is_match_day(phase)
                and doc.data["items"][path[-1]].get("state") != "not-applicable"
            ):
                matches = ", ".join(_match_ids(venue)) or "none declared"
                yield r.finding(
                    doc.key_location(path),
                    f"match-day item '{path[-1]}' ({phase}) is recorded under items:, which holds preparation only",
                    f"record it under matches: <id>: items: with state, at and by (this venue's matches: {matches}); "
                    "or mark it not-applicable with a reason",
                )
            elif path[0] == "matches" and not is_match_day(phase):
                yield r.finding(
                    doc.key_location(path),
                    f"preparation item '{path[-1]}' ({phase}) is recorded under match '{path[1]}'",
                    "record it under items: (a preparation item is done once for the venue, not per match)",
                )


@rule(
    "status-match",
    Severity.ERROR,
    "Every match a status file records execution for is a match its venue hosts.",
    explanation="Execution entries are kept per match id. A match the venue does not host (a typo, or "
    "another venue's match) would be an execution record no plan ever shows.",
    failing="kind: status\nvenue: v1\nitems: {}\nmatches:\n  m2:\n    items:\n"
    "      CRW-002: {state: done, at: 2025-06-10T15:40, by: Chief steward}\n",
    fixed="kind: status\nvenue: v1\nitems: {}\nmatches:\n  m1:\n    items:\n"
    "      CRW-002: {state: done, at: 2025-06-10T15:40, by: Chief steward}\n",
)
def status_match(r: Rule, index: Index) -> Iterator[Finding]:
    venues = _venues(index)
    rejected = index.rejected_ids("venue")
    for doc in index.statuses():
        venue_id = doc.data.get("venue")
        if venue_id not in venues or venue_id in rejected:
            continue  # status-venue's
        hosted = _match_ids(venues[venue_id])
        for match in doc.data.get("matches") or {}:
            if match not in hosted:
                yield r.finding(
                    doc.key_location(("matches", match)),
                    f"execution entries for match '{match}', which venue '{venue_id}' does not host",
                    did_you_mean(match, hosted) or f"this venue's matches: {', '.join(hosted) or 'none declared'}",
                )


@rule(
    "status-window",
    Severity.ERROR,
    f"An execution entry is dated inside its match's window (from {MAX_MATCH_HOURS} h before kick-off, venue time).",
    explanation="A match-day entry counts only for its own match: done before the match's window opens "
    f"({MAX_MATCH_HOURS} h before kick-off, the earliest a match-day phase can fall) it was done for an "
    "earlier match or misdated, and would show the item done before its match.",
    failing="kind: status\nvenue: v1\nitems: {}\nmatches:\n  m1:\n    items:\n"
    "      CRW-002: {state: done, at: 2025-06-01T15:40, by: Chief steward}\n",
    fixed="kind: status\nvenue: v1\nitems: {}\nmatches:\n  m1:\n    items:\n"
    "      CRW-002: {state: done, at: 2025-06-10T15:40, by: Chief steward}\n",
)
def status_window(r: Rule, index: Index) -> Iterator[Finding]:
    venues = _venues(index)
    for doc in index.statuses():
        venue = venues.get(doc.data.get("venue"))
        zone = _zone(venue)
        if zone is None:
            continue  # unknown-timezone's (or status-venue's)
        matches = {str(m.get("id")): m for m in venue.get("matches") or [] if isinstance(m, dict)}
        for match_id, record in (doc.data.get("matches") or {}).items():
            opens = _opens(matches.get(match_id), zone)
            for item, entry in ((record or {}).get("items") or {}).items():
                at = _instant(entry.get("at"), zone)
                if opens is None or at is None or at >= opens:
                    continue
                yield r.finding(
                    doc.locate(("matches", match_id, "items", item, "at")),
                    f"'{item}' for match '{match_id}' is dated {entry['at']}, before the match's window opens "
                    f"at {opens.strftime('%Y-%m-%d %H:%M')} ({venue['timezone']}, {MAX_MATCH_HOURS} h before kick-off)",
                    "correct the date, or record the entry under the match it was done for",
                )


def _zone(venue: dict | None) -> ZoneInfo | None:
    try:
        return ZoneInfo(str(venue["timezone"])) if venue and venue.get("timezone") else None
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _opens(match: dict | None, zone: ZoneInfo) -> datetime | None:
    """When ``match``'s window opens; None for an unknown match (status-match's) or bad dates (match-dates')."""
    try:
        return window_opens(local_kickoff(match, zone)) if match else None
    except (KeyError, ValueError):
        return None


def _instant(text: object, zone: ZoneInfo) -> datetime | None:
    try:
        return parse_local_instant(text, zone) if isinstance(text, str) else None
    except ValueError:
        return None  # the schema's


WAIVER_HINT = "add 'waiver: {approved_by: ..., date: YYYY-MM-DD, reason: ...}', as a removal would"


def status_findings(plan: Plan, status: Document, library_items: set[str], match_items: set[str]) -> list[Finding]:
    """What is wrong with ``status`` for this plan: a locked or critical item marked
    not-applicable without a waiver (error), entries for items this venue's plan does not have
    or has removed (warning; entries for items no plan has are the ``status-item`` rule's, and
    ``match_items``, added by this venue's match overlays, belong to its match plans)."""
    items = {item.id: item for item in plan.items()}
    found: list[Finding] = []
    for item_id, entry in (status.data.get("items") or {}).items():
        item = items.get(item_id)
        where = status.key_location(("items", item_id))
        if item is None:
            if item_id in library_items and item_id not in match_items:
                found.append(
                    Finding(
                        where,
                        "status-item",
                        Severity.WARNING,
                        f"status entry for item '{item_id}', which venue '{plan.venue['id']}' does not have",
                        "the item is added at other venues only; delete the entry",
                    )
                )
        elif item.state == REMOVED:
            found.append(
                Finding(
                    where,
                    "status-item",
                    Severity.WARNING,
                    f"status entry for item '{item_id}', which this venue's plan removes "
                    f"({item.removal['file']}:{item.removal['line']})",
                    "delete the entry",
                )
            )
        elif (
            entry.get("state") == "not-applicable"
            and not entry.get("waiver")
            and (item.fields.get("locked") or item.fields.get("criticality") == "critical")
        ):
            found.append(
                Finding(
                    status.locate(("items", item_id, "state")),
                    "status-waiver",
                    Severity.ERROR,
                    f"item '{item_id}' is locked or critical in this venue's plan; marking it "
                    "not-applicable needs a waiver",
                    WAIVER_HINT,
                )
            )
    return found
