"""The operations order of a match (render/operations.py): its pages in every language, the
command diagram and its labels, the timeline, the amendment record from revisions and from git,
what a release withholds, and ``render --match``."""

from __future__ import annotations

import functools
import io
import json
import re
import shutil
import subprocess
import unicodedata

import pytest
from pypdf import PdfReader

from eventsec.assess.operations import match_timeline
from eventsec.checks.validate import load_workspace
from eventsec.cli import main
from eventsec.diff.amendments import amendment_record, git_record
from eventsec.i18n import Catalog
from eventsec.render.build import render_plan
from eventsec.render.report import build_report
from eventsec.render.rtl import visual_line
from tests.conftest import ROOT, commit_copy, git, needs_git

SAMPLE = ROOT / "samples" / "wc2030"
AS_OF = "2030-06-01"
LANGS = ("en", "fr", "ar", "es", "pt")
CALL_SIGNS = ("GOLD", "NSSO", "SILVER", "VSO", "BRONZE-1", "STEWARD-1", "CONTROL", "SECTOR-4")
"""Call signs of ma-rabat's contacts: restricted (police, the safety officer) and internal."""


@functools.cache
def workspace():
    loaded, result = load_workspace(SAMPLE)
    assert loaded is not None, result.findings
    return loaded


def nfkc(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).split())


def drawn(text: str, lang: str) -> str:
    """How a one-line label reads in pypdf's extracted text. An Arabic label (Arabic words
    only) is drawn shaped in visual order, which pypdf reads back from the end, so brackets
    come out turned the other way (as tests/test_render_rtl.py reads them)."""
    return nfkc(visual_line(text)[::-1] if lang == "ar" else text)


@functools.cache
def order_pages(venue: str, match: str, lang: str, release: str | None = None) -> tuple[str, ...]:
    report, findings = build_report(workspace(), venue, AS_OF, lang, match_id=match, release=release)
    assert report is not None, findings
    reader = PdfReader(io.BytesIO(render_plan(report, order=True).pdf))
    return tuple(nfkc(page.extract_text()) for page in reader.pages)


def pages_with(pages: tuple[str, ...], label: str) -> list[int]:
    return [number for number, page in enumerate(pages, start=1) if label in page]


# -- the order in every language ------------------------------------------------------------------
@pytest.mark.parametrize("lang", LANGS)
def test_the_order_has_every_part_in_each_language(lang):
    catalog = Catalog(lang)
    pages = order_pages("ma-rabat", "m027", lang)
    headings = ["ops_command_structure", "ops_call_signs", "ops_deployment", "ops_timeline", "ops_amendments"]
    for key in headings:
        assert pages_with(pages, drawn(catalog.t(key), lang)), f"{lang}: {key} not found"
    rationale = drawn(catalog.t("ops_col_rationale"), lang)  # a column only the log has (not the contents)
    log = [
        page for page in pages_with(pages, drawn(catalog.t("ops_decision_log"), lang)) if rationale in pages[page - 1]
    ]
    assert len(log) == 2 and log[1] == log[0] + 1, "two decision-log pages, one after the other"
    for page in log:
        assert drawn(catalog.t("ops_decision_log"), lang) in pages[page - 1]
        assert drawn(catalog.t("ops_col_rationale"), lang) in pages[page - 1]


@pytest.mark.parametrize("lang", LANGS)
def test_the_command_diagram_labels_are_in_the_extracted_text(lang):
    """Tier names, call signs and role titles that fit one line of a box, in the plan's language."""
    catalog = Catalog(lang)
    pages = order_pages("ma-rabat", "m027", lang)
    (page,) = pages_with(pages, drawn(catalog.t("ops_level_strategic"), lang))
    text = pages[page - 1]
    assert drawn(catalog.t("ops_command_structure"), lang) in text
    for level in ("strategic", "tactical", "operational"):
        assert drawn(catalog.t(f"ops_level_{level}"), lang) in text
    for sign in CALL_SIGNS:
        assert sign in text
    roles = {r["id"]: r for r in workspace().index.catalog_entries("roles") for r in [r.value]}
    for role in ("venue-manager", "civil-protection", "traffic-police"):
        title = roles[role]["title"] if lang == "en" else roles[role]["translations"][lang]["title"]
        assert drawn(title, lang) in text, f"{lang}: {title}"


def test_the_command_diagram_draws_on_its_page(tmp_path):
    """The diagram's page rendered to PNG (looked at by eye while writing this: three tiers,
    22 boxes, lines through the gaps) is not blank where the diagram is."""
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed")
    report, _ = build_report(workspace(), "ma-rabat", AS_OF, "ar", match_id="m027")
    pdf = tmp_path / "order.pdf"
    pdf.write_bytes(render_plan(report, order=True).pdf)
    pages = order_pages("ma-rabat", "m027", "ar")
    (page,) = pages_with(pages, drawn(Catalog("ar").t("ops_level_strategic"), "ar"))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), str(pdf), str(tmp_path / "p")], check=True
    )
    (png,) = tmp_path.glob("p*.png")
    data = png.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000  # a blank A4 page at 60 dpi is a few kB


def test_the_venue_plan_has_a_match_operations_chapter_without_decision_log():
    report, _ = build_report(workspace(), "pt-luz", AS_OF, "en")
    pages = [nfkc(p.extract_text()) for p in PdfReader(io.BytesIO(render_plan(report).pdf)).pages]
    assert pages_with(tuple(pages), "Match operations")
    assert pages_with(tuple(pages), "Call signs and radio channels")
    for match in ("m002", "m020", "m040"):
        assert pages_with(tuple(pages), f"Match {match} —"), match
    assert not pages_with(tuple(pages), "Decision log")


# -- the timeline ---------------------------------------------------------------------------------
def timeline(venue: str, match: str):
    report, _ = build_report(workspace(), venue, AS_OF, "en", match_id=match)
    return report, match_timeline(report.plan, report.plan.match, report.safety)


def test_the_timeline_takes_the_matchs_gates_open_else_the_planning_value():
    _, set_on_match = timeline("es-metropolitano", "m024")
    gates = next(e for e in set_on_match if e.kind == "gates_open")
    assert gates.at.strftime("%H:%M") == "18:00" and not gates.planned
    _, planned = timeline("es-metropolitano", "m011")  # kick-off 18:00, no gates_open
    gates = next(e for e in planned if e.kind == "gates_open")
    assert gates.at.strftime("%H:%M") == "15:00" and gates.planned and gates.minutes == 180


def test_the_timeline_runs_from_gates_to_stands_cleared_with_extra_time_only_at_knockout():
    report, group = timeline("ma-rabat", "m027")
    kinds = [e.kind for e in group if e.kind != "item"]
    assert kinds == ["gates_open", "kickoff", "half_time", "full_time", "stands_clear"]
    assert [e.at for e in group] == sorted(e.at for e in group)
    full_time = next(e for e in group if e.kind == "full_time")
    clear = next(e for e in group if e.kind == "stands_clear")
    longest = max(f.value for f in report.safety.figures if f.key.startswith("egress."))
    assert (clear.at - full_time.at).total_seconds() == pytest.approx(longest * 60)
    items = [e for e in group if e.kind == "item"]
    assert items and all(report.plan.item(e.item).fields["phase"].startswith("MD") for e in items)
    _, knockout = timeline("ma-rabat", "m036")  # round of 16
    assert "extra_time" in [e.kind for e in knockout]


# -- the amendment record -------------------------------------------------------------------------
def test_the_amendment_record_lists_the_venues_revisions_then_the_tournaments_newest_first():
    tournament = {
        "revisions": [
            {"version": "1", "date": "2030-01-01", "by": "T", "summary": "a"},
            {"version": "2", "date": "2030-02-01", "by": "T", "summary": "b"},
        ]
    }
    venue = {"revisions": [{"version": "v1", "date": "2030-03-01", "by": "V", "summary": "c"}]}
    record = amendment_record(tournament, venue, [])
    assert record.source == "revisions" and [a.version for a in record.entries] == ["v1", "2", "1"]


def test_the_sample_order_prints_the_revisions_in_the_plans_language():
    pages = order_pages("ma-rabat", "m027", "fr")
    text = " ".join(pages)
    assert "Ajout des opérations des matchs" in text and "Direction de la sécurité du tournoi" in text


def test_without_revisions_and_outside_git_the_record_is_a_blank_form(tmp_path):
    venue = tmp_path / "v.yaml"
    venue.write_text("kind: venue\n")
    record = amendment_record({}, {}, [venue])
    assert record.source == "none" and record.entries == ()


@needs_git
def test_without_revisions_the_record_is_the_git_history_of_the_plans_files(tmp_path):
    ws = commit_copy(SAMPLE, tmp_path)
    tournament = ws / "tournament.yaml"
    tournament.write_text(re.sub(r"\nrevisions:\n(?:[- ].*\n)+", "\n", tournament.read_text()))
    git(tmp_path, "commit", "-qam", "Tournament revisions moved to git")
    (ws / "status" / "pt-luz.yaml").write_text((ws / "status" / "pt-luz.yaml").read_text() + "\n")
    git(tmp_path, "commit", "-qam", "A status file only")
    loaded, result = load_workspace(ws)
    assert loaded is not None, result.findings
    report, _ = build_report(loaded, "pt-luz", AS_OF, "en", match_id="m040")
    record = report.operations.amendments
    assert record.source == "git"
    assert [a.summary for a in record.entries] == ["Tournament revisions moved to git", "signed version"]
    assert all(re.fullmatch(r"[0-9a-f]{7,}", a.version) and a.date for a in record.entries)
    assert git_record([ws / "tournament.yaml"]) == git_record([ws / "tournament.yaml"])  # deterministic
    internal, _ = build_report(loaded, "pt-luz", AS_OF, "en", match_id="m040", release="internal")
    assert internal.operations.amendments.entries == () and internal.withheld["amendments"] == 2


# -- release --------------------------------------------------------------------------------------
def test_a_lower_release_withholds_restricted_contacts_and_their_call_signs():
    full = " ".join(order_pages("ma-rabat", "m027", "en"))
    internal = " ".join(order_pages("ma-rabat", "m027", "en", "internal"))
    public = " ".join(order_pages("ma-rabat", "m027", "en", "public"))
    for sign in CALL_SIGNS:
        assert sign in full
    for sign in ("GOLD", "NSSO", "SILVER", "VSO", "BRONZE-1"):  # restricted contacts
        assert sign not in internal and sign not in public
    assert "STEWARD-1" in internal and "N. Tazi" not in internal
    assert "STEWARD-1" not in public and "contacts withheld" in public


# -- render --match -------------------------------------------------------------------------------
def test_render_match_writes_the_order_of_that_match_and_lists_it(runner, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1900000000")
    out = tmp_path / "out"
    args = ["render", str(SAMPLE), "--match", "m024", "--as-of", AS_OF, "-o", str(out)]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    pdf = out / "wc2030-es-metropolitano-m024-en.pdf"
    assert str(pdf) in first.output
    entry = json.loads((out / "manifest.json").read_text())["files"][0]
    assert entry["file"] == pdf.name and entry["match"] == "m024" and entry["venue"] == "es-metropolitano"
    text = nfkc(PdfReader(io.BytesIO(pdf.read_bytes())).pages[0].extract_text())
    assert "Operations order — m024" in text
    again = runner.invoke(main, [*args, "--force", "--venue", "es-metropolitano"])
    assert again.exit_code == 0, again.output
    assert (out / pdf.name).read_bytes() == pdf.read_bytes() and entry["sha256"] == json.loads(
        (out / "manifest.json").read_text()
    )["files"][0]["sha256"]


def test_render_match_refuses_an_unknown_match_or_another_venue(runner, tmp_path):
    base = ["render", str(SAMPLE), "--as-of", AS_OF, "-o", str(tmp_path / "out")]
    unknown = runner.invoke(main, [*base, "--match", "m999"])
    assert unknown.exit_code == 2 and "no match 'm999'" in unknown.output and "Traceback" not in unknown.output
    other = runner.invoke(main, [*base, "--match", "m024", "--venue", "pt-luz"])
    assert other.exit_code == 2 and "m024 is played at es-metropolitano" in other.output
    every = runner.invoke(main, [*base, "--match", "m024", "--all"])
    assert every.exit_code == 2 and "not at every venue" in every.output
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_render_match_in_every_language(runner, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(
        main,
        ["render", str(SAMPLE), "--match", "m001", "--lang", "all", "--as-of", AS_OF, "-o", str(out), "--jobs", "1"],
    )
    assert result.exit_code == 0, result.output
    names = sorted(e["file"] for e in json.loads((out / "manifest.json").read_text())["files"])
    assert names == [f"wc2030-ma-hassan2-m001-{lang}.pdf" for lang in sorted(LANGS)]
