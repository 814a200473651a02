"""Rules on a venue's command and communications data: the contacts' radio channels, call signs
and reporting lines, which the operations order draws as the command structure and the
call-sign plan. (A contact's role and ``reports_to`` naming an unknown role is ``unknown-role``.)
"""

from __future__ import annotations

from collections.abc import Iterator

from eventsec.checks.rule import Rule, rule
from eventsec.findings import Finding, Severity
from eventsec.load.index import Entry, Index
from eventsec.vocabulary import did_you_mean


def contacts_of(venue: Entry) -> Iterator[tuple[int, dict]]:
    """(position, contact) for each well-formed contact of a venue."""
    for position, contact in enumerate(venue.value.get("contacts") or []):
        if isinstance(contact, dict):
            yield position, contact


@rule(
    "unknown-radio-channel",
    Severity.ERROR,
    "A contact's radio channel is one the venue declares in radio_channels.",
    explanation="Once a venue declares its radio channels, the call-sign plan prints each contact's channel with "
    "its purpose; a channel nobody declared is a typo or a channel missing from the plan.",
    failing="radio_channels:\n  - {id: POL-CMD, purpose: police}\ncontacts:\n  - {role: police-match-commander, "
    "name: N. Tazi, radio: POL-COM}\n",
    fixed="radio_channels:\n  - {id: POL-CMD, purpose: police}\ncontacts:\n  - {role: police-match-commander, "
    "name: N. Tazi, radio: POL-CMD}\n",
)
def unknown_radio_channel(r: Rule, index: Index) -> Iterator[Finding]:
    for venue in index.venues():
        declared = venue.value.get("radio_channels")
        if not isinstance(declared, list):
            continue
        channels = {str(c.get("id")) for c in declared if isinstance(c, dict)}
        for position, contact in contacts_of(venue):
            radio = contact.get("radio")
            if isinstance(radio, str) and radio not in channels:
                yield r.finding(
                    venue.at("contacts", position, "radio"),
                    f"radio channel '{radio}' is not one of the venue's radio_channels",
                    did_you_mean(radio, channels) or "declare it under radio_channels or use a declared channel",
                )


@rule(
    "duplicate-call-sign",
    Severity.ERROR,
    "No two contacts of a venue share a call sign.",
    explanation="A call sign names one person on the radio; two contacts with the same call sign (compared "
    "without regard to case or spaces) would both answer a call.",
    failing="contacts:\n  - {role: police-sector-commander, name: A, call_sign: BRONZE 1}\n"
    "  - {role: police-sector-commander, name: B, call_sign: Bronze 1}\n",
    fixed="contacts:\n  - {role: police-sector-commander, name: A, call_sign: BRONZE 1}\n"
    "  - {role: police-sector-commander, name: B, call_sign: BRONZE 2}\n",
)
def duplicate_call_sign(r: Rule, index: Index) -> Iterator[Finding]:
    for venue in index.venues():
        first: dict[str, tuple[int, str]] = {}
        for position, contact in contacts_of(venue):
            sign = contact.get("call_sign")
            if not isinstance(sign, str):
                continue
            key = " ".join(sign.split()).casefold()
            if key in first:
                line = venue.at("contacts", first[key][0], "call_sign").line
                yield r.finding(
                    venue.at("contacts", position, "call_sign"),
                    f"call sign '{sign}' is already {first[key][1]}'s (line {line})",
                    "give each contact a call sign of its own",
                )
            else:
                first[key] = (position, str(contact.get("name", "")))


def reporting_lines(venue: Entry) -> dict[str, list[tuple[int, str]]]:
    """Role → [(contact position, role it reports to)], from the contacts' reports_to."""
    lines: dict[str, list[tuple[int, str]]] = {}
    for position, contact in contacts_of(venue):
        role, boss = contact.get("role"), contact.get("reports_to")
        if isinstance(role, str) and isinstance(boss, str):
            lines.setdefault(role, []).append((position, boss))
    return lines


def loop_from(lines: dict[str, list[tuple[int, str]]], start: str, first_boss: str) -> list[str] | None:
    """The roles of a reporting loop that leaves ``start`` for ``first_boss`` and comes back to
    ``start``, or None. Breadth first over at most every role once, so a large structure stays cheap."""
    paths = {first_boss: [start, first_boss]}
    queue = [first_boss]
    while queue:
        role = queue.pop(0)
        if role == start:
            return paths[role]
        for _, boss in lines.get(role, []):
            if boss not in paths:
                paths[boss] = paths[role] + [boss]
                queue.append(boss)
    return None


@rule(
    "reporting-loop",
    Severity.ERROR,
    "A venue's reporting lines (contacts' reports_to) never loop back to where they start.",
    explanation="The command structure is drawn from each contact's reports_to; a line that comes back to its "
    "own role (A reports to B, B reports to A) leaves nobody in command of either.",
    failing="contacts:\n  - {role: venue-safety-officer, name: A, reports_to: stewarding-manager}\n"
    "  - {role: stewarding-manager, name: B, reports_to: venue-safety-officer}\n",
    fixed="contacts:\n  - {role: venue-safety-officer, name: A, reports_to: police-match-commander}\n"
    "  - {role: stewarding-manager, name: B, reports_to: venue-safety-officer}\n",
)
def reporting_loop(r: Rule, index: Index) -> Iterator[Finding]:
    for venue in index.venues():
        lines = reporting_lines(venue)
        reported: set[frozenset[str]] = set()
        for role, bosses in lines.items():
            for position, boss in bosses:
                loop = loop_from(lines, role, boss)
                if loop is None or frozenset(loop) in reported:
                    continue
                reported.add(frozenset(loop))
                yield r.finding(
                    venue.at("contacts", position, "reports_to"),
                    f"reporting line loops: {' → '.join(loop)}",
                    "make the top of the line report to a role outside it, or to nobody",
                )
