"""``eventsec validate``: schemas and lint rules over YAML files and directories."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from eventsec.cli.errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, Command
from eventsec.cli.options import format_option, lang_option
from eventsec.errors import OptionError
from eventsec.reporters import REPORTERS

if TYPE_CHECKING:  # the validation machinery loads only when the command runs
    from eventsec.checks.validate import Unsaved

STDIN = "-"
"""'-' as a path: stdin for PATHS, stdout for --output. Paths stay text until this is checked:
as a Path, './-' (a file named '-') would read as '-' too."""


@click.command(cls=Command)
@click.argument("paths", nargs=-1, type=click.Path(allow_dash=True))
@format_option(*REPORTERS)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True),
    help="Write the report to a file ('-': stdout).",
)
@click.option("--builtin", is_flag=True, help="Also validate the built-in protocol library shipped with eventsec.")
@click.option(
    "--base-dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    metavar="DIR",
    help="With --format sarif: make file URIs relative to DIR (default: the git top level, else the current directory).",
)
@click.option(
    "--stdin-filename",
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="With PATHS '-': report the document read from stdin as the file at PATH, in its workspace.",
)
@lang_option
def validate(
    paths: tuple[str, ...],
    output_format: str,
    strict: bool,
    output: str | None,
    builtin: bool,
    base_dir: Path | None,
    stdin_filename: Path | None,
    lang: str | None,
) -> None:
    """Check YAML files and directories against the schemas and lint rules.

    PATHS default to the current directory (or only the built-in library with --builtin).
    Directories are searched for *.yaml and *.yml (hidden files and directories are skipped).
    '-' reads one document from stdin (docs/cli.md).
    """
    from eventsec.checks.validate import validate as run_validation
    from eventsec.load.resources import library_dir

    if base_dir and output_format != "sarif":
        raise OptionError("--base-dir", "only --format sarif writes URIs relative to a base directory")
    unsaved = _stdin_document(paths, stdin_filename, builtin)
    targets = [Path(path) for path in paths] + ([library_dir()] if builtin else [])
    result = run_validation(targets or [Path(".")], lang, unsaved=unsaved)
    _report(result, output_format, output, base_dir)
    sys.exit(EXIT_FINDINGS if result.failed(strict) else EXIT_OK)


def _stdin_document(paths: tuple[str, ...], stdin_filename: Path | None, builtin: bool) -> Unsaved | None:
    """The document on stdin when PATHS is '-', else None; '-' beside other paths (or twice),
    or --stdin-filename without it, is a usage error. Reads at most one byte over the size
    limit, so an endless stream ends (load_bytes refuses it)."""
    from eventsec.checks.validate import Unsaved
    from eventsec.load.documents import MAX_FILE_BYTES

    if STDIN not in paths:
        if stdin_filename is not None:
            raise click.UsageError("--stdin-filename needs '-' among the paths (the document comes from stdin)")
        return None
    if len(paths) > 1 or builtin:
        raise click.UsageError("'-' reads one document from stdin: give it alone, without other paths or --builtin")
    return Unsaved(sys.stdin.buffer.read(MAX_FILE_BYTES + 1), stdin_filename)


def _report(result, output_format: str, output: str | None, base_dir: Path | None) -> None:
    """Print every missing path (then exit 2), else the report, to ``output`` or stdout ('-')."""
    from eventsec.reporters import get_reporter

    for problem in result.usage_errors:
        click.echo(f"eventsec: {problem}", err=True)
    if result.usage_errors:
        sys.exit(EXIT_USAGE)
    report = get_reporter(output_format, base_dir).render(result)
    if output and output != STDIN:
        Path(output).write_text(report + "\n", encoding="utf-8")
    elif report:
        click.echo(report)
