"""Schema findings are mapped back to the YAML and say how to fix the problem."""

from __future__ import annotations

import json

import pytest

from eventsec.load.documents import load_bytes
from eventsec.load.resources import schemas_dir
from eventsec.load.schema import check_document
from eventsec.vocabulary import DOCUMENT_KINDS as KINDS

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
    from tests.conftest import FIXTURES, ROOT

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
