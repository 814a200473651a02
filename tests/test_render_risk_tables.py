"""A match's risk heat map and register in the plan (render/risk_tables.py), read back from the
PDF in every language, and withheld by a release below the register's level."""

from __future__ import annotations

import functools
import io
import shutil
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from eventsec.checks.validate import load_workspace
from eventsec.i18n import Catalog
from eventsec.render.build import render_plan
from eventsec.render.report import build_report
from eventsec.render.risk_tables import cell_ids
from eventsec.vocabulary import LANGUAGES
from tests.conftest import RULE_FIXTURES

AS_OF = "2025-06-01"
MISSED = "2025-06-11"
"""The day after the match, CRW-002 (MD-4h) never recorded: the control is missing (before its
time it is planned, and the residual would hold)."""
STATUS = "kind: status\nvenue: v1\nitems:\n  CRW-001: {state: done, date: '2025-04-01', evidence: Log}\n"
"""CRW-001 done: R01 (controls CRW-001 and CRW-002) stays at its inherent rating, R02 too."""
READINESS = "".join(
    f"  readiness_{name}: {{type: number, default: {value}}}\n"
    for name, value in (
        ("weight_critical", 8),
        ("weight_high", 4),
        ("weight_medium", 2),
        ("weight_low", 1),
        ("in_progress_credit", 0.5),
        ("at_risk_overdue_pct", 10),
    )
)
"""The readiness parameters a plan needs, which the rule fixtures' library leaves out."""


@functools.cache
def workspace(root: Path):
    target = root / "ws"
    if not target.exists():
        shutil.copytree(RULE_FIXTURES / "base", target)
        shutil.copytree(RULE_FIXTURES / "risk-match" / "pass", target, dirs_exist_ok=True)
        (target / "status.yaml").write_text(STATUS)
        crowd = target / "library" / "crowd.yaml"
        crowd.write_text(crowd.read_text().replace("parameters:\n", "parameters:\n" + READINESS))
    loaded, result = load_workspace(target)
    assert loaded is not None, result.findings
    return loaded


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    return workspace(tmp_path_factory.mktemp("risks"))


def report(loaded, lang: str, release: str | None = None):
    made, findings = build_report(loaded, "v1", MISSED, lang, release=release)
    assert made is not None, findings
    return made


def pdf_text(made) -> str:
    """The plan's text with whitespace folded and Arabic presentation forms undone."""
    pages = PdfReader(io.BytesIO(render_plan(made).pdf)).pages
    return " ".join(unicodedata.normalize("NFKC", " ".join(page.extract_text().split())) for page in pages)


def normal(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def test_the_report_holds_the_matchs_assessed_register(loaded):
    register = report(loaded, "en").risks["m1"]
    assert [r.id for r in register.risks] == ["R01", "R02"]
    assert [r.missing for r in register.risks] == [("CRW-002",), ("CRW-002",)]
    assert [r.effective.band for r in register.risks] == ["high", "critical"]
    assert cell_ids(register) == {(3, 4): ["R01"], (4, 4): ["R02"]}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_heat_map_and_register_are_in_the_plan_in_each_language(loaded, lang):
    catalog = Catalog(lang)
    text = pdf_text(report(loaded, lang))
    labels = [catalog.t("riskreg_likelihood"), catalog.t("riskreg_impact")]
    labels += [catalog.t(f"riskreg_impact_{n}") for n in range(1, 6)]
    labels += [catalog.t(f"riskreg_likelihood_{n}") for n in range(1, 6)]
    missing = [label for label in labels if normal(label) not in text]
    assert missing == [], f"{lang}: heat-map labels not found: {missing}"
    assert "R01" in text and "R02" in text
    for key in ("ops_chapter", "riskreg_col_controls", "riskreg_col_effective"):
        assert normal(catalog.t(key)) in text, (lang, key)


def test_the_english_register_says_ratings_controls_and_the_effective_band(loaded):
    text = pdf_text(report(loaded, "en"))
    assert "Risk assessment: match m1, 10 June 2025" in text
    assert "4 × 4 = 16 critical" in text and "2 × 3 = 6 medium" in text
    assert "☑ CRW-001" in text and "☐ CRW-002" in text
    before = build_report(loaded, "v1", AS_OF, "en")[0]  # nine days before the match
    assert [(r.missing, r.planned) for r in before.risks["m1"].risks] == [((), ("CRW-002",))] * 2
    assert pdf_text(before).count("◷ CRW-002") == 2  # planned in both risks' controls
    assert "inherent: controls not in place (☐)" in text
    assert "Highest effective rating of the match: critical." in text
    assert "Bands by score (likelihood × impact): low 1–3, medium 4–6, high 8–12, critical 15–25." in text


def test_a_match_day_control_counts_from_its_record_and_is_open_once_its_time_passes(tmp_path):
    """CRW-001 is a preparation item (done), CRW-002 a match-day one due at 16:00 on match day:
    planned before its time, missing once its time has passed unrecorded, in place once recorded."""
    loaded = workspace(tmp_path)

    def bands(ws, as_of: str) -> list[str]:
        return [r.effective.band for r in build_report(ws, "v1", as_of, "en")[0].risks["m1"].risks]

    assert bands(loaded, "2025-06-10T15:00") == ["high", "medium"]
    assert bands(loaded, "2025-06-10T17:00") == ["high", "critical"]
    status = Path(loaded.root) / "status.yaml"
    executed = "matches:\n  m1:\n    items:\n      CRW-002: {state: done, at: '2025-06-10T15:50', by: S. Officer}\n"
    status.write_text(STATUS + executed)
    reloaded, _ = load_workspace(Path(loaded.root))
    register = build_report(reloaded, "v1", "2025-06-10T19:00", "en")[0].risks["m1"]
    assert [r.effective.band for r in register.risks] == ["high", "medium"]
    assert cell_ids(register) == {(2, 4): ["R01"], (2, 3): ["R02"]}


def test_a_release_below_the_registers_level_withholds_it_and_says_so(loaded):
    internal = report(loaded, "en", release="internal")
    assert internal.risks == {} and internal.withheld["risks"] == 1
    text = pdf_text(internal)
    assert "1 risk registers withheld at this release level." in text
    assert "Rival groups meet" not in text and "R02" not in text
    restricted = report(loaded, "en", release="restricted")
    assert list(restricted.risks) == ["m1"] and "risks" not in restricted.withheld
    assert "Rival groups meet on the walk to the stadium" in pdf_text(restricted)


def test_a_changed_register_is_rendered_again(runner, tmp_path):
    """The register is not an input of the resolved plan: the render key must carry it, or an
    edited register would leave the old PDF in place as "(unchanged)"."""
    from eventsec.cli import main

    root = Path(workspace(tmp_path).root)
    command = ["render", str(root), "--venue", "v1", "--as-of", AS_OF, "--lang", "en", "--jobs", "1"]
    command += ["-o", str(tmp_path / "out")]
    assert "(unchanged)" not in runner.invoke(main, command).output
    assert "(unchanged)" in runner.invoke(main, command).output
    register = root / "risks" / "m1.yaml"
    register.write_text(register.read_text().replace("likelihood: 4\n    impact: 4", "likelihood: 5\n    impact: 4"))
    again = runner.invoke(main, command)
    assert again.exit_code == 0 and "(unchanged)" not in again.output


def test_the_samples_high_risk_match_has_an_open_critical_risk_before_its_controls_are_done():
    """As of 2030-03-01 no match-day control of m024 is done: its register makes it NO-GO once
    the match go/no-go takes these reasons, and its declared high category agrees (validate is
    clean on the sample, tests/test_content.py)."""
    from eventsec.assess.risk.register import verdict_reasons
    from tests.conftest import ROOT

    sample, result = load_workspace(ROOT / "samples" / "wc2030")
    assert sample is not None and [f for f in result.findings if f.rule.startswith("risk-")] == []
    made, _ = build_report(sample, "es-metropolitano", "2030-03-01", "en", match_id="m024")
    register = made.risks["m024"]
    assert register.highest == "critical" and len(register.risks) == 10
    reasons = verdict_reasons(register)
    assert reasons[0][:2] == ("NO-GO", "riskreg_reason_critical_open") and reasons[0][2]["id"] == "R01"


def test_a_crowded_cell_says_how_many_more_risks_it_holds():
    from eventsec.render.risk_tables import id_lines

    assert id_lines(["R01", "R02", "R03", "R04"]) == ["R01, R02, R03", "R04"]
    ids = [f"R{n:02d}" for n in range(1, 12)]
    assert id_lines(ids) == ["R01, R02, R03", "R04, R05, R06", "+5"]
