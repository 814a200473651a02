"""The PDF plan: content found by text extraction, structure, fonts, reproducibility, atomicity."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time

import pytest
from pypdf import PdfReader

from eventsec.checks.validate import load_workspace
from eventsec.cli import main
from eventsec.render.build import render_plan
from eventsec.render.report import build_report
from tests.conftest import ROOT

WC2030 = ROOT / "samples" / "wc2030"
AS_OF = "2030-03-01"


@pytest.fixture(scope="module")
def workspace():
    loaded, _ = load_workspace(WC2030)
    return loaded


@pytest.fixture(scope="module")
def cartuja(workspace, tmp_path_factory):
    report, _ = build_report(workspace, "es-cartuja", AS_OF, "en")
    rendered = render_plan(report)
    path = tmp_path_factory.mktemp("pdf") / "cartuja.pdf"
    path.write_bytes(rendered.pdf)
    return path, report, rendered


@pytest.fixture(scope="module")
def text(cartuja):
    """Each page's text with whitespace folded, so wrapped lines still match."""
    reader = PdfReader(cartuja[0])
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def test_sections_appear_in_order(text):
    joined = "\n".join(text)
    headings = [
        "Document control",
        "Contents",
        "Executive summary",
        "Readiness by domain",
        "Overdue critical items",
        "Safety findings",
        "Venue profile",
        "Safety figures",
        "Stewarding deployment",  # "Medical provision" follows it, and names library items too
        "Timeline by phase",
        "Perimeter and access control",
        "Appendix: items not applicable or removed",
        "Lessons traceability",
        "Contacts",
        "Sign-off",
    ]
    positions = [
        joined.find(
            h, joined.find("Executive summary") if h not in ("Document control", "Contents", "Executive summary") else 0
        )
        for h in headings
    ]
    assert all(p >= 0 for p in positions), [h for h, p in zip(headings, positions) if p < 0]
    body = [joined.rfind(h) for h in headings[2:]]
    assert body == sorted(body)


def test_the_venue_profile_shows_the_assessments_tables(text, cartuja):
    """The sample's figures as the assessment computed them: what governs each section, each
    route's narrowest element, the deployment's total and each medical resource required."""
    safety = cartuja[1].safety
    joined = " ".join(text)
    for heading in ("Governed by", "Lanes", "Exit routes", "Narrowest element", "Rule gives", "Medical provision For"):
        assert heading in joined
    for section in safety.sections:
        assert f"{section.safe:,}" in joined
    for route in safety.routes:
        assert f"{route.flow:,.1f} {route.governing_name}" in joined
    assert f"Total on duty {safety.deployment.total:,}" in joined
    for row in safety.medical.rows:
        assert f"{row.required:,}" in joined


def test_cover_and_every_page_carry_the_marking_and_page_numbers(text, cartuja):
    report, rendered = cartuja[1], cartuja[2]
    marking = report.marking.upper()
    assert marking == "RESTRICTED"  # the sample's contacts and some items are restricted: the full plan says so
    assert "Safety and security readiness plan" in text[0] and "Estadio La Cartuja" in text[0]
    assert "Readiness as of 1 March 2030" in text[0] and marking in text[0]
    for number, page in enumerate(text[1:], start=2):
        assert marking in page
        assert f"Page {number} of {rendered.pages}" in page
        assert "FIFA World Cup 2030 — Estadio La Cartuja" in page


def test_items_figures_and_findings_are_in_the_plan(text, cartuja):
    report = cartuja[1]
    joined = "\n".join(text)
    for item in report.readiness.items[:: max(1, len(report.readiness.items) // 25)]:
        assert item.item.id in joined
    assert "Fondo Norte egress 11.2 mins against a target of 8.0 mins" in joined  # CLDR British short unit
    assert "Safe capacity" in joined and "56,376" in joined
    assert "rests on a figure whose source is unverified" in joined
    assert "NO-GO" in joined


def test_overlay_changes_are_marked_with_the_base_value(text):
    joined = "\n".join(text)
    assert "FIR-CAR-001◆" in joined  # added by the venue overlay
    assert "Added for this venue by the venue overlay" in joined
    assert "Changed for this venue" in joined and "library:" in joined


def test_removed_and_not_applicable_items_are_listed_with_their_reason(text, cartuja):
    report = cartuja[1]
    excluded = [i for i in report.plan.items() if i.state != "present"]
    assert excluded
    appendix = "\n".join(text[-8:])
    for item in excluded:
        assert item.id in appendix


def test_outline_metadata_and_structure(cartuja):
    path, _report, rendered = cartuja
    reader = PdfReader(path)
    assert len(reader.pages) == rendered.pages
    outline = [entry.title for entry in reader.outline if not isinstance(entry, list)]
    assert outline[:3] == ["Document control", "Executive summary", "Venue profile"]
    info = reader.metadata
    assert "Estadio La Cartuja" in info.title and "venue:es-cartuja" in info.subject
    assert "wc2030" in info["/Keywords"] and info.author.startswith("FIFA World Cup 2030")


def test_qpdf_check_passes(cartuja):
    qpdf = shutil.which("qpdf")
    if qpdf is None:
        pytest.fail("qpdf is missing: run .ci/system-deps")
    result = subprocess.run([qpdf, "--check", str(cartuja[0])], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout


def test_fonts_are_embedded(cartuja):
    reader = PdfReader(cartuja[0])
    fonts = {}
    for page in reader.pages[:5]:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            fonts[font["/BaseFont"]] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts


def test_same_inputs_give_the_same_bytes_in_another_process(cartuja, tmp_path):
    path = cartuja[0]
    script = (
        "import sys\nfrom pathlib import Path\nfrom eventsec.checks.validate import load_workspace\n"
        "from eventsec.render.report import build_report\nfrom eventsec.render.build import render_plan\n"
        f"ws, _ = load_workspace(Path({str(WC2030)!r}))\nr, _ = build_report(ws, 'es-cartuja', {AS_OF!r}, 'en')\n"
        "sys.stdout.buffer.write(render_plan(r).pdf)\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345", "TZ": "Asia/Tokyo"}
    other = subprocess.run([sys.executable, "-c", script], capture_output=True, env=env, check=True).stdout
    assert hashlib.sha256(other).hexdigest() == hashlib.sha256(path.read_bytes()).hexdigest()


def test_source_date_epoch_sets_the_creation_date(workspace, tmp_path):
    script = (
        "import sys\nfrom pathlib import Path\nfrom eventsec.checks.validate import load_workspace\n"
        "from eventsec.render.report import build_report\nfrom eventsec.render.build import render_plan\n"
        f"ws, _ = load_workspace(Path({str(WC2030)!r}))\nr, _ = build_report(ws, 'pt-luz', {AS_OF!r}, 'en')\n"
        "sys.stdout.buffer.write(render_plan(r).pdf)\n"
    )
    runs = [
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            check=True,
            env={**os.environ, "SOURCE_DATE_EPOCH": "1893456000"},
        ).stdout
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    (tmp_path / "luz.pdf").write_bytes(runs[0])
    assert "2030" in str(PdfReader(tmp_path / "luz.pdf").metadata.get("/CreationDate"))


def test_render_command_writes_pdfs_and_manifest_then_skips_unchanged(runner, tmp_path):
    out = tmp_path / "out"
    args = [
        "render",
        str(WC2030),
        "--venue",
        "pt-luz",
        "--venue",
        "ma-rabat",
        "--as-of",
        AS_OF,
        "-o",
        str(out),
        "--jobs",
        "2",
    ]
    first = runner.invoke(main, args)
    assert first.exit_code == 0, first.output
    manifest = json.loads((out / "manifest.json").read_text())
    files = {entry["file"]: entry for entry in manifest["files"]}
    assert set(files) == {"wc2030-pt-luz-en.pdf", "wc2030-ma-rabat-en.pdf"}
    for name, entry in files.items():
        data = (out / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert entry["pages"] == len(PdfReader(out / name).pages)
        assert entry["inputs_digest"].startswith("sha256:")
    mtime = (out / "wc2030-pt-luz-en.pdf").stat().st_mtime_ns
    second = runner.invoke(main, args)
    assert second.exit_code == 0 and second.output.count("(unchanged)") == 2
    assert (out / "wc2030-pt-luz-en.pdf").stat().st_mtime_ns == mtime
    forced = runner.invoke(main, args + ["--force"])
    assert "(unchanged)" not in forced.output


def test_changed_status_rerenders_only_that_venue(runner, tmp_path):
    workspace = tmp_path / "ws"
    shutil.copytree(WC2030, workspace)
    out = tmp_path / "out"
    args = ["render", str(workspace), "--venue", "pt-luz", "--venue", "ma-rabat", "--as-of", AS_OF, "-o", str(out)]
    assert runner.invoke(main, args).exit_code == 0
    status = workspace / "status" / "pt-luz.yaml"
    status.write_text(
        status.read_text()
        .replace("updated: '2030-03-01'", "updated: '2030-03-02'")
        .replace('updated: "2030-03-01"', 'updated: "2030-03-02"')
        .replace("updated: 2030-03-01", "updated: 2030-03-02")
    )
    again = runner.invoke(main, args)
    lines = {line.split()[0].rsplit("/", 1)[-1]: line for line in again.output.splitlines()}
    assert "unchanged" in lines["wc2030-ma-rabat-en.pdf"]
    assert "unchanged" not in lines["wc2030-pt-luz-en.pdf"]


def test_render_usage_errors(runner, tmp_path):
    assert runner.invoke(main, ["render", str(WC2030)]).exit_code == 2
    assert runner.invoke(main, ["render", str(WC2030), "--venue", "nowhere", "-o", str(tmp_path)]).exit_code == 2
    assert (
        runner.invoke(main, ["render", str(WC2030), "--venue", "pt-luz", "--lang", "de", "-o", str(tmp_path)]).exit_code
        == 2
    )


def test_missing_font_is_a_clear_error(runner, tmp_path):
    result = runner.invoke(
        main,
        [
            "render",
            str(WC2030),
            "--venue",
            "pt-luz",
            "-o",
            str(tmp_path),
            "--as-of",
            AS_OF,
            "--font",
            str(tmp_path / "missing.ttf"),
        ],
    )
    assert result.exit_code == 2  # a usage error, found before any plan is rendered
    assert "fonts-dejavu-core" in result.output and "Traceback" not in result.output


def test_an_interrupted_render_never_leaves_a_partial_pdf(tmp_path):
    out = tmp_path / "out"
    target = out / "wc2030-ma-hassan2-en.pdf"
    out.mkdir()
    target.write_bytes(b"%PDF-previous complete version")
    command = [
        sys.executable,
        "-m",
        "eventsec",
        "render",
        str(WC2030),
        "--venue",
        "ma-hassan2",
        "--as-of",
        AS_OF,
        "-o",
        str(out),
        "--force",
        "--jobs",
        "1",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    time.sleep(1.2)  # workspace loaded, layout under way (a full render takes several seconds)
    os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    assert target.read_bytes() == b"%PDF-previous complete version"
    leftovers = [p.name for p in out.iterdir() if p.name != target.name]
    assert all(name.startswith(".") and name.endswith(".part") for name in leftovers)
