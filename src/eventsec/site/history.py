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
from dataclasses import dataclass, field, replace
from pathlib import Path

from markupsafe import Markup

from eventsec.i18n import Catalog

GIT_SEPARATOR = "\x1f"


@dataclass(frozen=True)
class VenuePoint:
    """One venue's readiness at one commit: small on purpose (a history holds hundreds)."""

    venue: str
    score: float
    verdict: str
    domains: tuple[tuple[str, float], ...]
    """(domain id, score %) of the domains the release shows, in the plan's domain order."""


@dataclass(frozen=True)
class Point:
    """One commit: every venue's readiness, or the reason there is none (a gap)."""

    commit: str
    date: str
    """The commit's committer date, YYYY-MM-DD."""
    subject: str
    """The commit's subject; empty when the release is not the full one."""
    venues: tuple[VenuePoint, ...] = ()
    gap: str | None = None
    """Why the workspace could not be assessed at this commit (English, for logs and JSON)."""

    def venue(self, venue_id: str) -> VenuePoint | None:
        return next((v for v in self.venues if v.venue == venue_id), None)


@dataclass(frozen=True)
class Move:
    """A commit that moved a venue's score: its point before and after that commit."""

    point: Point
    was: VenuePoint
    now: VenuePoint

    @property
    def before(self) -> float:
        return self.was.score

    @property
    def after(self) -> float:
        return self.now.score

    @property
    def delta(self) -> float:
        return self.after - self.before


@dataclass
class History:
    """Readiness per venue and domain at each commit that changed the workspace, oldest first."""

    as_of: str = ""
    points: list[Point] = field(default_factory=list)
    venue_names: dict[str, str] = field(default_factory=dict)
    """Venue id → its name in the history's language (from the newest commit that resolved)."""
    domain_titles: dict[str, str] = field(default_factory=dict)
    """Domain id → its title in the history's language."""

    def venues(self) -> list[str]:
        """Every venue assessed at some commit, sorted by id."""
        return sorted({v.venue for p in self.points for v in p.venues})

    def domains(self, venue_id: str) -> list[str]:
        """The domains charted for one venue, in their order at the newest commit that has them."""
        seen: dict[str, None] = {}
        for point in reversed(self.points):
            found = point.venue(venue_id)
            for domain, _ in found.domains if found else ():
                seen.setdefault(domain, None)
        return list(seen)

    def series(self, venue_id: str, domain: str | None = None) -> list[float | None]:
        """One value per point (None at a gap, or where the venue or domain was not there)."""
        values: list[float | None] = []
        for point in self.points:
            found = point.venue(venue_id)
            if found is None:
                values.append(None)
            elif domain is None:
                values.append(found.score)
            else:
                values.append(dict(found.domains).get(domain))
        return values

    def moves(self, venue_id: str | None, limit: int = 5) -> list[tuple[str, Move]]:
        """The commits that moved a venue's score most (every venue's when ``venue_id`` is
        None), largest change first: (venue id, move). A gap is skipped over: the change is
        measured from the last commit that was assessed."""
        found: list[tuple[int, str, Move]] = []
        for venue in [venue_id] if venue_id else self.venues():
            was: VenuePoint | None = None
            for position, point in enumerate(self.points):
                now = point.venue(venue)
                if now is None:
                    continue
                if was is not None and round(now.score - was.score, 1) != 0:
                    found.append((position, venue, Move(point, was, now)))
                was = now
        found.sort(key=lambda entry: (-abs(round(entry[2].delta, 1)), entry[0], entry[1]))
        return [(venue, move) for _, venue, move in found[:limit]]


# -- walking the history ------------------------------------------------------------------------
def readiness_history(root: Path, as_of: str, since: str | None, lang: str, release: str | None) -> History:
    """Every venue's readiness at each commit that changed the workspace at ``root``, oldest
    first, all as of ``as_of`` (see the module docstring for why one date). ``since`` limits
    the walk to ``since..HEAD``; without it the whole history is read. Names and domain titles
    are in ``lang``; ``release`` is the release level the site is built at (None: the full one).
    """
    from eventsec.checks.validate import reusing_documents
    from eventsec.diff.git import commit_of, repository

    top, relative = repository(root)
    head = commit_of(top, "HEAD")
    start = commit_of(top, since) if since else None
    history = History(as_of)
    walker = _Walker(top, relative, as_of, lang, release, history)
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

    def __init__(self, top: Path, relative: str, as_of: str, lang: str, release: str | None, history: History):
        self.top, self.relative, self.as_of, self.lang, self.release = top, relative, as_of, lang, release
        self.history = history
        self.mirror = Path()
        self.files: dict[str, str] = {}
        """Workspace-relative path → blob id of what the mirror holds."""
        self.plans: dict[tuple[str, str], tuple] = {}
        """(inputs key, venue) → (plan, withheld item ids) or (None, reason)."""
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

        key = (inputs, venue)
        if key in self.plans:
            return self.plans[key]
        plan, findings = resolve(workspace, venue)
        if plan is None:
            first = findings[0]
            self.plans[key] = (None, f"{venue}: {self.name_of(first.location.file)}: {first.message}")
            return self.plans[key]
        policy = Release.for_tournament(plan.tournament, self.release)
        self.levels = policy.levels
        withheld = set() if policy.full else withheld_items(plan, policy, marks_of(workspace, venue))
        self.history.venue_names[venue] = localized(plan.venue, "name", self.lang) or venue
        for domain_id, domain in plan.domains.items():
            self.history.domain_titles[domain_id] = localized(domain, "title", self.lang) or domain_id
        self.plans[key] = (plan, withheld)
        return self.plans[key]


def trend_html(history: History, catalog: Catalog, venue: str | None) -> Markup:
    """The trend section of the tournament page (``venue`` None) or of one venue's page."""
    from eventsec.site.trend import render_trend

    return render_trend(history, catalog, venue)
