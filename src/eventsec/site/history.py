"""Readiness over the workspace's git history: the trend of the site's ``--history``.

Every commit that changed a YAML file of the workspace (its status files, venues, overlays,
risk registers, its own protocols) is read from git's object store and assessed **as of the
same date** for every commit. The trend therefore shows what each change did to readiness, not
the passing of time: with each commit's own date, a commit that changed nothing would still
move every line as deadlines fell due, and the commits "that moved it most" would be whichever
came after a busy deadline (docs/trend.md).

Speed (``--history`` over 100 commits in well under a minute, bench/bench_site.py): the
workspace is mirrored into one scratch directory and only the files a commit changed are
rewritten, read through one ``git cat-file --batch``; unchanged files are not parsed again
(:func:`eventsec.checks.validate.reusing_documents`); a venue's plan is resolved once per set of
non-status files, and a venue's readiness is assessed once per plan and status file, so a
commit that changes one venue's status file assesses that venue only.

A commit whose workspace does not validate, resolve or assess is a gap with its reason, never
a crash. Readiness is computed with assess/readiness, not the PDF machinery; the release level
decides which domains are charted (a release keeps the whole plan's score and verdict, and the
domain figures only over the items it shows), and commit subjects, which no release mark
covers, are shown only in a full release.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from markupsafe import Markup

from eventsec.i18n import Catalog
from eventsec.site.trend import History, Move, Point, VenuePoint, render_trend

__all__ = ["History", "Move", "Point", "VenuePoint", "readiness_history", "trend_html"]
GIT_SEPARATOR = "\x1f"


# -- walking the history ------------------------------------------------------------------------
def readiness_history(root: Path, as_of: str, since: str | None, lang: str, release: str | None) -> History:
    """Every venue's readiness at each commit that changed the workspace at ``root``, oldest
    first, all as of ``as_of`` (see the module docstring for why one date). ``since`` limits
    the walk to ``since..HEAD``; without it the whole history is read. ``lang`` is the page
    language asked for; venue names and domain titles are kept in every language, so one
    history also serves the other languages' pages (``--lang all`` walks the history once).
    ``release`` is the release level the site is built at (None: the full one).
    """
    from eventsec.checks.validate import reusing_documents
    from eventsec.diff.git import commit_of, repository

    top, relative = repository(root)
    head = commit_of(top, "HEAD")
    start = commit_of(top, since) if since else None
    history = History(as_of, lang=lang)
    walker = _Walker(top, relative, as_of, release, history)
    with tempfile.TemporaryDirectory(prefix="eventsec-history-") as scratch, reusing_documents():
        walker.mirror = Path(scratch) / "workspace"
        walker.mirror.mkdir()
        with walker.blobs(head):
            for commit, date, subject in _commits(top, relative, start, head):
                history.points.append(walker.point(commit, date, subject))
    if not walker.full_release():  # a commit subject carries no release mark: only a full release shows it
        history.points = [replace(point, subject="") for point in history.points]
    return history


def _commits(top: Path, relative: str, start: str | None, head: str) -> Iterator[tuple[str, str, str]]:
    """(sha, committer date YYYY-MM-DD, subject) of the commits that changed a YAML file under
    the workspace, oldest first."""
    from eventsec.diff.git import DiffProblem, _git

    prefix = "" if relative == "." else relative + "/"
    revisions = f"{start}..{head}" if start else head
    done = _git(
        top,
        "log",
        "--reverse",
        "--topo-order",
        f"--format=%H{GIT_SEPARATOR}%cI{GIT_SEPARATOR}%s",
        revisions,
        "--",
        f":(glob){prefix}**/*.yaml",
        f":(glob){prefix}**/*.yml",
    )
    if done.returncode != 0:
        raise DiffProblem(f"cannot read the history of {relative}: {done.stderr.strip()}")
    for line in done.stdout.splitlines():
        sha, date, subject = line.split(GIT_SEPARATOR, 2)
        yield sha, date[:10], subject


class _Walker:
    """The state carried from one commit to the next: the mirrored files and what was computed."""

    def __init__(self, top: Path, relative: str, as_of: str, release: str | None, history: History):
        self.top, self.relative, self.as_of, self.release = top, relative, as_of, release
        self.history = history
        self.mirror = Path()
        self.files: dict[str, str] = {}
        """Workspace-relative path → blob id of what the mirror holds."""
        self.plans: dict[str, tuple] = {}
        """Venue → (plan, withheld item ids) or (None, reason), for the inputs key ``plans_for``
        only: plans are large, and a history seldom returns to earlier inputs."""
        self.plans_for = ""
        self.assessed: dict[tuple[str, str, str | None], VenuePoint | str] = {}
        """(inputs key, venue, status blob) → the venue's point, or why it could not be assessed."""
        self.levels: tuple[str, ...] = ()
        """The tournament's release levels, from the last plan resolved."""

    def blobs(self, commit: str):
        from eventsec.diff.git import _BlobReader

        self.reader = _BlobReader(self.top, commit)
        return self.reader

    def point(self, commit: str, date: str, subject: str) -> Point:
        from eventsec.diff.git import DiffProblem

        try:
            self.sync(commit)
            venues = self.assess()
        except DiffProblem as exc:
            return Point(commit, date, subject, gap=str(exc))
        if isinstance(venues, str):
            return Point(commit, date, subject, gap=venues)
        return Point(commit, date, subject, venues)

    def full_release(self) -> bool:
        """Whether the site is released in full (no level named, or the highest one); unknown
        levels (no commit resolved) count as not full, so no subject is shown by mistake."""
        return self.release is None or (bool(self.levels) and self.release == self.levels[-1])

    # -- the mirror ---------------------------------------------------------------------------
    def sync(self, commit: str) -> None:
        """Make the mirror hold the workspace's YAML files at ``commit``: write what changed,
        delete what is gone."""
        from eventsec.diff.git import DiffProblem

        wanted = self.tree(commit)
        for path in sorted(set(self.files) - set(wanted)):
            (self.mirror / path).unlink()
            del self.files[path]
        for path, sha in sorted(wanted.items()):
            if self.files.get(path) == sha:
                continue
            target = self.mirror / path
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(self.reader.read(sha))
            except OSError as exc:
                raise DiffProblem(f"cannot write {path}: {exc.strerror or exc}") from None
            self.files[path] = sha

    def tree(self, commit: str) -> dict[str, str]:
        """The workspace's YAML files at ``commit``: workspace-relative path → blob id."""
        from eventsec.diff.git import DiffProblem, _git
        from eventsec.load.documents import YAML_SUFFIXES

        done = _git(self.top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", self.relative, text=False)
        if done.returncode != 0:
            raise DiffProblem(f"cannot read {commit[:12]}: {done.stderr.decode('utf-8', 'replace').strip()}")
        prefix = "" if self.relative == "." else self.relative + "/"
        files: dict[str, str] = {}
        for record in filter(None, done.stdout.split(b"\0")):
            info, _, raw_path = record.partition(b"\t")
            mode, _, sha = info.decode("ascii").split(" ")
            path = raw_path.decode("utf-8", "surrogateescape").removeprefix(prefix)
            if Path(path).suffix not in YAML_SUFFIXES:
                continue
            if mode not in ("100644", "100755"):
                raise DiffProblem(f"{path} at {commit[:12]} is a symlink or submodule; the trend reads files only")
            if any(part in ("", ".", "..") or part.lower() == ".git" for part in path.split("/")):
                raise DiffProblem(f"cannot read {commit[:12]}: the tree holds an unsafe path {path!r}")
            files[path] = sha
        return files

    # -- assessing --------------------------------------------------------------------------------
    def assess(self) -> tuple[VenuePoint, ...] | str:
        """Every venue's point at the mirrored commit, or why there is none."""
        from eventsec.checks.validate import load_workspace
        from eventsec.errors import EventsecError
        from eventsec.findings import Severity

        try:
            workspace, result = load_workspace(self.mirror)
        except EventsecError as exc:
            return str(exc)
        if workspace is None:
            first = next(f for f in result.findings if f.severity is Severity.ERROR)
            return f"{self.name_of(first.location.file)}:{first.location.line}: {first.message}"
        statuses = {venue: self.name_of(doc.path) for venue, doc in workspace.statuses().items()}
        inputs = self.inputs_key(set(statuses.values()))
        points = []
        for venue in sorted(workspace.venues()):
            key = (inputs, venue, self.files.get(statuses.get(venue, "")))
            if key not in self.assessed:
                self.assessed[key] = self.assess_venue(workspace, inputs, venue)
            found = self.assessed[key]
            if isinstance(found, str):
                return found
            points.append(found)
        return tuple(points)

    def name_of(self, path: str) -> str:
        """A mirrored file's workspace-relative name."""
        try:
            return Path(path).resolve().relative_to(self.mirror.resolve()).as_posix()
        except ValueError:
            return path

    def inputs_key(self, statuses: set[str]) -> str:
        """A digest of every file but the status files: what a venue's plan is resolved from."""
        digest = hashlib.sha256()
        for path, sha in sorted(self.files.items()):
            if path not in statuses:
                digest.update(f"{path}\0{sha}\n".encode("utf-8", "surrogateescape"))
        return digest.hexdigest()

    def assess_venue(self, workspace, inputs: str, venue: str) -> VenuePoint | str:
        from eventsec.assess.readiness.overview import venue_readiness
        from eventsec.errors import EventsecError

        plan, withheld = self.plan(workspace, inputs, venue)
        if plan is None:
            return withheld
        try:
            readiness = venue_readiness(workspace, plan, self.as_of)
        except (EventsecError, ValueError) as exc:
            return f"{venue}: {exc}"
        domains = []
        for domain in readiness.domains:
            shown = [i for i in domain.items if i.item.id not in withheld]
            if shown:  # a domain withheld whole is not charted, as in the plan
                domains.append((domain.domain, round(replace(domain, items=shown).score, 1)))
        return VenuePoint(venue, round(readiness.overall()[0], 1), readiness.verdict, tuple(domains))

    def plan(self, workspace, inputs: str, venue: str) -> tuple:
        """The venue's resolved plan and the items the release withholds, once per inputs key;
        (None, reason) when it does not resolve. Names are taken from each new plan, so the
        newest commit that resolved names the venue and its domains."""
        from eventsec.plan.resolve import resolve
        from eventsec.release.redact import Release, marks_of, withheld_items
        from eventsec.render.names import localized
        from eventsec.vocabulary import LANGUAGES

        if inputs != self.plans_for:
            self.plans, self.plans_for = {}, inputs
        if venue in self.plans:
            return self.plans[venue]
        plan, findings = resolve(workspace, venue)
        if plan is None:
            first = findings[0]
            self.plans[venue] = (None, f"{venue}: {self.name_of(first.location.file)}: {first.message}")
            return self.plans[venue]
        policy = Release.for_tournament(plan.tournament, self.release)
        self.levels = policy.levels
        marks = None if policy.full else marks_of(workspace, venue)
        withheld = withheld_items(plan, policy, marks) if marks is not None else set()
        shown = policy.allows(policy.level(plan.venue.get("sensitivity")))
        self.history.venue_names[venue] = {
            lang: (localized(plan.venue, "name", lang) if shown else None) or venue for lang in LANGUAGES
        }
        for domain_id, domain in plan.domains.items():
            level = policy.level(domain.get("sensitivity"), marks.domains.get(domain_id) if marks else None)
            self.history.domain_titles[domain_id] = {
                lang: (localized(domain, "title", lang) if policy.allows(level) else "") or domain_id
                for lang in LANGUAGES
            }
        self.plans[venue] = (plan, withheld)
        return self.plans[venue]


def trend_html(history: History, catalog: Catalog, venue: str | None) -> Markup:
    """The trend section of the tournament page (``venue`` None) or of one venue's page."""
    return render_trend(history, catalog, venue)
