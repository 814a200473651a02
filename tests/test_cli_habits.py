"""CLI habits other tools have: '-' for stdin and stdout, a quiet exit on a closed pipe, shell
completion of venue and match ids, and values that cannot split an output line (docs/cli.md)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from eventsec.cli import main
from eventsec.cli.errors import EXIT_CLOSED_PIPE
from tests.conftest import FIXTURES, ROOT

VENUE = (FIXTURES / "rules" / "base" / "venues" / "v1.yaml").read_text(encoding="utf-8")


# -- '-' for stdin -------------------------------------------------------------------------------
def test_stdin_is_reported_as_the_named_file(runner, rule_workspace, monkeypatch):
    monkeypatch.chdir(rule_workspace())
    broken = VENUE.replace("capacity: 30000", "capacity: lots")
    result = runner.invoke(main, ["validate", "-", "--stdin-filename", "venues/v1.yaml"], input=broken)
    assert result.exit_code == 1
    assert result.output.startswith("venues/v1.yaml:7:11: error[schema] capacity must be an integer")
    assert "in 1 file(s)" in result.output


def test_stdin_replaces_the_file_on_disk(runner, rule_workspace, monkeypatch):
    """The buffer is what is checked, not the saved file it stands in for (which is broken)."""
    workspace = rule_workspace()
    (workspace / "venues" / "v1.yaml").write_text(VENUE.replace("capacity: 30000", "capacity: lots"))
    monkeypatch.chdir(workspace)
    result = runner.invoke(main, ["validate", "-", "--stdin-filename", "venues/v1.yaml"], input=VENUE)
    assert result.exit_code == 0, result.output
    assert result.output == "ok: 1 file(s) checked, no findings\n"


def test_stdin_joins_its_workspace_so_cross_file_rules_apply(runner, rule_workspace, monkeypatch):
    """A new venue file with the id of one on disk is a duplicate, as it will be once saved; the
    other files' findings are not this document's and stay out."""
    monkeypatch.chdir(rule_workspace())
    copy = VENUE.replace("m1", "m7")
    result = runner.invoke(main, ["validate", "-", "--stdin-filename", "venues/v9.yaml"], input=copy)
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert (
        lines[0]
        == "venues/v9.yaml:2:5: error[duplicate-id] duplicate venue id 'v1' (first defined at venues/v1.yaml:2:5)"
    )
    assert all(line.startswith(("venues/v9.yaml:", "  hint:")) for line in lines[:-1])


def test_stdin_name_from_another_directory_finds_the_workspace(runner, rule_workspace, tmp_path, monkeypatch):
    workspace = rule_workspace()
    monkeypatch.chdir(tmp_path)
    copy = VENUE.replace("m1", "m7")
    result = runner.invoke(
        main, ["validate", "-", "--stdin-filename", str(workspace / "venues" / "v9.yaml")], input=copy
    )
    assert "ws/venues/v9.yaml:2:5: error[duplicate-id]" in result.output


def test_stdin_outside_a_workspace_is_checked_on_its_own(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["validate", "-", "--stdin-filename", "v1.yaml"], input="kind: venue\nid: 7\n")
    assert result.exit_code == 1
    assert "v1.yaml:2:5: error[schema] id must be a string" in result.output


def test_stdin_without_a_name_is_reported_as_stdin(runner, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(main, ["validate", "-"], input="kind: venue\nid: [\n")
    assert result.exit_code == 1 and result.output.startswith("<stdin>:")


def test_stdin_over_the_size_limit_is_refused_without_reading_it_all(runner, monkeypatch):
    from eventsec.load import documents

    monkeypatch.setattr(documents, "MAX_FILE_BYTES", 10)
    result = runner.invoke(main, ["validate", "-"], input="kind: venue\n" * 1000)
    assert result.exit_code == 1 and "error[file-size]" in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["--stdin-filename", "venues/x.yaml"], "--stdin-filename needs '-'"),
        (["-", "-"], "'-' reads one document from stdin"),
        (["-", "."], "'-' reads one document from stdin"),
        (["-", "--builtin"], "'-' reads one document from stdin"),
    ],
)
def test_stdin_misuse_is_a_usage_error(runner, args, message):
    result = runner.invoke(main, ["validate", *args], input="")
    assert result.exit_code == 2 and message in result.output


# -- '-' for stdout ------------------------------------------------------------------------------
def test_output_dash_writes_the_report_to_stdout_not_a_file(runner, rule_workspace, monkeypatch):
    workspace = rule_workspace()
    monkeypatch.chdir(workspace)
    result = runner.invoke(main, ["validate", ".", "--format", "json", "-o", "-"])
    assert result.exit_code == 0
    assert json.loads(result.output)["summary"]["errors"] == 0
    assert not (workspace / "-").exists()


def test_output_dot_slash_dash_is_a_file_named_dash(runner, rule_workspace, monkeypatch):
    workspace = rule_workspace()
    monkeypatch.chdir(workspace)
    result = runner.invoke(main, ["validate", ".", "-o", "./-"])
    assert result.output == "" and (workspace / "-").read_text() == "ok: 5 file(s) checked, no findings\n"


def test_render_to_stdout_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(main, ["render", str(tmp_path), "--all", "-o", "-"])
    assert result.exit_code == 2
    assert "render writes PDFs and manifest.json into a directory, not to stdout" in result.output


# -- a closed pipe -------------------------------------------------------------------------------
def eventsec(*args: str) -> list[str]:
    """The command as a user runs it: this interpreter's ``python -m eventsec``."""
    return [sys.executable, "-m", "eventsec", *args]


def test_a_closed_pipe_ends_quietly_with_141():
    """The reader is gone before eventsec writes (``| head`` that already quit): no
    'Broken pipe', no 'Exception ignored', and git's and seq's exit status."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        done = subprocess.run(eventsec("rules"), stdout=write_end, stderr=subprocess.PIPE, cwd=ROOT, timeout=120)
    finally:
        os.close(write_end)
    assert (done.returncode, done.stderr) == (EXIT_CLOSED_PIPE, b"")


def test_rules_piped_to_head_prints_nothing_on_stderr():
    shell = f"{' '.join(eventsec('rules', '--format', 'markdown'))} | head -1"
    done = subprocess.run(["sh", "-c", shell], capture_output=True, cwd=ROOT, timeout=120)
    assert done.stdout == b"# Finding ids\n" and done.stderr == b""


def test_a_module_run_has_the_same_exit_path(tmp_path: Path):
    """``python -m eventsec`` reports errors as ``eventsec`` does (the entry the pipe tests use)."""
    done = subprocess.run(eventsec("validate", str(tmp_path / "nope")), capture_output=True, timeout=120)
    assert done.returncode == 2 and done.stderr.startswith(b"eventsec: ")
