"""Facts the renderer and the release filter rely on: a time zone it can load, match dates within
the tournament, sensitivity levels the tournament defines."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from eventsec.checks.rule import Rule, rule
from eventsec.findings import Finding, Severity
from eventsec.load.index import Index
from eventsec.vocabulary import DEFAULT_RELEASE_LEVELS, did_you_mean


def _loads(name: str) -> bool:
    """Whether ``name`` is a zone the renderer's ``ZoneInfo`` lookup accepts."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return False
    return True


def _close_zone(name: str) -> str:
    zones = available_timezones()
    by_case = {zone.lower(): zone for zone in zones}
    if name.strip().lower() in by_case:
        return f"did you mean '{by_case[name.strip().lower()]}'?"
    return did_you_mean(name, zones)


@rule(
    "unknown-timezone",
    Severity.ERROR,
    "Every venue's timezone is an IANA time zone name (e.g. Africa/Casablanca).",
    explanation="Match times are local to the venue; its timezone must be an IANA name so deadlines land on the right hour.",
    failing="timezone: Mars/Olympus\n",
    fixed="timezone: Europe/Madrid\n",
)
def unknown_timezone(r: Rule, index: Index) -> Iterator[Finding]:
    for venue in index.venues():
        name = venue.value.get("timezone")
        if isinstance(name, str) and not _loads(name):
            yield r.finding(
                venue.at("timezone"),
                f"timezone '{name}' is not an IANA time zone",
                _close_zone(name) or "use an IANA name such as Europe/Madrid or Africa/Casablanca",
            )


def iso_day(text: object) -> date | None:
    """A document's ``YYYY-MM-DD`` string as a date; None for anything else (the schema reports it)."""
    try:
        return date.fromisoformat(text) if isinstance(text, str) else None
    except ValueError:
        return None


@rule(
    "match-dates",
    Severity.ERROR,
    "The tournament ends on or after its start, and every match is played within its dates.",
    explanation="A tournament ends on or after it starts, and every venue's matches are played between those dates.",
    failing="# tournament dates: {start: '2025-06-01', end: '2025-06-30'}\nmatches:\n  - {id: m2, date: '2025-07-12', kickoff: '18:00', risk: medium}\n",
    fixed="matches:\n  - {id: m2, date: '2025-06-12', kickoff: '18:00', risk: medium}\n",
)
def match_dates(r: Rule, index: Index) -> Iterator[Finding]:
    for tournament in index.tournaments():
        dates = tournament.data.get("dates") or {}
        start, end = iso_day(dates.get("start")), iso_day(dates.get("end"))
        if start and end and end < start:
            yield r.finding(
                tournament.locate(("dates", "end")),
                f"the tournament ends ({end}) before it starts ({start})",
                "swap the dates, or correct the year",
            )
            continue
        for _, match in index.matches():
            day = iso_day(match.value.get("date"))
            if start and end and day and not start <= day <= end:
                yield r.finding(
                    match.at("date"),
                    f"match '{match.value.get('id')}' is on {day}, outside the tournament ({start} to {end})",
                    "check the date, or the tournament's dates in tournament.yaml",
                )


SENSITIVITY_KEYS = ("sensitivity", "staffing_sensitivity", "contingency_codes_sensitivity", "classification")


def _sensitivities(value: object, path: tuple) -> Iterator[tuple[tuple, str]]:
    """(path, level) for every sensitivity-like field, at any depth of a document."""
    if isinstance(value, dict):
        for key, child in value.items():
            if key in SENSITIVITY_KEYS and isinstance(child, str):
                yield path + (key,), child
            else:
                yield from _sensitivities(child, path + (key,))
    elif isinstance(value, list):
        for position, child in enumerate(value):
            yield from _sensitivities(child, path + (position,))


@rule(
    "sensitivity-level",
    Severity.ERROR,
    "Every sensitivity and classification names one of the tournament's release levels.",
    explanation="Sensitivity and classification decide what a release leaves out, so each must name one of the tournament's release levels; a misspelt level would leak or hide content.",
    failing="sensitivity: restriced\n",
    fixed="sensitivity: restricted\n",
)
def sensitivity_level(r: Rule, index: Index) -> Iterator[Finding]:

    tournaments = index.tournaments()
    levels = (
        tuple(tournaments[0].data.get("sensitivity_levels") or DEFAULT_RELEASE_LEVELS)
        if tournaments
        else tuple(DEFAULT_RELEASE_LEVELS)
    )
    for document in index.documents:
        for path, level in _sensitivities(document.data, ()):
            if level not in levels:
                yield r.finding(
                    document.locate(path),
                    f"'{level}' is not a release level ({', '.join(levels)}); "
                    "content at an unknown level is withheld from every release",
                    did_you_mean(level, levels),
                )
