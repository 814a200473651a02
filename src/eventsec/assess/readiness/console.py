"""Readiness as text: a venue's table by domain, or the tournament overview worst first.

Its sentences come from the English catalog, the one the plans' other languages mirror."""

from __future__ import annotations

from eventsec.assess.readiness.matches import DONE, IN_PROGRESS, LATE, NOT_DUE, OVERDUE, UPCOMING, MatchReadiness
from eventsec.assess.readiness.overview import current_match
from eventsec.assess.readiness.scores import VenueReadiness
from eventsec.formats import printable
from eventsec.i18n import catalog, english

BAR_WIDTH = 12


def bar(percent: float) -> str:
    filled = round(percent / 100 * BAR_WIDTH)
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def render_venue(r: VenueReadiness) -> str:
    t = catalog("en").t
    score = catalog("en").number(r.score)
    lines = [
        t("cli_readiness_venue", name=printable(r.name), venue=r.venue, as_of=r.as_of, verdict=r.verdict, score=score)
    ]
    lines += ["  " + t("clock_preparation_scope", count=len(r.match_day))]
    lines += ["  " + t("cli_why", reason=reason) for reason in r.reasons]
    lines += ["", f"  {'domain':<52} {'done/total':>10} {'score':>6} {'overdue':>8}"]
    for d in r.domains:
        lines.append(
            f"  {d.title[:52]:<52} {f'{d.done}/{len(d.items)}':>10} {d.score:>5.0f}% {d.overdue:>8}  {bar(d.score)}"
        )
    total_done = sum(1 for i in r.items if i.state == "done")
    lines.append(
        f"  {'all domains':<52} {f'{total_done}/{len(r.items)}':>10} {r.score:>5.0f}% "
        f"{sum(1 for i in r.items if i.overdue):>8}  {bar(r.score)}"
    )
    sections = [
        ("cli_overdue_critical", r.overdue_critical),
        ("cli_blocked", [i for i in r.items if i.state == "blocked"]),
    ]
    for heading, items in sections:
        lines += ["", t(heading, count=len(items))]
        for i in items:
            due = i.due_shown
            reason = f" — {printable(i.entry['reason'])}" if i.entry and i.entry.get("reason") else ""
            owner = t("cli_item_due", owner=i.item.fields["owner"], due=due, state=i.state)
            lines.append(f"  {i.item.id:<12} {printable(i.item.fields['title'])[:60]:<60} {owner}{reason}")
    if not r.safety_assessed:
        lines += ["", t("cli_safety_not_assessed")]
    if r.safety_critical:
        lines += ["", t("cli_critical_safety")] + [f"  {english(m)}" for m in r.safety_critical]
    if r.later:
        lines += ["", t("clock_later", count=len(r.later), due=r.later[0].due_shown)]
        lines += [f"  {i.item.id:<12} {printable(i.item.fields['title'])[:60]}" for i in r.later]
    lines += ["", t("clock_matches", count=len(r.matches))]
    for m in r.matches:
        lines += render_match(m)
    lines += ["", t("cli_excluded", count=len(r.excluded))]
    for entry in r.excluded:
        lines.append(f"  {entry['id']:<12} {entry['why']}: {printable(str(entry['detail']))}")
    return "\n".join(lines) + "\n"


def render_match(m: MatchReadiness) -> list[str]:
    """A match's verdict line; for a match played or in progress, its execution record too."""
    t = catalog("en").t
    kickoff = m.kickoff.strftime("%Y-%m-%d %H:%M")
    lines = [
        "  " + t("match_line", match=m.match, kickoff=kickoff, phase=t(f"match_phase_{m.phase}"), verdict=m.verdict)
    ]
    lines += ["    " + t("cli_why", reason=reason) for reason in m.reasons]
    if m.phase == UPCOMING:
        return lines
    score = "-" if m.score is None else f"{m.score:.0f}"
    counts = {state.replace("-", "_"): m.count(state) for state in (DONE, LATE, OVERDUE, NOT_DUE)}
    lines.append("    " + t("match_execution_summary", score=score, **counts))
    for row in m.critical_misses:
        recorded = (row.entry or {}).get("reason", "") if row.entry else t("match_nothing_recorded")
        lines.append(
            f"    {t('match_critical_miss')} {row.item.id:<12} {row.due.strftime('%H:%M')}  {printable(recorded)}"
        )
    return lines


def render_overview(tournament: str, as_of: str, venues: list[VenueReadiness]) -> str:
    """Per venue: the preparation verdict and score, then the current (or next) match's verdict."""
    lines = [
        catalog("en").t("cli_readiness_overview", tournament=printable(tournament), as_of=as_of),
        "",
        f"  {'venue':<18} {'name':<34} {'verdict':<9} {'score':>6} {'done/total':>11} {'overdue':>8} "
        f"{'crit. overdue':>14}  {'preparation':<12}  {'current/next match'}",
    ]
    for r in venues:
        done = sum(1 for i in r.items if i.state == "done")
        lines.append(
            f"  {r.venue:<18} {printable(r.name)[:34]:<34} {r.verdict:<9} {r.score:>5.0f}% {f'{done}/{len(r.items)}':>11} "
            f"{sum(1 for i in r.items if i.overdue):>8} {len(r.overdue_critical):>14}  {bar(r.score)}  {_next(r)}"
        )
    return "\n".join(lines) + "\n"


def _next(r: VenueReadiness) -> str:
    match = current_match(r.matches)
    if match is None:
        return "-"
    state = "now" if match.phase == IN_PROGRESS else match.kickoff.strftime("%Y-%m-%d")
    return f"{match.match} ({state}) {match.verdict}"
