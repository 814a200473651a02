"""The command line: exit codes, formats, schema listing and workspace scaffolding."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import pytest

from eventsec.cli import main
from tests.conftest import ROOT, RULE_FIXTURES


def test_help_lists_commands(runner):
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("validate", "schema", "init", "rules"):
        assert command in result.output


def test_validate_clean_exits_0(runner, rule_workspace):
    result = runner.invoke(main, ["validate", str(rule_workspace())])
    assert result.exit_code == 0, result.output
    assert "no findings" in result.output


def test_validate_errors_exit_1(runner, rule_workspace):
    result = runner.invoke(main, ["validate", str(rule_workspace(RULE_FIXTURES / "unknown-role" / "fail"))])
    assert result.exit_code == 1
    assert "error[unknown-role]" in result.output


def test_warnings_pass_unless_strict(runner, rule_workspace):
    workspace = str(rule_workspace(RULE_FIXTURES / "unsourced-item" / "fail"))
    relaxed = runner.invoke(main, ["validate", workspace])
    assert relaxed.exit_code == 0 and "warning[unsourced-item]" in relaxed.output
    assert runner.invoke(main, ["validate", "--strict", workspace]).exit_code == 1


def test_missing_path_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(main, ["validate", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "no such file or directory" in result.output


def test_a_directory_without_yaml_is_a_usage_error(runner, tmp_path):
    """Validating the wrong directory in CI must not pass as 'ok: 0 file(s) checked'."""
    (tmp_path / "notes.txt").write_text("not yaml")
    result = runner.invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 2
    assert f"{tmp_path}: no *.yaml or *.yml files in this directory" in result.output


def test_a_device_is_not_a_missing_file(runner):
    result = runner.invoke(main, ["validate", "/dev/null"])
    assert result.exit_code == 2 and "/dev/null: not a regular file or directory" in result.output


def test_unknown_option_is_a_usage_error(runner):
    assert runner.invoke(main, ["validate", "--format", "xml"]).exit_code == 2


def test_output_file(runner, rule_workspace, tmp_path):
    report = tmp_path / "report.json"
    result = runner.invoke(
        main, ["validate", "--format", "json", "-o", str(report), str(rule_workspace(RULE_FIXTURES / "phase" / "fail"))]
    )
    assert result.exit_code == 1
    assert json.loads(report.read_text())["findings"][0]["rule"] == "phase"


def test_schema_lists_kinds_and_prints_one(runner):
    listing = runner.invoke(main, ["schema"])
    assert listing.exit_code == 0
    assert [line.split()[0] for line in listing.output.splitlines()] == [
        "protocol",
        "lessons",
        "catalog",
        "contingencies",
        "tournament",
        "overlay",
        "venue",
        "status",
        "risk-register",
        "plan",
    ]
    starts = {len(line) - len(line.split(None, 1)[1]) for line in listing.output.splitlines()}
    assert len(starts) == 1, "the descriptions start in one column, after the longest kind"
    protocol = json.loads(runner.invoke(main, ["schema", "protocol"]).output)
    assert protocol["title"] == "eventsec protocol"
    assert runner.invoke(main, ["schema", "nonsense"]).exit_code == 2


def test_rules_command_lists_every_rule(runner):
    from eventsec.checks.lint import all_rules

    output = runner.invoke(main, ["rules"]).output
    for r in all_rules():
        assert r.id in output
    severities = {line.split()[0]: line.split()[1] for line in output.splitlines()}
    assert severities["translation"] == "warning" and severities["resolve"] == "error"


def test_rules_command_lists_every_registered_id_with_its_severity(runner):
    from eventsec.checks.lint import finding_kinds

    output = runner.invoke(main, ["rules"]).output
    assert [line.split()[:2] for line in output.splitlines()] == [[k.id, k.severity.value] for k in finding_kinds()]


def test_init_creates_a_workspace_that_validates_clean(runner, tmp_path):
    target = tmp_path / "ws"
    created = runner.invoke(main, ["init", str(target)])
    assert created.exit_code == 0, created.output
    assert (target / "tournament.yaml").is_file() and (target / ".schemas" / "venue.schema.json").is_file()
    result = runner.invoke(main, ["validate", "--strict", str(target)])
    assert result.exit_code == 0, result.output


def test_init_refuses_a_non_empty_directory(runner, tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    result = runner.invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 2 and "not empty" in result.output


def test_help_and_validate_do_not_import_reportlab(tmp_path):
    probe = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from eventsec.cli import main\n"
        f"CliRunner().invoke(main, ['--help'])\n"
        f"CliRunner().invoke(main, ['validate', {str(RULE_FIXTURES / 'base')!r}])\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('reportlab', 'pypdf')))\n"
    )
    output = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"


def test_python_dash_m(tmp_path):
    result = subprocess.run([sys.executable, "-m", "eventsec", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and "eventsec" in result.stdout


def test_validate_lang_warns_per_missing_translation_with_coverage(runner, rule_workspace):
    workspace = rule_workspace()
    result = runner.invoke(main, ["validate", "--lang", "fr", str(workspace)])
    assert result.exit_code == 0
    assert "warning[translation] item 'CRW-001' has no fr title" in result.output
    assert "crowd.yaml:14:9: warning[translation] item" in result.output
    assert (
        "translations (fr): protocols 0/1 (0%), critical items 0/1 (0%), other items 0/1 (0%), lessons 0/1 (0%)"
        in result.output
    )
    strict = runner.invoke(main, ["validate", "--lang", "fr", "--strict", str(workspace)])
    assert strict.exit_code == 1
    payload = json.loads(runner.invoke(main, ["validate", "--lang", "fr", "--format", "json", str(workspace)]).output)
    assert payload["summary"]["translations"]["fr"]["critical items"] == {"translated": 0, "total": 1}


def test_builtin_library_meets_its_translation_promise(runner):
    """Every text a plan prints from the library (titles, descriptions, evidence, lessons,
    roles, domains, protocol titles and summaries, parameter labels, contingencies) exists in
    every plan language: a French plan has no English left in it."""
    from tests.conftest import ROOT

    for lang in ("fr", "ar", "es", "pt"):
        payload = json.loads(
            runner.invoke(main, ["validate", "--lang", lang, "--format", "json", str(ROOT / "protocols")]).output
        )
        coverage = payload["summary"]["translations"][lang]
        kinds = {"protocols", "parameters", "critical items", "other items", "lessons", "roles", "domains"}
        kinds.add("contingencies")
        assert set(coverage) == kinds
        for kind, counts in coverage.items():
            assert counts["translated"] == counts["total"] > 0, (lang, kind)


def test_paths_that_cannot_be_written_are_usage_errors_not_tracebacks(runner, rule_workspace, tmp_path):
    """An output path running through a file: one line naming it, exit 2, for every writer."""
    (tmp_path / "afile").write_text("")
    workspace = str(rule_workspace())
    for args in (
        ["validate", workspace, "-o", str(tmp_path / "afile" / "report.txt")],
        ["init", str(tmp_path / "afile" / "new")],
        ["render", workspace, "--venue", "v1", "--as-of", "2025-06-01", "-o", str(tmp_path / "afile" / "out")],
        ["render", workspace, "--venue", "v1", "-o", str(tmp_path / "afile")],
    ):
        result = runner.invoke(main, args)
        assert result.exit_code == 2, (args, result.output)
        assert "Traceback" not in result.output and not isinstance(result.exception, OSError)
        assert f"Not a directory: {tmp_path / 'afile'}" in result.output or "' is a file." in result.output


def test_render_reports_a_library_without_readiness_parameters_without_a_traceback(runner, rule_workspace, tmp_path):
    """The rule fixtures' own library declares no readiness weights: render says so, exit 1."""
    result = runner.invoke(
        main, ["render", str(rule_workspace()), "--venue", "v1", "--as-of", "2025-06-01", "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == 1 and (result.exception is None or isinstance(result.exception, SystemExit))
    assert "venues/v1.yaml:2:5: the library does not declare parameters: readiness_weight_critical" in result.output


def test_a_directory_that_cannot_be_read_stops_validate_and_resolve(runner, rule_workspace, monkeypatch):
    """An unreadable overlays/ directory would give plans that look complete: exit 2, named."""
    import os
    from pathlib import Path

    workspace = rule_workspace()
    (workspace / "overlays").mkdir()
    real_scandir = os.scandir

    def scandir(path):  # root ignores permissions, so refuse the directory the way chmod 000 would
        if Path(path) == workspace / "overlays":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    for args in (["validate", str(workspace)], ["resolve", str(workspace), "--venue", "v1"]):
        result = runner.invoke(main, args)
        assert result.exit_code == 2, (args, result.output)
        assert f"{workspace / 'overlays'}: cannot read this directory (Permission denied)" in result.output


@pytest.mark.parametrize("command", ["status", "render"])
@pytest.mark.parametrize("as_of", ["2030-03-01T25:00", "2030-03-01T10:00+99:00", "2030-03-01xyz", ""])
def test_a_bad_as_of_is_a_usage_error(runner, command, as_of, tmp_path):
    """Every --as-of the readiness code could not read fails at once with exit 2 (never 'today')."""
    args = [command, str(ROOT / "samples" / "wc2030"), "--venue", "ma-tanger", "--as-of", as_of]
    result = runner.invoke(main, args + (["-o", str(tmp_path)] if command == "render" else []))
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--as-of'" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    "source, message",
    [
        ("/etc", "protocol source '/etc' is an absolute path"),
        ("nowhere", "protocol source 'nowhere': no such file or directory"),
        ("empty", "protocol source 'empty': no *.yaml or *.yml files in this directory"),
    ],
)
def test_a_protocol_source_must_be_a_relative_directory_of_yaml(runner, rule_workspace, source, message):
    workspace = rule_workspace()
    (workspace / "empty").mkdir()
    tournament = workspace / "tournament.yaml"
    tournament.write_text(tournament.read_text().replace("protocols: [library]", f"protocols: [library, {source}]"))
    result = runner.invoke(main, ["validate", str(workspace)])
    assert result.exit_code == 1
    assert f"tournament.yaml:6:22: error[protocol-source] {message}" in result.output


def test_a_plan_that_cannot_be_laid_out_is_an_error_not_a_traceback(runner, tmp_path, monkeypatch):
    """reportlab's LayoutError (a text taller than a page) comes back as that plan's error."""
    from reportlab.platypus.doctemplate import LayoutError

    import eventsec.render.build

    def too_tall(*args, **kwargs):
        raise LayoutError("Flowable <Table@0x1 1 rows x 2 cols> with cell(0,0) containing 'Estadio Estadio' too large")

    monkeypatch.setattr(eventsec.render.build, "render_plan", too_tall)
    result = runner.invoke(
        main,
        [
            "render",
            str(ROOT / "samples" / "wc2030"),
            "--venue",
            "ma-tanger",
            "--as-of",
            "2030-03-01",
            "-o",
            str(tmp_path),
        ],
    )
    assert result.exit_code == 1 and (result.exception is None or isinstance(result.exception, SystemExit))
    assert "ma-tanger (en): the plan cannot be laid out: a text is too long to fit a page" in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["status", "--fail-under", "nan"], "Invalid value for '--fail-under': not a number"),
        (["render", "--venue", "ma-tanger", "--release", ""], "--release and --since need a value"),
        (["render", "--venue", "ma-tanger", "--since", ""], "--release and --since need a value"),
        (["render", "--venue", "ma-tanger", "--font", "/etc/hostname"], "Invalid value for --font: cannot use font"),
    ],
)
def test_option_values_that_would_disable_a_check_are_usage_errors(runner, args, message, tmp_path):
    command, *rest = args
    extra = ["-o", str(tmp_path)] if command == "render" else ["--as-of", "2030-03-01"]
    result = runner.invoke(main, [command, str(ROOT / "samples" / "wc2030"), *rest, *extra])
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_a_venue_failing_its_schema_gives_one_error_not_a_cascade(runner, tmp_path):
    """Its status file is not 'for an unknown venue', and its overlay's items are not 'stale'."""
    shutil.copytree(ROOT / "samples" / "wc2030", tmp_path / "ws")
    venue = tmp_path / "ws" / "venues" / "es-cartuja.yaml"
    venue.write_text(venue.read_text().replace("capacity: 60000", 'capacity: "60000"'))
    result = runner.invoke(main, ["validate", str(tmp_path / "ws")])
    assert result.exit_code == 1
    assert [line for line in result.output.splitlines() if "error[" in line or "warning[" in line] == [
        f"{venue}:8:11: error[schema] capacity must be an integer; got text '60000'"
    ]


def test_an_overlay_failing_its_schema_does_not_make_its_items_stale(runner, rule_workspace):
    """Status entries for the items a broken overlay adds wait for the overlay, not 'stale'."""
    workspace = rule_workspace()
    (workspace / "overlays").mkdir()
    (workspace / "overlays" / "o.yaml").write_text(
        "kind: overlay\nid: o\nlayer: venue\ntarget: v1\nbogus: 1\nadd:\n  - protocol: crowd-management\n"
        "    item: {id: CRW-V1-001, title: Walk the gates, description: Gates walked., criticality: low,"
        " phase: T-1d, owner: stewarding-manager, evidence: Log, basis: practice}\n"
    )
    (workspace / "status").mkdir()
    (workspace / "status" / "v1.yaml").write_text(
        "kind: status\nvenue: v1\nitems:\n  CRW-V1-001: {state: in-progress}\n"
    )
    result = runner.invoke(main, ["validate", str(workspace)])
    assert [line.split("] ")[0].split(": ")[-1] for line in result.output.splitlines() if "[" in line] == [
        "error[schema"
    ]


def test_status_says_why_it_fails_the_gate(runner):
    result = runner.invoke(
        main,
        [
            "status",
            str(ROOT / "samples" / "wc2030"),
            "--venue",
            "pt-luz",
            "--as-of",
            "2030-03-01",
            "--fail-under",
            "95",
        ],
    )
    assert result.exit_code == 1
    assert re.search(r"eventsec: pt-luz: (NO-GO|preparation scores [0-9.]+%, under --fail-under 95)", result.output)
