"""lesson-claim: an item naming AFCON links an AFCON lesson carrying its figures, in every language."""

from __future__ import annotations

import shutil
from pathlib import Path

from eventsec.checks.lessons import event_sentences, figures
from eventsec.checks.validate import validate
from tests.conftest import RULE_FIXTURES

CLAIM = RULE_FIXTURES / "lesson-claim"


def test_figures_are_compared_as_digits_whatever_their_grouping_or_script():
    assert figures("6,000 cameras") == figures("6 000 caméras") == figures("6.000 cámaras") == figures("٦٠٠٠ كاميرا")
    assert figures("6,000 cameras") == {"6000"}
    assert figures("AFCON 2025 and the 2030 World Cup") == set()  # years are not figures
    assert figures("up to 2,000 other agents over 16 minutes") == {"2000", "16"}


def test_only_the_sentences_naming_the_tournament_are_read():
    text = "Stewards face the crowd at 30 m intervals. At AFCON 2025 about 10 intrusions were reported."
    assert event_sentences(text) == ["At AFCON 2025 about 10 intrusions were reported."]
    assert event_sentences("La CAN 2025 a montré 5 cas.") and event_sentences("خلال كأس أمم إفريقيا 2025 حُجزت 5 أسلحة.")
    assert not event_sentences("Fans can enter.")  # the English verb is not the French acronym


def claim_findings(rule_workspace, replace: tuple[str, str] | None = None, lessons_event: str | None = None):
    workspace = rule_workspace(CLAIM / "pass")
    if replace:
        extra = workspace / "extra.yaml"
        extra.write_text(extra.read_text().replace(*replace))
    if lessons_event:
        lessons = workspace / "afcon-lessons.yaml"
        text = lessons.read_text().replace("Africa Cup of Nations 2025, Morocco", lessons_event)
        lessons.write_text(text.replace("title: AFCON lessons", "title: Police lessons"))
    return [f for f in validate([workspace]).findings if f.rule == "lesson-claim"]


def test_a_claim_in_a_translation_is_checked_at_its_own_line(rule_workspace):
    translated = (
        "    lessons: [AFCON25-L11]\n",
        "    lessons: [AFCON25-L11]\n    translations:\n      ar:\n"
        "        description: خلال كأس أمم إفريقيا 2025 حُجزت 9 أسلحة بيضاء عند التفتيش.\n",
    )
    (finding,) = claim_findings(rule_workspace, translated)
    assert "states 9 about AFCON" in finding.message
    line = Path(finding.location.file).read_text(encoding="utf-8").splitlines()[finding.location.line - 1]
    assert line.lstrip().startswith("description: خلال كأس")


def test_a_claim_linking_no_afcon_lesson_is_reported(rule_workspace):
    (finding,) = claim_findings(rule_workspace, lessons_event="Annual police review 2025")
    assert "links no lesson of an AFCON lessons document" in finding.message


def test_the_library_states_nothing_about_afcon_that_its_lessons_do_not_carry(tmp_path):
    library = tmp_path / "protocols"
    shutil.copytree(RULE_FIXTURES.parents[2] / "protocols", library)
    assert [f.message for f in validate([library]).findings if f.rule.startswith("lesson-")] == []
