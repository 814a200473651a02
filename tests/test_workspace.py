"""What validate must catch before a later stage trips over it: a workspace without a readable
tournament.yaml, a directory where a file belongs, protocol sources outside the workspace, and
figures the later stages cannot compute with. Each case is driven through every command that
opens a workspace: exit 1 with a located finding (or 2 with one line for an I/O problem), never
a traceback."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from eventsec.checks import validate as validate_module
from eventsec.cli import main
from eventsec.load.scaffold import scaffold

OPENING = [
    ["status"],
    ["status", "--venue", "main-stadium"],
    ["safety", "--venue", "main-stadium"],
    ["render", "--all", "--jobs", "1", "--as-of", "2030-06-01"],
]
"""Every command that opens a workspace (render fails at validation, before any page is laid out)."""

FINDING = re.compile(r"^(?P<file>\S+):(?P<line>\d+):(?P<column>\d+): error\[(?P<rule>[a-z-]+)\] (?P<message>.*)$", re.M)


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A copy of the workspace 'eventsec init' writes (validates clean with the built-in library)."""
    root = tmp_path / "ws"
    scaffold(root)
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def _run(runner, args: list[str], root: Path):
    command = [args[0], str(root), *args[1:]]
    if args[0] == "render":
        command += ["-o", str(root.parent / "out")]
    result = runner.invoke(main, command)
    assert "Traceback" not in result.output, (command, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        command,
        result.output,
        result.exception,
    )
    return result


def _findings(output: str) -> list[tuple[str, int, int, str, str]]:
    return [
        (Path(m["file"]).name, int(m["line"]), int(m["column"]), m["rule"], m["message"])
        for m in FINDING.finditer(output)
    ]


# Validate-stage checks reach every command ----------------------------------------------------

BAD_FIGURES = {  # file, text, the same text with a value later stages cannot use, that value
    "first day of the calendar": ("tournament.yaml", 'start: "2030-06-13"', 'start: "0001-01-01"', '"0001-01-01"'),
    "last day of the calendar": (
        "venues/main-stadium.yaml",
        'date: "2030-06-13"',
        'date: "9999-12-31"',
        '"9999-12-31"',
    ),
    "status date": ("status/main-stadium.yaml", 'updated: "2030-01-15"', 'updated: "9999-12-31"', '"9999-12-31"'),
    "exit 1e-300 m wide": (
        "venues/main-stadium.yaml",
        "{id: n-exits, width_m: 22,",
        "{id: n-exits, width_m: 1.0e-300,",
        "1.0e-300",
    ),
    "no turnstile": ("venues/main-stadium.yaml", "{id: gate-a, turnstiles: 17,", "{id: gate-a, turnstiles: 0,", "0,"),
}


def _break(workspace: Path, case: str) -> tuple[str, int, int]:
    """Apply one case of :data:`BAD_FIGURES`; the file name, line and column of the bad value."""
    file, old, new, value = BAD_FIGURES[case]
    _edit(workspace / file, old, new)
    text = (workspace / file).read_text(encoding="utf-8")
    at = text.index(new) + new.index(value)
    return Path(file).name, text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)


@pytest.mark.parametrize("args", OPENING, ids=lambda a: " ".join(a))
@pytest.mark.parametrize("case", BAD_FIGURES)
def test_a_figure_later_stages_cannot_use_stops_every_command_with_its_finding(runner, workspace, case, args):
    """0001-01-01 and 9999-12-31 crashed status's deadline arithmetic; a 1e-300 m exit crashed render."""
    where = _break(workspace, case)
    result = _run(runner, args, workspace)
    assert result.exit_code == 1, result.output
    assert [f[:4] for f in _findings(result.output)] == [(*where, "schema")], result.output


def test_validate_reports_a_bad_figure_where_it_is_written(runner, workspace):
    where = _break(workspace, "exit 1e-300 m wide")
    result = _run(runner, ["validate"], workspace)
    assert result.exit_code == 1
    (finding,) = _findings(result.output)
    assert finding == (*where, "schema", "geometry.exits[0].width_m: 1e-300 is less than the minimum of 0.5")
    assert "one adult's shoulder width" in result.output


EXTREMES = """\
parameters:
  flow_rate_level: 1
  flow_rate_stepped: 1
  turnstile_rate_per_hour: 1
  entry_time_target_min: 1
  emergency_evacuation_high_fire_risk_min: 1
  turnstile_rate_search_per_hour: 1
  holding_density_per_m2: 0.5
  max_standing_density_per_10m2: 1
  first_aiders_per_1000: 1000000000
  steward_ratio_high_risk: 1
  stewards_per_exit_gate: 1000000000
  medical_heat_factor: 3
  readiness_weight_critical: 1000000000
  readiness_weight_medium: 0.000000001
"""


@pytest.mark.parametrize("args", OPENING + [["status", "--as-of", "2000-01-01"]], ids=lambda a: " ".join(a))
def test_the_extremes_validate_accepts_never_crash_a_later_stage(runner, workspace, args):
    """The edges of every accepted range at once: one 0.5 m exit and one turnstile for a million
    people at the slowest rates, the first and last plan days, parameters at their size bound."""
    venue = workspace / "venues" / "main-stadium.yaml"
    text = venue.read_text(encoding="utf-8")
    head = text[: text.index("matches:")].replace("capacity: 42000", "capacity: 1000000")
    venue.write_text(
        head
        + """\
matches:
  - {id: m01, date: "2100-12-31", kickoff: "23:59", stage: group, risk: high, expected_attendance: 1000000}
  - {id: m00, date: "2000-01-01", kickoff: "00:00", stage: final, risk: low, expected_attendance: 0}
geometry:
  sections:
    - {id: north, seated: 999999}
    - {id: south, standing: 1, standing_area_m2: 1}
  exits:
    - {id: x, width_m: 0.5, type: stepped, serves: [north, south]}
  entrances:
    - {id: g, turnstiles: 1, feeds: [north, south]}
  holding_areas:
    - {id: h, area_m2: 1, serves: [north]}
""",
        encoding="utf-8",
    )
    tournament = workspace / "tournament.yaml"
    _edit(
        tournament, 'dates: {start: "2030-06-13", end: "2030-07-21"}', 'dates: {start: "2000-01-01", end: "2100-12-31"}'
    )
    for milestone in ('"2029-09-12"', '"2030-03-28"'):  # milestones fall on or before the start
        _edit(tournament, milestone, '"2000-01-01"')
    tournament.write_text(tournament.read_text(encoding="utf-8") + EXTREMES, encoding="utf-8")
    assert _run(runner, ["validate"], workspace).exit_code == 0
    result = _run(runner, args, workspace)
    assert result.exit_code in (0, 1), result.output
    assert "eventsec:" not in result.output or "NO-GO" in result.output, result.output


# A workspace needs its tournament.yaml ---------------------------------------------------------


def test_validate_fails_a_workspace_whose_tournament_yaml_was_deleted(runner, workspace):
    (workspace / "tournament.yaml").unlink()
    result = _run(runner, ["validate"], workspace)
    assert result.exit_code == 1
    found = _findings(result.output)
    assert {(f[0], f[1], f[2], f[3]) for f in found} == {
        ("country-xx.yaml", 2, 7, "workspace"),
        ("main-stadium.yaml", 2, 7, "workspace"),
    }
    assert len(found) == 3 and all("belongs to no workspace: no tournament in" in f[4] for f in found)


def test_one_file_validated_on_its_own_needs_no_tournament(runner, workspace):
    (workspace / "tournament.yaml").unlink()
    assert _run(runner, ["validate"], workspace / "venues" / "main-stadium.yaml").exit_code == 0


def test_a_subdirectory_of_a_workspace_is_checked_against_its_tournament(runner, workspace):
    assert _run(runner, ["validate"], workspace / "venues").exit_code == 0


@pytest.mark.parametrize("args", OPENING, ids=lambda a: " ".join(a))
def test_commands_refuse_a_workspace_without_tournament_yaml(runner, workspace, args):
    (workspace / "tournament.yaml").unlink()
    result = _run(runner, args, workspace)
    assert result.exit_code == 2
    assert result.output.strip().endswith("no tournament.yaml (a workspace is a directory with a tournament.yaml)")


@pytest.mark.parametrize("args", [["validate"]] + OPENING, ids=lambda a: " ".join(a))
def test_a_directory_named_tournament_yaml_is_an_error(runner, workspace, args):
    (workspace / "tournament.yaml").unlink()
    (workspace / "tournament.yaml").mkdir()
    result = _run(runner, args, workspace)
    assert result.exit_code == 2
    assert str(workspace / "tournament.yaml") in result.output and "directory" in result.output
    assert result.output.count("\n") == 1, result.output


@pytest.mark.parametrize("args", [["validate"]] + OPENING, ids=lambda a: " ".join(a))
def test_an_unreadable_tournament_yaml_is_a_located_error(runner, workspace, args, monkeypatch):
    real = Path.read_bytes

    def read_bytes(path: Path) -> bytes:  # root ignores chmod, so refuse the file the way a chmod 000 would
        if path.name == "tournament.yaml":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    result = _run(runner, args, workspace)
    assert result.exit_code == 1
    assert "tournament.yaml: error[encoding] cannot read file: Permission denied" in result.output, result.output


@pytest.mark.parametrize("args", [["validate"]] + OPENING, ids=lambda a: " ".join(a))
def test_a_tournament_yaml_of_another_kind_is_an_error(runner, workspace, args):
    """It used to pass validate, and then status failed on the missing tournament with an IndexError."""
    (workspace / "tournament.yaml").write_text("kind: overlay\nid: t\nlayer: tournament\n", encoding="utf-8")
    result = _run(runner, args, workspace)
    assert result.exit_code == 1
    assert (
        "tournament.yaml",
        1,
        7,
        "workspace",
        "tournament.yaml holds kind 'overlay', not the tournament",
    ) in _findings(result.output), result.output


@pytest.mark.parametrize("args", [["validate"]] + OPENING, ids=lambda a: " ".join(a))
@pytest.mark.parametrize("file", ["overlays/country-xx.yaml", "status/main-stadium.yaml", "venues/main-stadium.yaml"])
def test_a_workspace_file_replaced_by_a_directory_is_an_error_not_a_deletion(runner, workspace, args, file):
    (workspace / file).unlink()
    (workspace / file).mkdir()
    result = _run(runner, args, workspace)
    assert result.exit_code == 2
    assert (
        result.output
        == f"eventsec: {workspace / file}: a directory with a YAML file's name; eventsec expects a file here\n"
    )


def test_a_yaml_path_named_on_its_own_that_is_a_directory_is_an_error(runner, workspace):
    status = workspace / "status" / "main-stadium.yaml"
    status.unlink()
    status.mkdir()
    (status / "inside.yaml").write_text("kind: status\n", encoding="utf-8")
    result = _run(runner, ["validate"], status)
    assert result.exit_code == 2
    assert result.output == f"eventsec: {status}: a directory with a YAML file's name; eventsec expects a file here\n"


# Protocol sources stay inside the workspace ----------------------------------------------------


def _protocols(workspace: Path, sources: str) -> None:
    _edit(workspace / "tournament.yaml", "protocols: [builtin]", f"protocols: [{sources}]")


@pytest.fixture
def walked(monkeypatch) -> list[Path]:
    """Every directory the validator searches for protocol files."""
    roots: list[Path] = []
    real = validate_module.find_yaml_files

    def find_yaml_files(root: Path):
        roots.append(Path(root))
        return real(root)

    monkeypatch.setattr(validate_module, "find_yaml_files", find_yaml_files)
    return roots


@pytest.mark.parametrize("source", ["'../../../../'", "..", "lib/../.."])
def test_a_protocol_source_outside_the_workspace_is_refused_before_any_walk(runner, workspace, walked, source):
    _protocols(workspace, f"builtin, {source}")
    result = _run(runner, ["validate"], workspace / "tournament.yaml")
    assert result.exit_code == 1
    (finding,) = _findings(result.output)
    assert finding[:4] == ("tournament.yaml", 9, 22, "protocol-source") and finding[4].endswith(
        ", outside the workspace"
    )
    assert all(root.resolve().is_relative_to(workspace.resolve()) for root in walked), walked


def test_a_protocol_source_linked_outside_the_workspace_is_refused(runner, workspace, walked, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "p.yaml").write_text("kind: protocol\n", encoding="utf-8")
    os.symlink(elsewhere, workspace / "lib")
    _protocols(workspace, "builtin, lib")
    result = _run(runner, ["validate"], workspace / "tournament.yaml")
    assert result.exit_code == 1
    (finding,) = _findings(result.output)
    assert finding[:4] == ("tournament.yaml", 9, 22, "protocol-source")
    assert finding[4] == f"protocol source 'lib' is {elsewhere}, outside the workspace" and walked == []


def test_a_protocol_file_linked_from_outside_the_workspace_is_refused_and_not_loaded(runner, workspace, tmp_path):
    (tmp_path / "outside.yaml").write_text("kind: protocol\n", encoding="utf-8")  # a schema error if it were loaded
    (workspace / "lib").mkdir()
    os.symlink(tmp_path / "outside.yaml", workspace / "lib" / "linked.yaml")
    _protocols(workspace, "builtin, lib")
    result = _run(runner, ["validate"], workspace / "tournament.yaml")
    assert result.exit_code == 1
    (finding,) = _findings(result.output)
    assert finding[:4] == ("tournament.yaml", 9, 22, "protocol-source")
    assert finding[4].startswith("protocol source 'lib' holds ") and finding[4].endswith(
        "outside.yaml, outside the workspace"
    )


def test_a_protocol_source_inside_the_workspace_is_loaded(runner, workspace):
    (workspace / "lib").mkdir()
    (workspace / "lib" / "p.yaml").write_text("kind: protocol\n", encoding="utf-8")
    _protocols(workspace, "builtin, lib")
    result = _run(runner, ["validate"], workspace / "tournament.yaml")
    assert result.exit_code == 1 and "p.yaml:1:1: error[schema] missing required field" in result.output, result.output
