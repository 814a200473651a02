"""Opening a workspace for a command and printing what stops it (terminal presentation)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from eventsec.cli.errors import EXIT_FINDINGS


def open_workspace(workspace: Path, show_warnings: bool = False):
    """Load and validate a workspace, or exit 1 after printing its errors (a directory that is
    not a workspace raises WorkspaceError: exit 2).

    With ``show_warnings``, print the validation warnings (e.g. stale status entries) to stderr.
    """
    from eventsec.checks.validate import load_workspace
    from eventsec.reporters import get_reporter

    loaded, result = load_workspace(workspace)
    if loaded is None:
        click.echo(get_reporter("text").render(result), err=True)
        sys.exit(EXIT_FINDINGS)
    if show_warnings:
        from eventsec.findings import Severity
        from eventsec.reporters.text import finding_lines

        for finding in result.findings:
            if finding.severity is Severity.WARNING:
                click.echo(finding_lines(finding)[0], err=True)
    return loaded


def exit_on_findings(findings: list) -> None:
    """Print findings that stop a command (a venue that does not resolve) and exit 1; return
    when there are none."""
    if not findings:
        return
    from eventsec.checks.validate import ValidationResult
    from eventsec.reporters.text import TextReporter

    click.echo(TextReporter().render(ValidationResult(findings=findings)), err=True)
    sys.exit(EXIT_FINDINGS)


def resolve_plan(loaded, venue: str, match: str | None):
    """One venue's resolved plan, or print the findings and exit 1."""
    from eventsec.plan.resolve import resolve

    plan, findings = resolve(loaded, venue, match)
    exit_on_findings(findings if plan is None else [])
    return plan
