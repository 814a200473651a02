"""``eventsec site`` on the command line: what it writes and prints, its exit codes and the
usage errors that stop it before anything is built."""

from __future__ import annotations

import os
import stat

import pytest

from eventsec.cli import main
from tests.conftest import ROOT

AFCON = ROOT / "samples" / "afcon2025"


def test_site_writes_the_default_language_and_exits_0(runner, tmp_path):
    out = tmp_path / "site"
    result = runner.invoke(main, ["site", str(AFCON), "-o", str(out), "--as-of", "2025-12-01"])
    assert result.exit_code == 0, result.output
    assert f"{out / 'index.html'}" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["assets", "fr", "index.html"]  # the tournament's first language
    assert '<html lang="fr" dir="ltr">' in (out / "fr" / "index.html").read_text(encoding="utf-8")


def test_lang_all_builds_every_language_of_the_tournament(runner, tmp_path):
    out = tmp_path / "site"
    result = runner.invoke(main, ["site", str(AFCON), "-o", str(out), "--as-of", "2025-12-01", "--lang", "all"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["ar", "assets", "en", "fr"]
    assert '<html lang="ar" dir="rtl">' in (out / "ar" / "index.html").read_text(encoding="utf-8")


def test_history_adds_the_trend_section(runner, tmp_path):
    out = tmp_path / "site"
    result = runner.invoke(main, ["site", str(AFCON), "-o", str(out), "--as-of", "2025-12-01", "--history"])
    assert result.exit_code == 0, result.output
    assert 'id="trend"' in (out / "fr" / "index.html").read_text(encoding="utf-8")
    venue = next((out / "fr" / "venues").glob("*.html"))
    assert 'id="trend"' in venue.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "-"], "not a stream"),
        ([], "Missing option '-o'"),
        (["-o", "{out}", "--lang", "xx"], "xx: use one of"),
        (["-o", "{out}", "--release", "secret-squirrel"], "--release"),
        (["-o", "{out}", "--release", ""], "need a value"),
        (["-o", "{out}", "--since", "HEAD"], "--since REV goes with --history"),
        (["-o", "{out}", "--as-of", "May 1st"], "is not YYYY-MM-DD"),
    ],
    ids=["stdout", "no-output", "language", "release", "empty-release", "since-alone", "as-of"],
)
def test_usage_errors_exit_2_and_write_nothing(runner, tmp_path, args, message):
    out = tmp_path / "site"
    result = runner.invoke(main, ["site", str(AFCON), *[a.replace("{out}", str(out)) for a in args]])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not out.exists()


def test_a_venue_that_cannot_be_assessed_is_reported_and_exits_1(runner, rule_workspace, tmp_path):
    """The rule fixtures' library declares no readiness weights: each venue's findings are
    printed as render prints them, and the site is still written without that venue."""
    out = tmp_path / "site"
    result = runner.invoke(main, ["site", str(rule_workspace()), "-o", str(out), "--as-of", "2025-06-01"])
    assert result.exit_code == 1, result.output
    assert "eventsec: v1 (en): " in result.output
    assert "the library does not declare parameters: readiness_weight_critical" in result.output
    assert (out / "en" / "index.html").is_file() and not (out / "en" / "venues" / "v1.html").exists()


@pytest.fixture
def umask_022():
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_site_released_above_the_lowest_level_is_readable_by_its_owner_only(runner, tmp_path, umask_022):
    """As a PDF plan: the full site may hold what not everyone who can read the folder may see."""
    modes = {}
    for level in ("public", None):
        out = tmp_path / str(level)
        release = ["--release", level] if level else []
        result = runner.invoke(main, ["site", str(AFCON), "-o", str(out), "--as-of", "2025-12-01", *release])
        assert result.exit_code == 0, result.output
        modes[level] = {stat.S_IMODE(p.stat().st_mode) for p in out.rglob("*") if p.is_file()}
    assert modes == {"public": {0o644}, None: {0o600}}
