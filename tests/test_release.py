"""Release controls: nothing above the release level reaches the PDF; marking from content.

Encryption is tested in tests/test_encrypt.py."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from eventsec.cli import main
from eventsec.release.redact import Release, ReleaseError
from tests.conftest import FIXTURES, ROOT, commit_copy

WORKSPACE = FIXTURES / "release"
SENTINELS = {  # sentinel → the lowest level allowed to see it
    "SENTINEL-INTERNAL-ITEM": "internal",
    "SENTINEL-RESTRICTED-ITEM": "restricted",
    "SENTINEL-RESTRICTED-EXIT": "restricted",  # also the narrowest element of North stand's route
    "SENTINEL-RESTRICTED-SECTION": "restricted",
    "SENTINEL-RESTRICTED-ROUTE": "restricted",
    "SENTINEL-CONFIDENTIAL-BOX": "confidential",  # a section with declared steward posts
    "SENTINEL-RESTRICTED-GATE": "restricted",  # also named by its own entry-time figure
    "SENTINEL-RESTRICTED-CONTACT": "restricted",
    "SENTINEL-RADIO": "restricted",
    "SENTINEL-CONFIDENTIAL-PROTOCOL": "confidential",
    "SENTINEL-CONFIDENTIAL-CAMERA": "confidential",
}
LEVELS = ["public", "internal", "restricted", "confidential"]


def render(runner, tmp_path: Path, level: str, *extra: str) -> Path:
    """Render the release fixture (or its copy in ``tmp_path / 'ws'``) at ``level``."""
    out = tmp_path / level
    workspace = tmp_path / "ws" if (tmp_path / "ws").is_dir() else WORKSPACE
    result = runner.invoke(
        main,
        [
            "render",
            str(workspace),
            "--venue",
            "v1",
            "--as-of",
            "2030-05-01",
            "-o",
            str(out),
            "--release",
            level,
            *extra,
        ],
    )
    assert result.exit_code == 0, result.output
    (pdf,) = out.glob("*.pdf")
    return pdf


def every_string(pdf: Path) -> str:
    """Text of every page, metadata, outline and annotations, plus the decompressed file bytes."""
    reader = PdfReader(pdf)
    parts = [page.extract_text() for page in reader.pages]
    parts += [str(value) for value in (reader.metadata or {}).values()]

    def outline(entries):
        for entry in entries:
            if isinstance(entry, list):
                yield from outline(entry)
            else:
                yield entry.title

    parts += list(outline(reader.outline))
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            parts += [str(annotation.get(key, "")) for key in ("/Contents", "/T", "/Dest")]
            parts.append(str((annotation.get("/A") or {}).get("/URI", "")))
    qdf = pdf.with_suffix(".qdf")
    subprocess.run(["qpdf", "--qdf", "--object-streams=disable", str(pdf), str(qdf)], check=True)
    parts.append(qdf.read_bytes().decode("latin-1"))
    joined = "\n".join(parts)
    return joined + "\n" + re.sub(r"\s+", "", joined)  # a sentinel wrapped inside a cell must still be found


@pytest.mark.parametrize("level", LEVELS)
def test_nothing_above_the_release_level_leaks(runner, tmp_path, level):
    strings = every_string(render(runner, tmp_path, level))
    for sentinel, needed in SENTINELS.items():
        visible = LEVELS.index(needed) <= LEVELS.index(level)
        assert (sentinel in strings) == visible, (sentinel, level)
    if level == "public":
        for item_id in ("CRW-006", "CRW-007", "SCT-001"):
            assert item_id not in strings


@pytest.mark.parametrize(
    "level, marking",
    [("public", "PUBLIC"), ("internal", "INTERNAL"), ("restricted", "RESTRICTED"), ("confidential", "CONFIDENTIAL")],
)
def test_marking_is_the_highest_level_present(runner, tmp_path, level, marking):
    reader = PdfReader(render(runner, tmp_path, level))
    for page in reader.pages[1:]:
        text = re.sub(r"SENTINEL-[A-Z-]+", "", page.extract_text())
        assert marking in text
        assert all(
            other not in text for other in ("PUBLIC", "INTERNAL", "RESTRICTED", "CONFIDENTIAL") if other != marking
        )


def test_chapters_say_how_many_items_were_withheld(runner, tmp_path):
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(render(runner, tmp_path, "public")).pages)
    assert "3 items withheld at this release level." in text  # crowd: CRW-006, CRW-007 and SCT-001
    assert "further reasons concern items withheld" in text  # CRW-007 is blocked, but its id is not shown
    assert "Mobile stewards" not in text  # staffing figures are restricted
    assert (
        "6 sections, exits, entrances or posts withheld at this release level." in text
    )  # x2, g2, cam-1, r2, 2 sections


def test_unknown_release_level_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(
        main, ["render", str(WORKSPACE), "--venue", "v1", "-o", str(tmp_path), "--release", "secret"]
    )
    assert result.exit_code == 2 and "not one of public, internal, restricted, confidential" in result.output


def test_renamed_levels():
    policy = Release.for_tournament(
        {"sensitivity_levels": ["open", "team", "closed"], "classification": "team"}, "team"
    )
    assert policy.level(None) == "team" and policy.admit("open") and not policy.admit("closed", "x")
    assert policy.marking == "open" and policy.withheld == {"x": 1}
    with pytest.raises(ReleaseError):
        Release.for_tournament({"sensitivity_levels": ["open", "team"]}, "public")


@pytest.fixture
def repository(tmp_path):
    """A git repository holding the release fixture, committed once, then changed in the working tree."""
    root = tmp_path / "repo"
    crowd = commit_copy(WORKSPACE, root) / "library" / "crowd.yaml"
    crowd.write_text(
        crowd.read_text()
        .replace("title: Train the stewards", "title: Train and certify the stewards")
        .replace("title: Stage SENTINEL-RESTRICTED-ITEM reserve", "title: Stage SENTINEL-RESTRICTED-ITEM reserve early")
    )
    return root


def test_render_since_adds_a_changes_section(runner, repository, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(
        main,
        ["render", str(repository / "ws"), "--venue", "v1", "--as-of", "2030-05-01", "-o", str(out), "--since", "HEAD"],
    )
    assert result.exit_code == 0, result.output
    (pdf,) = out.glob("*.pdf")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages)
    assert "Changes since HEAD" in text
    assert "CRW-002.title: Train the stewards → Train and certify the stewards" in text.replace('"', "")


def test_changes_about_withheld_items_are_not_released(runner, repository, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(
        main,
        [
            "render",
            str(repository / "ws"),
            "--venue",
            "v1",
            "--as-of",
            "2030-05-01",
            "-o",
            str(out),
            "--since",
            "HEAD",
            "--release",
            "public",
        ],
    )
    assert result.exit_code == 0, result.output
    strings = every_string(next(out.glob("*.pdf")))
    assert "SENTINEL" not in strings and "CRW-007" not in strings
    assert "Train and certify the stewards" in strings


def test_since_outside_git_is_a_usage_error(runner, tmp_path):
    import shutil

    outside = tmp_path / "ws"
    shutil.copytree(WORKSPACE, outside)
    result = runner.invoke(
        main, ["render", str(outside), "--venue", "v1", "-o", str(tmp_path / "out"), "--since", "HEAD"]
    )
    assert result.exit_code == 2 and "--since HEAD" in result.output


def test_a_public_plan_keeps_the_overall_readiness_of_the_whole_plan(runner, tmp_path):
    """Withheld items still count in the verdict and the overall line (never '100% — 0 of 0')."""
    texts = {
        level: " ".join(
            " ".join(p.extract_text().split()) for p in PdfReader(render(runner, tmp_path / level, level)).pages
        )
        for level in ("public", "confidential")
    }
    overall = [
        re.search(r"Overall readiness ([0-9.]+)% — (\d+) of (\d+) items done", text).groups() for text in texts.values()
    ]
    assert overall[0] == overall[1] and int(overall[0][2]) > 0
    assert re.search(r"items done, \d+ overdue\. 3 items withheld at this release level\.", texts["public"])


def test_a_withheld_gate_is_not_named_by_its_safety_figures(runner, tmp_path):
    """The entry-time row of a gate names it: it goes with the gate (the venue total stays)."""
    import shutil

    from tests.conftest import ROOT

    shutil.copytree(ROOT / "samples" / "wc2030", tmp_path / "ws")
    venue = tmp_path / "ws" / "venues" / "ma-rabat.yaml"
    text = venue.read_text()
    assert "    name: Gate 1 (West Stand)\n" in text
    venue.write_text(
        text.replace("    name: Gate 1 (West Stand)\n", "    name: SENTINEL-GATE\n    sensitivity: restricted\n", 1)
    )
    texts = {}
    for level in ("internal", "restricted"):
        out = tmp_path / level
        result = runner.invoke(
            main,
            [
                "render",
                str(tmp_path / "ws"),
                "--venue",
                "ma-rabat",
                "--as-of",
                "2030-03-01",
                "--release",
                level,
                "-o",
                str(out),
            ],
        )
        assert result.exit_code == 0, result.output
        texts[level] = every_string(next(out.glob("*.pdf")))
    assert "SENTINEL-GATE" not in texts["internal"] and "Venue entry time" in texts["internal"]
    assert "SENTINEL-GATE entry time" in texts["restricted"]


def sample_copy(tmp_path: Path) -> Path:
    """The wc2030 sample (tournament and venue ma-rabat internal) in a scratch directory."""
    import shutil

    from tests.conftest import ROOT

    shutil.copytree(ROOT / "samples" / "wc2030", tmp_path / "ws")
    return tmp_path / "ws"


def render_sample(runner, workspace: Path, out: Path, level: str) -> str:
    result = runner.invoke(
        main,
        [
            "render",
            str(workspace),
            "--venue",
            "ma-rabat",
            "--as-of",
            "2030-03-01",
            "--lang",
            "en",
            "--jobs",
            "1",
            "--release",
            level,
            "-o",
            str(out),
        ],
    )
    assert result.exit_code == 0, result.output
    return every_string(next(out.glob("*.pdf"))) + result.output


def test_unmarked_text_takes_its_containers_level(runner, tmp_path):
    """Red-team case: tournament and venue internal, nothing else marked. A public plan shows none
    of their text (distribution, capacity source, illustrative note, section names) nor the
    built-in lessons' titles; an internal plan shows them all."""
    workspace = sample_copy(tmp_path)
    tournament, venue = workspace / "tournament.yaml", workspace / "venues" / "ma-rabat.yaml"
    tournament.write_text(
        tournament.read_text().replace("- Venue safety officers and venue managers", "- SENTINEL-DISTRIBUTION officers")
    )
    text = venue.read_text()
    for old, new in (
        ("capacity_source: Planned", "capacity_source: SENTINEL-CAPACITY Planned"),
        ("illustrative: Name,", "illustrative: SENTINEL-ILLUSTRATIVE Name,"),
        ("    name: West Stand\n", "    name: SENTINEL-SECTION\n"),
    ):
        assert old in text
        text = text.replace(old, new, 1)
    venue.write_text(text)
    sentinels = (
        "SENTINEL-DISTRIBUTION",
        "SENTINEL-CAPACITY",
        "SENTINEL-ILLUSTRATIVE",
        "SENTINEL-SECTION",
        "Ticket, Fan ID and e-visa combined in one app",
    )
    public = render_sample(runner, workspace, tmp_path / "public", "public")
    internal = render_sample(runner, workspace, tmp_path / "internal", "internal")
    assert [s for s in sentinels if s in public] == []
    assert [s for s in sentinels if s not in internal] == []
    assert "SENTINEL-SECTION egress" in internal  # the egress row names the section; withheld with it above


CONFIDENTIAL_OVERLAY = """kind: overlay
id: secret-rabat
layer: venue
target: ma-rabat
sensitivity: confidential
parameters:
  flow_rate_level: {value: 70, source: SENTINEL-B2, confidence: documented}
set:
  - {item: CRW-002, fields: {title: Train SENTINEL-B-SET stewards}, note: SENTINEL-B-NOTE}
add:
  - protocol: crowd-management
    item: {id: CRW-SEC-001, title: Guard SENTINEL-B-ADD, description: D., criticality: high, phase: T-10d,
           owner: venue-safety-officer, evidence: E., basis: practice}
remove:
  - item: CRW-003
    reason: SENTINEL-B-REMOVE is handled by the police
    waiver: {approved_by: SENTINEL-B-WAIVER, date: "2030-01-01", reason: Police lead}
"""


def test_a_confidential_overlay_contributes_nothing_below_its_level(runner, tmp_path):
    """Red-team case: what a confidential overlay adds, sets, removes and parameterises. The items
    it touches are withheld whole, and so is the parameter it sets (never the confidential
    value, never the library's value as if it were the plan's) with the figures computed from it."""
    workspace = sample_copy(tmp_path)
    (workspace / "overlays" / "secret-rabat.yaml").write_text(CONFIDENTIAL_OVERLAY)
    restricted = render_sample(runner, workspace, tmp_path / "restricted", "restricted")
    full = render_sample(runner, workspace, tmp_path / "confidential", "confidential")
    assert "flow rate on level exits = 70 (from SENTINEL-B2, documented)" in full.replace("\n", " ")
    assert "SENTINEL" not in restricted and "flow rate on level exits = " not in restricted.replace("\n", " ")
    for computed in ("West Stand egress time", "Exit routes", "Safe capacity (Green Guide method)"):  # from the rate
        assert computed not in restricted.replace("\n", " ") and computed in full.replace("\n", " ")
    for item in ("CRW-002", "CRW-003", "CRW-SEC-001"):
        assert item not in restricted and item in full


def test_a_withheld_parameter_leaves_no_footnote_note_in_the_released_report(tmp_path):
    """The footnote words of each parameter (label, value, source) go with the parameter."""
    from eventsec.checks.validate import load_workspace
    from eventsec.render.report import build_report

    workspace = sample_copy(tmp_path)
    (workspace / "overlays" / "secret-rabat.yaml").write_text(CONFIDENTIAL_OVERLAY)
    loaded, _ = load_workspace(workspace)
    released, findings = build_report(loaded, "ma-rabat", "2030-05-01", "en", release="restricted")
    assert released is not None, findings
    assert "flow_rate_level" not in released.safety.parameter_notes
    assert set(released.safety.parameter_notes) == set(released.safety.parameters)


def test_withheld_contacts_and_geometry_say_so(runner, tmp_path):
    """A public plan of a withheld venue says its contacts and geometry were withheld, rather
    than that none were recorded."""
    import shutil

    shutil.copytree(WORKSPACE, tmp_path / "ws")
    venue = tmp_path / "ws" / "venue.yaml"
    venue.write_text(venue.read_text() + "sensitivity: internal\n")
    result = runner.invoke(
        main,
        [
            "render",
            str(tmp_path / "ws"),
            "--venue",
            "v1",
            "--as-of",
            "2030-05-01",
            "-o",
            str(tmp_path / "out"),
            "--release",
            "public",
        ],
    )
    assert result.exit_code == 0, result.output
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(next((tmp_path / "out").glob("*.pdf"))).pages)
    assert "2 contacts withheld at this release level." in text and "No contacts are recorded" not in text
    assert "exits, entrances and posts are withheld at this release level" in text and "has no geometry" not in text
    assert "Test Stadium" not in text and "Testville" not in text


def test_release_report_leaves_the_full_report_as_it_was():
    """The release is a transform: the full report it reads is not changed."""
    import copy

    from eventsec.checks.validate import load_workspace
    from eventsec.i18n import Catalog
    from eventsec.release.redact import marks_of, release_report
    from eventsec.render.report import PlanReport, build_report

    workspace, _ = load_workspace(WORKSPACE)
    full, _ = build_report(workspace, "v1", "2030-05-01", "en")
    before = copy.deepcopy(full)
    public = release_report(
        full,
        Release.for_tournament(full.plan.tournament, "public"),
        marks_of(workspace, "v1"),
        Catalog("en").t("withheld_text"),
    )
    assert isinstance(public, PlanReport) and public is not full
    assert full == before
    assert len(public.plan.venue["contacts"]) < len(full.plan.venue["contacts"])


@pytest.mark.parametrize(
    "kind_file, text",
    [
        ("tournament.yaml", "sensitivity: secret\n"),
        ("status.yaml", "sensitivity: secret\n"),
        ("library/catalog.yaml", "sensitivity: secret\n"),
    ],
)
def test_every_kind_may_carry_a_level_the_lint_rule_checks(runner, tmp_path, kind_file, text):
    import shutil

    shutil.copytree(WORKSPACE, tmp_path / "ws")
    target = tmp_path / "ws" / kind_file
    target.write_text(target.read_text() + text)
    result = runner.invoke(main, ["validate", str(tmp_path / "ws")])
    assert result.exit_code == 1
    assert (
        "sensitivity-level" in result.output
        and kind_file in result.output
        and "'secret' is not a release level" in result.output
    )


def test_an_overlay_cannot_lower_an_items_level(runner, tmp_path):
    """A public overlay marking a restricted library item public does not release its text."""
    import shutil

    shutil.copytree(WORKSPACE, tmp_path / "ws")
    (tmp_path / "ws" / "overlay.yaml").write_text(
        "kind: overlay\nid: lower\nlayer: venue\ntarget: v1\nsensitivity: public\n"
        "set:\n  - {item: CRW-007, fields: {sensitivity: public}, note: Declassified by the venue}\n"
    )
    strings = every_string(render(runner, tmp_path, "public"))
    assert "SENTINEL-RESTRICTED-ITEM" not in strings and "CRW-007" not in strings


def test_a_withheld_section_takes_its_egress_rows_with_it(runner, tmp_path):
    """Sections may be marked too; a withheld one is named nowhere (egress rows, findings) and
    the venue profile counts it."""
    workspace = sample_copy(tmp_path)
    venue = workspace / "venues" / "ma-rabat.yaml"
    text = venue.read_text()
    assert "    name: West Stand\n" in text
    venue.write_text(
        text.replace("    name: West Stand\n", "    name: SENTINEL-SECTION\n    sensitivity: restricted\n", 1)
    )
    internal = render_sample(runner, workspace, tmp_path / "internal", "internal")
    restricted = render_sample(runner, workspace, tmp_path / "restricted", "restricted")
    assert "SENTINEL-SECTION" not in internal and "East Stand egress" in internal
    assert "sections, exits, entrances or posts withheld" in internal
    assert "SENTINEL-SECTION egress" in restricted


def test_a_public_exit_of_a_withheld_venue_is_shown(runner, tmp_path):
    """A mark below the container's wins: the venue's sections are withheld, its public exit is not."""
    import shutil

    shutil.copytree(WORKSPACE, tmp_path / "ws")
    venue = tmp_path / "ws" / "venue.yaml"
    text = venue.read_text().replace(
        "serves: [north]}\n    - {id: x2", "serves: [north], sensitivity: public}\n    - {id: x2", 1
    )
    venue.write_text(text + "sensitivity: internal\n")
    strings = every_string(render(runner, tmp_path, "public"))
    assert "Main exit" in strings and "North stand" not in strings
    assert "sections, exits, entrances or posts withheld at this release level" in strings


def test_a_plan_that_withholds_every_item_has_no_blank_page_empty_chart_or_empty_table(runner, tmp_path):
    """The sample's library takes its internal tournament's level, so a public plan keeps no item:
    no page may hold only its running header and footer (two page breaks in a row drew one), no
    domain chart may be drawn with nothing in it, no timeline or lessons table with only its header row."""
    venue = ROOT / "samples" / "wc2030"
    args = ["render", str(venue), "--venue", "ma-rabat", "--as-of", "2030-03-01", "--lang", "en"]
    result = runner.invoke(main, [*args, "--release", "public", "-o", str(tmp_path)])
    assert result.exit_code == 0, result.output
    pages = [page.extract_text().splitlines() for page in PdfReader(next(tmp_path.glob("*.pdf"))).pages]
    running = re.compile(r"^(\[withheld\] — \[withheld\]|Page \d+ of \d+|Version \[withheld\]|PUBLIC)$")
    assert all([line for line in page if not running.match(line.strip())] for page in pages)
    text = "\n".join("\n".join(page) for page in pages)
    assert "overdue. 399 items withheld at this release level." in text
    assert "Readiness by domain" not in text and "25%" not in text
    assert re.search(r"Timeline by phase\s+373 items withheld", text)
    assert re.search(r"28 lessons withheld at this release level\.\s+Contacts", text)


def released(level: str):
    """The release fixture's report at ``level``."""
    from eventsec.checks.validate import load_workspace
    from eventsec.render.report import build_report

    workspace, _ = load_workspace(WORKSPACE)
    report, findings = build_report(workspace, "v1", "2030-05-01", "en", release=level)
    assert report is not None, findings
    return report


def test_a_withheld_place_takes_its_route_rows_deployment_rows_and_bottleneck_name_with_it(runner, tmp_path):
    """North stand leaves by North route through the restricted SENTINEL-RESTRICTED-EXIT, which
    governs it; Box route serves the confidential box section, which declares gangway posts."""
    public, restricted, full = (released(level).safety for level in ("public", "restricted", "confidential"))
    assert [r.name for r in full.routes] == ["North route", "SENTINEL-RESTRICTED-ROUTE", "Box route"]
    assert [r.name for r in restricted.routes] == ["North route", "SENTINEL-RESTRICTED-ROUTE"]  # box is withheld
    assert public.routes == []  # North route passes the withheld exit; the others serve withheld sections
    north = {
        level: next(s for s in safety.sections if s.section == "north")
        for level, safety in (("public", public), ("restricted", restricted))
    }
    assert north["restricted"].bottleneck == "SENTINEL-RESTRICTED-EXIT" and north["restricted"].governs == "exit"
    assert north["public"].bottleneck == "[withheld]" and north["public"].safe == north["restricted"].safe
    assert public.deployment is None and public.medical is None  # staffing is restricted
    sections = {row.section for row in restricted.deployment.posts}
    assert "box" not in sections and "[withheld]" in sections and "box" in {r.section for r in full.deployment.posts}
    assert restricted.deployment.total == full.deployment.total  # the withheld section's stewards count, unnamed
    text = {level: every_string(render(runner, tmp_path, level)) for level in ("public", "restricted", "confidential")}
    # every_string also holds the text without whitespace: a cell may wrap inside a name
    assert "exit([withheld])" in text["public"] and "exit(SENTINEL-RESTRICTED-EXIT)" in text["restricted"]
    assert "North route" not in text["public"] and "North route" in text["restricted"]
    assert "Box route" not in text["restricted"] and "Box route" in text["confidential"]
    assert "Stewarding deployment" not in text["public"] and "Stewarding deployment" in text["restricted"]


def test_a_withheld_parameter_takes_the_capacities_and_routes_resting_on_it(tmp_path):
    """A confidential overlay sets the level flow rate: the routes' flows and the sections'
    capacities rest on it and are withheld below its level, and the plan shows no safe capacity."""
    import shutil

    from eventsec.checks.validate import load_workspace
    from eventsec.render.report import build_report

    shutil.copytree(WORKSPACE, tmp_path / "ws")
    (tmp_path / "ws" / "secret.yaml").write_text(
        "kind: overlay\nid: secret\nlayer: venue\ntarget: v1\nsensitivity: confidential\n"
        "parameters:\n  flow_rate_level: {value: 70, source: SENTINEL-FLOW, confidence: documented}\n"
    )
    workspace, _ = load_workspace(tmp_path / "ws")
    reports = {
        level: build_report(workspace, "v1", "2030-05-01", "en", release=level)[0]
        for level in ("restricted", "confidential")
    }
    assert reports["confidential"].safety.routes and reports["confidential"].safety.sections
    restricted = reports["restricted"].safety
    assert restricted.routes == [] and restricted.sections == []
    assert restricted.deployment is not None  # staffing does not read the flow rate
