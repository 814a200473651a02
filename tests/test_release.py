"""Release controls: nothing above the release level reaches the PDF; marking from content.

Encryption is tested in tests/test_encrypt.py."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from eventsec.cli import main
from eventsec.release import Release, ReleaseError
from tests.conftest import FIXTURES

WORKSPACE = FIXTURES / "release"
SENTINELS = {  # sentinel → the lowest level allowed to see it
    "SENTINEL-INTERNAL-ITEM": "internal",
    "SENTINEL-RESTRICTED-ITEM": "restricted",
    "SENTINEL-RESTRICTED-EXIT": "restricted",
    "SENTINEL-RESTRICTED-GATE": "restricted",  # also named by its own entry-time figure
    "SENTINEL-RESTRICTED-CONTACT": "restricted",
    "SENTINEL-RADIO": "restricted",
    "SENTINEL-CONFIDENTIAL-PROTOCOL": "confidential",
    "SENTINEL-CONFIDENTIAL-CAMERA": "confidential",
}
LEVELS = ["public", "internal", "restricted", "confidential"]


def render(runner, tmp_path: Path, level: str, *extra: str) -> Path:
    out = tmp_path / level
    result = runner.invoke(main, ["render", str(WORKSPACE), "--venue", "v1", "--as-of", "2030-05-01", "-o", str(out),
                                  "--release", level, *extra])
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


@pytest.mark.parametrize("level, marking", [("public", "PUBLIC"), ("internal", "INTERNAL"), ("restricted", "RESTRICTED"),
                                            ("confidential", "CONFIDENTIAL")])
def test_marking_is_the_highest_level_present(runner, tmp_path, level, marking):
    reader = PdfReader(render(runner, tmp_path, level))
    for page in reader.pages[1:]:
        text = re.sub(r"SENTINEL-[A-Z-]+", "", page.extract_text())
        assert marking in text
        assert all(other not in text for other in ("PUBLIC", "INTERNAL", "RESTRICTED", "CONFIDENTIAL") if other != marking)


def test_chapters_say_how_many_items_were_withheld(runner, tmp_path):
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(render(runner, tmp_path, "public")).pages)
    assert "3 items withheld at this release level." in text      # crowd: CRW-006, CRW-007 and SCT-001
    assert "further reasons concern items withheld" in text       # CRW-007 is blocked, but its id is not shown
    assert "Mobile stewards" not in text                            # staffing figures are restricted


def test_unknown_release_level_is_a_usage_error(runner, tmp_path):
    result = runner.invoke(main, ["render", str(WORKSPACE), "--venue", "v1", "-o", str(tmp_path), "--release", "secret"])
    assert result.exit_code == 2 and "not one of public, internal, restricted, confidential" in result.output


def test_renamed_levels():
    policy = Release.for_tournament({"sensitivity_levels": ["open", "team", "closed"], "classification": "team"}, "team")
    assert policy.level(None) == "team" and policy.admit("open") and not policy.admit("closed", "x")
    assert policy.marking == "open" and policy.withheld == {"x": 1}
    with pytest.raises(ReleaseError):
        Release.for_tournament({"sensitivity_levels": ["open", "team"]}, "public")


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def repository(tmp_path):
    """A git repository holding the release fixture, committed once, then changed in the working tree."""
    import shutil

    root = tmp_path / "repo"
    shutil.copytree(WORKSPACE, root / "ws")
    git(root, "init", "-q")
    git(root, "config", "user.email", "planner@example.org")
    git(root, "config", "user.name", "Planner")
    git(root, "add", ".")
    git(root, "commit", "-qm", "signed version")
    crowd = root / "ws" / "library" / "crowd.yaml"
    crowd.write_text(crowd.read_text().replace("title: Train the stewards", "title: Train and certify the stewards")
                     .replace("title: Stage SENTINEL-RESTRICTED-ITEM reserve", "title: Stage SENTINEL-RESTRICTED-ITEM reserve early"))
    return root


def test_render_since_adds_a_changes_section(runner, repository, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(main, ["render", str(repository / "ws"), "--venue", "v1", "--as-of", "2030-05-01", "-o", str(out),
                                  "--since", "HEAD"])
    assert result.exit_code == 0, result.output
    (pdf,) = out.glob("*.pdf")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(pdf).pages)
    assert "Changes since HEAD" in text
    assert "CRW-002.title: Train the stewards → Train and certify the stewards" in text.replace('"', "")


def test_changes_about_withheld_items_are_not_released(runner, repository, tmp_path):
    out = tmp_path / "out"
    result = runner.invoke(main, ["render", str(repository / "ws"), "--venue", "v1", "--as-of", "2030-05-01", "-o", str(out),
                                  "--since", "HEAD", "--release", "public"])
    assert result.exit_code == 0, result.output
    strings = every_string(next(out.glob("*.pdf")))
    assert "SENTINEL" not in strings and "CRW-007" not in strings
    assert "Train and certify the stewards" in strings


def test_since_outside_git_is_a_usage_error(runner, tmp_path):
    import shutil

    outside = tmp_path / "ws"
    shutil.copytree(WORKSPACE, outside)
    result = runner.invoke(main, ["render", str(outside), "--venue", "v1", "-o", str(tmp_path / "out"), "--since", "HEAD"])
    assert result.exit_code == 2 and "--since HEAD" in result.output


def test_a_public_plan_keeps_the_overall_readiness_of_the_whole_plan(runner, tmp_path):
    """Withheld items still count in the verdict and the overall line (never '100% — 0 of 0')."""
    texts = {level: " ".join(" ".join(p.extract_text().split()) for p in PdfReader(render(runner, tmp_path / level, level)).pages)
             for level in ("public", "confidential")}
    overall = [re.search(r"Overall readiness ([0-9.]+)% — (\d+) of (\d+) items done", text).groups() for text in texts.values()]
    assert overall[0] == overall[1] and int(overall[0][2]) > 0
    assert re.search(r"items done, \d+ overdue 3 items withheld at this release level\.", texts["public"])


def test_a_withheld_gate_is_not_named_by_its_safety_figures(runner, tmp_path):
    """The entry-time row of a gate names it: it goes with the gate (the venue total stays)."""
    import shutil

    from tests.conftest import ROOT

    shutil.copytree(ROOT / "samples" / "wc2030", tmp_path / "ws")
    venue = tmp_path / "ws" / "venues" / "ma-rabat.yaml"
    text = venue.read_text()
    assert "    name: Gate 1 (West Stand)\n" in text
    venue.write_text(text.replace("    name: Gate 1 (West Stand)\n", "    name: SENTINEL-GATE\n    sensitivity: restricted\n", 1))
    texts = {}
    for level in ("internal", "restricted"):
        out = tmp_path / level
        result = runner.invoke(main, ["render", str(tmp_path / "ws"), "--venue", "ma-rabat", "--as-of", "2030-03-01",
                                      "--release", level, "-o", str(out)])
        assert result.exit_code == 0, result.output
        texts[level] = every_string(next(out.glob("*.pdf")))
    assert "SENTINEL-GATE" not in texts["internal"] and "Venue entry time" in texts["internal"]
    assert "SENTINEL-GATE entry time" in texts["restricted"]
