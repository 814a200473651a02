"""The ``eventsec`` command: a thin shell over the library.

Commands parse options, call one library function, hand the result to a reporter and choose
the exit code. Heavy modules (jsonschema, reportlab) are imported inside commands so that
``eventsec --help`` starts as fast as click itself.

Exit codes: 0 clean, 1 findings (errors; warnings too with --strict), 2 usage or I/O problems.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from eventsec import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
KIND_CHOICES = ("protocol", "lessons", "catalog", "tournament", "overlay", "venue", "status")


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="eventsec")
def main() -> None:
    """Keep a major event's safety and security protocol as code.

    \b
    Exit codes: 0 ok, 1 findings, 2 usage or I/O error.
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "output_format", type=click.Choice(["text", "json", "github", "sarif"]), default="text",
              show_default=True, help="Output format.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to a file.")
@click.option("--builtin", is_flag=True, help="Also validate the built-in protocol library shipped with eventsec.")
def validate(paths: tuple[Path, ...], output_format: str, strict: bool, output: Path | None, builtin: bool) -> None:
    """Check YAML files and directories against the schemas and lint rules.

    PATHS default to the current directory (or only the built-in library with --builtin).
    Directories are searched for *.yaml and *.yml (hidden files and directories are skipped).
    """
    from eventsec.reporters import get_reporter
    from eventsec.resources import library_dir
    from eventsec.validate import validate as run_validation

    targets = list(paths) + ([library_dir()] if builtin else [])
    result = run_validation(targets or [Path(".")])
    for problem in result.usage_errors:
        click.echo(f"eventsec: {problem}", err=True)
    if result.usage_errors:
        sys.exit(EXIT_USAGE)
    report = get_reporter(output_format).render(result)
    if output:
        output.write_text(report + "\n", encoding="utf-8")
    elif report:
        click.echo(report)
    sys.exit(EXIT_FINDINGS if result.failed(strict) else EXIT_OK)


@main.command()
@click.argument("kind", required=False, type=click.Choice(KIND_CHOICES))
def schema(kind: str | None) -> None:
    """Print the JSON Schema of KIND, or list the kinds."""
    import json

    from eventsec.schema import schema_text

    if kind:
        click.echo(schema_text(kind), nl=False)
        return
    for name in KIND_CHOICES:
        click.echo(f"{name:<11} {json.loads(schema_text(name))['description']}")


@main.command()
def rules() -> None:
    """List every finding id with its severity and what it checks."""
    from eventsec.rules import all_rules
    from eventsec.validate import CORE_RULES

    for rule_id, doc in CORE_RULES.items():
        click.echo(f"{rule_id:<20} error    {doc}")
    for r in all_rules():
        click.echo(f"{r.id:<20} {r.severity.value:<8} {r.summary}")


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Write into a directory that is not empty.")
def init(directory: Path, force: bool) -> None:
    """Create a minimal workspace in DIRECTORY that validates clean."""
    from eventsec.scaffold import ScaffoldError, scaffold

    try:
        written = scaffold(directory, force=force)
    except ScaffoldError as exc:
        click.echo(f"eventsec: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    for path in written:
        click.echo(f"created {path}")
    click.echo(f"next: eventsec validate {directory}")
