"""What the site's pages show, gathered from released PlanReports in one language.

Templates only lay these values out: every word is already in the page's language (the same
catalog keys and names as the PDF), every list already sorted, so the same reports give the
same page bytes. Nothing here reads YAML: a report is what its release level lets anyone see.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from eventsec.assess.readiness.scores import VERDICT_ORDER, ItemReadiness, VenueReadiness
from eventsec.i18n import Catalog
from eventsec.i18n.message import Message
from eventsec.render.names import Names, localized
from eventsec.render.report import PlanReport

DEADLINE_DAYS = 14
"""The venue page lists the deadlines of the next two weeks from the as-of date."""
NEXT_DEADLINES_SHOWN = 3
"""Deadlines named per venue on the tournament page (the venue page has them all)."""


@dataclass(frozen=True)
class ItemRow:
    """One item as a list on a page shows it, linking to its text in the plan (``#item-ID``)."""

    id: str
    title: str
    owner: str
    domain: str
    due: str
    state: str
    reason: str = ""


@dataclass(frozen=True)
class DomainRow:
    id: str
    title: str
    done: str
    total: str
    overdue: str
    score: float
    score_text: str


@dataclass(frozen=True)
class MatchRow:
    id: str
    kickoff: str
    phase: str
    verdict: str
    verdict_word: str
    reason: str


@dataclass(frozen=True)
class FigureRow:
    title: str
    value: str
    target: str
    met: str


@dataclass(frozen=True)
class FindingRow:
    severity: str
    summary: str
    remedy: str


@dataclass
class VenuePage:
    """Everything one venue shows, on its page and in its row of the tournament table."""

    id: str
    name: str
    country: str
    country_name: str
    city: str
    verdict: str
    verdict_word: str
    score: float
    score_text: str
    overall: str
    reasons: list[str]
    domains: list[DomainRow]
    overdue: list[ItemRow]
    overdue_critical: list[ItemRow]
    blocked: list[ItemRow]
    deadlines: list[ItemRow]
    flagged_domains: list[str]
    """Domains with an overdue or blocked item (the tournament page's domain filter)."""
    matches: list[MatchRow]
    figures: list[FigureRow]
    findings: list[FindingRow]
    safety_note: str
    withheld: str
    search: list[dict] = field(default_factory=list)
    """The items of the venue for the client-side search: id, title, owner, venue."""


def venue_page(report: PlanReport, catalog: Catalog) -> VenuePage:
    """A venue's page data from its released report, in the catalog's language."""
    words = _Words(report, catalog)
    readiness = report.readiness
    score, done, total, overdue_count = readiness.overall()
    items = readiness.items
    as_of = date.fromisoformat(report.as_of[:10])
    overdue = _by_due(i for i in items if i.overdue)
    blocked = [i for i in items if i.state == "blocked"]
    return VenuePage(
        id=report.plan.venue["id"],
        name=words.names.venue(),
        country=str(report.plan.venue.get("country", "")),
        country_name=words.names.country(),
        city=words.names.venue_field("city"),
        verdict=readiness.verdict,
        verdict_word=catalog.t(f"verdict_{readiness.verdict}"),
        score=score,
        score_text=catalog.percent(score),
        overall=catalog.t(
            "overall_readiness",
            score=catalog.number(score),
            done=catalog.number(done),
            total=catalog.number(total),
            overdue=catalog.number(overdue_count),
        ),
        reasons=[words.message(Message(key, values)) for key, values in readiness.reason_codes],
        domains=[words.domain_row(d) for d in readiness.domains],
        overdue=[words.item(i) for i in overdue],
        overdue_critical=[words.item(i) for i in overdue if i.criticality == "critical"],
        blocked=[words.item(i) for i in _by_due(blocked)],
        deadlines=[words.item(i) for i in _by_due(_upcoming(items, as_of))],
        flagged_domains=sorted({i.domain for i in items if i.overdue} | {i.domain for i in blocked}),
        matches=[words.match_row(m) for m in report.matches],
        figures=words.figures(),
        findings=words.findings(),
        safety_note=words.safety_note(),
        withheld=catalog.t("withheld_items", count=catalog.number(readiness.withheld)) if readiness.withheld else "",
        search=words.search_entries(readiness),
    )


def worst_first(pages: list[VenuePage]) -> list[VenuePage]:
    """NO-GO before AT-RISK before ON-TRACK, lowest score first, as ``eventsec status`` sorts."""
    return sorted(pages, key=lambda p: (VERDICT_ORDER.index(p.verdict), p.score, p.id))


def country_choices(pages: list[VenuePage]) -> list[tuple[str, str]]:
    """(code, name) of every country with a venue, by name in the page's language."""
    return sorted({(p.country, p.country_name) for p in pages}, key=lambda c: (c[1], c[0]))


def domain_choices(reports: list[PlanReport], lang: str) -> list[tuple[str, str]]:
    """(id, title) of every domain flagged at some venue, by title in the page's language."""
    titles: dict[str, str] = {}
    for report in reports:
        for domain in report.readiness.domains:
            if any(i.overdue or i.state == "blocked" for i in domain.items):
                entry = report.plan.domains.get(domain.domain)
                titles.setdefault(domain.domain, str(localized(entry, "title", lang)) if entry else domain.domain)
    return sorted(titles.items(), key=lambda d: (d[1], d[0]))


def verdict_choices(catalog: Catalog) -> list[tuple[str, str]]:
    return [(verdict, catalog.t(f"verdict_{verdict}")) for verdict in VERDICT_ORDER]


def _by_due(items) -> list[ItemReadiness]:
    """Earliest deadline first, then by id: a stable order for every list of items."""
    return sorted(items, key=lambda i: (i.due is None, i.due.isoformat() if i.due else "", i.item.id))


def _upcoming(items: list[ItemReadiness], as_of: date) -> list[ItemReadiness]:
    """Open items whose deadline falls within the next ``DEADLINE_DAYS`` days from ``as_of``."""
    last = as_of + timedelta(days=DEADLINE_DAYS)
    return [
        i for i in items if not i.overdue and i.state != "done" and i.deadlines and as_of <= i.deadlines[0].day <= last
    ]


class _Words:
    """A report's names, owners, states and messages in one language (as render/context.py says them)."""

    def __init__(self, report: PlanReport, catalog: Catalog) -> None:
        self.report, self.catalog = report, catalog
        self.names = Names(report.plan, catalog.lang)

    def message(self, message: Message) -> str:
        return self.catalog.message(self.names.message(message))

    def role(self, role_id: str) -> str:
        role = self.report.plan.roles.get(role_id)
        return str(localized(role, "title", self.catalog.lang)) if role else role_id

    def domain(self, domain_id: str) -> str:
        entry = self.report.plan.domains.get(domain_id)
        return str(localized(entry, "title", self.catalog.lang)) if entry else domain_id

    def item(self, i: ItemReadiness) -> ItemRow:
        fields = i.item.fields
        state = self.catalog.t(f"state_{i.state}")
        if i.overdue:
            state += f" ({self.catalog.t('label_overdue')})"
        reason = str((i.entry or {}).get("reason", "")) if i.state == "blocked" else ""
        return ItemRow(
            id=i.item.id,
            title=str(localized(fields, "title", self.catalog.lang)),
            owner=self.role(fields["owner"]),
            domain=self.domain(i.domain),
            due=i.due_said(self.catalog) if i.due else "",
            state=state,
            reason=reason,
        )

    def search_entries(self, readiness: VenueReadiness) -> list[dict]:
        """Every item of the plan shown (prepared, post and match-day ones), by id."""
        shown = (
            [i.item for i in readiness.items]
            + [i.item for i in readiness.later]
            + [m.item for m in readiness.match_day]
        )
        venue = self.report.plan.venue["id"]
        return [
            {
                "id": item.id,
                "title": str(localized(item.fields, "title", self.catalog.lang)),
                "owner": self.role(item.fields["owner"]),
                "venue": venue,
            }
            for item in sorted({item.id: item for item in shown}.values(), key=lambda item: item.id)
        ]

    def domain_row(self, d) -> DomainRow:
        n = self.catalog.number
        return DomainRow(
            d.domain,
            self.domain(d.domain),
            n(d.done),
            n(len(d.items)),
            n(d.overdue),
            d.score,
            self.catalog.percent(d.score),
        )

    def match_row(self, m) -> MatchRow:
        kickoff = m.kickoff
        return MatchRow(
            id=m.match,
            kickoff=f"{self.catalog.date(kickoff.date().isoformat())} {kickoff.strftime('%H:%M')}",
            phase=self.catalog.t(f"match_phase_{m.phase}"),
            verdict=m.verdict,
            verdict_word=self.catalog.t(f"verdict_{m.verdict}"),
            reason=self.message(Message(*m.reason_codes[0])) if m.reason_codes else "",
        )

    def figures(self) -> list[FigureRow]:
        safety = self.report.safety
        if safety is None:
            return []
        rows = []
        for figure in safety.figures:
            met = "" if figure.target is None else self.catalog.t("site_met_yes" if figure.met else "site_met_no")
            target = "" if figure.target is None else self.message(figure.bound())
            rows.append(FigureRow(self.message(figure.title), self.message(figure.amount()), target, met))
        return rows

    def findings(self) -> list[FindingRow]:
        safety = self.report.safety
        if safety is None:
            return []
        return [
            FindingRow(self.catalog.t(f"severity_{f.severity}"), self.message(f.summary), self.message(f.remedy))
            for f in safety.findings
        ]

    def safety_note(self) -> str:
        """Why there are no figures, or that there are no findings (as the PDF says it)."""
        if self.report.safety is None:
            return self.catalog.t("safety_withheld" if self.report.withheld.get("safety") else "safety_not_assessed")
        return "" if self.report.safety.findings else self.catalog.t("no_safety_findings")
