"""``eventsec rules``: every finding id, from the one registry."""

from __future__ import annotations

import click

from eventsec.cli.errors import Command


@click.command(cls=Command)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="text: one line per id; markdown: docs/rules.md, with explanations and examples.",
)
def rules(fmt: str) -> None:
    """List every finding id with its severity and what it checks."""
    from eventsec.checks.lint import finding_kinds
    from eventsec.checks.registry import markdown, text_table

    render = markdown if fmt == "markdown" else text_table
    click.echo(render(finding_kinds()), nl=False)
