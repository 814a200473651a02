"""``eventsec status``: readiness by venue, and a CI gate on it."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from eventsec.cli.errors import EXIT_FINDINGS, EXIT_OK, Command
from eventsec.cli.options import as_of_option, fail_under_option, format_option, venue_option, workspace_argument
from eventsec.cli.workspace import exit_on_findings, open_workspace


@click.command(cls=Command)
@workspace_argument
@venue_option("One venue's table by domain (default: the tournament overview).")
@as_of_option(dates_only=False, help="YYYY-MM-DD (start of that day at the venue) or an ISO date-time; default today.")
@format_option("text", "json", help=None)
@fail_under_option
def status(workspace: Path, venue: str | None, as_of: str, output_format: str, fail_under: float | None) -> None:
    """Readiness by venue: preparation (status, deadlines, scores, go/no-go), then each match's
    execution record and go/no-go.

    Exits 1 if any venue shown is NO-GO in preparation, its match in progress (else its next
    match) is NO-GO, or its preparation scores under --fail-under (a CI gate); played matches
    do not fail it.
    """
    from eventsec.assess.readiness.overview import current_match, gate_failures, readiness
    from eventsec.assess.readiness.scores import NO_GO

    loaded = open_workspace(workspace, show_warnings=True)
    shown, findings = readiness(loaded, venue, as_of)  # a ContentError (missing parameters...) exits 1
    exit_on_findings(findings)
    _show(loaded, venue, as_of, shown, output_format)
    failing = gate_failures(shown, fail_under)
    for result in failing:  # the exit code must be explainable from the output
        match = current_match(result.matches)
        if result.verdict == NO_GO:
            why = "NO-GO (preparation)"
        elif match is not None and match.verdict == NO_GO:
            why = f"NO-GO (match {match.match}, {match.phase})"
        else:
            why = f"preparation scores {result.score:.1f}%, under --fail-under {fail_under:g}"
        click.echo(f"eventsec: {result.venue}: {why}", err=True)
    sys.exit(EXIT_FINDINGS if failing else EXIT_OK)


def _show(loaded, venue: str | None, as_of: str, shown: list, output_format: str) -> None:
    from eventsec.assess.readiness.console import render_overview, render_venue
    from eventsec.formats import printable_lines

    if output_format == "json":
        from eventsec.cli.serialize import dump

        payload = {"as_of": as_of, "venues": [_venue_json(r) for r in shown]}
        click.echo(dump(payload, "json"), nl=False)
    elif venue:
        click.echo(printable_lines(render_venue(shown[0])), nl=False)
    else:
        click.echo(printable_lines(render_overview(loaded.tournament.data["name"], as_of, shown)), nl=False)


def _venue_json(r) -> dict:
    """One venue's two clocks: ``preparation`` (scores, verdict) and ``matches`` (execution, verdicts)."""
    from eventsec.assess.readiness.overview import current_match

    current = current_match(r.matches)
    return {
        "venue": r.venue,
        "name": r.name,
        "preparation": r.to_dict(),
        "matches": [m.to_dict() for m in r.matches],
        "current_match": current.match if current else None,
    }
