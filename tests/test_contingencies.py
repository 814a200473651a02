"""Contingencies: the library's content, the schema and rules, the resolved plan's states and code
words, the resolve-pass warning, and the release of code words (checks/contingencies.py,
plan/contingencies.py, release/redact.py)."""

from __future__ import annotations

import pytest
import yaml

from eventsec.checks.validate import load_workspace, validate
from eventsec.load.documents import load_bytes
from eventsec.load.resources import library_dir
from eventsec.load.schema import check_document
from eventsec.plan.model import NOT_APPLICABLE, PRESENT, REMOVED
from eventsec.plan.resolve import resolve
from eventsec.render.report import build_report
from tests.conftest import FIXTURES, ROOT, RULE_FIXTURES

WORKSPACE = FIXTURES / "contingencies"
SAMPLES = ROOT / "samples" / "wc2030"
LANGUAGES = ("fr", "ar", "es", "pt")
REQUIRED = {
    "CON-KO-DELAY": "delayed kick-off",
    "CON-SURGE": "crowd surge",
    "CON-PITCH": "pitch invasion",
    "CON-LOCKDOWN": "lockdown",
    "CON-INVAC": "invacuation",
    "CON-EVAC-PART": "partial evacuation",
    "CON-EVAC-FULL": "full evacuation",
    "CON-WEATHER": "severe weather",
    "CON-POWER-PA": "power or PA failure",
    "CON-SUSP-ITEM": "suspicious item",
    "CON-TKT-CYBER": "cyber outage of ticketing",
}
"""The contingencies issue 17 asks the index to hold, by id."""


def library(name: str) -> dict:
    return yaml.safe_load((library_dir() / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def contingencies() -> list[dict]:
    return library("contingencies.yaml")["contingencies"]


# -- the library's content -----------------------------------------------------------------------
def test_the_library_holds_every_required_contingency(contingencies):
    ids = {c["id"] for c in contingencies}
    assert set(REQUIRED) <= ids, set(REQUIRED) - ids
    titles = {c["id"]: c["title"].lower() for c in contingencies}
    for ident, name in REQUIRED.items():
        assert name.split()[0] in titles[ident], (ident, titles[ident])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_text_is_in_every_language(contingencies, lang):
    for contingency in contingencies:
        translated = contingency["translations"][lang]
        for field in ("title", "trigger", "message"):
            assert translated.get(field) and translated[field] != contingency[field], (contingency["id"], field)
        steps = translated.get("first_actions") or []
        assert len(steps) == len(contingency["first_actions"]), contingency["id"]
        assert not set(steps) & set(contingency["first_actions"]), contingency["id"]


def test_first_actions_are_three_to_six_steps_each_naming_who(contingencies):
    for contingency in contingencies:
        steps = contingency["first_actions"]
        assert 3 <= len(steps) <= 6, contingency["id"]
        for step in steps:  # "Stewards: open every exit gate." — who, then what, in the imperative
            who, _, what = step.partition(": ")
            assert 1 <= len(who.split()) <= 5 and what[:1].islower() and what.endswith("."), (contingency["id"], step)


def test_preparing_items_and_decision_makers_exist(contingencies):
    items = {item["id"] for path in library_dir().glob("*.yaml") for item in library(path.name).get("items") or []}
    roles = {role["id"] for role in library("catalog.yaml")["roles"]}
    for contingency in contingencies:
        assert set(contingency["items"]) <= items, (contingency["id"], set(contingency["items"]) - items)
        assert contingency["decision_maker"] in roles
        assert contingency.get("alternate_decision_maker", "venue-safety-officer") in roles
        assert len(set(contingency["items"])) == len(contingency["items"]), contingency["id"]


def steps_of(contingencies: list[dict], ident: str) -> list[str]:
    return next(c for c in contingencies if c["id"] == ident)["first_actions"]


def test_police_led_contingencies_hand_over_forwards_to_a_police_alternate(contingencies):
    """Once police hold control, whoever stands in for the decision-maker is police too, and the
    steps say who decides before the hand-over and who after."""
    police = {r["id"] for r in library("catalog.yaml")["roles"] if "police" in r.get("agency", "").lower()}
    led = [c for c in contingencies if c["decision_maker"] in police]
    assert {c["id"] for c in led} >= {"CON-DISORDER", "CON-LOCKDOWN", "CON-SUSP-ITEM"}
    for contingency in led:
        assert contingency["alternate_decision_maker"] in police, contingency["id"]
        text = " ".join(contingency["first_actions"]).lower()
        assert "hand-over" in text and "venue safety officer" in text, contingency["id"]


def test_a_lockdown_keeps_exits_staffed_and_openable_and_is_reviewed(contingencies):
    text = " ".join(steps_of(contingencies, "CON-LOCKDOWN"))
    assert "exit route staffed" in text and "open at once for an evacuation" in text
    assert "review the lockdown" in text and "lift it" in text
    assert "every entrance and exit gate" not in text


def test_a_crush_at_an_entrance_holds_the_inflow_upstream_and_sends_medical_help(contingencies):
    steps = steps_of(contingencies, "CON-GATE-CLOSE")
    assert "upstream" in steps[0] and "never push against the crowd" in " ".join(steps)
    assert not [s for s in steps if "police line at the gate" in s]
    assert any(s.startswith("Medical coordinator:") and "casualty collection" in s for s in steps)


def test_the_library_validates_clean_with_its_contingencies():
    result = validate([library_dir()])
    assert result.findings == [], [(f.rule, f.message) for f in result.findings]
    assert len(result.index.of_kind("contingencies")) == 1


# -- schema and rules ----------------------------------------------------------------------------
def schema_messages(text: str) -> list[str]:
    document = load_bytes(text.encode(), "c.yaml").document
    return [f.message for f in check_document(document)]


def test_the_schema_wants_a_trigger_and_three_first_actions():
    messages = schema_messages(
        "kind: contingencies\nid: x\ntitle: X\ncontingencies:\n"
        "  - id: CON-SURGE\n    title: Surge\n    decision_maker: venue-safety-officer\n"
        "    first_actions: [Open the gates.]\n    message: Coded message.\n    items: [CRW-001]\n"
    )
    assert "missing required field 'trigger' in contingencies[0]" in messages
    assert any(m.startswith("contingencies[0].first_actions") for m in messages), messages


def test_a_venue_code_word_is_keyed_by_a_contingency_id():
    messages = schema_messages(
        "kind: venue\nid: v1\nname: S\ncity: C\ncountry: ES\ntimezone: Europe/Madrid\ncapacity: 100\n"
        "contingency_codes: {evacuate: Mr Sands}\n"
    )
    assert any("evacuate" in m for m in messages), messages


def test_a_code_word_for_an_unknown_contingency_points_at_its_key_and_suggests(rule_workspace):
    workspace = rule_workspace(RULE_FIXTURES / "contingency-code" / "fail")
    (finding,) = validate([workspace]).findings
    assert finding.rule == "contingency-code"
    line = (workspace / "venues" / "v1.yaml").read_text().splitlines()[finding.location.line - 1]
    assert line[finding.location.column - 1 :].startswith("CON-SURGES:")
    assert finding.hint == "did you mean 'CON-SURGE'?"


def test_code_words_sharing_a_first_word_warn_at_the_second(rule_workspace):
    workspace = rule_workspace(RULE_FIXTURES / "contingency-code-distinct" / "fail")
    (finding,) = validate([workspace]).findings
    assert (finding.rule, finding.severity.value) == ("contingency-code-distinct", "warning")
    line = (workspace / "venues" / "v1.yaml").read_text().splitlines()[finding.location.line - 1]
    assert line.strip() == 'CON-EVAC-PART: "Mr Sands, to the stand"'
    assert "CON-EVAC-FULL" in finding.message and finding.hint


def test_code_words_equal_but_for_case_and_spaces_warn(rule_workspace):
    workspace = rule_workspace(RULE_FIXTURES / "contingency-code-distinct" / "pass")
    venue = workspace / "venues" / "v1.yaml"
    venue.write_text(venue.read_text().replace('"Tide in sector"', '"doctorpine, TO THE STAND"'))
    (finding,) = validate([workspace]).findings
    assert finding.rule == "contingency-code-distinct" and "CON-SURGE" in finding.message
    assert "CON-EVAC-PART" in finding.message


def test_the_sample_venues_code_words_are_distinct():
    findings = validate([SAMPLES]).findings
    assert not [f for f in findings if f.rule == "contingency-code-distinct"]
    venues = [yaml.safe_load(v.read_text(encoding="utf-8")) for v in (SAMPLES / "venues").glob("*.yaml")]
    assert sum(1 for v in venues if v.get("contingency_codes")) >= 3  # the check looked at venues that give code words


def test_an_unknown_preparing_item_points_at_it(rule_workspace):
    workspace = rule_workspace(RULE_FIXTURES / "contingency-item" / "fail")
    (finding,) = validate([workspace]).findings
    line = (workspace / "contingencies.yaml").read_text().splitlines()[finding.location.line - 1]
    assert line[finding.location.column - 1 :].startswith("CRW-020]")
    assert finding.message == "contingency 'CON-SURGE' lists item 'CRW-020', which does not exist"


# -- the resolve pass ----------------------------------------------------------------------------
def test_a_contingency_nothing_prepares_at_a_venue_is_a_warning_at_the_venue(rule_workspace):
    workspace = rule_workspace(RULE_FIXTURES / "contingency-unprepared" / "fail")
    result = validate([workspace])
    (finding,) = result.findings
    assert (finding.rule, finding.severity.value) == ("contingency-unprepared", "warning")
    assert finding.location.file.endswith("venues/v1.yaml") and finding.location.line == 2
    assert "CON-SURGE" in finding.message and "CRW-002" in finding.message
    assert not result.failed() and result.failed(strict=True)


def test_a_contingency_with_one_item_left_is_prepared(rule_workspace):
    assert validate([rule_workspace(RULE_FIXTURES / "contingency-unprepared" / "pass")]).findings == []


# -- the resolved plan ---------------------------------------------------------------------------
@pytest.fixture(scope="module")
def workspace():
    loaded, result = load_workspace(WORKSPACE)
    assert loaded is not None, result.findings
    return loaded


def test_the_plan_carries_each_preparing_items_state_and_the_code_word(workspace):
    plan, findings = resolve(workspace, "v1")
    assert findings == []
    by_id = {c.id: c for c in plan.contingencies}
    assert list(by_id) == ["CON-EVAC-FULL", "CON-SURGE"]  # file order
    evacuation, surge = by_id["CON-EVAC-FULL"], by_id["CON-SURGE"]
    assert [(i.id, i.state) for i in evacuation.items] == [("CRW-001", PRESENT), ("CRW-002", REMOVED)]
    assert [(i.id, i.state) for i in surge.items] == [("CRW-002", REMOVED), ("CRW-003", NOT_APPLICABLE)]
    assert evacuation.prepared and not surge.prepared
    assert (evacuation.code, surge.code) == ("Mr Sands", None)
    venue_lines = (WORKSPACE / "venues" / "v1.yaml").read_text().splitlines()
    assert venue_lines[evacuation.code_origin.line - 1].strip() == "CON-EVAC-FULL: Mr Sands"
    assert evacuation.code_origin.file == "venues/v1.yaml"


def test_the_resolved_plan_lists_contingencies_with_provenance(workspace):
    plan, _ = resolve(workspace, "v1")
    (first, second) = plan.to_dict()["contingencies"]
    assert first["items"] == {"CRW-001": "present", "CRW-002": "removed"}
    assert first["code"] == "Mr Sands" and first["provenance"]["code"]["file"] == "venues/v1.yaml"
    assert first["alternate_decision_maker"] == "police-match-commander"
    assert "code" not in second


def test_the_contingencies_count_in_the_inputs_digest(tmp_path):
    import shutil

    shutil.copytree(WORKSPACE, tmp_path / "ws")
    before = resolve(load_workspace(tmp_path / "ws")[0], "v1")[0].inputs_digest
    path = tmp_path / "ws" / "library" / "contingencies.yaml"
    path.write_text(path.read_text().replace("Coded staff message to the sector.", "Coded message."))
    after = resolve(load_workspace(tmp_path / "ws")[0], "v1")[0].inputs_digest
    assert before != after


# -- release ---------------------------------------------------------------------------------------
def released(workspace, level: str | None):
    report, findings = build_report(workspace, "v1", "2030-05-01", "en", release=level)
    assert report is not None, findings
    return report


@pytest.mark.parametrize("level", ["public", "internal"])
def test_code_words_are_withheld_below_restricted(workspace, level):
    report = released(workspace, level)
    evacuation = report.plan.contingencies[0]
    assert evacuation.code == "[withheld]" and evacuation.code_origin is None
    assert report.withheld["contingency_codes"] == 1
    assert "contingency_codes" not in report.plan.venue
    assert report.plan.contingencies[0].entry["title"] == "Full evacuation"  # the rest is shown


@pytest.mark.parametrize("level", ["restricted", None])
def test_code_words_show_from_restricted_up(workspace, level):
    report = released(workspace, level)
    assert report.plan.contingencies[0].code == "Mr Sands"
    assert "contingency_codes" not in report.withheld
    assert report.marking in ("restricted", "confidential")


def test_a_venue_may_set_the_level_of_its_code_words(tmp_path):
    import shutil

    shutil.copytree(WORKSPACE, tmp_path / "ws")
    venue = tmp_path / "ws" / "venues" / "v1.yaml"
    venue.write_text(venue.read_text() + "contingency_codes_sensitivity: confidential\n")
    loaded, _ = load_workspace(tmp_path / "ws")
    assert released(loaded, "restricted").plan.contingencies[0].code == "[withheld]"
    assert released(loaded, "confidential").plan.contingencies[0].code == "Mr Sands"


def test_validate_lang_warns_for_an_untranslated_contingency(rule_workspace):
    workspace = rule_workspace(RULE_FIXTURES / "contingency-item" / "pass")
    result = validate([workspace], lang="fr")
    (finding,) = [f for f in result.findings if "contingency" in f.message]
    assert finding.rule == "translation" and finding.location.file.endswith("contingencies.yaml")
    assert finding.message == (
        "contingency 'CON-SURGE' has no fr title, trigger, first_actions, message; plans show them in English"
    )
    assert result.coverage[0].counts["contingencies"] == [0, 1]
