"""The readiness trend over a workspace's git history (site/history.py) and its section
(site/trend.py): a small repository made here, five commits, one of them broken."""

from __future__ import annotations

import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from eventsec.i18n import Catalog
from eventsec.site.history import History, Point, VenuePoint, readiness_history, trend_html
from tests.conftest import ROOT, commit_copy, git, needs_git

pytestmark = needs_git
AS_OF = "2026-03-01"
VENUE = "ma-tanger"
STATUS = f"status/{VENUE}.yaml"


def head(repo: Path) -> str:
    return subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=repo, check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture(scope="module")
def repo(tmp_path_factory) -> tuple[Path, list[str]]:
    """AFCON 2025 committed, then: five done entries of Tangier dropped, the status file broken,
    the entries restored, and a README changed (no YAML: not a trend commit)."""
    root = tmp_path_factory.mktemp("history")
    workspace = commit_copy(ROOT / "samples" / "afcon2025", root)
    commits = [head(root)]
    status = workspace / STATUS
    original = status.read_text(encoding="utf-8")
    data = yaml.safe_load(original)
    done = [item for item, entry in data["items"].items() if entry.get("state") == "done"][:5]
    for item in done:
        del data["items"][item]
    status.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    git(root, "commit", "-qam", "Tangier: five entries dropped")
    commits.append(head(root))
    status.write_text("kind: status\nvenue: [unclosed\n", encoding="utf-8")
    git(root, "commit", "-qam", "Tangier: a broken edit")
    commits.append(head(root))
    status.write_text(original, encoding="utf-8")
    git(root, "commit", "-qam", "Tangier: entries restored <b>")
    commits.append(head(root))
    (root / "README.md").write_text("notes\n")
    git(root, "add", "README.md")
    git(root, "commit", "-qm", "notes only")
    return workspace, commits


@pytest.fixture(scope="module")
def history(repo) -> History:
    return readiness_history(repo[0], AS_OF, None, "fr", None)


def test_walks_the_commits_that_changed_yaml_oldest_first(history, repo):
    assert [p.commit for p in history.points] == repo[1]  # the README-only commit is not a point
    assert [p.subject for p in history.points][:2] == ["signed version", "Tangier: five entries dropped"]


def test_scores_move_with_the_status_file_and_only_for_its_venue(history):
    first, dropped, _, restored = history.points
    assert dropped.venue(VENUE).score < first.venue(VENUE).score
    assert restored.venue(VENUE) == first.venue(VENUE)
    others = [v.venue for v in first.venues if v.venue != VENUE]
    assert others and all(dropped.venue(v) == first.venue(v) for v in others)
    domains = dict(first.venue(VENUE).domains)
    assert domains and all(0.0 <= score <= 100.0 for score in domains.values())


def test_a_broken_commit_is_a_gap_with_its_reason(history):
    broken = history.points[2]
    assert broken.venues == () and STATUS in broken.gap
    assert history.series(VENUE)[2] is None


def test_moves_largest_first_measured_across_the_gap(history):
    moves = history.moves(None)
    assert [venue for venue, _ in moves] == [VENUE, VENUE]
    drop, back = (move for _, move in moves)
    assert {drop.point.subject, back.point.subject} == {
        "Tangier: five entries dropped",
        "Tangier: entries restored <b>",
    }
    assert drop.delta == pytest.approx(-back.delta)  # restored from the point before the gap


def test_since_limits_the_walk(repo):
    limited = readiness_history(repo[0], AS_OF, repo[1][1], "en", None)
    assert [p.commit for p in limited.points] == repo[1][2:]


def test_names_in_every_language(history):
    assert history.domain_title("access") == "Contrôle des périmètres et des accès"  # the language asked for
    assert history.domain_title("access", "en") == "Perimeter and access control"
    assert history.venue_name("nowhere") == "nowhere"


def test_a_release_below_full_shows_no_commit_subject(repo):
    released = readiness_history(repo[0], AS_OF, repo[1][2], "en", "public")
    assert [p.subject for p in released.points] == [""]
    assert released.points[0].venues  # the scores are still there
    assert released.venue_name(VENUE, "en") == VENUE  # the venues are marked internal: named by id


def test_a_release_keeps_the_score_and_charts_only_the_domains_it_shows(repo, history):
    released = readiness_history(repo[0], AS_OF, repo[1][2], "en", "public")
    full, public = history.points[-1].venue(VENUE), released.points[-1].venue(VENUE)
    assert public.score == full.score and public.verdict == full.verdict
    assert full.domains and public.domains == ()  # every item of AFCON is internal: no domain is shown


def test_a_full_release_names_the_venue(history):
    assert history.venue_name(VENUE, "en") not in ("", VENUE)


class Outline(HTMLParser):
    """Headings, table header scopes, captions and the text, from well-formed section HTML."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


def test_venue_section_in_french(history):
    html = str(trend_html(history, Catalog("fr"), VENUE))
    parsed = outline(html)
    text = " ".join(parsed.text)
    assert ("section", {"id": "trend", "class": "trend", "aria-labelledby": "trend-heading"}) in parsed.tags
    assert "Évolution de l’état de préparation" in text and "Les commits qui l’ont le plus fait bouger" in text
    svg = next(attrs for tag, attrs in parsed.tags if tag == "svg" and attrs.get("role") == "img")
    assert svg["direction"] == "ltr"
    assert all(attrs.get("scope") in ("col", "row") for tag, attrs in parsed.tags if tag == "th")
    assert [tag for tag, _ in parsed.tags].count("caption") == 2
    assert "Tangier: entries restored <b>" in text  # escaped as text, not markup
    assert "<b>" not in html.replace("&lt;b&gt;", "")
    assert "−" in text or "-" in text  # the drop is shown negative
    assert "Not assessed" not in text and "Non évalué" in text


def test_tournament_section_has_one_line_per_venue(history):
    html = str(trend_html(history, Catalog("ar"), None))
    parsed = outline(html)
    lines = [attrs for tag, attrs in parsed.tags if tag == "g"]
    assert len(lines) == len(history.venues())
    assert "تطور الجاهزية" in " ".join(parsed.text)


def test_same_history_same_bytes(repo, history):
    again = readiness_history(repo[0], AS_OF, None, "fr", None)
    assert again == history
    assert trend_html(again, Catalog("fr"), VENUE) == trend_html(history, Catalog("fr"), VENUE)


def test_an_empty_history_says_so():
    html = str(trend_html(History(AS_OF), Catalog("es"), None))
    assert "Ningún commit del historial" in html and "<svg" not in html


def test_single_point_history_draws_a_dot():
    point = Point("a" * 40, "2026-01-02", "one", (VenuePoint(VENUE, 50.0, "AT-RISK", (("access", 50.0),)),))
    html = str(trend_html(History(AS_OF, [point], {VENUE: {"en": "Tanger"}}), Catalog("en"), None))
    assert "<circle" in html and "<polyline" not in html and "No commit changed a score." in html


def test_reusing_documents_parses_a_file_once_per_content(tmp_path):
    from eventsec.checks.validate import load_workspace, reusing_documents

    workspace = commit_copy(ROOT / "samples" / "afcon2025", tmp_path)
    with reusing_documents():
        first, _ = load_workspace(workspace)
        (workspace / STATUS).write_text((workspace / STATUS).read_text(encoding="utf-8") + "\n", encoding="utf-8")
        second, _ = load_workspace(workspace)
    assert first.tournament is second.tournament  # unchanged bytes: the same Document
    assert first.statuses()[VENUE] is not second.statuses()[VENUE]  # changed bytes: loaded again
    third, _ = load_workspace(workspace)
    assert third.tournament is not first.tournament  # outside the block nothing is reused
