"""The CLI's shape: one thin function per command, and one place that maps failures to exit
codes and messages (eventsec.cli.errors)."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

import eventsec.cli
from eventsec.assess.readiness.deadlines import DeadlineError
from eventsec.assess.readiness.scores import MissingReadinessParameters
from eventsec.assess.safety.assessment import MissingParameters
from eventsec.cli import main
from eventsec.cli.errors import EXIT_FINDINGS, EXIT_USAGE, Command, exit_code
from eventsec.diff.git import DiffProblem
from eventsec.errors import ContentError, EventsecError, OptionError, UsageError
from eventsec.load.documents import LoadProblem
from eventsec.load.scaffold import ScaffoldError
from eventsec.load.workspace import WorkspaceError
from eventsec.plan.expressions import ExpressionError
from eventsec.plan.phases import PhaseError
from eventsec.release.redact import ReleaseError
from eventsec.render.fonts import FontError

CLI = Path(eventsec.cli.__file__).parent
COMMANDS = {"validate", "schema", "rules", "init", "resolve", "safety", "status", "render", "site", "diff"}
MAX_BODY_LINES = 30


def command_bodies(package: Path) -> dict[str, int]:
    """Each click command function in ``package`` and the lines of its body (the docstring left
    out: it is the command's help, not its logic)."""
    found = {}
    for path in sorted(package.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and any(_is_command(d) for d in node.decorator_list):
                body = node.body[1:] if ast.get_docstring(node) is not None else node.body
                found[node.name] = body[-1].end_lineno - body[0].lineno + 1 if body else 0
    return found


def _is_command(decorator: ast.expr) -> bool:
    """``@click.command(...)``, ``@main.command(...)`` and the like."""
    call = decorator.func if isinstance(decorator, ast.Call) else decorator
    return isinstance(call, ast.Attribute) and call.attr == "command"


def test_every_command_function_is_option_wiring_plus_one_call():
    bodies = command_bodies(CLI)
    assert {name: lines for name, lines in bodies.items() if lines > MAX_BODY_LINES} == {}


def test_the_length_check_finds_every_command():
    """Guards the test above against reading nothing (a renamed decorator, a moved package)."""
    assert set(command_bodies(CLI)) == COMMANDS
    assert set(main.commands) == COMMANDS


def test_the_length_check_counts_a_long_command_and_not_its_docstring(tmp_path):
    lines = "\n".join(f"    x{n} = {n}" for n in range(MAX_BODY_LINES + 1))
    (tmp_path / "long.py").write_text(
        textwrap.dedent('''\
            import click

            @click.command()
            def long():
                """Help text
                on two lines."""
            ''')
        + lines
        + "\n",
        encoding="utf-8",
    )
    assert command_bodies(tmp_path) == {"long": MAX_BODY_LINES + 1}


def test_every_command_reports_failures_the_same_way():
    """A command run on its own (as tests/test_diff.py does) maps errors like ``eventsec`` does."""
    assert all(isinstance(command, Command) for command in main.commands.values())


@pytest.mark.parametrize(
    "error",
    [LoadProblem, WorkspaceError, ScaffoldError, ReleaseError, FontError, DiffProblem],
)
def test_usage_failures_of_the_core_exit_two(error):
    assert issubclass(error, UsageError)
    assert exit_code(UsageError("x")) == EXIT_USAGE


@pytest.mark.parametrize(
    "error", [MissingParameters, MissingReadinessParameters, DeadlineError, PhaseError, ExpressionError]
)
def test_content_failures_of_the_core_exit_one_like_a_finding(error):
    assert issubclass(error, ContentError)
    assert exit_code(ContentError("x")) == EXIT_FINDINGS


def test_value_errors_stay_value_errors_for_the_callers_that_catch_them():
    assert all(issubclass(e, ValueError) for e in (ReleaseError, DeadlineError, PhaseError, ExpressionError))


def _failing(error: EventsecError) -> click.Command:
    @click.command(cls=Command)
    @click.option("--font")
    def failing(font: str | None) -> None:
        raise error

    return failing


def test_an_error_is_one_line_with_its_exit_code():
    result = CliRunner().invoke(_failing(ContentError("no safety parameters")), [])
    assert (result.exit_code, result.output) == (EXIT_FINDINGS, "eventsec: no safety parameters\n")


def test_an_option_error_reads_as_clicks_bad_value_with_the_usage_line():
    result = CliRunner().invoke(_failing(OptionError("--font", "cannot use font x")), [], prog_name="eventsec render")
    assert result.exit_code == EXIT_USAGE
    assert result.output.startswith("Usage: eventsec render [OPTIONS]")
    assert result.output.endswith("Error: Invalid value for --font: cannot use font x\n")


def test_an_error_no_class_maps_is_a_usage_error():
    assert exit_code(EventsecError("new kind")) == EXIT_USAGE
