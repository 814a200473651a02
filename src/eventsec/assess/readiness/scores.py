"""Preparation readiness of one venue: each item's state and deadline, scores by domain, go/no-go.

Two clocks (docs/readiness.md): this module scores **preparation**, the T-phase items (and post
items once the tournament has ended); match-day items (MD phases) are done once per match and
scored per match by :mod:`eventsec.assess.readiness.matches`. They never count here, so a
March plan does not show pre-match sweeps as done.

Rules:
* Applicable items only: not_applicable and removed items of the plan, and status entries
  marked not-applicable (with a reason), are excluded and listed.
* An entry dated after the as-of date is not known yet as of that date: the item counts as
  not started (one status file gives every as-of date its own answer).
* Post items are listed as "later", never overdue, until the tournament has ended.
* Score = Σ weight × credit / Σ weight, in percent. Weights by criticality and the credit for
  in-progress items are parameters (``readiness_weight_*``, ``readiness_in_progress_credit``).
* Overdue: not done once its deadline has passed.
* NO-GO: a critical item overdue or blocked, or a critical safety finding open.
  AT-RISK: a high item overdue or blocked, or overdue items above
  ``readiness_at_risk_overdue_pct`` of the weight due so far. ON-TRACK otherwise.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from eventsec.assess.readiness.deadlines import Deadline, as_of_instant, end_of_day, item_deadlines, venue_zone
from eventsec.errors import ContentError
from eventsec.i18n import Catalog, catalog, english
from eventsec.i18n.message import Message
from eventsec.plan.model import NOT_APPLICABLE, PRESENT, Plan, ResolvedItem
from eventsec.plan.phases import is_match_day

NO_GO, AT_RISK, ON_TRACK = "NO-GO", "AT-RISK", "ON-TRACK"
VERDICT_ORDER = (NO_GO, AT_RISK, ON_TRACK)
PARAMETERS = (
    "readiness_weight_critical",
    "readiness_weight_high",
    "readiness_weight_medium",
    "readiness_weight_low",
    "readiness_in_progress_credit",
    "readiness_at_risk_overdue_pct",
)


class MissingReadinessParameters(ContentError):
    """The library does not declare the readiness parameters."""


@dataclass
class ItemReadiness:
    item: ResolvedItem
    domain: str
    state: str
    entry: dict | None
    deadlines: list[Deadline]
    due: datetime | None
    overdue: bool
    weight: float
    credit: float

    @property
    def criticality(self) -> str:
        return self.item.fields["criticality"]

    @property
    def due_shown(self) -> str:
        """The due date as the console prints it (the last day of a 24:00 deadline), after the
        clock that set it for an item due before a milestone too."""
        return self.due_said(catalog("en"))

    def due_said(self, language: Catalog) -> str:
        """The due date as a plan in ``language`` prints it."""
        return self.deadlines[0].said(language) if self.deadlines else "-"

    def to_dict(self) -> dict:
        return {
            "id": self.item.id,
            "title": self.item.fields["title"],
            "domain": self.domain,
            "criticality": self.criticality,
            "phase": self.item.fields["phase"],
            "state": self.state,
            "due": self.due.isoformat() if self.due else None,
            "due_day": self.deadlines[0].shown() if self.deadlines else "-",
            **self._clock(),
            "overdue": self.overdue,
            "owner": self.item.fields["owner"],
            **({"status": self.entry} if self.entry else {}),
        }

    def _clock(self) -> dict:
        """For an item due before a milestone too: which clock set its deadline, and as said."""
        bound = self.deadlines[0].bound if self.deadlines else None
        return {"due_by": bound.to_dict(), "due_text": self.due_shown} if bound else {}


@dataclass(frozen=True)
class ChecklistItem:
    """A match-day item of the plan: not scored for preparation, done once per match."""

    item: ResolvedItem
    domain: str
    weight: float

    @property
    def criticality(self) -> str:
        return self.item.fields["criticality"]


@dataclass
class DomainReadiness:
    domain: str
    title: str
    items: list[ItemReadiness] = field(default_factory=list)

    @property
    def done(self) -> int:
        return sum(1 for i in self.items if i.state == "done")

    @property
    def overdue(self) -> int:
        return sum(1 for i in self.items if i.overdue)

    @property
    def score(self) -> float:
        return _score(self.items)

    def to_dict(self) -> dict:
        return {
            "domain": self.domain,
            "title": self.title,
            "done": self.done,
            "total": len(self.items),
            "score": round(self.score, 1),
            "overdue": self.overdue,
        }


@dataclass(frozen=True)
class DomainChapter:
    """One domain's items as a plan's chapter shows them (:meth:`VenueReadiness.by_domain`)."""

    key: str
    scored: DomainReadiness | None
    later: list[ItemReadiness]
    match_day: list[ChecklistItem]


@dataclass
class VenueReadiness:
    venue: str
    name: str
    as_of: str
    verdict: str
    reasons: list[str]
    domains: list[DomainReadiness]
    excluded: list[dict]
    safety_critical: list[Message]
    """The open critical safety findings' messages."""
    safety_assessed: bool = True
    reason_codes: list[tuple[str, dict]] = field(default_factory=list)
    """The reasons as (catalog key, values), so the PDF can say them in the plan's language
    (``reasons`` is the English the CLI prints)."""
    full_plan_overall: tuple[float, int, int, int] | None = None
    """:meth:`overall` of the whole plan, kept when a release withholds items: the verdict and
    the overall line speak for every item, the domain figures only for the items shown."""
    withheld: int = 0
    """Items a release withheld from the plan."""
    later: list[ItemReadiness] = field(default_factory=list)
    """Post items before the tournament has ended: listed, not scored, never overdue."""
    match_day: list[ChecklistItem] = field(default_factory=list)
    """The plan's match-day items: a checklist per match, scored by each match's execution."""
    matches: list = field(default_factory=list)
    """Each match's MatchReadiness (assess/readiness/matches.py), filled by the overview."""
    risks: dict = field(default_factory=dict)
    """Each match's AssessedRegister (assess/risk/register.py) by match id, filled by the overview."""

    def by_domain(self, order: dict[str, int]) -> list[DomainChapter]:
        """Each domain with anything to show, in ``order`` (domain key → its ``order``; then by
        key): its scored preparation items, its post items still to come and its match-day items."""
        scored = {d.domain: d for d in self.domains}
        later: dict[str, list[ItemReadiness]] = defaultdict(list)
        for i in self.later:
            later[i.domain].append(i)
        match_day: dict[str, list[ChecklistItem]] = defaultdict(list)
        for m in self.match_day:
            match_day[m.domain].append(m)
        keys = sorted({*scored, *later, *match_day}, key=lambda d: (order.get(d, 999), d))
        return [DomainChapter(key, scored.get(key), later[key], match_day[key]) for key in keys]

    def overall(self) -> tuple[float, int, int, int]:
        """(score %, items done, items, items overdue), of the whole plan even after a release."""
        if self.full_plan_overall is not None:
            return self.full_plan_overall
        items = self.items
        return self.score, sum(1 for i in items if i.state == "done"), len(items), sum(1 for i in items if i.overdue)

    @property
    def items(self) -> list[ItemReadiness]:
        return [i for d in self.domains for i in d.items]

    @property
    def score(self) -> float:
        return _score(self.items)

    @property
    def overdue_critical(self) -> list[ItemReadiness]:
        return [i for i in self.items if i.overdue and i.criticality == "critical"]

    def to_dict(self) -> dict:
        return {
            "venue": self.venue,
            "name": self.name,
            "as_of": self.as_of,
            "verdict": self.verdict,
            "score": round(self.score, 1),
            "reasons": self.reasons,
            "done": sum(1 for i in self.items if i.state == "done"),
            "total": len(self.items),
            "overdue": sum(1 for i in self.items if i.overdue),
            "domains": [d.to_dict() for d in self.domains],
            "overdue_critical": [i.to_dict() for i in self.overdue_critical],
            "blocked": [i.to_dict() for i in self.items if i.state == "blocked"],
            "excluded": self.excluded,
            "later": [i.to_dict() for i in self.later],
            "match_day_items": len(self.match_day),
            "safety_assessed": self.safety_assessed,
            "safety_critical_findings": [english(message) for message in self.safety_critical],
        }


def _score(items: list[ItemReadiness]) -> float:
    total = sum(i.weight for i in items)
    return 100.0 * sum(i.weight * i.credit for i in items) / total if total else 100.0


def assess_readiness(
    plan: Plan, status: dict | None, as_of: str, safety_critical: list[Message] | None = None
) -> VenueReadiness:
    """Readiness of the plan's venue from its status entries, as of a date or instant.

    ``safety_critical`` lists open critical safety findings; None means safety was not assessed.
    """
    missing = [p for p in PARAMETERS if p not in plan.parameters]
    if missing:
        raise MissingReadinessParameters(f"the library does not declare parameters: {', '.join(missing)}")
    values = plan.parameter_values()
    weights = {c: float(values[f"readiness_weight_{c}"]) for c in ("critical", "high", "medium", "low")}
    credit = {"done": 1.0, "in-progress": float(values["readiness_in_progress_credit"])}
    zone = venue_zone(plan.venue["timezone"])
    moment = as_of_instant(as_of, zone)
    entries = (status or {}).get("items") or {}
    ended = moment >= end_of_day(date.fromisoformat(plan.tournament["dates"]["end"]), zone)
    domains: dict[str, DomainReadiness] = {}
    excluded: list[dict] = []
    later: list[ItemReadiness] = []
    match_day: list[ChecklistItem] = []
    for item in plan.items():
        entry = entries.get(item.id)
        if item.state != PRESENT:
            reason = item.condition if item.state == NOT_APPLICABLE else item.removal["reason"]
            excluded.append({"id": item.id, "title": item.fields["title"], "why": item.state, "detail": reason})
            continue
        if entry and entry.get("state") == "not-applicable":
            excluded.append(
                {
                    "id": item.id,
                    "title": item.fields["title"],
                    "why": "status not-applicable",
                    "detail": entry.get("reason", ""),
                }
            )
            continue
        protocol_domain = next(p.domain for p in plan.protocols if p.id == item.protocol)
        weight = weights[item.fields["criticality"]]
        if is_match_day(item.fields["phase"]):
            match_day.append(ChecklistItem(item, protocol_domain, weight))
            continue
        entry = entry if _known(entry, moment) else None
        state = entry.get("state", "not-started") if entry else "not-started"
        due_at = item_deadlines(item.fields, plan.venue, plan.tournament)
        due = due_at[0].due
        counted = ended or item.fields["phase"] != "post"
        readiness = ItemReadiness(
            item,
            protocol_domain,
            state,
            entry,
            due_at,
            due,
            counted and due <= moment and state != "done",
            weight,
            credit.get(state, 0.0),
        )
        if not counted:
            later.append(readiness)
            continue
        title = plan.domains.get(protocol_domain, {}).get("title", protocol_domain)
        domains.setdefault(protocol_domain, DomainReadiness(protocol_domain, title)).items.append(readiness)
    ordered = sorted(domains.values(), key=lambda d: plan.domains.get(d.domain, {}).get("order", 999))
    result = VenueReadiness(
        plan.venue["id"],
        plan.venue.get("name", plan.venue["id"]),
        as_of,
        ON_TRACK,
        [],
        ordered,
        excluded,
        list(safety_critical or []),
        safety_critical is not None,
        later=later,
        match_day=match_day,
    )
    result.verdict, result.reason_codes = _verdict(result, float(values["readiness_at_risk_overdue_pct"]), moment)
    result.reasons = [english(Message(key, values)) for key, values in result.reason_codes]
    return result


def _known(entry: dict | None, moment: datetime) -> bool:
    """Whether a preparation entry exists as of ``moment``: one dated a later day is not known yet."""
    if not entry or not entry.get("date"):
        return bool(entry)
    return date.fromisoformat(entry["date"]) <= moment.date()


def _verdict(result: VenueReadiness, at_risk_pct: float, moment: datetime) -> tuple[str, list[tuple[str, dict]]]:
    items = result.items
    no_go = [("reason_critical_overdue", {"id": i.item.id}) for i in items if i.criticality == "critical" and i.overdue]
    no_go += [
        ("reason_critical_blocked", {"id": i.item.id, "reason": (i.entry or {}).get("reason", "")})
        for i in items
        if i.criticality == "critical" and i.state == "blocked"
    ]
    no_go += [("reason_safety", {"message": message}) for message in result.safety_critical]
    if no_go:
        return NO_GO, no_go
    at_risk = [
        ("reason_high_overdue" if i.overdue else "reason_high_blocked", {"id": i.item.id})
        for i in items
        if i.criticality == "high" and (i.overdue or i.state == "blocked")
    ]
    due_weight = sum(i.weight for i in items if i.deadlines and i.deadlines[0].due <= moment)
    overdue_weight = sum(i.weight for i in items if i.overdue)
    if due_weight and 100.0 * overdue_weight / due_weight > at_risk_pct:
        at_risk.append(
            (
                "reason_overdue_share",
                {"share": f"{100.0 * overdue_weight / due_weight:.0f}", "threshold": f"{at_risk_pct:g}"},
            )
        )
    if at_risk:
        return AT_RISK, at_risk
    return ON_TRACK, []
