"""Readiness as text: a venue's table by domain, or the tournament overview worst first."""

from __future__ import annotations

from eventsec.assess.readiness.scores import VenueReadiness
from eventsec.i18n import english

BAR_WIDTH = 12


def bar(percent: float) -> str:
    filled = round(percent / 100 * BAR_WIDTH)
    return "█" * filled + "░" * (BAR_WIDTH - filled)


def render_venue(r: VenueReadiness) -> str:
    lines = [f"Readiness — {r.name} ({r.venue}), as of {r.as_of}: {r.verdict}, {r.score:.0f}%"]
    lines += [f"  why: {reason}" for reason in r.reasons]
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
        ("Overdue critical items", r.overdue_critical),
        ("Blocked items", [i for i in r.items if i.state == "blocked"]),
    ]
    for heading, items in sections:
        lines += ["", f"{heading} ({len(items)})"]
        for i in items:
            due = i.due.strftime("%Y-%m-%d %H:%M %Z") if i.due else "-"
            reason = f" — {i.entry['reason']}" if i.entry and i.entry.get("reason") else ""
            lines.append(
                f"  {i.item.id:<12} {i.item.fields['title'][:60]:<60} {i.item.fields['owner']}, due {due}, "
                f"{i.state}{reason}"
            )
    if not r.safety_assessed:
        lines += ["", "Safety figures were not assessed: the library does not declare the safety parameters."]
    if r.safety_critical:
        lines += ["", "Critical safety findings"] + [f"  {english(m)}" for m in r.safety_critical]
    lines += [
        "",
        f"Excluded from scores ({len(r.excluded)}): not applicable here, removed by an overlay, or marked not-applicable",
    ]
    for entry in r.excluded:
        lines.append(f"  {entry['id']:<12} {entry['why']}: {entry['detail']}")
    return "\n".join(lines) + "\n"


def render_overview(tournament: str, as_of: str, venues: list[VenueReadiness]) -> str:
    lines = [
        f"Readiness — {tournament}, as of {as_of} (worst first)",
        "",
        f"  {'venue':<18} {'name':<34} {'verdict':<9} {'score':>6} {'done/total':>11} {'overdue':>8} {'crit. overdue':>14}",
    ]
    for r in venues:
        done = sum(1 for i in r.items if i.state == "done")
        lines.append(
            f"  {r.venue:<18} {r.name[:34]:<34} {r.verdict:<9} {r.score:>5.0f}% {f'{done}/{len(r.items)}':>11} "
            f"{sum(1 for i in r.items if i.overdue):>8} {len(r.overdue_critical):>14}  {bar(r.score)}"
        )
    return "\n".join(lines) + "\n"
