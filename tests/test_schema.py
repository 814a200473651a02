"""Schema findings are mapped back to the YAML and say how to fix the problem."""

from __future__ import annotations

import json
import shutil

import pytest

from eventsec.load.documents import load_bytes
from eventsec.load.resources import schemas_dir
from eventsec.load.schema import check_document
from eventsec.vocabulary import DOCUMENT_KINDS as KINDS
from tests.conftest import FIXTURES

PROTOCOL = b"""kind: protocol
id: crowd
version: 1.0
title: T
domain: crowd
items:
  - id: CRW-001
    titel: x
    description: d
    criticality: urgent
    phase: T-60
    owner: o
    evidence: e
    references: [{id: x, sektion: y}]
"""


def findings_for(text: bytes):
    document = load_bytes(text, "p.yaml").document
    assert document is not None
    return {(f.location.line, f.location.column): f for f in check_document(document)}


def test_every_kind_has_a_schema_with_docs():
    for kind in KINDS:
        schema = json.loads((schemas_dir() / f"{kind}.schema.json").read_text())
        assert "$id" not in schema, "no id: its refs resolve beside the file, offline, in any validator"
        assert schema["title"] and schema["description"] and schema["examples"]
        assert schema["additionalProperties"] is False
        for name, prop in schema["properties"].items():
            assert "description" in prop or "$ref" in prop, f"{kind}.{name} has no description"


def test_schema_examples_are_valid():
    from eventsec.load.schema import validator

    for kind in KINDS:
        schema = json.loads((schemas_dir() / f"{kind}.schema.json").read_text())
        for example in schema["examples"]:
            assert list(validator(kind).iter_errors(example)) == [], kind


def test_unknown_field_points_at_the_key_and_suggests():
    finding = findings_for(PROTOCOL)[(8, 5)]
    assert finding.message == "unknown field 'titel' in items[0]"
    assert finding.hint == "did you mean 'title'?"


def test_missing_field_names_the_field():
    finding = findings_for(PROTOCOL)[(7, 5)]
    assert finding.message == "missing required field 'title' in items[0]"


def test_enum_lists_the_choices():
    finding = findings_for(PROTOCOL)[(10, 18)]
    assert finding.message == "items[0].criticality must be one of critical, high, medium, low; got 'urgent'"


def test_pattern_explains_the_format():
    finding = findings_for(PROTOCOL)[(11, 12)]
    assert finding.message == "items[0].phase 'T-60' is not valid"
    assert "T-60d" in finding.hint


def test_number_where_text_is_expected_suggests_quotes():
    finding = findings_for(PROTOCOL)[(3, 10)]
    assert finding.message == "version must be a string; got number 1.0"
    assert finding.hint == 'quote it to keep it as text: "1.0"'


def test_one_of_reports_the_branch_that_fits_the_value():
    finding = findings_for(PROTOCOL)[(14, 26)]
    assert finding.message == "unknown field 'sektion' in items[0].references[0]"


def test_unknown_kind_suggests():
    (finding,) = findings_for(b"kind: protocl\n").values()
    assert finding.rule == "unknown-kind" and finding.hint == "did you mean 'protocol'?"


def test_invalid_calendar_date_is_caught():
    text = b'kind: status\nvenue: v1\nupdated: "2030-02-30"\nitems: {}\n'
    (finding,) = findings_for(text).values()
    assert finding.message == "updated '2030-02-30' is not a calendar date"


def _position(text: bytes, marker: bytes) -> tuple[int, int]:
    """1-based line and column of ``marker`` in ``text``."""
    at = text.index(marker)
    return text.count(b"\n", 0, at) + 1, at - (text.rfind(b"\n", 0, at) + 1) + 1


DATED = {  # every field that holds a date, in the smallest document of its kind
    "tournament start": (
        b'kind: tournament\nid: t\nname: T\ndates: {start: "DATE", end: "2030-07-21"}\n'
        b"languages: [en]\nhosts: [{country: XX, name: X}]\n"
    ),
    "match": (
        b"kind: venue\nid: v\nname: V\ncity: C\ncountry: XX\ntimezone: UTC\ncapacity: 1\n"
        b'matches: [{id: m, date: "DATE", kickoff: "20:00"}]\n'
    ),
    "status updated": (b'kind: status\nvenue: v1\nupdated: "DATE"\nitems: {}\n'),
    "status entry": (
        b'kind: status\nvenue: v1\nupdated: "2030-01-01"\nitems: {CRW-001: {state: done, evidence: e, date: "DATE"}}\n'
    ),
    "waiver": (
        b"kind: overlay\nid: o\nlayer: venue\ntarget: v\nremove: [{item: CRW-001, reason: r, "
        b'waiver: {approved_by: a, date: "DATE", reason: r}}]\n'
    ),
}


@pytest.mark.parametrize("where", DATED)
@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("0001-01-01", "is outside the years 2000 to 2100"),
        ("9999-12-31", "is outside the years 2000 to 2100"),
        ("1999-12-31", "is outside the years 2000 to 2100"),
        ("2101-01-01", "is outside the years 2000 to 2100"),
        ("2029-02-29", "is not a calendar date"),
    ],
)
def test_a_date_outside_the_plan_years_is_a_located_finding(where: str, day: str, message: str):
    """Dates near the calendar's ends passed the schema and crashed status's deadline arithmetic."""
    text = DATED[where]
    position = _position(text, b'"DATE"')
    found = findings_for(text.replace(b"DATE", day.encode()))
    assert list(found) == [position], found
    assert message in found[position].message and "YYYY-MM-DD" in found[position].hint


@pytest.mark.parametrize("where", DATED)
@pytest.mark.parametrize("day", ["2000-01-01", "2100-12-31", "2028-02-29"])
def test_a_date_within_the_plan_years_is_accepted(where: str, day: str):
    from eventsec.load.schema import fast_validator

    text = DATED[where].replace(b"DATE", day.encode())
    assert findings_for(text) == {}
    document = load_bytes(text, "p.yaml").document
    assert fast_validator(document.kind).is_valid(document.data)


def test_the_fast_path_checks_the_plan_years_too():
    from eventsec.load.schema import fast_validator

    document = load_bytes(DATED["status updated"].replace(b"DATE", b"9999-12-31"), "p.yaml").document
    assert not fast_validator("status").is_valid(document.data)


VENUE = (
    b"kind: venue\nid: v\nname: V\ncity: C\ncountry: XX\ntimezone: UTC\ncapacity: 1\n"
    b'matches: [{id: m, date: "2030-06-13", kickoff: "20:00"}]\ngeometry:\n  FIELD\n'
)


@pytest.mark.parametrize(
    ("field", "value", "floor"),
    [
        (b"exits: [{id: x, width_m: VALUE, type: level, serves: [a]}]", b"1.0e-300", "0.5"),
        (b"exits: [{id: x, width_m: VALUE, type: level, serves: [a]}]", b"0.3", "0.5"),
        (b"exits: [{id: x, width_m: VALUE, type: level, serves: [a]}]", b"-2", "0.5"),
        (b"entrances: [{id: g, turnstiles: VALUE, feeds: [a]}]", b"0", "1"),
        (b"holding_areas: [{id: h, area_m2: VALUE, serves: [a]}]", b"0.01", "1"),
        (b"sections: [{id: a, standing: 5, standing_area_m2: VALUE}]", b"1.0e-9", "1"),
    ],
)
def test_a_physical_figure_below_its_floor_is_a_located_finding(field: bytes, value: bytes, floor: str):
    """An exit 1e-300 m wide passed validate and made egress times of 10^300 minutes that crashed render."""
    text = VENUE.replace(b"FIELD", field)
    position = _position(text, b"VALUE")
    found = findings_for(text.replace(b"VALUE", value))
    assert list(found) == [position], found
    assert f"less than the minimum of {floor}" in found[position].message and "at least" in found[position].hint


def test_physical_figures_at_their_floor_are_accepted():
    field = (
        b"sections: [{id: a, standing: 5, standing_area_m2: 1}]\n  exits: [{id: x, width_m: 0.5, type: level, "
        b"serves: [a]}]\n  entrances: [{id: g, turnstiles: 1, feeds: [a]}]\n  holding_areas: [{id: h, area_m2: 1, serves: [a]}]"
    )
    assert findings_for(VENUE.replace(b"FIELD", field)) == {}


def _every_fixture_document():
    from tests.conftest import ROOT

    roots = [FIXTURES, ROOT / "protocols", ROOT / "samples", ROOT / "src" / "eventsec" / "templates"]
    for root in roots:
        for path in sorted(root.rglob("*.yaml")):
            result = load_bytes(path.read_bytes(), str(path))
            if result.document is not None and result.document.data.get("kind") in KINDS:
                yield result.document


def test_fast_path_never_accepts_what_the_python_validator_rejects():
    """jsonschema-rs is only trusted for 'valid'; it must agree on every fixture, sample and corpus file."""
    from eventsec.load.schema import fast_validator, validator

    checked = disagreements = 0
    for document in _every_fixture_document():
        kind = document.data["kind"]
        python_valid = not list(validator(kind).iter_errors(document.data))
        fast_valid = fast_validator(kind).is_valid(document.data)
        checked += 1
        if fast_valid and not python_valid:
            disagreements += 1
            print("fast path accepts an invalid document:", document.path)
    assert checked > 150
    assert disagreements == 0


VENUE_WITH_NAMES = """kind: venue
id: v1
name: Al Barid Stadium
city: Rabat
country: MA
timezone: Africa/Casablanca
capacity: 18000
translations:
  {venue}
matches:
  - {{id: m1, date: "2025-06-10", kickoff: "20:00"}}
geometry:
  sections:
    - id: west
      name: West Stand
      translations:
        {place}
"""


def venue_findings(venue: str = "fr: {name: Stade Al Barid, city: Rabat}", place: str = "ar: {name: المدرج الغربي}"):
    text = VENUE_WITH_NAMES.format(venue=venue, place=place).encode()
    return [f.message for f in findings_for(text).values()]


def test_translated_venue_and_place_names_are_accepted():
    assert venue_findings() == []
    assert venue_findings("pt: {name: Estádio Al Barid, city: Rabat, capacity_source: x, illustrative: y}") == []


def test_a_translation_in_an_unknown_language_is_refused():
    (message,) = venue_findings(venue="de: {name: Al-Barid-Stadion}")
    assert message == "translations must be one of en, fr, ar, es, pt; got 'de'"


def test_a_translated_field_the_venue_does_not_print_is_refused():
    assert venue_findings(venue="fr: {title: Stade}") == ["unknown field 'title' in translations.fr"]
    assert venue_findings(place="fr: {city: Rabat}") == ["unknown field 'city' in geometry.sections[0].translations.fr"]


def test_the_tournament_takes_a_translated_name_and_distribution_list():
    base = (
        'kind: tournament\nid: t\nname: Cup\ndates: {start: "2025-06-01", end: "2025-06-30"}\n'
        "hosts: [{country: MA, name: Morocco}]\ndistribution: [Venue safety officer]\n"
    )
    good = base + "translations:\n  ar: {name: الكأس, distribution: [مسؤول السلامة بالملعب]}\n"
    assert findings_for(good.encode()) == {}
    bad = base + "translations:\n  fr: {distribution: Responsable de la sécurité du stade}\n"
    (finding,) = findings_for(bad.encode()).values()
    assert finding.message.startswith("translations.fr.distribution must be an array")


GATE_FIXTURES = FIXTURES / "schema_gate"


@pytest.mark.parametrize(
    ("fixture", "position", "value"),
    [("kickoff-trailing-newline.yaml", "9:43", "'21:00\\n'"), ("match-id-trailing-newline.yaml", "9:10", "'m003\\n'")],
)
def test_a_value_only_jsonschema_rs_rejects_fails_validate_where_it_is_written(
    runner, rule_workspace, fixture: str, position: str, value: str
):
    """Python's `$` matches before a final newline, so jsonschema alone accepted these and validate exited 0."""
    from eventsec.cli import main

    workspace = rule_workspace()
    shutil.copy(GATE_FIXTURES / fixture, workspace / "venues" / "v1.yaml")
    result = runner.invoke(main, ["validate", str(workspace)])
    assert result.exit_code == 1, result.output
    assert f"v1.yaml:{position}: error[schema] " in result.output and f"{value} is not valid" in result.output
    assert "hint: the value ends with a line break ('\\n'): remove the line break after the value." in result.output


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        ("21:00\\r\\n", "the value ends with a line break ('\\r\\n'): remove the line break after the value."),
        ("21\\n:00", "the value contains a line break ('\\n'): keep it on one line."),
        ("21:00\\u200b", "the value contains an invisible character ('\\u200b', ZERO WIDTH SPACE): type the value"),
        ("21:00\\u00a0", "the value contains an invisible character ('\\xa0', NO-BREAK SPACE): type the value"),
        ("2١:00", "the value contains the digit '١' (ARABIC-INDIC DIGIT ONE): write digits as 0-9."),
        ("21:００", "the value contains the digit '０' (FULLWIDTH DIGIT ZERO): write digits as 0-9."),
    ],
)
def test_a_pattern_finding_names_the_hidden_character_first(value: str, hint: str):
    text = VENUE.replace(b'kickoff: "20:00"', f'kickoff: "{value}"'.encode()).replace(b"geometry:\n  FIELD\n", b"")
    (finding,) = findings_for(text).values()
    assert finding.hint.startswith(hint) and finding.hint.endswith("Local kick-off time, HH:MM.")


@pytest.mark.parametrize(
    "change",
    [
        (b"capacity: 1\n", b""),  # required
        (b"timezone: UTC\n", b"timezone: UTC\nfeatures: {Roof: true}\n"),  # propertyNames pattern
        (b"capacity: 1\n", b"capacity: lots\n"),  # type
        (b'kickoff: "20:00"', b'kickoff: "8pm"'),  # pattern
    ],
)
def test_jsonschema_rs_errors_read_like_jsonschema_ones(change: tuple[bytes, bytes]):
    """When jsonschema-rs alone rejects, its errors become findings worded and placed as jsonschema's are."""
    from eventsec.load.schema import _finding, _leaf_errors, _StrictError, fast_validator, validator

    document = load_bytes(VENUE.replace(b"geometry:\n  FIELD\n", b"").replace(*change), "v.yaml").document
    python = [_finding(document, err) for err in _leaf_errors(validator("venue").iter_errors(document.data))]
    rs_errors = fast_validator("venue").iter_errors(document.data)
    strict = [_finding(document, _StrictError.of(err, validator("venue").schema)) for err in rs_errors]
    assert strict == python and len(python) == 1


def test_a_value_with_a_final_newline_is_reported_beside_the_other_errors():
    """eventsec's jsonschema reads `$` as jsonschema-rs does, so one run reports every error."""
    text = VENUE.replace(b"geometry:\n  FIELD\n", b"").replace(b'"20:00"', b'"20:00\\n"')
    found = findings_for(text.replace(b"capacity: 1", b"capacity: lots"))
    assert sorted(f.message for f in found.values()) == [
        "capacity must be an integer; got text 'lots'",
        "matches[0].kickoff '20:00\\n' is not valid",
    ]


@pytest.mark.parametrize(
    ("pattern", "matches", "refuses"),
    [
        ("^[0-9]$", "3", "3\n"),
        ("^(a|b$)", "ab", "b\n"),
        ("^a\\$$", "a$", "a$\n"),
        ("^[$]$", "$", "$\n"),
        ("^a\\\\$", "a\\", "a\\\n"),
    ],
)
def test_a_schema_regex_ends_at_its_dollar_as_in_json_schema(pattern: str, matches: str, refuses: str):
    from eventsec.load.schema import _ecma_regex

    assert _ecma_regex(pattern).search(matches) and not _ecma_regex(pattern).search(refuses)


def _schema_patterns() -> list[str]:
    """Every ``pattern`` keyword in schemas/*.schema.json."""
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "pattern" and isinstance(value, str):
                    found.add(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted(schemas_dir().glob("*.schema.json")):
        walk(json.loads(path.read_text(encoding="utf-8")))
    return sorted(found)


PATTERNS = _schema_patterns()
INVISIBLE = ["\n", "\r\n", "\r", "\u2028", "\u200b", "\ufeff", "\u00a0", "\u202f"]
"""What a value copied from a document or web page brings along, and YAML's "...\\n" keeps."""
OTHER_DIGITS = ["٣", "۳", "３", "३", "𝟑"]


def _near_misses(pattern: str):
    """Valid strings for ``pattern``, the same with a hidden character added or a digit swapped, and any text."""
    from hypothesis import strategies as st

    valid = st.from_regex(pattern, fullmatch=True)
    hidden = st.sampled_from(INVISIBLE)
    swapped = st.tuples(valid, st.sampled_from(OTHER_DIGITS), st.integers(0, 99)).map(
        lambda t: t[0][: t[2] % (len(t[0]) or 1)] + t[1] + t[0][t[2] % (len(t[0]) or 1) + 1 :]
    )
    return st.one_of(
        valid,
        st.tuples(valid, hidden).map("".join),
        st.tuples(hidden, valid).map("".join),
        swapped,
        st.text(max_size=12),
    )


def test_every_schema_pattern_is_checked():
    assert len(PATTERNS) >= 15 and "^([01][0-9]|2[0-3]):[0-5][0-9]$" in PATTERNS


@pytest.mark.parametrize("pattern", PATTERNS)
def test_the_gate_accepts_a_string_only_when_both_validators_do(pattern: str):
    """For every schema pattern, near-miss strings: with plain jsonschema the stricter validator
    wins, and a string only jsonschema-rs rejects still gets a finding whose hint names the
    hidden character; eventsec's own jsonschema pattern agrees with jsonschema-rs exactly."""
    import jsonschema_rs
    from hypothesis import given, settings
    from jsonschema import Draft202012Validator, validators

    from eventsec.load.schema import _ecma_pattern, _finding, strict_errors

    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "string", "pattern": pattern}
    python, fast = Draft202012Validator(schema), jsonschema_rs.validator_for(schema)
    ecma = validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})(schema)
    document = load_bytes(b"value: x\n", "v.yaml").document
    telltale = set("".join(INVISIBLE + OTHER_DIGITS))

    @settings(max_examples=50, deadline=None)
    @given(_near_misses(pattern))
    def check(value: str) -> None:
        for errors in (strict_errors(python, fast, value), strict_errors(ecma, fast, value)):
            assert (not errors) == (python.is_valid(value) and fast.is_valid(value))
            if not fast.is_valid(value):
                assert errors
            if errors and telltale & set(value):
                assert _finding(document, errors[0]).hint.startswith("the value ")
        assert ecma.is_valid(value) == fast.is_valid(value)

    check()
