"""``eventsec schema``: the JSON Schema of each document kind, and of a resolved plan."""

from __future__ import annotations

from pathlib import Path

import click

from eventsec.cli.errors import Command
from eventsec.load import bundle as bundles


@click.command(cls=Command)
@click.argument("kind", required=False, type=click.Choice(bundles.SCHEMA_KINDS))
@click.option("--bundle", is_flag=True, help="Print KIND self-contained: what it uses from other schemas embedded.")
@click.option(
    "--write",
    "directory",
    metavar="DIR",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write every bundled schema and an editor catalog into DIR (a workspace's .schemas/); nothing else there is touched.",
)
def schema(kind: str | None, bundle: bool, directory: Path | None) -> None:
    """Print the JSON Schema of KIND, or list the kinds (and 'plan', the output of resolve).

    After an upgrade, refresh a workspace's copies with: eventsec schema --write WORKSPACE/.schemas
    """
    import json

    from eventsec.load.schema import schema_text

    if directory is not None:
        _write(directory, kind)
    elif bundle:
        if not kind:
            raise click.UsageError("--bundle needs a KIND")
        click.echo(bundles.dumps(bundles.bundle(kind)), nl=False)
    elif kind:
        click.echo(schema_text(kind), nl=False)
    else:
        width = max(map(len, bundles.SCHEMA_KINDS))  # the longest kind sets the column, so descriptions line up
        for name in bundles.SCHEMA_KINDS:
            click.echo(f"{name:<{width}} {json.loads(schema_text(name))['description']}")


def _write(directory: Path, kind: str | None) -> None:
    """Write the editor files into ``directory`` and say what happened to each."""
    if kind:
        raise click.UsageError("--write writes every kind; give no KIND")
    from eventsec.load.scaffold import write_owned

    for action, path in write_owned(directory, bundles.editor_files()):
        click.echo(f"{action} {path}")
