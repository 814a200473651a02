"""``eventsec init``: a minimal workspace that validates clean."""

from __future__ import annotations

from pathlib import Path

import click

from eventsec.cli.errors import Command


@click.command(cls=Command)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Write into a directory that is not empty.")
def init(directory: Path, force: bool) -> None:
    """Create a minimal workspace in DIRECTORY that validates clean."""
    from eventsec.load.scaffold import scaffold

    for path in scaffold(directory, force=force):
        click.echo(f"created {path}")
    click.echo(f"next: eventsec validate {directory}")
