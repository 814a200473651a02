"""``eventsec safety``: a venue's safety figures and findings."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from eventsec.cli.errors import EXIT_FINDINGS, EXIT_OK, Command
from eventsec.cli.options import format_option, match_option, venue_option, workspace_argument
from eventsec.cli.workspace import open_workspace, resolve_plan


@click.command(cls=Command)
@workspace_argument
@venue_option("Venue id.", required=True)
@match_option("Match id: use its attendance, risk and match overlays.")
@format_option("text", "json", help=None)
def safety(workspace: Path, venue: str, match_id: str | None, output_format: str) -> None:
    """Venue safety figures (entry, egress, density, safe capacity, stewards, medical) and findings.

    Exits 1 when a critical finding is open.
    """
    from eventsec.assess.safety.assessment import assess

    plan = resolve_plan(open_workspace(workspace), venue, match_id)
    assessment = assess(plan)  # MissingParameters is a ContentError: exit 1
    _show(assessment, plan, venue, output_format)
    sys.exit(EXIT_FINDINGS if assessment.critical_open else EXIT_OK)


def _show(assessment, plan, venue: str, output_format: str) -> None:
    if output_format == "json":
        from eventsec.cli.serialize import dump

        click.echo(dump(assessment.to_dict(), "json"), nl=False)
    else:
        from eventsec.assess.safety.console import render_text
        from eventsec.formats import printable_lines

        click.echo(printable_lines(render_text(assessment, plan.venue.get("name", venue))), nl=False)
