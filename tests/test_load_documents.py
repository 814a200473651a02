"""Unit tests of eventsec.load.documents: positions, scalar typing, refusals, and properties that hold
for any input (Hypothesis)."""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eventsec.checks.registry import REGISTRY
from eventsec.findings import Location, Severity
from eventsec.load.documents import MAX_FILE_BYTES, LoadResult, find_yaml_files, load_bytes, load_file

SAMPLE = """\
# A protocol, with positions checked below.
kind: protocol
id: demo
items:
  - id: ZZT-001
    owner: stewarding-manager
    tags: [gates, perimeter]
  - id: ZZT-002
    nested:
      deeper: {a: 1, b: [x, y]}
"""

LOADER_RULES = {
    "encoding",
    "empty-file",
    "file-size",
    "yaml-syntax",
    "multiple-documents",
    "document-shape",
    "duplicate-key",
    "yaml-key",
    "yaml-alias",
}


def _load(text: str, name: str = "s.yaml"):
    result = load_bytes(text.encode("utf-8"), name)
    assert result.findings == [], result.findings
    assert result.document is not None
    return result.document


def _refused(raw: bytes, name: str = "bad.yaml"):
    result = load_bytes(raw, name)
    assert result.document is None
    assert len(result.findings) == 1, result.findings
    return result.findings[0]


def _assert_outcome(result: LoadResult) -> None:
    """Either a document and no findings, or no document and exactly one located error."""
    assert isinstance(result, LoadResult)
    if result.document is not None:
        assert result.findings == []
        assert isinstance(result.document.data, dict)
        assert all(isinstance(key, str) for key in result.document.data)
    else:
        assert len(result.findings) == 1
        finding = result.findings[0]
        assert finding.severity is Severity.ERROR
        assert finding.rule in LOADER_RULES
        assert finding.location.line >= 1 and finding.location.column >= 1
        assert finding.message


# Positions --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value_at", "key_at"),
    [
        ((), (2, 1), (2, 1)),  # the root mapping starts at its first key, after the comment
        (("kind",), (2, 7), (2, 1)),
        (("id",), (3, 5), (3, 1)),
        (("items",), (5, 3), (4, 1)),
        (("items", 0), (5, 5), (5, 5)),  # list entries have no key: the entry itself
        (("items", 0, "id"), (5, 9), (5, 5)),
        (("items", 0, "owner"), (6, 12), (6, 5)),
        (("items", 0, "tags", 0), (7, 12), (7, 12)),
        (("items", 0, "tags", 1), (7, 19), (7, 19)),
        (("items", 1, "nested"), (10, 7), (9, 5)),
        (("items", 1, "nested", "deeper"), (10, 15), (10, 7)),
        (("items", 1, "nested", "deeper", "a"), (10, 19), (10, 16)),
        (("items", 1, "nested", "deeper", "b", 1), (10, 29), (10, 29)),
    ],
)
def test_locate_and_key_location_are_one_based(path, value_at, key_at) -> None:
    document = _load(SAMPLE)
    assert document.locate(path) == Location("s.yaml", *value_at)
    assert document.key_location(path) == Location("s.yaml", *key_at)


@pytest.mark.parametrize(
    ("path", "nearest"),
    [
        (("missing",), (2, 1)),  # the root
        (("items", 0, "missing"), (5, 5)),  # the item
        (("items", 9), (5, 3)),  # the list
        (("items", "not-an-index"), (5, 3)),
        (("kind", "below-a-scalar"), (2, 7)),  # the scalar
        (("items", 0, "tags", -1), (7, 11)),  # negative indexes are not followed
    ],
)
def test_locate_falls_back_to_the_nearest_existing_parent(path, nearest) -> None:
    assert _load(SAMPLE).locate(path) == Location("s.yaml", *nearest)


def test_columns_count_characters_not_bytes() -> None:
    document = _load('name: "Stade é"\ncity: Fès\nteams: [Côte d\'Ivoire, Maroc]\n')
    assert document.locate(("city",)) == Location("s.yaml", 2, 7)
    assert document.locate(("teams", 1)) == Location("s.yaml", 3, 24)


def test_bom_and_crlf_do_not_shift_positions() -> None:
    result = load_bytes("\ufeffkind: venue\r\nid: demo\r\n".encode("utf-8"), "b.yaml")
    assert result.document is not None
    assert result.document.data == {"kind": "venue", "id": "demo"}
    assert result.document.locate(("id",)) == Location("b.yaml", 2, 5)
    assert result.document.kind == "venue"


def test_positions_inside_block_scalars_and_quoted_keys() -> None:
    document = _load('kind: protocol\nsummary: >-\n  folded\n  text\n"quoted key": 1\n')
    assert document.data["summary"] == "folded text"
    assert document.locate(("summary",)) == Location("s.yaml", 2, 10)
    assert document.key_location(("quoted key",)) == Location("s.yaml", 5, 1)
    assert document.locate(("quoted key",)) == Location("s.yaml", 5, 15)


def test_load_file_uses_the_display_name(tmp_path: Path) -> None:
    path = tmp_path / "venue.yaml"
    path.write_text("kind: venue\nid: demo\n", encoding="utf-8")
    result = load_file(path, "shown/venue.yaml")
    assert result.document is not None
    assert result.document.path == "shown/venue.yaml"
    assert str(result.document.locate(("id",))) == "shown/venue.yaml:2:5"
    assert load_file(path).document.path == str(path)


# Scalars ----------------------------------------------------------------------------------


def test_dates_stay_strings() -> None:
    data = _load("a: 2030-06-08\nb: 2030-06-08 20:45:00\nc: 2030-06-08T20:45:00Z\nd: 2030-02-30\n").data
    assert data == {"a": "2030-06-08", "b": "2030-06-08 20:45:00", "c": "2030-06-08T20:45:00Z", "d": "2030-02-30"}


@pytest.mark.parametrize(
    "word", ["NO", "no", "No", "yes", "Yes", "YES", "on", "On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N"]
)
def test_yaml11_booleans_stay_strings(word: str) -> None:
    data = _load(f"country: {word}\n{word}: key\n").data
    assert data == {"country": word, word: "key"}
    assert isinstance(data["country"], str)


@pytest.mark.parametrize(
    ("text", "value"),
    [("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False), ("FALSE", False)],
)
def test_true_and_false_are_booleans(text: str, value: bool) -> None:
    loaded = _load(f"locked: {text}\n").data["locked"]
    assert loaded is value


def test_other_scalars_keep_their_yaml_types() -> None:
    data = _load("i: 75600\nf: 1.5\nn: ~\ne:\nnull_word: null\ns: '42'\nq: \"true\"\n").data
    assert data == {"i": 75600, "f": 1.5, "n": None, "e": None, "null_word": None, "s": "42", "q": "true"}
    assert type(data["i"]) is int and type(data["f"]) is float


def test_clock_times_stay_strings() -> None:
    """YAML 1.2 has no base-60 numbers: an unquoted kick-off time is not the integer 1245."""
    assert _load("kickoff: 20:45\nduration: 1:30:00\n").data == {"kickoff": "20:45", "duration": "1:30:00"}


# Refusals ---------------------------------------------------------------------------------


def test_duplicate_key_is_reported_at_the_second_key() -> None:
    finding = _refused(b"kind: venue\nid: a\ncity: x\nid: b\n")
    assert finding.rule == "duplicate-key"
    assert (finding.location.line, finding.location.column) == (4, 1)
    assert "'id'" in finding.message and "line 2" in finding.message


def test_duplicate_key_nested_and_in_flow_mappings() -> None:
    nested = _refused(b"kind: venue\nmatches:\n  - id: m1\n    date: x\n    id: m2\n")
    assert (nested.rule, nested.location.line, nested.location.column) == ("duplicate-key", 5, 5)
    assert "line 3" in nested.message
    flow = _refused(b"kind: venue\nfeatures: {roof: true, roof: false}\n")
    assert (flow.rule, flow.location.line, flow.location.column) == ("duplicate-key", 2, 24)
    assert "line 2" in flow.message


def test_duplicate_key_written_differently_is_still_a_duplicate() -> None:
    finding = _refused(b'kind: venue\nid: a\n"id": b\n')
    assert (finding.rule, finding.location.line) == ("duplicate-key", 3)


BAD_INPUTS = {
    "empty": (b"", "empty-file"),
    "blank": (b"  \n\n", "empty-file"),
    "comments": (b"# only\n# comments\n", "empty-file"),
    "not-utf8": ("kind: caf\u00e9\n".encode("latin-1"), "encoding"),
    "utf16": ("kind: venue\n".encode("utf-16"), "encoding"),
    "nul": (b"kind: venue\nid: a\x00b\n", "encoding"),
    "tab": (b"kind: venue\nfeatures:\n\troof: true\n", "yaml-syntax"),
    "unclosed": (b"kind: venue\nteams: [a, b\n", "yaml-syntax"),
    "bad-escape": (b'kind: "\\q"\n', "yaml-syntax"),
    "undefined-alias": (b"kind: *x\n", "yaml-syntax"),
    "python-tag": (b"kind: !!python/name:os.system\n", "yaml-syntax"),
    "bad-int": (b"kind: !!int lots\n", "yaml-syntax"),
    "control": (b"kind: a\x07b\n", ("yaml-syntax", "encoding")),
    "too-deep": (b"kind: " + b"[" * 5000 + b"\n", "yaml-syntax"),
    "two-docs": (b"kind: venue\n---\nkind: venue\n", "multiple-documents"),
    "list": (b"- kind: venue\n", "document-shape"),
    "scalar": (b"venue\n", "document-shape"),
    "duplicate": (b"a: 1\na: 2\n", "duplicate-key"),
    "int-key": (b"1: a\n", "yaml-key"),
    "bool-key": (b"true: a\n", "yaml-key"),
    "null-key": (b"~: a\n", "yaml-key"),
    "list-key": (b"? [a]\n: b\n", "yaml-key"),
    "alias": (b"a: &x 1\nb: *x\n", "yaml-alias"),
    "merge": (b"a: 1\n<<: {b: 2}\n", "yaml-alias"),
    "recursive": (b"a: &x [*x]\n", "yaml-alias"),
}


@pytest.mark.parametrize("raw,rule", BAD_INPUTS.values(), ids=list(BAD_INPUTS))
def test_bad_input_gives_no_document_and_exactly_one_finding(raw: bytes, rule: str | tuple[str, ...]) -> None:
    finding = _refused(raw, "bad.yaml")
    assert finding.rule in ((rule,) if isinstance(rule, str) else rule)
    assert finding.rule in REGISTRY
    assert finding.severity is Severity.ERROR
    assert finding.location.file == "bad.yaml"
    assert finding.location.line >= 1 and finding.location.column >= 1


def test_encoding_error_points_at_the_bad_byte() -> None:
    finding = _refused("kind: venue\ncity: F\u00e8s\n".encode("latin-1"))
    assert (finding.location.line, finding.location.column) == (2, 8)
    assert "0xe8" in finding.message


def test_tab_error_says_tab() -> None:
    finding = _refused(b"kind: venue\nfeatures:\n\troof: true\n")
    assert finding.location.line == 3
    assert "tab" in finding.message and "spaces" in finding.hint


def test_aliases_are_refused_before_expansion() -> None:
    lines = ["a0: &a0 [x]"] + [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 40)]
    finding = _refused(("\n".join(lines) + "\n").encode())
    assert finding.rule == "yaml-alias"


def test_oversized_file_is_refused_without_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"[" * (MAX_FILE_BYTES + 1))  # would be a syntax error if it were parsed
    result = load_file(path, "big.yaml")
    assert result.document is None
    assert [(f.rule, f.location.line, f.location.column) for f in result.findings] == [("file-size", 1, 1)]


def test_find_yaml_files_is_sorted_and_skips_hidden(tmp_path: Path) -> None:
    for rel in ["b.yaml", "a.yml", "sub/c.yaml", ".hidden/d.yaml", "sub/.e.yaml", "notes.txt"]:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("kind: venue\n", encoding="utf-8")
    found, problems = find_yaml_files(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in found] == ["a.yml", "b.yaml", "sub/c.yaml"] and problems == []


def test_find_yaml_files_names_what_it_cannot_search(tmp_path: Path, monkeypatch) -> None:
    """A broken link, a link loop and an unreadable directory are reported, never skipped."""
    (tmp_path / "ok.yaml").write_text("kind: venue\n", encoding="utf-8")
    (tmp_path / "broken.yaml").symlink_to(tmp_path / "missing.yaml")
    (tmp_path / "loop.yaml").symlink_to(tmp_path / "loop.yaml")
    (tmp_path / "overlays").mkdir()
    real_scandir = os.scandir

    def scandir(path):  # root ignores permissions, so refuse one directory the way a chmod 000 would
        if Path(path) == tmp_path / "overlays":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found, problems = find_yaml_files(tmp_path)
    assert [p.name for p in found] == ["ok.yaml"]
    assert problems == [
        f"{tmp_path / 'broken.yaml'}: not a readable file (a broken link or a link loop?)",
        f"{tmp_path / 'loop.yaml'}: not a readable file (a broken link or a link loop?)",
        f"{tmp_path / 'overlays'}: cannot read this directory (Permission denied)",
    ]


NUMBER_LIKE = [
    "1e5",
    "0E0",
    "1e+5",
    "1.0e5",
    "1.0e+5",
    ".5e+1",
    "+1",
    "-0",
    "+.5",
    "-.5",
    "0.",
    "1.",
    "00",
    "010",
    "0_0",
    "1_000",
    "1__",
    "_1",
    "-_1",
    "1._",
    ".5_",
    "0x1F",
    "0o17",
    "0b101",
    ".inf",
    "-.inf",
    ".NaN",
    "20:45",
    "1:30:00",
    "2030-06-08",
    "1e",
    "e5",
    "+",
    "-",
    ".",
    "..",
    "._",
    ".__",
    "._5",
    "._e+1",
]


@pytest.mark.parametrize("text", NUMBER_LIKE)
def test_number_like_strings_round_trip_through_safe_dump(text: str) -> None:
    """Strings at the edges of the number patterns come back as the same strings."""
    dumped = yaml.safe_dump({"value": text, text: "key"})
    assert _load(dumped).data == {"value": text, text: "key"}, dumped


# Properties -------------------------------------------------------------------------------

PROPERTY_SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
YAMLISH = st.text(
    alphabet=st.sampled_from(list("abc019 :-?[]{},&*!|>'\"#%@`\t\n\r.~<=\\\u00e9\ufeff\x07")), max_size=120
)


@PROPERTY_SETTINGS
@given(st.binary(max_size=512))
def test_load_bytes_never_raises_for_arbitrary_bytes(raw: bytes) -> None:
    _assert_outcome(load_bytes(raw, "h.yaml"))


@PROPERTY_SETTINGS
@given(st.text(max_size=512))
def test_load_bytes_never_raises_for_arbitrary_text(text: str) -> None:
    _assert_outcome(load_bytes(text.encode("utf-8"), "h.yaml"))


@PROPERTY_SETTINGS
@given(YAMLISH)
def test_load_bytes_never_raises_for_yaml_like_text(text: str) -> None:
    _assert_outcome(load_bytes(text.encode("utf-8"), "h.yaml"))


# PyYAML's emitter writes NEL (U+0085) raw inside quoted scalars when allow_unicode=True and its
# own safe_load then folds it to a space, so NEL cannot round-trip through PyYAML at all.
TEXT = st.characters(exclude_categories=("Cs",), exclude_characters="\x85")
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**18), max_value=10**18)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(TEXT, max_size=20)
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(TEXT, max_size=10), inner, max_size=4),
    max_leaves=20,
)
TOP_LEVEL = st.dictionaries(st.text(TEXT, max_size=10), VALUES, max_size=6)


def _same(a, b) -> bool:
    """Equality that also tells 1 from True and 0.0 from False."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    return a == b


@PROPERTY_SETTINGS
@given(TOP_LEVEL, st.booleans(), st.sampled_from([None, True, False]))
def test_safe_dump_round_trips(data: dict, allow_unicode: bool, flow: bool | None) -> None:
    """What PyYAML's safe_dump writes, eventsec reads back unchanged.

    safe_dump follows YAML 1.1: it quotes 'yes', '20:45', '010' or '1_000' (numbers or booleans
    to YAML 1.1) but leaves '1e5' and '0E0' plain (a YAML 1.1 float needs a dot), so the loader's
    number patterns must not be wider than YAML 1.1's in that direction.
    """
    text = yaml.safe_dump(data, allow_unicode=allow_unicode, default_flow_style=flow, sort_keys=False)
    result = load_bytes(text.encode("utf-8"), "rt.yaml")
    assert result.findings == [], (text, result.findings)
    assert result.document is not None
    assert _same(result.document.data, data), text


@pytest.mark.parametrize("text", [".inf", "-.inf", ".nan", ".NaN", "+.INF"])
def test_infinity_and_not_a_number_stay_text(text: str) -> None:
    """No eventsec figure is infinite or NaN; as text the schema reports them where a number belongs."""
    assert _load(f"kind: venue\ncapacity: {text}\n").data["capacity"] == text


def test_a_link_to_a_directory_is_reported_not_skipped(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "o.yaml").write_text("kind: overlay\n", encoding="utf-8")
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "overlays").symlink_to(tmp_path / "shared", target_is_directory=True)
    found, problems = find_yaml_files(tmp_path / "ws")
    assert found == [] and problems == [
        f"{tmp_path / 'ws' / 'overlays'}: a link to a directory is not searched; "
        "name that directory itself (a protocols: entry, or a path to validate)"
    ]


# Explicit tags × odd values -----------------------------------------------------------------

STANDARD_TAGS = [
    "!!str",
    "!!int",
    "!!float",
    "!!bool",
    "!!null",
    "!!map",
    "!!seq",
    "!!binary",
    "!!timestamp",
    "!!set",
    "!!omap",
    "!!pairs",
    "!!merge",
    "!!value",
    "!!yaml",
    "!!python/str",
    "!local",
    "!",
]
ODD_SCALARS = [
    "''",
    '""',
    "maybe",
    "yes",
    "NO",
    "~",
    "null",
    "0",
    "-0",
    "1.5",
    "1e5",
    "1.0e+999",
    "0x1F",
    "0o17",
    "0b101",
    "20:45",
    "1_000",
    "_",
    ".inf",
    ".nan",
    "9" * 5000,
    "2030-06-13",
    "true",
    "TRUE",
    "[1]",
    "{a: 1}",
    "[]",
    "{}",
    "'quoted'",
    "x",
]
PLAIN_TYPES = (str, int, float, bool, type(None), dict, list)


def _plain(value) -> bool:
    """Only JSON-like data, finite numbers."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return isinstance(value, PLAIN_TYPES) and not (isinstance(value, float) and not math.isfinite(value))


@pytest.mark.parametrize("scalar", ODD_SCALARS)
@pytest.mark.parametrize("tag", STANDARD_TAGS)
def test_a_tag_on_any_value_gives_plain_data_or_a_located_error(tag: str, scalar: str) -> None:
    """Every standard tag with every odd value, as a field and as a list entry: never a traceback,
    a refusal points at the value (line 2), and what is accepted is plain data of the tag's type."""
    for text in (f"kind: venue\nx: {tag} {scalar}\n", f"kind: venue\nx:\n  - {tag} {scalar}\n"):
        result = load_bytes(text.encode("utf-8"), "t.yaml")
        _assert_outcome(result)
        if result.document is None:
            assert result.findings[0].location.line == (2 if "\n  -" not in text else 3), (text, result.findings)
            continue
        value = result.document.data["x"]
        value = value[0] if "\n  -" in text else value
        assert _plain(value), (text, value)
        expected = {"!!int": int, "!!float": float, "!!bool": bool, "!!null": type(None), "!!str": str}.get(tag)
        assert expected is None or type(value) is expected, (text, value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("!!bool maybe", "!!bool needs true or false; got 'maybe'"),
        ("!!int ''", "!!int needs a whole number"),
        ("!!float ''", "!!float needs a number"),
        ("!!null x", "!!null needs empty"),
        ("!!int 20:45", "!!int needs a whole number"),  # YAML 1.1 base 60 would make it 1245
        ("!!map x", "!!map needs a mapping, not a plain value"),
        ("!!str [1]", "!!str needs a single value, not a list"),
    ],
)
def test_a_tag_that_does_not_fit_its_value_is_refused_at_the_value(text: str, message: str) -> None:
    finding = _refused(f"kind: venue\ncapacity: {text}\n".encode())
    assert (finding.rule, finding.location.line, finding.location.column) == ("yaml-syntax", 2, 11)
    assert message in finding.message


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("!!int 75600", 75600),
        ("!!int 1_000", 1000),
        ("!!float 2", 2.0),
        ("!!float 2.5", 2.5),
        ("!!bool TRUE", True),
        ("!!null ~", None),
        ("!!str 1", "1"),
        ("!!map {a: 1}", {"a": 1}),
        ("!!seq [1]", [1]),
    ],
)
def test_a_tag_that_fits_its_value_is_read(text: str, value) -> None:
    assert _same(_load(f"kind: venue\nx: {text}\n").data["x"], value)
