"""The execution record of each match in the PDF: found by extracted text, in two languages."""

from __future__ import annotations

import io
import shutil

import pytest
from pypdf import PdfReader

from eventsec.checks.validate import load_workspace
from eventsec.render.build import render_plan
from eventsec.render.report import build_report
from tests.conftest import FIXTURES
from tests.test_readiness import STATUS_WITH_M1


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    root = tmp_path_factory.mktemp("clocks") / "ws"
    shutil.copytree(FIXTURES / "readiness", root)
    (root / "status.yaml").write_text(STATUS_WITH_M1)
    loaded, result = load_workspace(root)
    assert loaded is not None, [f.message for f in result.findings]
    return loaded


def text(workspace, lang: str, as_of: str = "2030-06-12", match: str | None = None) -> str:
    """The venue plan's text, or with ``match`` that match's operations order."""
    report, findings = build_report(workspace, "v1", as_of, lang, match_id=match)
    assert report is not None, findings
    reader = PdfReader(io.BytesIO(render_plan(report, order=match is not None).pdf))
    return "\n".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_a_played_match_shows_its_record_and_an_upcoming_one_its_verdict(workspace):
    shown = text(workspace, "en")
    assert "Execution record Match m1, kick-off 2030-06-10 21:00 (local time)" in shown
    assert "2 done, 0 late, 1 missed, 0 not yet due. Match verdict: NO-GO." in shown
    # CRW-006 (MD-1h, critical): due 20:00, recorded not done at 20:05 by the pitch supervisor
    assert "CRW-006* Deploy pitchside stewards 20:00 20:05 Pitch supervisor missed" in shown
    assert "CRW-003 Brief the stewards 17:00 16:30 Chief steward done" in shown
    # the upcoming m2: its verdict here, its blank checklist in its own order
    assert "Match verdict as of 12 June 2030:" in shown
    assert "Its blank match-day checklist is in the match’s operations order (render --match m2)." in shown
    assert "Match-day checklist Match m2" not in shown


def test_an_upcoming_matchs_order_carries_its_blank_checklist(workspace):
    shown = text(workspace, "en", match="m2")
    assert "Match-day checklist Match m2, kick-off 2030-06-14 18:00 (local time)" in shown
    assert "☐ CRW-003 Brief the stewards 14:00" in shown  # m2's MD-4h, left blank to fill in


def test_chapters_show_match_day_items_per_match_and_t_deadlines_on_their_last_day(workspace):
    shown = text(workspace, "en")
    assert "CRW-003 Brief the stewards Steward lead each match, MD-4h per match" in shown
    # CMD-002 is T-1d before a first match on 10 June: due by the end of 9 June, shown as 9 June
    assert "CMD-002 Test the radios Commander 2030-06-09" in shown
    assert "CMD-002 Test the radios Commander 2030-06-10" not in shown


def test_the_execution_record_speaks_the_plans_language(workspace):
    shown = text(workspace, "fr")
    assert "Registre d’exécution Match m1, coup d’envoi 2030-06-10 21:00 (heure locale)" in shown
    assert "Décision pour le match : NON PRÊT" in shown and "manquée" in shown


def test_a_release_below_the_status_files_level_withholds_who_did_it(tmp_path):
    root = tmp_path / "ws"
    shutil.copytree(FIXTURES / "readiness", root)
    (root / "status.yaml").write_text(STATUS_WITH_M1.replace("venue: v1\n", "venue: v1\nsensitivity: restricted\n"))
    loaded, _ = load_workspace(root)
    report, findings = build_report(loaded, "v1", "2030-06-12", "en", release="internal")
    assert report is not None, findings
    shown = "\n".join(
        " ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(render_plan(report).pdf)).pages
    )
    assert "Execution record" in shown and "Chief steward" not in shown and "Pitch supervisor" not in shown
    assert "Stewards held at gate C" not in shown  # the not-done reason, at the file's level too
