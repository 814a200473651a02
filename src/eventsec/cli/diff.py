"""``eventsec diff``: what changed between two workspaces, or between two git revisions of one.

With ``--rev A..B`` each revision's tree is read from the object store (``git ls-tree`` and
``git cat-file``; read-only: no checkout, no worktree, no network) into a temporary directory
that is deleted afterwards, and the workspace at PATH inside each copy is compared. Not
``git archive``: it applies the ``export-ignore`` and ``export-subst`` attributes, so a file
marked export-ignore vanished from both sides and a real change read as "no differences". The
whole tree is exported so that a tournament's ``protocols:`` paths outside the workspace
directory still resolve.

Exit codes follow diff(1): 0 no differences, 1 differences, 2 trouble (usage, I/O, git, or a
workspace that fails validation: there is no diff to give, and exit 1 would read as "changed").
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from eventsec.cli.errors import Command
from eventsec.cli.options import format_option

EXIT_SAME, EXIT_DIFFERENT, EXIT_TROUBLE = 0, 1, 2


@click.command("diff", cls=Command)
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path), metavar="[OLD NEW | PATH]")
@click.option(
    "--rev", "rev_range", metavar="A..B", help="Compare two git revisions of the workspace at PATH (default .)."
)
@format_option("text", "json")
def diff(paths: tuple[Path, ...], rev_range: str | None, output_format: str) -> None:
    """Items, parameters, overlays, lesson coverage and venues that differ between two workspaces.

    \b
      eventsec diff OLD NEW              two workspace directories
      eventsec diff --rev A..B [PATH]    two git revisions of the workspace at PATH

    Exits 0 when there are no differences, 1 when there are, 2 on a usage, I/O or
    validation problem.
    """
    from eventsec.diff.compare import diff_paths
    from eventsec.diff.git import diff_revisions

    if rev_range is None and len(paths) != 2:
        raise click.UsageError("give two workspaces, OLD and NEW, or --rev A..B [PATH]")
    if rev_range is not None and len(paths) > 1:
        raise click.UsageError("with --rev give at most one PATH: the workspace directory inside the repository")
    if rev_range is None:  # DiffProblem and WorkspaceError are UsageErrors: exit 2
        result = diff_paths(paths[0], paths[1])
    else:
        result = diff_revisions(rev_range, paths[0] if paths else Path("."))
    _report(result, output_format)


def _report(result, output_format: str) -> None:
    from eventsec.cli.serialize import dump
    from eventsec.formats import printable_lines
    from eventsec.reporters.text import finding_lines

    if not result.valid:
        sides = {"old": result.old, "new": result.new}
        for side, found in result.findings.items():
            click.echo(f"eventsec: cannot diff: {sides[side]} has {len(found)} error(s)", err=True)
            for finding in found:
                click.echo(finding_lines(finding)[0], err=True)
        if output_format == "json":
            click.echo(dump(result.to_dict(), "json"), nl=False)
        sys.exit(EXIT_TROUBLE)
    if output_format == "json":
        click.echo(dump(result.to_dict(), "json"), nl=False)
    else:
        from eventsec.diff.text import render_text

        click.echo(printable_lines(render_text(result)), nl=False)
    sys.exit(EXIT_DIFFERENT if result.differs else EXIT_SAME)
