"""``eventsec init``: a minimal workspace that validates clean, with editor settings."""

from __future__ import annotations

from pathlib import Path

import click

from eventsec.cli.errors import Command


@click.command(cls=Command)
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Write into a directory that is not empty, saying what it overwrites.")
def init(directory: Path, force: bool) -> None:
    """Create a minimal workspace in DIRECTORY that validates clean.

    Writes the template files, the bundled schemas in .schemas/ and VS Code's yaml.schemas in
    .vscode/settings.json (merged into an existing one). See docs/editors.md.
    """
    from eventsec.load.scaffold import SKIPPED, scaffold

    for action, path in scaffold(directory, force=force):
        reason = " (not plain JSON: add yaml.schemas by hand, see docs/editors.md)" if action == SKIPPED else ""
        click.echo(f"{action} {path}{reason}")
    click.echo(f"next: eventsec validate {directory}")
