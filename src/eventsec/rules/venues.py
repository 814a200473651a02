"""Venue facts the renderer relies on: every venue's timezone is a time zone it can load."""

from __future__ import annotations

from typing import Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from eventsec.findings import Finding, Severity
from eventsec.index import Index
from eventsec.rules import Rule, rule
from eventsec.rules.references import suggest


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
    return suggest(name, zones)


@rule("unknown-timezone", Severity.ERROR, "Every venue's timezone is an IANA time zone name (e.g. Africa/Casablanca).")
def unknown_timezone(r: Rule, index: Index) -> Iterator[Finding]:
    for venue in index.venues():
        name = venue.value.get("timezone")
        if isinstance(name, str) and not _loads(name):
            yield r.finding(venue.at("timezone"), f"timezone '{name}' is not an IANA time zone",
                            _close_zone(name) or "use an IANA name such as Europe/Madrid or Africa/Casablanca")
