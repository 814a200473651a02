"""CLI habits other tools have: '-' for stdin and stdout, a quiet exit on a closed pipe, shell
completion of venue and match ids, and values that cannot split an output line (docs/cli.md)."""

from __future__ import annotations

import json
import os
import re
import shutil
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


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_a_shell_pipeline_whose_reader_quit_sees_141_and_no_message():
    """``eventsec rules | true``: the reader exits before eventsec has started writing, so the
    write meets a closed pipe every time (``| head -1`` does only when head quits before the
    output is all in the pipe's buffer, a race)."""
    shell = f"{' '.join(eventsec('rules'))} | true; echo ${{PIPESTATUS[0]}}"
    done = subprocess.run(["bash", "-c", shell], capture_output=True, cwd=ROOT, timeout=120)
    assert (done.stdout, done.stderr) == (b"141\n", b"")


def test_a_module_run_has_the_same_exit_path(tmp_path: Path):
    """``python -m eventsec`` reports errors as ``eventsec`` does (the entry the pipe tests use)."""
    done = subprocess.run(eventsec("validate", str(tmp_path / "nope")), capture_output=True, timeout=120)
    assert done.returncode == 2 and done.stderr.startswith(b"eventsec: ")


# -- shell completion ----------------------------------------------------------------------------
@pytest.fixture
def complete(runner, tmp_path, monkeypatch):
    """What bash is offered for the last word of a command line (click's bash protocol: one
    ``type,value`` line each), run from an empty directory so that only the WORKSPACE typed can
    supply the ids."""
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)

    def offered(words: str) -> list[str]:
        env = {"_EVENTSEC_COMPLETE": "bash_complete", "COMP_WORDS": words, "COMP_CWORD": str(words.count(" "))}
        result = runner.invoke(main, [], prog_name="eventsec", env=env)
        assert result.exit_code == 0, result.output
        return [line.split(",", 1)[1] for line in result.output.splitlines() if line]

    return offered


SAMPLE = ROOT / "samples" / "wc2030"


def test_venue_ids_complete_from_the_workspace_argument(complete):
    assert complete(f"eventsec resolve {SAMPLE} --venue pt-") == ["pt-alvalade", "pt-dragao", "pt-luz"]


@pytest.mark.parametrize("command", ["safety", "status", "render"])
def test_every_venue_option_completes(complete, command):
    assert "es-cartuja" in complete(f"eventsec {command} {SAMPLE} --venue es-c")


def test_match_ids_complete_for_the_venue_given(complete):
    assert complete(f"eventsec safety {SAMPLE} --venue ma-hassan2 --match ") == ["m001", "m021", "m041"]


def test_match_ids_of_every_venue_without_one(complete):
    offered = complete(f"eventsec render {SAMPLE} --match m04")
    assert {"m041", "m043"} <= set(offered) and all(m.startswith("m04") for m in offered)


def test_completion_reads_the_current_directory_without_a_workspace(complete, monkeypatch):
    monkeypatch.chdir(SAMPLE)
    assert complete("eventsec render --venue ma-f") == ["ma-fes"]


def test_completion_shows_the_venue_name_in_zsh(runner):
    env = {
        "_EVENTSEC_COMPLETE": "zsh_complete",
        "COMP_WORDS": f"eventsec resolve {SAMPLE} --venue pt-l",
        "COMP_CWORD": "4",
    }
    result = runner.invoke(main, [], prog_name="eventsec", env=env)
    assert result.output.splitlines()[:3] == ["plain", "pt-luz", "Estádio da Luz"]


def test_completion_never_fails(complete, tmp_path):
    """A missing workspace, a file where a directory should be, broken and hostile files:
    no suggestions, no traceback."""
    (tmp_path / "venues").mkdir()
    (tmp_path / "venues" / "bad.yaml").write_bytes(b"kind: venue\nid: [\n")
    (tmp_path / "venues" / "odd.yaml").write_bytes(b"kind: venue\nid: 7\nmatches: {m1: x}\n")
    (tmp_path / "venues" / "nul.yaml").write_bytes(b"kind: venue\n\x00")
    (tmp_path / "venues" / "ok.yaml").write_bytes(b"kind: venue\nid: v1\nmatches: [{id: m1}, 3, {id: 4}]\n")
    assert complete(f"eventsec resolve {tmp_path} --venue ") == ["v1"]
    assert complete(f"eventsec resolve {tmp_path} --venue v1 --match ") == ["m1"]
    assert complete(f"eventsec resolve {tmp_path / 'nope'} --venue ") == []
    assert complete(f"eventsec resolve {tmp_path / 'venues' / 'ok.yaml'} --venue ") == []


def test_completion_swallows_an_unexpected_failure(complete, monkeypatch):
    from eventsec.cli import completion

    def explode(workspace):
        raise RuntimeError("boom")

    monkeypatch.setattr(completion, "venue_ids", explode)
    assert complete(f"eventsec resolve {SAMPLE} --venue ") == []
    assert complete(f"eventsec resolve {SAMPLE} --match ") == []


# -- control characters --------------------------------------------------------------------------
CONTROLS = FIXTURES / "control_characters"
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""What must never reach the output raw (LF aside: it ends the output's own lines)."""


def test_text_output_keeps_one_finding_per_line_whatever_a_value_holds(runner, rule_workspace, monkeypatch):
    monkeypatch.chdir(rule_workspace(CONTROLS))
    result = runner.invoke(main, ["validate", "."])
    lines = result.stdout.splitlines()
    finding = re.compile(
        r"venues/v1\.yaml:\d+:\d+: error\[duplicate-call-sign\] call sign '[A-E]1' is already .*'s \(line \d+\)$"
    )
    assert [bool(finding.match(line)) for line in lines[:-1:2]] == [True] * 5
    assert lines[1:-1:2] == ["  hint: give each contact a call sign of its own"] * 5
    assert lines[-1] == "5 error(s), 0 warning(s) in 5 file(s)"
    assert not RAW.search(result.stdout)
    assert "already A\\r\\nvenues/v9.yaml:1:1: error[forged] all clear's" in lines[0]
    assert "already \\e[32mC\\e[0m's" in lines[4] and "already E\\u202e\\u2066's" in lines[8]


def test_github_annotations_stay_one_per_line_and_carry_no_escape_sequence(runner, rule_workspace, monkeypatch):
    monkeypatch.chdir(rule_workspace(CONTROLS))
    lines = runner.invoke(main, ["validate", ".", "--format", "github"]).stdout.splitlines()
    assert len(lines) == 5 and all(line.startswith("::error file=venues/v1.yaml,line=") for line in lines)
    assert not RAW.search("\n".join(lines))


def test_status_and_explain_text_escape_names_and_titles(runner, tmp_path):
    workspace = tmp_path / "ws"
    shutil.copytree(FIXTURES / "readiness", workspace)
    venue = workspace / "venue.yaml"
    venue.write_text(venue.read_text().replace("name: Test Stadium", 'name: "Test\\r\\nStadium \\e[31m\\u202e"'))
    result = runner.invoke(main, ["status", str(workspace), "--as-of", "2030-04-01"])
    assert "Test\\r\\nStadium \\e[31m\\u202e" in result.stdout and not RAW.search(result.stdout)
    single = runner.invoke(main, ["status", str(workspace), "--venue", "v1", "--as-of", "2030-04-01"])
    assert single.stdout.startswith("Readiness — Test\\r\\nStadium \\e[31m\\u202e (v1)")


def test_explain_escapes_the_title_and_values(runner, tmp_path):
    from tests.test_resolve import workspace_with

    workspace = workspace_with(tmp_path)
    library = workspace / "library" / "crowd.yaml"
    forged = '"Approve\\r\\nCRW-002 — forged \\e[2J\\u2066"'
    library.write_text(library.read_text().replace("title: Approve the stewarding plan", f"title: {forged}"))
    result = runner.invoke(main, ["resolve", str(workspace), "--venue", "v1", "--explain", "CRW-001"])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("CRW-001 — Approve\\r\\nCRW-002 — forged \\e[2J\\u2066\n")
    assert "    library    library Approve\\r\\nCRW-002" in result.stdout and not RAW.search(result.stdout)


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_bash_itself_completes_venue_ids_with_the_documented_script(tmp_path):
    """The script docs/cli.md tells bash users to load, run by a real bash."""
    scripts = Path(sys.executable).parent
    if not (scripts / "eventsec").is_file():
        pytest.skip("the eventsec command is not installed beside this interpreter")
    script = (
        'eval "$(_EVENTSEC_COMPLETE=bash_source eventsec)"; '
        f"COMP_WORDS=(eventsec resolve {SAMPLE} --venue pt-); COMP_CWORD=4; "
        '_eventsec_completion eventsec; echo "${COMPREPLY[@]}"'
    )
    env = {**os.environ, "PATH": f"{scripts}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(["bash", "-c", script], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert (done.stdout, done.stderr) == ("pt-alvalade pt-dragao pt-luz\n", "")


def test_safety_text_escapes_venue_and_section_names(runner, tmp_path):
    workspace = tmp_path / "ws"
    shutil.copytree(FIXTURES / "safety_words", workspace)
    venue = workspace / "venues" / "stand.yaml"
    text = venue.read_text(encoding="utf-8")
    text = text.replace("name: Stand Stadium", 'name: "Stand\\r\\nStadium\\e[5m"')
    venue.write_text(text.replace("name: West stand,", 'name: "West\\nstand\\u202e",'), encoding="utf-8")
    result = runner.invoke(main, ["safety", str(workspace), "--venue", "stand"])
    assert "Stand\\r\\nStadium\\e[5m" in result.stdout and "West\\nstand\\u202e" in result.stdout
    assert not RAW.search(result.stdout)


def test_diff_text_escapes_what_a_changed_title_holds(runner, tmp_path):
    new = tmp_path / "new"
    shutil.copytree(FIXTURES / "diff" / "new", new)
    library = new / "library" / "crowd.yaml"
    forged = '"Brief \\e[8mstewards\\x85 on\\u2029the day"'
    library.write_text(library.read_text().replace("title: Brief stewards on the day", f"title: {forged}"))
    result = runner.invoke(main, ["diff", str(FIXTURES / "diff" / "old"), str(new)])
    assert result.exit_code == 1, result.output
    assert "→ Brief \\e[8mstewards\\u0085 on\\u2029the day (library" in result.stdout and not RAW.search(result.stdout)
