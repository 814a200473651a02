"""Phases: when an item is due, relative to the venue's matches.

Grammar: ``T-Nd`` (N days before the venue's first match, 1–``MAX_PREPARATION_DAYS``), ``MD-Nh`` (N hours before
each match's kick-off, 1–72), ``MD`` (at kick-off), ``MD+Nh`` (N hours after kick-off, 1–72)
and ``post`` (after the tournament). Deadlines are computed in the venue's time zone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from eventsec.errors import ContentError

MAX_PREPARATION_DAYS = 730
"""T-phases reach two years back: a World Cup's capacity, ticketing and legal work starts before
its tickets go on sale, a year or more before the first match."""

MAX_MATCH_HOURS = 72
"""Match-relative phases reach three days either side of kick-off (e.g. MD-48h for a pre-match sweep)."""

_PHASE = re.compile(r"^(?:T-(?P<days>\d{1,3})d|MD(?:(?P<sign>[-+])(?P<hours>\d{1,2})h)?|(?P<post>post))$")


class PhaseError(ContentError, ValueError):
    """A phase that does not follow the grammar or is out of range."""


@dataclass(frozen=True, order=True)
class Phase:
    """A parsed phase. ``anchor`` is 'T' (first match), 'MD' (each match) or 'post'."""

    order: int
    anchor: str
    offset: timedelta
    text: str


def parse_phase(text: str) -> Phase:
    """Parse a phase, e.g. ``T-60d`` → 60 days before the first match."""
    match = _PHASE.match(text or "")
    if not match:
        raise PhaseError(f"phase {text!r} is not T-Nd, MD-Nh, MD, MD+Nh or post")
    if match["days"] is not None:
        days = int(match["days"])
        if not 1 <= days <= MAX_PREPARATION_DAYS:
            raise PhaseError(f"phase {text!r}: days before the first match must be 1 to {MAX_PREPARATION_DAYS}")
        return Phase(-days * 24, "T", -timedelta(days=days), text)
    if match["post"]:
        return Phase(10_000, "post", timedelta(0), text)
    hours = int(match["hours"] or 0)
    if match["sign"] and not 1 <= hours <= MAX_MATCH_HOURS:
        advice = "use T-Nd for earlier" if match["sign"] == "-" else "use post for later"
        raise PhaseError(f"phase {text!r}: hours around kick-off must be 1 to {MAX_MATCH_HOURS} ({advice})")
    signed = -hours if match["sign"] == "-" else hours
    return Phase(signed, "MD", timedelta(hours=signed), text)


def local_kickoff(match: dict, zone: tzinfo) -> datetime:
    """A match's kick-off as an instant in the venue's time zone (``date`` + ``kickoff`` HH:MM)."""
    hour, minute = (int(part) for part in str(match["kickoff"]).split(":"))
    return datetime.combine(date.fromisoformat(str(match["date"])), time(hour, minute), tzinfo=zone)


def window_opens(kickoff: datetime) -> datetime:
    """When a match's window opens: the earliest a match-day phase can fall (MD-72h). An
    execution entry dated before it cannot be for that match."""
    return kickoff - timedelta(hours=MAX_MATCH_HOURS)


def parse_local_instant(text: str, zone: tzinfo) -> datetime:
    """``YYYY-MM-DDTHH:MM[:SS][offset]`` as an instant; without an offset it is ``zone``'s local
    time (a status file's ``at`` is written as the venue's clock shows it)."""
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def is_match_day(phase: str) -> bool:
    """True for MD, MD-Nh and MD+Nh: phases due once per match rather than once for the venue."""
    return str(phase).startswith("MD")
