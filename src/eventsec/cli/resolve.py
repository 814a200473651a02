"""``eventsec resolve``: a venue's resolved plan, or one item's value chain."""

from __future__ import annotations

from pathlib import Path

import click

from eventsec.cli.errors import Command
from eventsec.cli.options import format_option, match_option, venue_option, workspace_argument
from eventsec.cli.workspace import open_workspace, resolve_plan


@click.command(cls=Command)
@workspace_argument
@venue_option("Venue id.", required=True)
@match_option("Match id: add the match layer.")
@format_option("yaml", "json", help=None)
@click.option("--explain", "explain_id", metavar="ITEM", help="Show one item's value chain layer by layer.")
def resolve(workspace: Path, venue: str, match_id: str | None, output_format: str, explain_id: str | None) -> None:
    """Print a venue's resolved plan: items (present, not_applicable, removed) and parameters with provenance."""
    plan = resolve_plan(open_workspace(workspace), venue, match_id)
    if explain_id:
        from eventsec.formats import printable_lines
        from eventsec.plan.explain import explain

        click.echo(printable_lines(explain(plan, explain_id)))
        return
    from eventsec.cli.serialize import dump

    click.echo(dump(plan.to_dict(), output_format), nl=False)
