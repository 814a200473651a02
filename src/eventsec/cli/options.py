"""Options several commands share, each defined once as a decorator.

Callbacks import the readiness code only when they run, so ``eventsec --help`` stays fast.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from eventsec.cli.completion import complete_match, complete_venue
from eventsec.vocabulary import LANGUAGES

F = TypeVar("F", bound=Callable[..., object])

workspace_argument = click.argument("workspace", type=click.Path(path_type=Path))
"""The workspace directory (the tournament, venues and status files)."""

lang_option = click.option("--lang", type=click.Choice(LANGUAGES), help="Warn for every text missing in this language.")


def venue_option(help: str, required: bool = False, multiple: bool = False) -> Callable[[F], F]:
    """``--venue ID``, completed in the shell from the workspace's venue files."""
    return click.option(
        "--venue",
        "venues" if multiple else "venue",
        required=required,
        multiple=multiple,
        metavar="ID",
        shell_complete=complete_venue,
        help=help,
    )


def match_option(help: str, name: str = "match_id") -> Callable[[F], F]:
    """``--match ID``, completed in the shell from the matches of the venue given (or of all)."""
    return click.option("--match", name, metavar="ID", shell_complete=complete_match, help=help)


def format_option(*choices: str, default: str | None = None, help: str | None = "Output format.") -> Callable[[F], F]:
    """``--format`` among ``choices`` (the first is the default), passed as ``output_format``."""
    return click.option(
        "--format",
        "output_format",
        type=click.Choice(list(choices)),
        default=default or choices[0],
        show_default=True,
        help=help,
    )


def as_of_option(dates_only: bool, help: str) -> Callable[[F], F]:
    """``--as-of``, checked at once (see ``_as_of``); its value defaults to today (UTC)."""
    return click.option(
        "--as-of",
        "as_of",
        metavar="DATE",
        callback=lambda ctx, param, value: _as_of(value, param, dates_only),
        help=help,
    )


release_option = click.option(
    "--release", "release", metavar="LEVEL", help="Release at LEVEL: everything above it is withheld (e.g. public)."
)

fail_under_option = click.option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    metavar="PCT",
    callback=lambda ctx, param, value: _finite(value, param),
    help="Exit 1 if a venue shown scores below PCT.",
)


def _as_of(value: str | None, param: click.Parameter, dates_only: bool) -> str:
    """``--as-of`` checked with the parser the readiness code uses, so a bad value is a usage
    error at once (never 'today'): a date for ``render`` (a plan is dated), a date or an ISO
    date-time for ``status``."""
    from datetime import date, timezone

    from eventsec.assess.readiness.deadlines import as_of_instant, today_utc

    if value is None:
        return today_utc()
    try:
        date.fromisoformat(value) if dates_only else as_of_instant(value, timezone.utc)
    except (ValueError, OverflowError):
        expected = "YYYY-MM-DD" if dates_only else "YYYY-MM-DD or an ISO date-time such as 2030-03-01T18:00+01:00"
        raise click.BadParameter(f"{value!r} is not {expected}", param=param) from None
    return value


def _finite(value: float | None, param: click.Parameter) -> float | None:
    """``nan`` passes FloatRange (every comparison with it is false) and would disable the gate."""
    if value is not None and value != value:
        raise click.BadParameter("not a number", param=param)
    return value
