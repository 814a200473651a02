"""``eventsec validate``: schemas and lint rules over YAML files and directories."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from eventsec.cli.errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, Command
from eventsec.cli.options import format_option, lang_option
from eventsec.errors import OptionError
from eventsec.reporters import REPORTERS


@click.command(cls=Command)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@format_option(*REPORTERS)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to a file.")
@click.option("--builtin", is_flag=True, help="Also validate the built-in protocol library shipped with eventsec.")
@click.option(
    "--base-dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    metavar="DIR",
    help="With --format sarif: make file URIs relative to DIR (default: the git top level, else the current directory).",
)
@lang_option
def validate(
    paths: tuple[Path, ...],
    output_format: str,
    strict: bool,
    output: Path | None,
    builtin: bool,
    base_dir: Path | None,
    lang: str | None,
) -> None:
    """Check YAML files and directories against the schemas and lint rules.

    PATHS default to the current directory (or only the built-in library with --builtin).
    Directories are searched for *.yaml and *.yml (hidden files and directories are skipped).
    """
    from eventsec.checks.validate import validate as run_validation
    from eventsec.load.resources import library_dir

    if base_dir and output_format != "sarif":
        raise OptionError("--base-dir", "only --format sarif writes URIs relative to a base directory")
    targets = list(paths) + ([library_dir()] if builtin else [])
    result = run_validation(targets or [Path(".")], lang)
    _report(result, output_format, output, base_dir)
    sys.exit(EXIT_FINDINGS if result.failed(strict) else EXIT_OK)


def _report(result, output_format: str, output: Path | None, base_dir: Path | None) -> None:
    """Print every missing path (then exit 2), else the report, to ``output`` or stdout."""
    from eventsec.reporters import get_reporter

    for problem in result.usage_errors:
        click.echo(f"eventsec: {problem}", err=True)
    if result.usage_errors:
        sys.exit(EXIT_USAGE)
    report = get_reporter(output_format, base_dir).render(result)
    if output:
        output.write_text(report + "\n", encoding="utf-8")
    elif report:
        click.echo(report)
