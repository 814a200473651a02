"""Every malformed file in ``tests/fixtures/malformed/`` fails cleanly: exit 1, a compiler-style
finding with a line and column, and never a traceback.

Each corpus file shows one failure mode, named for what it shows. ``EXPECTED`` records, for
every file, the finding it must produce (rule and line) and any other rule the same mistake
legitimately triggers in a file validated on its own. Files that currently expose a bug in
eventsec were fixed; a new one should be marked ``xfail(strict=True)`` with the bug it shows
until it is fixed.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import traceback
from pathlib import Path
from typing import NamedTuple

import pytest
from click.testing import CliRunner, Result

from eventsec.cli import main
from eventsec.load.documents import MAX_FILE_BYTES, load_file

CORPUS = Path(__file__).parent / "fixtures" / "malformed"
FILES = sorted(p.name for p in CORPUS.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


class Expect(NamedTuple):
    rule: str | None  # the rule that must be reported (None: any rule)
    line: int  # the line it must be reported at
    also: frozenset[str] = frozenset()  # other error rules this single mistake may trigger


def E(rule: str | None, line: int, *also: str) -> Expect:
    return Expect(rule, line, frozenset(also))


EXPECTED: dict[str, Expect] = {
    # bytes and encoding
    "not-utf8.yaml": E("encoding", 4),
    "utf16-bom.yaml": E("encoding", 1),
    "truncated-utf8.yaml": E("encoding", 8),
    "nul-byte.yaml": E("encoding", 4),
    "control-char.yaml": E(None, 4),
    "empty.yaml": E("empty-file", 1),
    "only-comments.yaml": E("empty-file", 1),
    "whitespace-only.yaml": E("empty-file", 1),
    "only-document-marker.yaml": E("document-shape", 2),
    # document shape
    "two-documents.yaml": E("multiple-documents", 8),
    "top-level-list.yaml": E("document-shape", 1),
    "top-level-scalar.yaml": E("document-shape", 1),
    "missing-space-after-colon.yaml": E("document-shape", 1),
    # YAML syntax
    "tab-indent.yaml": E("yaml-syntax", 7),
    "bad-indent.yaml": E("yaml-syntax", 4),
    "list-item-in-mapping.yaml": E("yaml-syntax", 8),
    "unclosed-flow-list.yaml": E("yaml-syntax", 9),
    "unclosed-flow-map.yaml": E("yaml-syntax", 9),
    "unclosed-quote.yaml": E("yaml-syntax", 8),
    "invalid-escape.yaml": E("yaml-syntax", 4),
    "undefined-alias.yaml": E("yaml-syntax", 4),
    "yaml-directive-2.yaml": E("yaml-syntax", 1),
    "unknown-tag.yaml": E("yaml-syntax", 8),
    "python-tag.yaml": E("yaml-syntax", 8),
    "bad-int-tag.yaml": E("yaml-syntax", 7),
    "tag-binary-value.yaml": E("yaml-syntax", 7),
    "tag-set-value.yaml": E("yaml-syntax", 8),
    "tag-timestamp-value.yaml": E("yaml-syntax", 9),
    "huge-integer.yaml": E("yaml-syntax", 7),
    "deep-nesting.yaml": E("yaml-syntax", 8),
    "deep-nesting-under-limit.yaml": E(None, 8),
    # keys
    "duplicate-key.yaml": E("duplicate-key", 8),
    "duplicate-key-nested.yaml": E("duplicate-key", 12),
    "duplicate-key-quoted.yaml": E("duplicate-key", 8),
    "non-string-key.yaml": E("yaml-key", 9),
    "bool-key.yaml": E("yaml-key", 9),
    "null-key.yaml": E("yaml-key", 9),
    "complex-key.yaml": E("yaml-key", 9),
    # anchors, aliases, merge keys (reported at the anchored value)
    "alias-reuse.yaml": E("yaml-alias", 3),
    "merge-key.yaml": E("yaml-alias", 12),
    "recursive-alias.yaml": E("yaml-alias", 8),
    "billion-laughs.yaml": E("yaml-alias", 4),
    # kind
    "unknown-kind.yaml": E("unknown-kind", 1),
    "kind-wrong-case.yaml": E("unknown-kind", 1),
    "missing-kind.yaml": E("schema", 1),
    "kind-is-null.yaml": E("schema", 1),
    "kind-is-list.yaml": E("unknown-kind", 1),
    # protocol
    "protocol-missing-items.yaml": E("schema", 1),
    "protocol-empty-items.yaml": E("schema", 6),
    "protocol-version-is-number.yaml": E("schema", 3),
    "protocol-items-as-number.yaml": E("schema", 6),
    "protocol-parameters-as-list.yaml": E("schema", 6),
    "protocol-reference-id-list.yaml": E("schema", 7),
    "item-unknown-field.yaml": E("schema", 12),
    "item-missing-owner.yaml": E("schema", 7),
    "item-bad-phase.yaml": E("schema", 11, "phase"),
    "item-phase-out-of-range.yaml": E("phase", 11),
    "item-bad-criticality.yaml": E("schema", 10),
    "item-bad-id.yaml": E("schema", 7),
    "item-locked-yes.yaml": E("schema", 15),
    "item-empty-title.yaml": E("schema", 8),
    "item-duplicate-tags.yaml": E("schema", 15),
    "item-reference-unknown-field.yaml": E("schema", 18),
    "item-unknown-owner.yaml": E("unknown-role", 12),
    "item-applies-when-syntax.yaml": E("expression", 15),
    "item-applies-when-blank.yaml": E("expression", 15),
    "item-lessons-nested-list.yaml": E("schema", 15, "unknown-lesson"),
    "duplicate-item-id.yaml": E("duplicate-id", 15),
    "huge-scalar.yaml": E("schema", 8),
    "parameter-bad-type.yaml": E("schema", 8),
    "parameter-bad-name.yaml": E("schema", 7),
    "translations-bad-language.yaml": E("schema", 16),
    # venue
    "capacity-as-text.yaml": E("schema", 7),
    "capacity-zero.yaml": E("schema", 7),
    "venue-bad-timezone-type.yaml": E("schema", 6),
    "venue-country-lowercase.yaml": E("schema", 5),
    "venue-matches-as-number.yaml": E("schema", 8),
    "date-not-a-date.yaml": E("schema", 10),
    "kickoff-bad.yaml": E("schema", 11),
    "kickoff-as-number.yaml": E("schema", 11),
    # status
    "status-done-without-evidence.yaml": E("schema", 5),
    "status-blocked-without-reason.yaml": E("schema", 5),
    "status-bad-state.yaml": E("schema", 6),
    "status-bad-item-key.yaml": E("schema", 5),
    "status-items-nested-list.yaml": E("schema", 5),
    # overlay
    "overlay-country-without-target.yaml": E("schema", 1),
    "overlay-bad-layer.yaml": E("schema", 3),
    "overlay-set-without-fields.yaml": E("schema", 5),
    "overlay-set-as-number.yaml": E("schema", 4),
    "overlay-remove-item-list.yaml": E("schema", 5),
    "add-with-after-and-before.yaml": E("schema", 5, "unknown-item"),
    "remove-without-reason.yaml": E("schema", 5),
    "remove-placeholder-reason.yaml": E("removal-reason", 6),
    # lessons, catalog, tournament (a lessons file on its own also has uncovered lessons)
    "lessons-source-without-date.yaml": E("schema", 12, "lesson-uncovered"),
    "lessons-bad-id.yaml": E("schema", 5, "lesson-uncovered"),
    "catalog-role-without-remit.yaml": E("schema", 4),
    "tournament-bad-language.yaml": E("schema", 10),
    "tournament-dates-missing-end.yaml": E("schema", 4),
    "tournament-hosts-as-number.yaml": E("schema", 7),
    "tournament-protocol-path-too-long.yaml": E("protocol-source", 11),
}

FINDING_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?:error|warning|note)\[[a-z-]+\] \S")
SUMMARY_LINE = re.compile(r"^\d+ error\(s\), \d+ warning\(s\) in \d+ file\(s\)$")


def _params() -> list:
    return [pytest.param(name, id=name) for name in FILES]


@pytest.fixture
def in_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the corpus directory so findings name the file exactly as given."""
    monkeypatch.chdir(CORPUS)


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _assert_no_crash(result: Result) -> None:
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        tb = "".join(traceback.format_exception(result.exception))
        pytest.fail(f"eventsec raised instead of reporting a finding:\n{tb}")
    assert "Traceback" not in result.output


def test_corpus_is_large_and_fully_described() -> None:
    assert len(FILES) >= 40
    assert set(FILES) == set(EXPECTED), "every corpus file needs an EXPECTED entry, and every entry a file"


def test_corpus_files_are_small() -> None:
    """The corpus stays cheap to check out; oversized inputs are generated in tmp_path."""
    for name in FILES:
        assert (CORPUS / name).stat().st_size < 256 * 1024, name


@pytest.mark.usefixtures("in_corpus")
@pytest.mark.parametrize("name", _params())
def test_malformed_file_fails_with_a_located_finding(name: str) -> None:
    result = _invoke("validate", name)
    _assert_no_crash(result)
    assert result.exit_code == 1, result.output
    assert re.search(rf"^{re.escape(name)}:\d+:\d+: error\[[a-z-]+\] ", result.output, re.M), result.output
    # Compiler format throughout: finding lines, indented hints, and the closing summary.
    for line in result.output.splitlines():
        assert FINDING_LINE.match(line) or line.startswith("  hint: ") or SUMMARY_LINE.match(line), repr(line)


@pytest.mark.usefixtures("in_corpus")
@pytest.mark.parametrize("name", _params())
def test_malformed_file_reports_its_failure_mode(name: str) -> None:
    """The expected rule is reported at the expected line, and nothing unrelated is."""
    expected = EXPECTED[name]
    result = _invoke("validate", "--format", "json", name)
    _assert_no_crash(result)
    findings = json.loads(result.output)["findings"]
    errors = [f for f in findings if f["severity"] == "error"]
    assert errors, result.output
    for finding in findings:
        assert finding["file"] == name
        assert finding["line"] >= 1 and finding["column"] >= 1, finding
    assert any((expected.rule is None or f["rule"] == expected.rule) and f["line"] == expected.line for f in errors), (
        f"expected {expected.rule or 'a finding'} at line {expected.line}, got:\n"
        + "\n".join(f"{f['line']}:{f['column']} {f['rule']} {f['message'][:120]}" for f in errors)
    )
    if expected.rule is not None:
        assert {f["rule"] for f in errors} <= {expected.rule} | expected.also, errors


def test_loader_failures_carry_exactly_one_finding() -> None:
    """Files the loader refuses give no document and exactly one finding; the others a document."""
    for name in FILES:
        result = load_file(CORPUS / name, name)
        if result.document is None:
            assert len(result.findings) == 1, (name, result.findings)
            assert result.findings[0].location.line >= 1, name
        else:
            assert result.findings == [], name


def test_billion_laughs_is_refused_before_expansion(in_corpus: None) -> None:
    started = time.perf_counter()
    result = _invoke("validate", "billion-laughs.yaml")
    elapsed = time.perf_counter() - started
    _assert_no_crash(result)
    assert result.exit_code == 1
    assert re.search(r"^billion-laughs\.yaml:\d+:\d+: error\[yaml-alias\] ", result.output, re.M), result.output
    assert elapsed < 5, f"took {elapsed:.1f}s: the aliases were expanded"


def test_billion_laughs_generated_deeper_is_still_fast(tmp_path: Path) -> None:
    """30 levels of 10 aliases (10^30 leaves if expanded) must still be refused at once."""
    lines = ["kind: venue", "features:", '  l0: &l0 "lol"']
    lines += [f"  l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 31)]
    path = tmp_path / "laughs.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    started = time.perf_counter()
    result = load_file(path, "laughs.yaml")
    assert time.perf_counter() - started < 2
    assert result.document is None
    assert [f.rule for f in result.findings] == ["yaml-alias"]


def _padded_venue(size: int) -> bytes:
    head = (
        b"kind: venue\nid: big-venue\nname: Big Stadium\ncity: Tangier\ncountry: MA\n"
        b"timezone: Africa/Casablanca\ncapacity: 75600\n"
        b'matches: [{id: big-m1, date: "2030-06-14", kickoff: "21:00", risk: low}]\n'
    )
    filler = b"# " + b"x" * 98 + b"\n"
    body = head + filler * ((size - len(head)) // len(filler))
    return body + b"#" * (size - len(body) - 1) + b"\n"


def test_oversized_file_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("oversized.yaml").write_bytes(_padded_venue(MAX_FILE_BYTES + 1))
    assert Path("oversized.yaml").stat().st_size > 5 * 1024 * 1024
    started = time.perf_counter()
    result = _invoke("validate", "oversized.yaml")
    _assert_no_crash(result)
    assert time.perf_counter() - started < 5
    assert result.exit_code == 1
    assert re.search(r"^oversized\.yaml:1:1: error\[file-size\] ", result.output, re.M), result.output


def test_file_at_the_size_bound_is_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("at-bound.yaml").write_bytes(_padded_venue(MAX_FILE_BYTES))
    assert Path("at-bound.yaml").stat().st_size == MAX_FILE_BYTES
    result = _invoke("validate", "at-bound.yaml")
    _assert_no_crash(result)
    assert "file-size" not in result.output
    assert result.exit_code == 0, result.output


def test_unquoted_kickoff_is_not_turned_into_a_number(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not in the corpus: with YAML 1.2 scalars (no base-60 numbers) this file is valid."""
    monkeypatch.chdir(tmp_path)
    Path("venue.yaml").write_text(
        "kind: venue\nid: demo-venue\nname: Demo Stadium\ncity: Tangier\ncountry: MA\n"
        "timezone: Africa/Casablanca\ncapacity: 75600\nmatches:\n  - id: demo-m1\n"
        "    date: 2030-06-10\n    kickoff: 20:45\n",
        encoding="utf-8",
    )
    result = _invoke("validate", "venue.yaml")
    _assert_no_crash(result)
    assert "1245" not in result.output, result.output
    assert result.exit_code == 0, result.output


def test_whole_corpus_in_one_run_as_a_subprocess(tmp_path: Path) -> None:
    """The real command over the whole corpus at once: one finding per file, nothing on stderr."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    names = list(FILES)
    for name in names:
        shutil.copyfile(CORPUS / name, corpus / name)
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    proc = subprocess.run(
        [sys.executable, "-m", "eventsec", "validate", "corpus"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout, proc.stderr
    reported = {m.group("file") for m in map(FINDING_LINE.match, proc.stdout.splitlines()) if m}
    missing = [name for name in names if os.path.join("corpus", name) not in reported]
    assert not missing, missing
