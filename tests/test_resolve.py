"""The resolver: merge rules, provenance, conditions, computed parameters and its errors."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

import pytest

from eventsec.checks.validate import load_workspace
from eventsec.cli import main
from eventsec.plan.model import NOT_APPLICABLE, PRESENT, REMOVED
from eventsec.plan.resolve import resolve
from tests.conftest import FIXTURES, ROOT, RULE_FIXTURES

RESOLVE_FIXTURES = FIXTURES / "resolve"


def workspace_with(tmp_path: Path, files: dict[str, str] | None = None, fixture: str | None = None) -> Path:
    root = tmp_path / "ws"
    shutil.copytree(RULE_FIXTURES / "base", root)
    if fixture:
        shutil.copytree(RESOLVE_FIXTURES / fixture, root, dirs_exist_ok=True)
    for name, text in (files or {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(textwrap.dedent(text).lstrip())
    return root


def plan_of(root: Path, venue: str = "v1", match: str | None = None):
    workspace, result = load_workspace(root)
    assert workspace is not None, [f"{f.location} {f.message}" for f in result.findings]
    plan, findings = resolve(workspace, venue, match)
    assert plan is not None, [f"{f.location} {f.message}" for f in findings]
    return plan


def overlay(layer: str, target: str | None, body: str, ident: str = "o") -> str:
    head = f"kind: overlay\nid: {ident}\nlayer: {layer}\n" + (f"target: {target}\n" if target else "")
    return head + textwrap.dedent(body)


def test_library_values_carry_their_source_line(tmp_path):
    plan = plan_of(workspace_with(tmp_path))
    item = plan.item("CRW-001")
    assert item.state == PRESENT
    origin = item.origin("title")
    assert (origin.layer, origin.file, origin.line) == ("library", "library/crowd.yaml", 15)


def test_later_layers_win_and_record_what_they_overrode(tmp_path):
    root = workspace_with(
        tmp_path,
        {
            "overlays/country.yaml": overlay(
                "country", "XX", "set:\n  - item: CRW-002\n    fields: {criticality: high}\n"
            ),
            "overlays/venue.yaml": overlay(
                "venue", "v1", "set:\n  - item: CRW-002\n    fields: {criticality: low}\n", "v"
            ),
        },
    )
    item = plan_of(root).item("CRW-002")
    assert item.fields["criticality"] == "low"
    assert [c.origin.layer for c in item.history["criticality"]] == ["library", "country", "venue"]
    provenance = item.to_dict()["provenance"]["criticality"]
    assert provenance["file"] == "overlays/venue.yaml" and provenance["line"] == 7
    assert provenance["overrode"] == {"value": "high", "layer": "country", "file": "overlays/country.yaml", "line": 7}
    assert item.changed_fields() == ["criticality"] and item.base_value("criticality") == "medium"


def test_a_field_an_overlay_gives_an_item_that_had_none_counts_as_changed(tmp_path):
    root = workspace_with(
        tmp_path,
        {
            "overlays/country.yaml": overlay(
                "country", "XX", "set:\n  - item: CRW-002\n    fields: {tags: [national-law]}\n"
            )
        },
    )
    item = plan_of(root).item("CRW-002")
    assert "tags" in item.changed_fields() and item.base_value("tags") is None
    assert item.base_value("criticality") == "medium" and "criticality" not in item.changed_fields()


def test_match_layer_applies_only_with_match(tmp_path):
    root = workspace_with(
        tmp_path,
        {
            "overlays/m1.yaml": overlay("match", "m1", "parameters: {steward_ratio: 100}\n"),
        },
    )
    assert plan_of(root).parameters["steward_ratio"].value == 250
    assert plan_of(root, match="m1").parameters["steward_ratio"].value == 100


def test_lists_replace_unless_appended(tmp_path):
    root = workspace_with(
        tmp_path,
        {
            "overlays/venue.yaml": overlay(
                "venue",
                "v1",
                """
            set:
              - item: CRW-001
                append: {tags: [heat], lessons: [T25-L01]}
              - item: CRW-002
                fields: {tags: [gates]}
            """,
            ),
        },
    )
    plan = plan_of(root)
    assert plan.item("CRW-001").fields["lessons"] == ["T25-L01"]
    assert plan.item("CRW-001").fields["tags"] == ["heat"]
    assert plan.item("CRW-002").fields["tags"] == ["gates"]


def test_maps_deep_merge(tmp_path):
    root = workspace_with(
        tmp_path,
        {
            "overlays/country.yaml": overlay(
                "country",
                "XX",
                "set:\n  - item: CRW-002\n    fields: {translations: {fr: {title: Briefer les stadiers}}}\n",
            ),
            "overlays/venue.yaml": overlay(
                "venue",
                "v1",
                "set:\n  - item: CRW-002\n    fields: {translations: {es: {title: Informar a los auxiliares}}}\n",
                "v",
            ),
        },
    )
    translations = plan_of(root).item("CRW-002").fields["translations"]
    assert translations == {"fr": {"title": "Briefer les stadiers"}, "es": {"title": "Informar a los auxiliares"}}


def test_adds_land_at_their_anchor_in_file_order(tmp_path):
    item = "{id: %s, title: Do %s, description: Done., criticality: low, phase: T-5d, owner: stewarding-manager, evidence: Log, basis: practice}"
    root = workspace_with(
        tmp_path,
        {
            "overlays/venue.yaml": overlay(
                "venue",
                "v1",
                f"""
            add:
              - {{protocol: crowd-management, after: CRW-001, item: {item % ("CRW-V-001", "a")}}}
              - {{protocol: crowd-management, after: CRW-001, item: {item % ("CRW-V-002", "b")}}}
              - {{protocol: crowd-management, before: CRW-001, item: {item % ("CRW-V-003", "c")}}}
              - {{protocol: crowd-management, item: {item % ("CRW-V-004", "d")}}}
            """,
            ),
        },
    )
    ids = [i.id for i in plan_of(root).protocols[0].items]
    assert ids == ["CRW-V-003", "CRW-001", "CRW-V-001", "CRW-V-002", "CRW-002", "CRW-V-004"]
    assert plan_of(root).item("CRW-V-001").added.layer == "venue"


def test_removed_items_stay_listed_with_reason_and_waiver(tmp_path):
    root = workspace_with(
        tmp_path,
        {
            "overlays/venue.yaml": overlay(
                "venue",
                "v1",
                """
            remove:
              - item: CRW-001
                reason: The operator's certified plan replaces it at this venue
                waiver: {approved_by: "J. Doe, tournament security officer", date: "2025-05-01", reason: Plan reviewed}
            """,
            ),
        },
    )
    item = plan_of(root).item("CRW-001")
    assert item.state == REMOVED
    assert item.removal["reason"].startswith("The operator") and item.removal["waiver"]["approved_by"].startswith(
        "J. Doe"
    )
    assert item.removal["file"] == "overlays/venue.yaml"


def test_conditions_make_items_not_applicable_with_the_condition(tmp_path):
    root = workspace_with(
        tmp_path,
        {
            "overlays/venue.yaml": overlay(
                "venue",
                "v1",
                """
            set:
              - item: CRW-002
                fields: {applies_when: "venue.capacity >= 50000"}
              - item: CRW-001
                fields: {applies_when: "match.risk == 'high'"}
            """,
            ),
        },
    )
    plan = plan_of(root)
    assert plan.item("CRW-002").state == NOT_APPLICABLE and plan.item("CRW-002").condition == "venue.capacity >= 50000"
    assert plan.item("CRW-001").state == PRESENT


def test_computed_parameters_follow_their_dependencies(tmp_path):
    root = workspace_with(
        tmp_path,
        {
            "library/extra.yaml": """
            kind: protocol
            id: extra
            version: 1.0.0
            title: Extra
            domain: crowd
            parameters:
              stewards_needed: {type: integer, expression: 'ceil(venue.capacity / steward_ratio)', unit: stewards, confidence: assumed}
            items:
              - {id: XTR-001, title: Count stewards, description: Count., criticality: low, phase: T-10d, owner: stewarding-manager, evidence: Roster, basis: practice}
            """,
            "overlays/venue.yaml": overlay("venue", "v1", "parameters: {steward_ratio: 200}\n"),
        },
    )
    assert plan_of(root).parameters["stewards_needed"].value == 150  # ceil(30000 / 200)


RESOLVER_ERRORS = [
    ("same-layer-conflict", "overlays/b.yaml", 7, "'CRW-002.criticality' is set to 'low' here and to 'high' at"),
    ("parameter-conflict", "overlays/b.yaml", 5, "parameter 'steward_ratio' is set here and at"),
    (
        "parameter-cycle",
        "overlays/cycle.yaml",
        6,
        "computed parameters form a cycle: steward_ratio → stewards_needed → steward_ratio",
    ),
    (
        "computed-parameter-out-of-range",
        "overlays/ratio.yaml",
        6,
        "parameter 'steward_ratio' computes 30000: 30000 is above the maximum 1000",
    ),
    ("set-removed-item", "overlays/venue.yaml", 6, "set: item 'CRW-002' was removed at overlays/country.yaml:6"),
]


@pytest.mark.parametrize("fixture, file, line, message", RESOLVER_ERRORS)
def test_validate_reports_what_only_the_resolver_sees(runner, tmp_path, fixture, file, line, message):
    """The CI gate: `validate` resolves every venue of a clean workspace, so these fail it too."""
    root = workspace_with(tmp_path, fixture=fixture)
    result = runner.invoke(main, ["validate", str(root)])
    assert result.exit_code == 1, result.output
    (reported,) = [line for line in result.output.splitlines() if message in line]
    assert reported.startswith(f"{root / file}:{line}:") and "error[resolve]" in reported


@pytest.mark.parametrize("fixture, file, line, message", RESOLVER_ERRORS)
def test_resolver_errors_name_the_overlay_entry(runner, tmp_path, fixture, file, line, message):
    root = workspace_with(tmp_path, fixture=fixture)
    result = runner.invoke(main, ["resolve", str(root), "--venue", "v1"])
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if message in line]
    assert lines, result.output
    assert f"{file}:{line}:" in lines[0]


@pytest.mark.parametrize(
    "files, rule, message",
    [
        (
            {"overlays/o.yaml": overlay("venue", "v1", "set:\n  - item: CRW-099\n    fields: {criticality: low}\n")},
            "unknown-item",
            "set targets item 'CRW-099', which does not exist",
        ),
        (
            {"overlays/o.yaml": overlay("venue", "v1", "set:\n  - item: CRW-002\n    fields: {critically: low}\n")},
            "schema",
            "unknown field 'critically'",
        ),
        (
            {"overlays/o.yaml": overlay("venue", "v1", "parameters: {stewards: 3}\n")},
            "parameter",
            "parameter 'stewards' is not declared by any protocol",
        ),
        (
            {"overlays/o.yaml": overlay("venue", "v1", "parameters: {steward_ratio: '250'}\n")},
            "parameter",
            "expected integer, got '250'",
        ),
        (
            {
                "overlays/o.yaml": overlay(
                    "venue", "v1", "parameters: {steward_ratio: {value: 200, expression: '300'}}\n"
                )
            },
            "schema",
            "parameters.steward_ratio: give 'value' or 'expression', not both",
        ),
        (
            {
                "overlays/o.yaml": overlay(
                    "venue", "v1", "parameters: {steward_ratio: {source: Measured at the test event}}\n"
                )
            },
            "schema",
            "parameters.steward_ratio: give 'value' or 'expression'",
        ),
        (
            {
                "overlays/o.yaml": overlay(
                    "venue", "v1", "remove:\n  - item: CRW-001\n    reason: Not wanted at this venue at all\n"
                )
            },
            "removal-waiver",
            "is locked and cannot be removed without a waiver",
        ),
        (
            {"overlays/o.yaml": overlay("venue", "v1", "remove:\n  - item: CRW-002\n")},
            "schema",
            "missing required field 'reason'",
        ),
        (
            {"overlays/o.yaml": overlay("venue", "v1", "set:\n  - item: CRW-001\n    fields: {criticality: low}\n")},
            "locked-change",
            "its criticality cannot drop from critical to low",
        ),
        (
            {
                "overlays/o.yaml": overlay(
                    "venue", "v1", "set:\n  - item: CRW-002\n    fields: {applies_when: 'stadium.roof'}\n"
                )
            },
            "expression",
            "reads unknown name 'stadium'",
        ),
    ],
)
def test_overlay_mistakes_are_reported_before_resolving(runner, tmp_path, files, rule, message):
    root = workspace_with(tmp_path, files)
    result = runner.invoke(main, ["resolve", str(root), "--venue", "v1"])
    assert result.exit_code == 1
    assert f"error[{rule}]" in result.output and message in result.output
    assert "overlays/o.yaml:" in result.output


def test_optional_entries_do_nothing_silently_only_when_asked(tmp_path):
    root = workspace_with(
        tmp_path,
        {
            "overlays/o.yaml": overlay(
                "venue",
                "v1",
                "set:\n  - {item: CRW-099, optional: true, fields: {criticality: low}}\n"
                "remove:\n  - {item: CRW-098, optional: true, reason: Only some libraries carry it}\n",
            ),
        },
    )
    assert [i.id for i in plan_of(root).items()] == ["CRW-001", "CRW-002"]


def test_cli_usage_errors(runner, tmp_path):
    root = workspace_with(tmp_path)
    assert runner.invoke(main, ["resolve", str(root), "--venue", "nope"]).exit_code == 2
    assert runner.invoke(main, ["resolve", str(root), "--venue", "v1", "--match", "m9"]).exit_code == 2
    assert runner.invoke(main, ["resolve", str(tmp_path), "--venue", "v1"]).exit_code == 2


def test_cli_json_and_explain(runner, tmp_path):
    root = workspace_with(
        tmp_path,
        {
            "overlays/venue.yaml": overlay(
                "venue", "v1", "set:\n  - item: CRW-002\n    fields: {criticality: high}\n    note: Large crowd\n"
            ),
        },
    )
    data = json.loads(runner.invoke(main, ["resolve", str(root), "--venue", "v1", "--format", "json"]).output)
    assert data["plan"]["counts"] == {"present": 2, "not_applicable": 0, "removed": 0}
    explained = runner.invoke(main, ["resolve", str(root), "--venue", "v1", "--explain", "CRW-002"]).output
    assert "library" in explained and "venue" in explained and "overlays/venue.yaml:7" in explained
    assert "(Large crowd)" in explained


def test_resolved_plan_matches_the_plan_schema(tmp_path):
    from eventsec.load.schema import validator

    plan = plan_of(workspace_with(tmp_path), match="m1")
    assert list(validator("plan").iter_errors(plan.to_dict())) == []


def test_plan_schema_catches_a_broken_plan(tmp_path):
    from eventsec.load.schema import validator

    data = plan_of(workspace_with(tmp_path)).to_dict()
    item = data["protocols"][0]["items"][1]
    item["state"] = "removed"  # removed without a removal record
    del item["provenance"]["title"]["line"]
    messages = sorted(e.message for e in validator("plan").iter_errors(data))
    assert any("'removal' is a required property" in m for m in messages)
    from eventsec.load.schema import fast_validator

    assert not fast_validator("plan").is_valid(data)  # the fast path never waves a broken plan through
    assert any("'line' is a required property" in m for m in messages)


def two_venues_one_overlay(tmp_path: Path):
    """The base workspace plus a venue v2 whose overlay sets CRW-002's criticality, loaded."""
    root = workspace_with(
        tmp_path,
        {
            "venues/v2.yaml": (RULE_FIXTURES / "base" / "venues" / "v1.yaml")
            .read_text()
            .replace("id: v1", "id: v2")
            .replace("id: m1", "id: m2"),
            "overlays/v2.yaml": overlay("venue", "v2", "set:\n  - item: CRW-002\n    fields: {criticality: low}\n"),
        },
    )
    workspace, result = load_workspace(root)
    assert workspace is not None, result.findings
    return workspace


def test_plans_of_one_workspace_never_see_each_others_changes():
    """A workspace's plans share its library layer and copy an item only when they change it:
    resolving every venue (and three matches) forwards or backwards gives the same plans."""
    jobs = [("ma-hassan2", "m001"), ("es-metropolitano", "m024"), ("es-bernabeu", "m043")]
    outputs = []
    for backwards in (False, True):
        workspace, _ = load_workspace(ROOT / "samples" / "wc2030")
        order = [(venue, None) for venue in sorted(workspace.venues())] + jobs
        plans = {}
        for venue, match in reversed(order) if backwards else order:
            plan, findings = resolve(workspace, venue, match)
            assert plan is not None, findings
            plans[venue, match] = json.dumps(plan.to_dict(), sort_keys=True)
        outputs.append(plans)
    assert outputs[0] == outputs[1]
    assert len(set(outputs[0].values())) == len(outputs[0])  # every plan differs: the comparison means something


def test_later_plans_schema_check_only_items_that_differ_from_the_library(tmp_path, monkeypatch):
    """The third validation pass is skipped only for items already accepted as they are."""
    import eventsec.load.schema

    checked: list[list[str]] = []
    real = eventsec.load.schema.fast_validator

    class Spy:
        def __init__(self, validator):
            self.validator = validator

        def is_valid(self, data):
            checked.append([i["id"] for p in data["protocols"] for i in p["items"]])
            return self.validator.is_valid(data)

    monkeypatch.setattr(
        eventsec.load.schema, "fast_validator", lambda kind: Spy(real(kind)) if kind == "plan" else real(kind)
    )
    workspace = two_venues_one_overlay(tmp_path)
    everything = [item.id for item in resolve(workspace, "v1")[0].items()]
    resolve(workspace, "v2")
    resolve(workspace, "v1")
    assert checked == [everything, ["CRW-002"], []]


def test_a_later_plans_schema_error_names_the_items_place_in_the_whole_plan(tmp_path, monkeypatch):
    """A later plan sends only some items to the validator; the error still names the path the
    item has in the printed plan, and the file:line that set the bad value."""
    from eventsec.plan.model import ResolvedItem

    workspace = two_venues_one_overlay(tmp_path)
    assert resolve(workspace, "v1")[0] is not None
    to_dict = ResolvedItem.to_dict

    def broken(item):
        data = to_dict(item)
        if item.id == "CRW-002":
            data["criticality"] = "urgent"
        return data

    monkeypatch.setattr(ResolvedItem, "to_dict", broken)
    plan, findings = resolve(workspace, "v2")
    assert plan is None
    (finding,) = findings
    assert "resolved plan is invalid at protocols/0/items/1/criticality" in finding.message
    assert finding.location.file.endswith("/ws/overlays/v2.yaml") and finding.location.line == 7


def test_status_reports_a_mistake_every_venue_shares_once(runner, tmp_path):
    """A country-layer cycle stops both venues of the country; the finding is printed once."""
    root = workspace_with(tmp_path, fixture="parameter-cycle")
    cycle = root / "overlays" / "cycle.yaml"
    cycle.write_text(cycle.read_text().replace("layer: venue\ntarget: v1", "layer: country\ntarget: XX"))
    (root / "venues" / "v2.yaml").write_text(
        (root / "venues" / "v1.yaml").read_text().replace("id: v1", "id: v2").replace("id: m1", "id: m2")
    )
    workspace, _ = load_workspace(root)
    assert [resolve(workspace, v)[0] for v in ("v1", "v2")] == [None, None]
    result = runner.invoke(main, ["status", str(root), "--as-of", "2025-05-01"])
    assert result.exit_code == 1
    assert result.output.count("computed parameters form a cycle") == 1, result.output


PLAUSIBLE = "is not a finite number of plausible size (zero, or from 1e-09 to 1e+09 either way)"


@pytest.mark.parametrize(
    "expression, problem",
    [
        ("9 ** 19", PLAUSIBLE),  # within 64 bits; 9 ** 99 is refused when parsed, an expression error
        ("-(2 ** 63)", PLAUSIBLE),
        ("-(10 ** 12)", PLAUSIBLE),
        ("1e308 * 10", "computes inf: expected integer, got inf"),
    ],
)
def test_a_computed_parameter_must_be_a_plausible_finite_number(runner, tmp_path, expression, problem):
    root = workspace_with(
        tmp_path,
        {"overlays/o.yaml": overlay("venue", "v1", f"parameters:\n  steward_ratio: {{expression: '{expression}'}}\n")},
    )
    result = runner.invoke(main, ["validate", str(root)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "error[resolve] parameter 'steward_ratio' computes" in result.output and problem in result.output


def _with_rate(root: Path, default: str) -> Path:
    """The base library plus a rate declared without a minimum (as a workspace's own library may)."""
    crowd = root / "library" / "crowd.yaml"
    crowd.write_text(
        crowd.read_text().replace("parameters:\n", f"parameters:\n  rate: {{type: number, default: {default}}}\n", 1)
    )
    return root


@pytest.mark.parametrize("setting", ["{expression: '1 / 1e300'}", "1.0e-300", "-1.0e-12"])
def test_a_parameter_too_small_to_be_a_figure_is_refused(runner, tmp_path, setting):
    """A rate of 1e-300 fitted a declaration without a minimum, and its reciprocal overflowed the safety figures."""
    root = _with_rate(
        workspace_with(tmp_path, {"overlays/o.yaml": overlay("venue", "v1", f"parameters:\n  rate: {setting}\n")}), "1"
    )
    result = runner.invoke(main, ["validate", str(root)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "parameter 'rate'" in result.output and PLAUSIBLE in result.output, result.output


@pytest.mark.parametrize("default", ["1.0e-300", "1.0e+12"])
def test_a_default_outside_plausible_figures_is_refused_where_it_is_declared(runner, tmp_path, default):
    result = runner.invoke(main, ["validate", str(_with_rate(workspace_with(tmp_path), default))])
    assert result.exit_code == 1
    assert (
        f"library/crowd.yaml:7:33: error[parameter] parameter 'rate' default: {float(default)!r} {PLAUSIBLE}"
        in result.output
    )


def _declare(root: Path, declaration: str) -> Path:
    crowd = root / "library" / "crowd.yaml"
    crowd.write_text(crowd.read_text().replace("parameters:\n", f"parameters:\n  {declaration}\n", 1))
    return root


FLOOR = "0 is below 1, the least that makes sense (stewards per supervisor)"


@pytest.mark.parametrize(("setting", "rule"), [("0", "parameter"), ("{expression: '0'}", "resolve")])
def test_a_divisor_of_the_safety_figures_has_a_physical_floor_whatever_the_library_declares(
    runner, tmp_path, setting, rule
):
    """A workspace library declaring supervisor_ratio without a minimum let 0 through to a division by zero."""
    root = _declare(
        workspace_with(
            tmp_path, {"overlays/o.yaml": overlay("venue", "v1", f"parameters:\n  supervisor_ratio: {setting}\n")}
        ),
        "supervisor_ratio: {type: integer, default: 10}",
    )
    result = runner.invoke(main, ["validate", str(root)])
    assert result.exit_code == 1
    assert f"error[{rule}] parameter 'supervisor_ratio'" in result.output and FLOOR in result.output, result.output


def test_a_critical_weight_of_zero_is_refused(runner, tmp_path):
    """With every weight 0, a venue with nothing done scored 100% and was ON-TRACK."""
    root = _declare(
        workspace_with(
            tmp_path, {"overlays/o.yaml": overlay("venue", "v1", "parameters:\n  readiness_weight_critical: 0\n")}
        ),
        "readiness_weight_critical: {type: number, default: 8}",
    )
    result = runner.invoke(main, ["validate", str(root)])
    assert result.exit_code == 1
    assert (
        "error[parameter] parameter 'readiness_weight_critical': 0 is below 1, the least that makes sense"
        in result.output
    )


def test_a_default_below_a_physical_floor_is_refused_where_it_is_declared(runner, tmp_path):
    root = _declare(workspace_with(tmp_path), "supervisor_ratio: {type: integer, default: 0}")
    result = runner.invoke(main, ["validate", str(root)])
    assert result.exit_code == 1
    assert (
        f"library/crowd.yaml:7:46: error[parameter] parameter 'supervisor_ratio' default: {FLOOR}" in result.output
    ), result.output


def test_floors_name_safety_or_readiness_parameters_and_the_builtin_library_respects_them():
    from eventsec.assess.readiness.scores import PARAMETERS as READINESS
    from eventsec.assess.safety.assessment import PARAMETERS
    from eventsec.checks.validate import builtin_documents
    from eventsec.plan.parameters import PHYSICAL_FLOORS

    declared = {
        name: d
        for doc in builtin_documents()
        if doc.kind == "protocol"
        for name, d in (doc.data.get("parameters") or {}).items()
    }
    assert set(PHYSICAL_FLOORS) <= set(PARAMETERS) | set(READINESS)
    for name, (floor, _) in PHYSICAL_FLOORS.items():
        assert declared[name]["default"] >= floor and declared[name].get("minimum", floor) >= floor, name


def test_a_parameter_cycle_is_reported_without_echoes_from_the_conditions_that_read_it(runner, tmp_path):
    """Conditions reading the cycle's parameters are not evaluated, so no 'NoneType' errors follow."""
    shutil.copytree(ROOT / "samples" / "wc2030", tmp_path / "ws")
    tournament = tmp_path / "ws" / "tournament.yaml"
    tournament.write_text(
        tournament.read_text().replace(
            "parameters:\n",
            "parameters:\n"
            "  doctor_threshold: {expression: 'ambulance_threshold + 1'}\n"
            "  ambulance_threshold: {expression: 'doctor_threshold + 1'}\n",
            1,
        )
    )
    result = runner.invoke(main, ["validate", str(tmp_path / "ws")])
    errors = [line for line in result.output.splitlines() if "error[" in line]
    assert result.exit_code == 1 and errors and all("computed parameters form a cycle" in line for line in errors), (
        errors
    )
    assert "NoneType" not in result.output and "/protocols/" not in result.output


def test_one_workspaces_errors_do_not_hide_anothers_plans(runner, tmp_path):
    """`validate samples/`: a schema error in one workspace still lets the other be resolved."""
    for name in ("wc2030", "afcon2025"):
        shutil.copytree(ROOT / "samples" / name, tmp_path / name)
    broken = tmp_path / "afcon2025" / "venues" / "ma-agadir.yaml"
    broken.write_text(broken.read_text().replace("capacity: 41144", 'capacity: "41144"'))
    tournament = tmp_path / "wc2030" / "tournament.yaml"
    tournament.write_text(
        tournament.read_text().replace(
            "parameters:\n",
            "parameters:\n"
            "  doctor_threshold: {expression: 'ambulance_threshold + 1'}\n"
            "  ambulance_threshold: {expression: 'doctor_threshold + 1'}\n",
            1,
        )
    )
    output = runner.invoke(main, ["validate", str(tmp_path)]).output
    assert "ma-agadir.yaml:8:11: error[schema]" in output
    assert "wc2030/tournament.yaml:29:1: error[resolve] computed parameters form a cycle" in output


def test_a_findings_file_is_mapped_back_only_when_its_name_is_unique(tmp_path):
    """Two loaded files can share a workspace-relative name (one outside the workspace): keep the name."""
    workspace, _ = load_workspace(workspace_with(tmp_path))
    workspace.cache["source-names"] = {
        "/a/ws/extra/x.yaml": "extra/x.yaml",
        "/b/extra/x.yaml": "extra/x.yaml",
        "/a/ws/venues/v1.yaml": "venues/v1.yaml",
    }
    assert workspace.loaded_path("venues/v1.yaml") == "/a/ws/venues/v1.yaml"
    assert workspace.loaded_path("extra/x.yaml") == "extra/x.yaml"


def test_a_value_an_overlay_sets_without_a_source_is_unverified(tmp_path):
    """The library's source and confidence describe its default, never a value set over it."""
    plan = plan_of(
        workspace_with(tmp_path, {"overlays/o.yaml": overlay("venue", "v1", "parameters: {steward_ratio: 200}\n")})
    )
    described = plan.parameters["steward_ratio"].to_dict()
    assert (described["value"], described["confidence"]) == (200, "unverified")
    assert "source" not in described  # never the library's, nor a sentence naming our file
    assert (described["set_by"]["file"], described["set_by"]["line"]) == ("overlays/o.yaml", 5)
    sourced = plan_of(
        workspace_with(
            tmp_path / "b",
            {
                "overlays/o.yaml": overlay(
                    "venue",
                    "v1",
                    "parameters: {steward_ratio: {value: 200, source: Test event count, confidence: documented}}\n",
                )
            },
        )
    )
    assert sourced.parameters["steward_ratio"].to_dict()["source"] == "Test event count"


def test_the_plan_check_fails_when_only_jsonschema_rs_rejects(tmp_path, monkeypatch):
    """The resolved plan passes the same strict gate as a document: with a Python validator that
    reads ``$`` as Python does (so accepts "T-60d\\n"), jsonschema-rs's rejection still stops the
    plan, located at the file:line that set the item."""
    from jsonschema import Draft202012Validator

    import eventsec.load.schema
    from eventsec.plan.model import ResolvedItem

    real = eventsec.load.schema.validator
    lenient = Draft202012Validator(real("plan").schema, registry=eventsec.load.schema._registry())
    monkeypatch.setattr(eventsec.load.schema, "validator", lambda kind: lenient if kind == "plan" else real(kind))
    to_dict = ResolvedItem.to_dict

    def broken(item):
        data = to_dict(item)
        if item.id == "CRW-002":
            data["phase"] = data["phase"] + "\n"
        return data

    monkeypatch.setattr(ResolvedItem, "to_dict", broken)
    plan, findings = resolve(two_venues_one_overlay(tmp_path), "v1")
    assert plan is None
    (finding,) = findings
    assert "resolved plan is invalid at protocols/0/items/1/phase" in finding.message
    assert finding.location.line > 0 and finding.location.file.endswith(".yaml")
