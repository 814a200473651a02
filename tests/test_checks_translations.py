"""``validate --lang`` counts the workspace's names like library prose: the tournament's name and
distribution list, each venue's name, city and notes, each section, entrance, exit and holding
area name; never ids, contacts or countries (Babel names those)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from eventsec.checks.validate import validate
from eventsec.cli import main
from tests.conftest import ROOT

VENUE = """kind: venue
id: v1
name: Test Stadium
city: Testville
country: XX
timezone: Europe/Madrid
capacity: 30000
{translations}matches:
  - {{id: m1, date: "2025-06-10", kickoff: "20:00", risk: high}}
geometry:
  sections:
    - id: west
      name: West Stand
      seated: 30000
  exits:
    - {{id: x1, width_m: 10, type: level, serves: [west]}}
contacts:
  - {{role: venue-safety-officer, name: Y. Alaoui, phone: "+212 5 00 00 00 01", email: vso@example.org}}
"""


def translation_lines(workspace, lang: str = "fr") -> list[str]:
    result = CliRunner().invoke(main, ["validate", "--lang", lang, str(workspace)])
    assert result.exit_code == 0, result.output
    return [line for line in result.output.splitlines() if "warning[translation]" in line and "library" not in line]


def write_venue(workspace, translations: str = "") -> None:
    (workspace / "venues" / "v1.yaml").write_text(VENUE.format(translations=translations), encoding="utf-8")


def test_a_venue_without_its_name_in_the_language_is_reported_at_the_name(rule_workspace):
    workspace = rule_workspace()
    write_venue(workspace)
    lines = translation_lines(workspace)
    assert any(
        line.endswith("v1.yaml:3:7: warning[translation] venue 'v1' has no fr name, city; plans show them in English")
        for line in lines
    ), lines


def test_a_translated_name_leaves_only_what_is_still_missing(rule_workspace):
    workspace = rule_workspace()
    write_venue(workspace, "translations:\n  fr: {name: Stade d'essai}\n")
    lines = translation_lines(workspace)
    assert any(
        line.endswith("v1.yaml:4:7: warning[translation] venue 'v1' has no fr city; plans show it in English")
        for line in lines
    ), lines
    assert not any("has no fr name, city" in line for line in lines)


def test_each_named_place_counts_and_unnamed_places_contacts_and_ids_do_not(rule_workspace):
    workspace = rule_workspace()
    write_venue(workspace, "translations:\n  fr: {name: Stade d'essai, city: Villetest}\n")
    venue_lines = [line for line in translation_lines(workspace) if "v1.yaml" in line]
    assert len(venue_lines) == 1, venue_lines
    assert venue_lines[0].endswith(
        "v1.yaml:15:13: warning[translation] section 'west' has no fr name; plans show it in English"
    )


def test_the_tournament_name_and_distribution_list_count_and_a_short_list_is_missing(rule_workspace):
    workspace = rule_workspace()
    (workspace / "tournament.yaml").write_text(
        'kind: tournament\nid: t25\nname: Test Cup 2025\ndates: {start: "2025-06-01", end: "2025-06-30"}\n'
        "hosts: [{country: XX, name: Testland}]\nprotocols: [library]\n"
        "distribution: [Venue safety officer, Police match commander]\n"
        "translations:\n  fr: {name: Coupe d'essai 2025, distribution: [Responsable de la sécurité du stade]}\n",
        encoding="utf-8",
    )
    lines = [line for line in translation_lines(workspace) if "tournament.yaml" in line]
    assert [line.split(": ", 1)[1] for line in lines] == [
        "warning[translation] tournament 't25' has no fr distribution; plans show it in English"
    ]
    assert ":7:" in lines[0]  # the distribution list's line


def test_coverage_counts_tournament_venues_and_places(rule_workspace):
    workspace = rule_workspace()
    write_venue(workspace)
    result = validate([workspace], "fr")
    assert result.coverage[0].counts["tournament"] == [0, 1]
    assert result.coverage[0].counts["venues"] == [0, 1]
    assert result.coverage[0].counts["venue places"] == [0, 1]


@pytest.mark.parametrize("lang", ["fr", "ar", "es", "pt"])
def test_the_afcon2025_sample_has_every_name_in_every_language(lang):
    """afcon2025 only: the wc2030 sample's names are filled on another branch (i15-wcnames);
    extend this to both samples once it is merged."""
    result = validate([ROOT / "samples" / "afcon2025"], lang, resolve_plans=False)
    assert [f for f in result.findings if f.rule == "translation"] == []
    counts = result.coverage[0].counts
    assert counts["venues"] == [9, 9] and counts["tournament"] == [1, 1]
    assert counts["venue places"][0] == counts["venue places"][1] > 0


def test_a_protocols_title_and_a_parameters_label_count_like_item_text():
    library = ROOT / "tests" / "fixtures" / "safety_words" / "library" / "safety.yaml"
    result = CliRunner().invoke(main, ["validate", "--lang", "ar", str(library)])
    assert "safety.yaml:2:5: warning[translation] protocol 'safety' has no ar title" in result.output
    assert (
        "safety.yaml:18:61: warning[translation] parameter 'entry_time_target_min' has no ar label; "
        "plans show it in English" in result.output
    )
    assert "parameters 2/3 (66%)" in result.output  # the two other labels carry Arabic; unlabelled ones are not counted


def test_an_item_an_overlay_adds_counts_like_a_library_item(rule_workspace):
    workspace = rule_workspace()
    (workspace / "overlays").mkdir(exist_ok=True)
    (workspace / "overlays" / "country-xx.yaml").write_text(
        "kind: overlay\nid: country-xx\nlayer: country\ntarget: XX\nadd:\n- protocol: crowd-management\n"
        "  item:\n    id: ADD-001\n    title: Added item\n    description: D.\n    criticality: high\n"
        "    phase: T-30d\n    owner: venue-safety-officer\n    evidence: E\n    basis: practice\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(main, ["validate", "--lang", "fr", str(workspace)])
    assert "item 'ADD-001' has no fr title, description, evidence" in result.output, result.output


def test_an_overlays_rewrite_of_an_items_text_needs_its_own_translations(rule_workspace):
    """A French plan would otherwise print the library's French title under the overlay's new English one."""
    workspace = rule_workspace()
    overlay = workspace / "country-xx.yaml"
    rewrite = (
        "kind: overlay\nid: country-xx\nlayer: country\ntarget: XX\nset:\n- item: CRW-002\n  fields:\n"
        "    title: Train the stewards to national law\n    criticality: high\n"
    )
    overlay.write_text(rewrite, encoding="utf-8")
    (line,) = [line for line in translation_lines(workspace) if "country-xx.yaml" in line]
    assert "country-xx.yaml:8:12: warning[translation] change to item 'CRW-002' has no fr title" in line
    overlay.write_text(rewrite + "    translations: {fr: {title: Former les stadiers au droit national}}\n")
    assert not [line for line in translation_lines(workspace) if "country-xx.yaml" in line]
    criticality_only = rewrite.replace("    title: Train the stewards to national law\n", "")
    overlay.write_text(criticality_only, encoding="utf-8")
    assert not [line for line in translation_lines(workspace) if "country-xx.yaml" in line]


def test_a_named_exit_route_counts_like_the_other_places(rule_workspace):
    workspace = rule_workspace()
    write_venue(workspace, "translations:\n  fr: {name: Stade d'essai, city: Villetest}\n")
    venue = workspace / "venues" / "v1.yaml"
    text = venue.read_text(encoding="utf-8").replace(
        "      name: West Stand\n", "      name: West Stand\n      translations: {fr: {name: Tribune Ouest}}\n"
    )
    venue.write_text(
        text.replace(
            "contacts:", "  routes:\n    - {id: r1, name: West ramp route, serves: [west], through: [x1]}\ncontacts:"
        ),
        encoding="utf-8",
    )
    venue_lines = [line for line in translation_lines(workspace) if "v1.yaml" in line]
    assert len(venue_lines) == 1 and "route 'r1' has no fr name" in venue_lines[0], venue_lines


def test_a_sections_factors_source_counts_like_its_name(rule_workspace):
    workspace = rule_workspace()
    write_venue(workspace, "translations:\n  fr: {name: Stade d'essai, city: Villetest}\n")
    venue = workspace / "venues" / "v1.yaml"
    venue.write_text(
        venue.read_text(encoding="utf-8").replace(
            "      name: West Stand\n",
            "      name: West Stand\n      factors_source: Safety certificate 2029\n"
            "      translations: {fr: {name: Tribune Ouest}}\n",
        ),
        encoding="utf-8",
    )
    venue_lines = [line for line in translation_lines(workspace) if "v1.yaml" in line]
    assert len(venue_lines) == 1 and "section 'west' has no fr factors_source" in venue_lines[0], venue_lines
