"""eventsec diff: known answers on the old/new fixtures, rendering, exit codes, and git revisions."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from eventsec.checks.validate import load_workspace
from eventsec.cli.diff import diff as diff_command
from eventsec.diff.compare import diff_paths, diff_workspaces
from eventsec.diff.git import DiffProblem, parse_range
from eventsec.diff.model import ABSENT
from eventsec.diff.text import render_text
from tests.conftest import FIXTURES

DIFF = FIXTURES / "diff"
OLD, NEW = DIFF / "old", DIFF / "new"


@pytest.fixture(scope="module")
def result():
    return diff_paths(OLD, NEW, "old", "new")


def by_key(changes, key="key"):
    return {getattr(change, key): change for change in changes}


def fields(change) -> dict:
    return {f.path: (f.old, f.new, f.at) for f in change.fields}


def invoke(*args: str, cwd: Path | None = None):
    try:
        runner = CliRunner(mix_stderr=False)  # click 8.1: keep stderr apart
    except TypeError:
        runner = CliRunner()  # click >= 8.2 always does
    if cwd is None:
        return runner.invoke(diff_command, list(args))
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return runner.invoke(diff_command, list(args))
    finally:
        os.chdir(old)


# -- known answers -----------------------------------------------------------------------------
def test_identical_workspaces_have_no_differences():
    same = diff_paths(OLD, OLD)
    assert same.valid and not same.differs and same.status == "identical"
    assert same.summary() == {} and all(not v for k, v in same.to_dict().items() if k in ("items", "overlays"))
    outcome = invoke(str(OLD), str(OLD))
    assert outcome.exit_code == 0, outcome.output
    assert outcome.stdout.endswith("no differences\n")


def test_items_added_removed_and_changed_field_by_field(result):
    items = by_key(result.items)
    assert {i: c.change for i, c in items.items()} == {
        "CRW-001": "changed",
        "CRW-002": "changed",
        "CRW-003": "moved",
        "CRW-004": "removed",
        "CRW-005": "added",
        "CRW-007": "moved",
    }
    assert items["CRW-005"].at == "library/crowd.yaml:46" and items["CRW-005"].title == "Open the gates on time"
    assert items["CRW-005"].value["lessons"] == ["T25-L02"]
    assert items["CRW-004"].at is None and items["CRW-004"].was_at == "library/crowd.yaml:37"
    assert fields(items["CRW-002"]) == {
        "description": (
            "Every steward hears the briefing.",
            "Every steward hears the briefing, including reserves.",
            "library/crowd.yaml:31",
        ),
        "criticality": ("medium", "high", "library/crowd.yaml:32"),
    }
    assert fields(items["CRW-001"]) == {
        "references": (["sgsa"], [{"id": "sgsa", "section": "Ch. 3"}], "library/crowd.yaml:18")
    }


def test_moved_items_to_another_protocol_and_within_one(result):
    items = by_key(result.items)
    to_medical = items["CRW-003"]
    assert (to_medical.moved_from.protocol, to_medical.moved_to.protocol) == ("crowd-management", "medical")
    assert to_medical.moved_to.after == "MED-001" and to_medical.fields == []
    assert to_medical.at == "library/medical.yaml:15" and to_medical.was_at == "library/crowd.yaml:29"
    reordered = items["CRW-007"]
    assert (reordered.moved_from.after, reordered.moved_to.after) == ("CRW-006", "CRW-001")
    # CRW-002 and CRW-006 only shifted because others were inserted or removed around them
    assert items["CRW-002"].change == "changed" and "CRW-006" not in items


def test_renamed_field_is_shown_as_removed_plus_added(result):
    entry = by_key(result.overlays)["overlay v1-local set CRW-002"]
    assert entry.change == "changed"
    assert [(f.path, f.change) for f in entry.fields] == [("fields.tags", "removed"), ("append.tags", "added")]
    removed, added = entry.fields
    assert (removed.old, removed.new) == (["heat"], ABSENT)
    assert (added.old, added.new, added.at) == (ABSENT, ["heat"], "overlays/v1-local.yaml:9")
    assert [f["change"] for f in entry.to_dict()["fields"]] == ["removed", "added"]
    assert "new" not in entry.to_dict()["fields"][0] and "old" not in entry.to_dict()["fields"][1]


def test_parameter_declaration_and_setting_changes(result):
    parameters = {(p.key, p.scope): p for p in result.parameters}
    assert set(parameters) == {("steward_ratio", "declaration"), ("steward_ratio", "tournament")}
    assert fields(parameters["steward_ratio", "declaration"]) == {"default": (250, 200, "library/crowd.yaml:7")}
    assert fields(parameters["steward_ratio", "tournament"]) == {
        "value": (200, 180, "tournament.yaml:9"),
        "source": (ABSENT, "Tournament planning decision", "tournament.yaml:10"),
    }


def test_overlay_entries_added_and_changed(result):
    overlays = by_key(result.overlays)
    assert {k: c.change for k, c in overlays.items()} == {
        "overlay country-xx overlay": "added",
        "overlay country-xx set CRW-007": "added",
        "overlay v1-local set CRW-002": "changed",
        "overlay v1-local set MED-001": "changed",
        "tournament remove CRW-006": "added",
    }
    assert overlays["overlay country-xx overlay"].scope == "country XX"
    assert fields(overlays["overlay v1-local set MED-001"]) == {
        "fields.phase": ("T-30d", "T-14d", "overlays/v1-local.yaml:12")
    }
    removal = overlays["tournament remove CRW-006"]
    assert (removal.operation, removal.item, removal.at) == ("remove", "CRW-006", "tournament.yaml:12")


def test_lessons_newly_covered_and_uncovered(result):
    lessons = by_key(result.lessons, "id")
    assert set(lessons) == {"T25-L02", "T25-L03"}
    assert (lessons["T25-L02"].change, lessons["T25-L02"].lesson, lessons["T25-L02"].new_items) == (
        "newly-covered",
        "added",
        ["CRW-005"],
    )
    # T25-L03 is still linked by CRW-006 in the library (validate is content), but the
    # tournament removes CRW-006 from every venue's plan
    assert (lessons["T25-L03"].change, lessons["T25-L03"].old_items, lessons["T25-L03"].new_items) == (
        "uncovered",
        ["CRW-006"],
        [],
    )


def test_venues_and_protocols(result):
    venues = by_key(result.venues)
    assert {k: c.change for k, c in venues.items()} == {"v1": "changed", "v2": "removed", "v3": "added"}
    assert fields(venues["v1"]) == {"capacity": (30000, 32000, "venues/v1.yaml:7")}
    assert venues["v3"].name == "New Arena"
    assert [(p.key, fields(p)) for p in result.protocols] == [
        ("crowd-management", {"version": ("1.0.0", "1.1.0", "library/crowd.yaml:3")})
    ]


EXPECTED_TEXT = """\
--- old
+++ new

~ protocol crowd-management.version: 1.0.0 → 1.1.0 (library/crowd.yaml:3)

~ CRW-001.references: ["sgsa"] → [{"id": "sgsa", "section": "Ch. 3"}] (library/crowd.yaml:18)
~ CRW-002.description: Every steward hears the briefing. → Every steward hears the briefing, including reserves. (library/crowd.yaml:31)
~ CRW-002.criticality: medium → high (library/crowd.yaml:32)
> item CRW-003 moved: crowd-management, after CRW-002 → medical, after MED-001 (library/medical.yaml:15)
- item CRW-004 "Count stewards at each gate" from crowd-management (was library/crowd.yaml:37)
+ item CRW-005 "Open the gates on time" in crowd-management (library/crowd.yaml:46)
> item CRW-007 moved: crowd-management, after CRW-006 → crowd-management, after CRW-001 (library/crowd.yaml:21)

~ parameter steward_ratio.default: 250 → 200 (library/crowd.yaml:7)
~ parameter steward_ratio [tournament].value: 200 → 180 (tournament.yaml:9)
~ parameter steward_ratio [tournament].source: (unset) → Tournament planning decision (tournament.yaml:10)

+ overlay country-xx (country XX) (overlays/country-xx.yaml:1)
+ overlay country-xx set CRW-007: fields.owner: venue-safety-officer (overlays/country-xx.yaml:6)
~ overlay v1-local set CRW-002 fields.tags: ["heat"] → (unset) (overlays/v1-local.yaml:7)
~ overlay v1-local set CRW-002 append.tags: (unset) → ["heat"] (overlays/v1-local.yaml:9)
~ overlay v1-local set MED-001 fields.phase: T-30d → T-14d (overlays/v1-local.yaml:12)
+ tournament remove CRW-006: reason: Replaced by the national stewarding course for this tournament. (tournament.yaml:12)

+ lesson T25-L02 newly covered by CRW-005 (new lesson) (library/lessons.yaml:12)
- lesson T25-L03 uncovered, was covered by CRW-006 (library/lessons.yaml:19)

~ venue v1.capacity: 30000 → 32000 (venues/v1.yaml:7)
- venue v2 "Old Ground" (was venues/v2.yaml:1)
+ venue v3 "New Arena" (venues/v3.yaml:1)

protocols: 1 changed; items: 1 added, 2 changed, 2 moved, 1 removed; parameters: 2 changed; \
overlays: 3 added, 2 changed; lessons: 1 newly-covered, 1 uncovered; venues: 1 added, 1 changed, 1 removed
"""


def test_text_reads_like_a_changelog(result):
    assert render_text(result) == EXPECTED_TEXT


def test_reversed_diff_mirrors_the_forward_one(result):
    back = diff_paths(NEW, OLD, "new", "old")
    forward = {i.key: i.change for i in result.items}
    mirrored = {"added": "removed", "removed": "added"}
    assert {i.key: i.change for i in back.items} == {k: mirrored.get(v, v) for k, v in forward.items()}
    assert {lesson.id: lesson.change for lesson in back.lessons} == {"T25-L02": "uncovered", "T25-L03": "newly-covered"}


def test_output_is_deterministic_and_independent_of_location(tmp_path, result):
    shutil.copytree(OLD, tmp_path / "a")
    shutil.copytree(NEW, tmp_path / "b")
    moved = diff_paths(tmp_path / "a", tmp_path / "b", "old", "new")
    assert json.dumps(moved.to_dict()) == json.dumps(result.to_dict())
    old_ws, _ = load_workspace(OLD)
    new_ws, _ = load_workspace(NEW)
    assert diff_workspaces(old_ws, new_ws, "old", "new").to_dict() == result.to_dict()


def test_item_added_by_an_overlay_moves_when_its_anchor_changes(tmp_path):
    def variant(name: str, anchor: str) -> Path:
        root = tmp_path / name
        shutil.copytree(OLD, root)
        (root / "overlays" / "v1-add.yaml").write_text(
            textwrap.dedent(f"""\
            kind: overlay
            id: v1-add
            layer: venue
            target: v1
            add:
              - protocol: crowd-management
                after: {anchor}
                item:
                  id: CRW-V1-001
                  title: Open the north car park early
                  description: The car park opens two hours before kick-off.
                  criticality: medium
                  phase: MD-4h
                  owner: venue-safety-officer
                  evidence: Car park log
                  basis: practice
            """)
        )
        return root

    outcome = diff_paths(variant("a", "CRW-001"), variant("b", "CRW-002"))
    (change,) = outcome.items
    assert (change.key, change.change, change.declared_in) == ("CRW-V1-001", "moved", "overlay v1-add")
    assert (change.moved_from.after, change.moved_to.after) == ("CRW-001", "CRW-002")
    assert (
        "> item CRW-V1-001 moved: crowd-management, after CRW-001, added by overlay v1-add → "
        "crowd-management, after CRW-002, added by overlay v1-add (overlays/v1-add.yaml:9)" in render_text(outcome)
    )
    assert outcome.overlays == []  # the add is reported once, as its item


# -- command -------------------------------------------------------------------------------------
def test_cli_json_and_exit_one_on_differences():
    outcome = invoke(str(OLD), str(NEW), "--format", "json")
    assert outcome.exit_code == 1, outcome.output
    payload = json.loads(outcome.stdout)
    assert payload["status"] == "different"
    assert payload["summary"]["items"] == {"added": 1, "changed": 2, "moved": 2, "removed": 1}
    assert payload["summary"]["lessons"] == {"newly-covered": 1, "uncovered": 1}
    moved = next(i for i in payload["items"] if i["id"] == "CRW-003")
    assert moved["moved"]["from"]["protocol"] == "crowd-management" and moved["moved"]["to"]["protocol"] == "medical"
    assert payload["findings"] == {}


def test_invalid_workspace_returns_findings_and_exits_two(tmp_path):
    broken = tmp_path / "broken"
    shutil.copytree(NEW, broken)
    (broken / "venues" / "v9.yaml").write_text("kind: venue\nid: v9\n")
    outcome = diff_paths(OLD, broken)
    assert outcome.status == "invalid" and not outcome.differs
    assert set(outcome.findings) == {"new"} and all(f.rule == "schema" for f in outcome.findings["new"])
    run = invoke(str(OLD), str(broken))
    assert run.exit_code == 2
    assert "cannot diff" in run.stderr and "v9.yaml" in run.stderr and "Traceback" not in run.output


@pytest.mark.parametrize(
    "args, message",
    [
        (("only-one",), "give two workspaces"),
        (("a", "b", "c"), "give two workspaces"),
        (("--rev", "HEAD~1..HEAD", "a", "b"), "at most one PATH"),
    ],
)
def test_usage_errors_exit_two(args, message):
    outcome = invoke(*args)
    assert outcome.exit_code == 2 and message in outcome.output


def test_missing_workspace_is_one_line_and_exit_two(tmp_path):
    outcome = invoke(str(tmp_path / "nowhere"), str(NEW))
    assert outcome.exit_code == 2
    assert outcome.stderr.strip().splitlines() == [f"eventsec: {tmp_path / 'nowhere'}: not a directory"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("HEAD~1..HEAD", ("HEAD~1", "HEAD")),
        ("main..", ("main", "HEAD")),
        ("..feature", ("HEAD", "feature")),
    ],
)
def test_parse_range(text, expected):
    assert parse_range(text) == expected


@pytest.mark.parametrize("text", ["HEAD", "a...b", "--upload-pack=x..HEAD"])
def test_parse_range_refuses(text):
    with pytest.raises(DiffProblem):
        parse_range(text)


# -- git -----------------------------------------------------------------------------------------
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, "HOME": str(repo.parent), "GIT_CONFIG_NOSYSTEM": "1"}
    done = subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True)
    return done.stdout


@pytest.fixture
def repo(tmp_path, monkeypatch) -> Path:
    """A repository whose two commits hold the old and then the new fixture under plans/ws."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    root = tmp_path / "repo"
    root.mkdir()
    git(root, "init", "-q")
    git(root, "config", "user.name", "Test Planner")
    git(root, "config", "user.email", "planner@example.org")
    git(root, "config", "commit.gpgsign", "false")
    workspace = root / "plans" / "ws"
    # copy without the fixtures' mtimes: a same-size file with an old mtime looks unchanged to git
    shutil.copytree(OLD, workspace, copy_function=shutil.copy)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "old plan")
    shutil.rmtree(workspace)
    shutil.copytree(NEW, workspace, copy_function=shutil.copy)
    git(root, "rm", "-r", "-q", "--cached", "plans")  # and re-hash every file
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "new plan")
    return root


@needs_git
def test_rev_range_between_two_commits(repo, result, tmp_path):
    outcome = invoke("--rev", "HEAD~1..HEAD", "plans/ws", "--format", "json", cwd=repo)
    assert outcome.exit_code == 1, outcome.output
    payload = json.loads(outcome.stdout)
    assert (payload["old"], payload["new"]) == ("HEAD~1:plans/ws", "HEAD:plans/ws")
    expected = result.to_dict()
    for section in ("items", "parameters", "overlays", "lessons", "venues", "protocols", "summary"):
        assert payload[section] == expected[section], section
    assert list((tmp_path / "scratch").iterdir()) == []  # the exported trees are gone


@needs_git
def test_rev_range_defaults_to_the_current_directory(repo):
    outcome = invoke("--rev", "HEAD~1..HEAD", cwd=repo / "plans" / "ws")
    assert outcome.exit_code == 1, outcome.output
    assert outcome.stdout.startswith("--- HEAD~1:plans/ws\n+++ HEAD:plans/ws\n")
    assert "+ item CRW-005" in outcome.stdout


@needs_git
def test_same_revision_has_no_differences(repo):
    outcome = invoke("--rev", "HEAD..HEAD", "plans/ws", cwd=repo)
    assert outcome.exit_code == 0, outcome.output
    assert outcome.stdout.endswith("no differences\n")


@needs_git
def test_invalid_workspace_at_a_revision_names_the_revision(repo):
    (repo / "plans" / "ws" / "venues" / "v9.yaml").write_text("kind: venue\nid: v9\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "broken venue")
    outcome = invoke("--rev", "HEAD~1..HEAD", "plans/ws", cwd=repo)
    assert outcome.exit_code == 2
    assert "HEAD:plans/ws/venues/v9.yaml:1:1: error[schema]" in outcome.stderr


@needs_git
@pytest.mark.parametrize(
    "args, message",
    [
        (("--rev", "nope..HEAD", "plans/ws"), "eventsec: bad revision 'nope'"),
        (("--rev", "HEAD~1..HEAD", "plans/elsewhere"), "eventsec: no directory 'plans/elsewhere' at revision HEAD~1"),
        (
            ("--rev", "HEAD~1..HEAD", "plans"),
            "eventsec: 'plans' at revision HEAD~1 is not a workspace (no tournament.yaml)",
        ),
        (("--rev", "HEAD~1", "plans/ws"), "give two revisions as A..B"),
    ],
)
def test_rev_problems_exit_two_with_one_line(repo, args, message):
    outcome = invoke(*args, cwd=repo)
    assert outcome.exit_code == 2, outcome.output
    lines = outcome.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("eventsec: ") and message in lines[0]
    assert "Traceback" not in outcome.output


@needs_git
def test_outside_a_repository_exits_two(tmp_path, monkeypatch):
    plain = tmp_path / "plain"
    shutil.copytree(OLD, plain)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    outcome = invoke("--rev", "HEAD~1..HEAD", str(plain))
    assert outcome.exit_code == 2
    assert outcome.stderr.strip() == f"eventsec: {plain} is not inside a git repository"


def commit_all(repo: Path, message: str) -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


@needs_git
def test_a_change_in_an_export_ignored_file_is_seen(repo):
    """git archive leaves export-ignore paths out of both revisions, and their changes with them."""
    (repo / ".gitattributes").write_text("plans/ws/venues/v3.yaml export-ignore\n")
    commit_all(repo, "keep the arena out of release tarballs")
    venue = repo / "plans" / "ws" / "venues" / "v3.yaml"
    venue.write_text(venue.read_text().replace("capacity: 40000", "capacity: 41000"))
    commit_all(repo, "bigger arena")
    outcome = invoke("--rev", "HEAD~1..HEAD", "plans/ws", cwd=repo)
    assert outcome.exit_code == 1, outcome.output
    assert "~ venue v3.capacity: 40000 → 41000 (venues/v3.yaml:7)" in outcome.stdout


@needs_git
def test_files_are_compared_as_committed_without_export_subst(repo):
    """With export-subst, git archive writes each commit's own subject into the file: a false change."""
    (repo / ".gitattributes").write_text("plans/ws/tournament.yaml export-subst\n")
    tournament = repo / "plans" / "ws" / "tournament.yaml"
    tournament.write_text(tournament.read_text().replace("\nname: ", "\nname: $Format:%s$ "))
    commit_all(repo, "stamp the name")
    (repo / "README").write_text("outside the workspace\n")
    commit_all(repo, "a note")
    outcome = invoke("--rev", "HEAD~1..HEAD", "plans/ws", cwd=repo)
    assert outcome.exit_code == 0, outcome.output
    assert outcome.stdout.endswith("no differences\n")


@needs_git
def test_a_symlink_inside_the_tree_is_followed(repo):
    library = repo / "plans" / "ws" / "library"
    medical = library / ".medical-master.yaml"  # hidden: read only through the link
    shutil.move(library / "medical.yaml", medical)
    (library / "medical.yaml").symlink_to(medical.name)
    commit_all(repo, "link the medical protocol")
    medical.write_text(medical.read_text().replace("title: ", "title: Revised ", 1))
    commit_all(repo, "revise a medical item")
    outcome = invoke("--rev", "HEAD~1..HEAD", "plans/ws", cwd=repo)
    assert outcome.exit_code == 1, outcome.output
    assert "Revised " in outcome.stdout


@needs_git
def test_a_symlink_out_of_the_repository_is_refused(repo, tmp_path):
    (tmp_path / "elsewhere").mkdir()
    (repo / "plans" / "ws" / "outside").symlink_to(tmp_path / "elsewhere")
    commit_all(repo, "a link out")
    outcome = invoke("--rev", "HEAD~1..HEAD", "plans/ws", cwd=repo)
    assert outcome.exit_code == 2
    assert (
        outcome.stderr == f"eventsec: cannot read {git(repo, 'rev-parse', 'HEAD')[:12]}: the symlink plans/ws/outside "
        f"points outside the repository ({tmp_path / 'elsewhere'})\n"
    )


def add_submodule(repo: Path, path: str) -> None:
    """A gitlink (what `git submodule add` records) to a commit of another repository."""
    (repo / path).mkdir(parents=True)  # an unpopulated submodule, not a deleted one
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{'1' * 40},{path}")
    git(repo, "commit", "-q", "-m", f"submodule {path}")


@needs_git
def test_a_workspace_that_needs_a_submodule_is_refused(repo):
    add_submodule(repo, "plans/ws/vendor")
    outcome = invoke("--rev", "HEAD~1..HEAD", "plans/ws", cwd=repo)
    assert outcome.exit_code == 2
    assert outcome.stderr == (
        "eventsec: 'plans/ws' at revision HEAD needs the submodule 'plans/ws/vendor', whose files "
        "are in another repository; compare inside the submodule\n"
    )


@needs_git
def test_a_submodule_outside_the_workspace_is_left_out(repo):
    add_submodule(repo, "third_party/tool")
    outcome = invoke("--rev", "HEAD~1..HEAD", "plans/ws", cwd=repo)
    assert outcome.exit_code == 0, outcome.output


def test_the_tournaments_own_fields_are_compared(tmp_path):
    """Dates move every deadline and languages change the plans: a diff must show them."""
    shutil.copytree(OLD, tmp_path / "a")
    shutil.copytree(OLD, tmp_path / "b")
    tournament = tmp_path / "b" / "tournament.yaml"
    text = tournament.read_text()
    assert 'end: "2025-06-30"' in text
    tournament.write_text(text.replace('end: "2025-06-30"', 'end: "2025-07-06"'))
    outcome = diff_paths(tmp_path / "a", tmp_path / "b", "a", "b")
    (change,) = outcome.tournament
    assert fields(change) == {"dates.end": ("2025-06-30", "2025-07-06", "tournament.yaml:4")}
    assert "~ tournament.dates.end: 2025-06-30 → 2025-07-06 (tournament.yaml:4)" in render_text(outcome)
    assert outcome.summary() == {"tournament": {"changed": 1}}


def test_a_change_late_in_a_long_value_stays_visible():
    """Both sides are cut around their first difference, not at the start."""
    from eventsec.diff.model import FieldChange
    from eventsec.diff.text import _field
    from eventsec.i18n import english

    old = [{"country": code, "name": f"Host country number {n}"} for n, code in enumerate(["MA", "ES", "PT"])]
    new = old + [{"country": "XX", "name": "Testland"}]
    line = english(_field("tournament", FieldChange("hosts", old, new, "tournament.yaml:9")))
    before, after = line.split(": ", 1)[1].rsplit(" (tournament.yaml:9)", 1)[0].split(" → ")
    assert before != after and "XX" in after and before.startswith("…") and after.startswith("…")


def test_since_lines_say_content_in_the_readers_language():
    """``render --since`` lines name added items, protocols and venues by their translated
    title or name; ``eventsec diff`` and its JSON keep the text as written."""
    from eventsec.diff.model import ADDED, REMOVED, ItemChange, ProtocolChange, VenueChange
    from eventsec.diff.text import RENDERERS
    from eventsec.i18n import Catalog, english

    def translated(field: str, text: str, french: str) -> dict:
        return {field: text, "translations": {"fr": {field: french}, "es": {}}}

    item = translated("title", "Brief the stewards", "Briefer les stadiers")
    protocol = {**translated("title", "Crowd management", "Gestion des foules"), "version": "1.0.0"}
    changes = [
        ("items", ItemChange("CRW-009", ADDED, at="a.yaml:4", value=item, title=item["title"], protocol="crowd")),
        ("protocols", ProtocolChange("crowd", REMOVED, was_at="a.yaml:1", value=protocol)),
        (
            "venues",
            VenueChange(
                "north",
                ADDED,
                at="v.yaml:1",
                value=translated("name", "North Stadium", "Stade Nord"),
                name="North Stadium",
            ),
        ),
    ]
    for (section, change), english_text, french_text in zip(
        changes,
        ["Brief the stewards", "Crowd management", "North Stadium"],
        ["Briefer les stadiers", "Gestion des foules", "Stade Nord"],
        strict=True,
    ):
        (line,) = RENDERERS[section](change)
        assert french_text in Catalog("fr").message(line) and english_text not in Catalog("fr").message(line)
        assert english_text in Catalog("es").message(line)  # no Spanish text: as written
        assert english_text in english(line) and english_text in json.dumps(line.to_dict())
