"""Schema findings are mapped back to the YAML and say how to fix the problem."""

from __future__ import annotations

import json

from eventsec.loader import load_bytes
from eventsec.resources import schemas_dir
from eventsec.schema import KINDS, check_document

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
        assert schema["$id"].endswith(f"/{kind}.schema.json")
        assert schema["title"] and schema["description"] and schema["examples"]
        assert schema["additionalProperties"] is False
        for name, prop in schema["properties"].items():
            assert "description" in prop or "$ref" in prop, f"{kind}.{name} has no description"


def test_schema_examples_are_valid():
    from eventsec.schema import validator

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
    assert finding.message == "updated '2030-02-30' is not valid"


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
    from eventsec.schema import fast_validator, validator

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
