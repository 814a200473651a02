"""``eventsec schema``: the JSON Schema of each document kind, and of a resolved plan."""

from __future__ import annotations

import click

from eventsec.cli.errors import Command
from eventsec.vocabulary import DOCUMENT_KINDS

SCHEMA_CHOICES = (*DOCUMENT_KINDS, "plan")


@click.command(cls=Command)
@click.argument("kind", required=False, type=click.Choice(SCHEMA_CHOICES))
def schema(kind: str | None) -> None:
    """Print the JSON Schema of KIND, or list the kinds (and 'plan', the output of resolve)."""
    import json

    from eventsec.load.schema import schema_text

    if kind:
        click.echo(schema_text(kind), nl=False)
        return
    width = max(map(len, SCHEMA_CHOICES))  # the longest kind sets the column, so descriptions line up
    for name in SCHEMA_CHOICES:
        click.echo(f"{name:<{width}} {json.loads(schema_text(name))['description']}")
