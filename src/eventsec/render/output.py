"""Writing plans: atomic files, a manifest, skip-if-unchanged and parallel rendering.

* Atomic: each PDF is written to a temporary file in the target directory, flushed to disk and
  renamed over the target, so an interrupted render never leaves a partial PDF at the path.
* Manifest: ``manifest.json`` beside the PDFs lists file, sha256, pages, inputs digest and the
  render key of every plan, so a CI artifact can be checked and diffed. It is updated after each
  plan, under a lock, as read-merge-write: two renders into one folder lose no entry, and an
  interrupted run leaves a manifest whose every entry matches its file.
* Skip: a plan whose render key (inputs digest, status file, as-of date, language, marking,
  version, font, SOURCE_DATE_EPOCH, the assessed risk registers, the encryption password as a
  slow salted tag) matches the manifest and whose file still has the recorded sha256 is not
  rendered again unless forced.
* Modes: files follow the user's umask, except a plan released above the tournament's lowest
  release level (a full plan included), which is written owner-only (0600): it may hold
  content not everyone who can read the folder may see.
* Processes: only the parent process puts a plan in place. A pool worker writes its plan to a
  ``.NAME.TOKEN.part`` file beside the target and the parent renames it; workers ignore Ctrl-C
  (the parent cancels and stops them) and die with the parent, so killing the render leaves no
  worker running and no PDF written after it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import secrets
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

from eventsec import __version__
from eventsec.errors import OptionError, UsageError
from eventsec.formats import versioned
from eventsec.vocabulary import LANGUAGES, did_you_mean

MANIFEST = "manifest.json"
MANIFEST_LOCK = ".manifest.lock"
"""Locked while the manifest is read, merged and written; never replaced, unlike the manifest."""
SHARED_MODE = 0o666
"""Asked for when a file is created; the umask takes away what the user does not share."""
OWNER_ONLY_MODE = 0o600
"""For a plan released above the lowest level: its owner alone reads it, whatever the umask."""


@dataclass(frozen=True)
class RenderJob:
    """One plan to render: a venue in a language, with everything that shapes its PDF."""

    venue: str
    lang: str
    as_of: str
    out_dir: str
    force: bool = False
    font: str | None = None
    previous: dict | None = None
    release: str | None = None
    password: str | None = None
    changes: object | None = None
    match: str | None = None
    """A match id: the operations order of that match instead of the venue plan."""


@dataclass
class RenderResult:
    file: str
    venue: str
    lang: str
    sha256: str = ""
    pages: int = 0
    inputs_digest: str = ""
    render_key: str = ""
    skipped: bool = False
    errors: list[str] = field(default_factory=list)
    pdf: bytes | None = field(default=None, repr=False)
    """The rendered file, until it is spooled to disk (see ``spool``)."""
    spooled: str | None = None
    """Where the rendered file waits for the parent process to put it in place."""
    owner_only: bool = False
    """Released above the lowest level: written readable by its owner only."""
    match: str | None = None
    """The match of an operations order (the manifest lists it; a venue plan has none)."""

    def manifest_entry(self) -> dict:
        transient = ("skipped", "errors", "pdf", "spooled", "owner_only")
        entry = {k: v for k, v in asdict(self).items() if k not in transient}
        if entry["match"] is None:
            del entry["match"]
        return entry


def plan_filename(tournament: str, venue: str, lang: str, release: str | None = None, match: str | None = None) -> str:
    """``wc2030-ma-tanger-fr.pdf``; a match's operations order adds the match
    (``wc2030-es-metropolitano-m024-fr.pdf``); a plan released below the full level adds the level."""
    return (
        f"{tournament}-{venue}"
        + (f"-{match}" if match else "")
        + f"-{lang}"
        + (f"-{release}" if release else "")
        + ".pdf"
    )


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one."""
    spooled = spool(path.parent, path.name, data, secrets.token_hex(6))
    try:
        os.replace(spooled, path)
    except BaseException:
        spooled.unlink(missing_ok=True)
        raise


def read_manifest(out_dir: Path) -> dict[str, dict]:
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        return {entry["file"]: entry for entry in data.get("files", [])}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def write_manifest(out_dir: Path, entries: dict[str, dict], tournament: str, as_of: str) -> None:
    payload = versioned(
        {
            "eventsec": __version__,
            "tournament": tournament,
            "as_of": as_of,
            "files": [entries[name] for name in sorted(entries)],
        }
    )
    write_atomic(out_dir / MANIFEST, (json.dumps(payload, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


@contextmanager
def manifest_lock(out_dir: Path) -> Iterator[None]:
    """Hold the output directory's manifest lock (blocking) until the block ends.

    The lock is taken on a separate file because manifest.json is replaced by each write, and a
    lock on a replaced file guards nothing. flock locks belong to the open file, so two threads
    exclude each other as two processes do, and the kernel drops the lock when its holder dies.
    """
    with (out_dir / MANIFEST_LOCK).open("a+b") as handle:
        _lock_file(handle.fileno())
        yield  # closing the file releases the lock


def _lock_file(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # Windows: msvcrt locks one byte and retries for ten seconds per call
        import msvcrt

        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                return
            except OSError:
                continue
    fcntl.flock(fd, fcntl.LOCK_EX)


def spool(out_dir: Path, name: str, data: bytes, token: str, mode: int = SHARED_MODE) -> Path:
    """Write a plan beside its target as ``.NAME.TOKEN.part``, flushed to disk, for ``update_manifest``.

    ``token`` names one render, so that render can remove what its stopped workers left. The
    file is created with ``mode`` less the umask, and keeps it when renamed into place.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f".{name}.{token}.part"
    try:
        with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode), "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


def update_manifest(out_dir: Path, entry: dict, spooled: Path, tournament: str, as_of: str) -> None:
    """Put one spooled plan in place and merge its entry into the manifest (read, merge, write),
    both under the lock.

    When the file replaces one the manifest lists with another sha256, the entry is dropped
    before the file is replaced: a run killed between the two writes then leaves a manifest
    that lacks the plan (it is rendered again next time), never one that vouches for bytes
    that are no longer there.
    """
    name = entry["file"]
    with manifest_lock(out_dir):
        entries = read_manifest(out_dir)
        if name in entries and entries[name].get("sha256") != entry["sha256"]:
            del entries[name]
            write_manifest(out_dir, entries, tournament, as_of)
        os.replace(spooled, out_dir / name)
        entries[name] = entry
        write_manifest(out_dir, entries, tournament, as_of)


_worker_workspace = None
"""The workspace a pool worker renders with: inherited from the parent where workers are forked
(it never changes after loading), else loaded once in the worker's initializer."""

_PARENT_POLL_SECONDS = 0.2


def _init_worker(root: str) -> None:
    """Set up a pool worker: deaf to Ctrl-C, bound to its parent's life, workspace loaded once.

    Ctrl-C reaches the whole process group; the parent alone handles it (a worker would print
    a traceback of its own). SIGINT was blocked while the pool forked this process, so none can
    arrive before it is ignored here.
    """
    global _worker_workspace
    from eventsec.checks.validate import load_workspace

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    _die_with_parent()
    inherited = _worker_workspace is not None and str(_worker_workspace.root.resolve()) == root
    if not inherited:  # a spawned worker (no fork) starts empty and loads the workspace itself
        _worker_workspace, _ = load_workspace(Path(root))


def _die_with_parent() -> None:
    """End this worker as soon as the process that started it is gone (even by SIGKILL).

    On Linux the kernel sends SIGKILL at the parent's death (PR_SET_PDEATHSIG), which works even
    while a long computation holds the interpreter; elsewhere, and as a second line, a daemon
    thread sees the worker re-parented (its parent id changes) and exits the process.
    """
    parent = os.getppid()
    _request_death_signal()
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
    threading.Thread(target=_watch_parent, args=(parent,), name="eventsec-parent-watch", daemon=True).start()


def _request_death_signal() -> None:
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):  # no prctl in this C library: the watchdog still runs
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(_PARENT_POLL_SECONDS)
    os._exit(1)


def render_key(report, status: dict | None, font: str | None, password: str | None = None) -> str:
    """Everything that shapes the PDF, hashed: equal keys mean the PDF on disk can stay.

    ``SOURCE_DATE_EPOCH`` stamps the creation date. The password enters only as a slow salted
    tag (render/encrypt.py), salted with the digest of the rest of the key, which is unique to
    this plan's content, date, language and release: the manifest never holds the password nor
    a hash of it that is faster to guess than the encrypted PDF itself.
    """
    from eventsec.render.fonts import find_font_files

    material = {
        "inputs": report.plan.inputs_digest,
        "status": status,
        "as_of": report.as_of,
        "lang": report.lang,
        "marking": report.marking,
        "release": report.release_level,
        "plan_version": report.plan_version,
        "eventsec": __version__,
        "font": [p.name for p in find_font_files(font)],
        "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH", "").strip() or None,
        "changes": [report.changes.commit, [line.text for line in report.changes.lines]] if report.changes else None,
        "risks": {match: dataclasses.asdict(register) for match, register in report.risks.items()},
        "match": report.plan.match["id"] if report.plan.match else None,
        "amendments": [[a.version, a.date, a.summary] for a in report.operations.amendments.entries],
    }
    digest = hashlib.sha256(json.dumps(material, sort_keys=True, ensure_ascii=False).encode()).digest()
    if password:
        from eventsec.render.encrypt import password_tag

        digest = hashlib.sha256(digest + b"encrypted:" + password_tag(password, salt=digest).encode()).digest()
    return "sha256:" + digest.hex()


def _render_in_worker(job: RenderJob, token: str) -> RenderResult:
    return _render_and_spool(job, _worker_workspace, token)


def _render_and_spool(job: RenderJob, workspace, token: str) -> RenderResult:
    """Render a job and spool its file, so only a short result travels back to the parent.

    A worker stopped in the middle of sending a whole PDF back could leave the pool waiting
    for the rest of it for ever; a result without the file is a single small write.
    """
    result = render_job(job, workspace)
    if result.pdf is not None:
        mode = OWNER_ONLY_MODE if result.owner_only else SHARED_MODE
        result.spooled, result.pdf = str(spool(Path(job.out_dir), result.file, result.pdf, token, mode)), None
    return result


def render_job(job: RenderJob, workspace) -> RenderResult:
    """Render one venue in one language; errors come back as values."""
    from reportlab.platypus.doctemplate import LayoutError

    from eventsec.render.build import render_plan
    from eventsec.render.fonts import FontError
    from eventsec.render.report import build_report

    tournament = workspace.tournament.data["id"]
    name = plan_filename(tournament, job.venue, job.lang, job.release, job.match)
    result = RenderResult(name, job.venue, job.lang, match=job.match)
    from eventsec.release.redact import ReleaseError

    try:
        report, findings = build_report(
            workspace, job.venue, job.as_of, job.lang, match_id=job.match, release=job.release, changes=job.changes
        )
    except ReleaseError as exc:
        result.errors = [str(exc)]
        return result
    if report is None:
        result.errors = [f"{f.location}: {f.message}" for f in findings]
        return result
    status = workspace.statuses().get(job.venue)
    try:
        key = render_key(report, status.data if status else None, job.font, job.password)
    except FontError as exc:
        result.errors = [str(exc)]
        return result
    target = Path(job.out_dir) / name
    previous = job.previous or {}
    if (
        not job.force
        and previous.get("render_key") == key
        and target.is_file()
        and sha256_file(target) == previous.get("sha256")
    ):
        return RenderResult(**{**previous, "skipped": True, "errors": []})
    try:
        rendered = render_plan(report, job.font, job.password, order=job.match is not None)
    except FontError as exc:
        result.errors = [str(exc)]
        return result
    except LayoutError as exc:  # a value too long for one page (an 8,000-character name in a table cell)
        shown = " ".join(str(exc).split())[:240]
        result.errors = [f"the plan cannot be laid out: a text is too long to fit a page; shorten it ({shown})"]
        return result
    result.pdf = rendered.pdf  # written by render_many, in the parent process
    result.owner_only = report.released_above_lowest
    result.sha256 = hashlib.sha256(rendered.pdf).hexdigest()
    result.pages, result.inputs_digest, result.render_key = rendered.pages, report.plan.inputs_digest, key
    return result


def render_many(
    jobs: list[RenderJob], workers: int, workspace, on_done: Callable[[RenderResult], None] | None = None
) -> list[RenderResult]:
    """Render jobs serially with ``workspace`` or in a process pool (each worker loads it once).

    Each finished plan is put in place and recorded in its manifest at once, by this process,
    so an interrupted run keeps what it finished. On any exception, Ctrl-C included, the jobs
    not yet started are cancelled, the workers stopped and their spooled files removed before
    it propagates.
    """
    tournament = workspace.tournament.data["id"]
    token = secrets.token_hex(6)
    results: dict[int, RenderResult] = {}

    def finish(index: int, result: RenderResult) -> None:
        with _ctrl_c_deferred():
            _record(jobs[index], result, tournament)
        results[index] = result
        if on_done:
            on_done(result)

    try:
        if workers <= 1 or len(jobs) <= 1:
            for index, job in enumerate(jobs):
                finish(index, _render_and_spool(job, workspace, token))
        else:
            _render_in_pool(jobs, workers, workspace, token, finish)
    finally:
        for out_dir in {job.out_dir for job in jobs}:
            for leftover in Path(out_dir).glob(f".*.{token}.part"):
                leftover.unlink(missing_ok=True)
    return [results[index] for index in range(len(jobs))]


def _render_in_pool(
    jobs: list[RenderJob], workers: int, workspace, token: str, finish: Callable[[int, RenderResult], None]
) -> None:
    global _worker_workspace
    _worker_workspace = workspace  # forked workers inherit it instead of loading it again
    pool = ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(str(workspace.root.resolve()),))
    try:
        futures = _submit_all(pool, jobs, token, longest_first(jobs, workspace))
        for future in as_completed(futures):
            finish(futures[future], future.result())
    except BaseException:
        _stop_pool(pool)
        raise
    pool.shutdown()


def _stop_pool(pool: ProcessPoolExecutor) -> None:
    """Cancel the jobs not started and end the workers now, rather than after their current plan.

    The workers put nothing in place, so terminating them loses only work that was not going to
    be kept. ``shutdown`` then waits for the pool to wind down: left to do so while the
    interpreter exits, it races the exit handler of concurrent.futures, which prints a
    traceback (Python 3.11).
    """
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)


def _record(job: RenderJob, result: RenderResult, tournament: str) -> None:
    """Write a rendered plan and its manifest entry; skipped and failed plans change nothing."""
    if result.errors or result.skipped:
        return
    update_manifest(Path(job.out_dir), result.manifest_entry(), Path(result.spooled), tournament, job.as_of)
    result.spooled = None


def longest_first(jobs: list[RenderJob], workspace) -> list[int]:
    """Job indexes, the longest plans first, so the pool does not end on one long plan while the
    other workers idle (longest-processing-time order). A plan's length is its page count in the
    previous manifest, else estimated by the size of its venue file (contacts, geometry and
    translations are what make one venue's plan longer than another's); a match's order counts
    a quarter of its venue's plan."""

    def weight(job: RenderJob) -> float:
        if job.previous and job.previous.get("pages"):
            return float(job.previous["pages"])
        try:
            size = float(Path(workspace.venue(job.venue).document.path).stat().st_size)
        except (OSError, UsageError):
            size = 0.0
        return size / 4 if job.match else size

    return sorted(range(len(jobs)), key=lambda index: (-weight(jobs[index]), index))


def _submit_all(pool: ProcessPoolExecutor, jobs: list[RenderJob], token: str, order: list[int]) -> dict[Future, int]:
    """Submit every job, in ``order``, with SIGINT blocked in this thread while the pool forks its workers.

    A worker forked with SIGINT blocked cannot be interrupted before its initializer ignores
    the signal; the pool's helper threads, started here too, keep it blocked, so Ctrl-C is taken
    by this thread only. A Ctrl-C pressed meanwhile is held, not lost: it arrives on unblock.
    """
    if not hasattr(signal, "pthread_sigmask"):
        return {pool.submit(_render_in_worker, jobs[index], token): index for index in order}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        return {pool.submit(_render_in_worker, jobs[index], token): index for index in order}
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


@contextmanager
def _ctrl_c_deferred() -> Iterator[None]:
    """Hold a Ctrl-C that arrives while a plan and its manifest entry are written, until both are.

    Python runs signal handlers in the main thread only; elsewhere there is nothing to defer.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    held: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: held.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if held and callable(previous):
        previous(signal.SIGINT, None)  # Python's default handler raises KeyboardInterrupt


def plan_jobs(
    workspace,
    venues: Iterable[str],
    langs: Iterable[str],
    as_of: str,
    out_dir: Path,
    force: bool,
    font: str | None,
    release: str | None = None,
    password: str | None = None,
    changes=None,
    match: str | None = None,
) -> list[RenderJob]:
    previous = read_manifest(out_dir)
    tournament = workspace.tournament.data["id"]
    return [
        RenderJob(
            venue,
            lang,
            as_of,
            str(out_dir),
            force,
            font,
            previous.get(plan_filename(tournament, venue, lang, release, match)),
            release,
            password,
            changes,
            match,
        )
        for venue in venues
        for lang in langs
    ]


@dataclass(frozen=True)
class RenderRequest:
    """What ``eventsec render`` was asked for, before it is checked against the workspace."""

    workspace: Path
    venues: tuple[str, ...]
    all_venues: bool
    out_dir: Path
    lang: str | None
    as_of: str
    force: bool = False
    font: str | None = None
    release: str | None = None
    password: str | None = None
    since: str | None = None
    match: str | None = None


def prepare_render(workspace, request: RenderRequest) -> list[RenderJob]:
    """The jobs of a render request, every input checked first: venues, languages, font, release
    level, ``--since`` revision and the output directory, so a bad one fails before any
    rendering (UsageError or OptionError, exit 2)."""
    venues = _chosen_venues(workspace, request)
    langs = _chosen_languages(workspace, request.lang)
    if request.font:
        from eventsec.render.fonts import FontError, register_fonts

        try:
            register_fonts(request.font)
        except FontError as exc:
            raise OptionError("--font", str(exc)) from None
    if request.release:
        from eventsec.release.redact import Release, ReleaseError

        try:
            Release.for_tournament(workspace.tournament.data, request.release)
        except ReleaseError as exc:
            raise OptionError("--release", str(exc)) from None
    changes = _changes(request.since, request.workspace) if request.since else None
    request.out_dir.mkdir(parents=True, exist_ok=True)  # an unusable output directory fails before any rendering
    return plan_jobs(
        workspace,
        venues,
        langs,
        request.as_of,
        request.out_dir,
        request.force,
        request.font,
        request.release,
        request.password,
        changes,
        request.match,
    )


def _chosen_venues(workspace, request: RenderRequest) -> list[str]:
    if request.match is not None:
        return [match_venue(workspace, request)]
    known = workspace.venues()
    unknown = [v for v in request.venues if v not in known]
    if unknown:
        raise UsageError(f"no venue {', '.join(unknown)} in {request.workspace} (venues: {', '.join(sorted(known))})")
    return sorted(known) if request.all_venues else list(dict.fromkeys(request.venues))


def match_venue(workspace, request: RenderRequest) -> str:
    """The venue hosting ``--match`` (match ids are unique in a tournament); a ``--venue`` given
    with it must be that venue, and ``--all`` cannot go with it."""
    hosts = {match.value.get("id"): venue.value["id"] for venue, match in workspace.index.matches()}
    if request.match not in hosts:
        known = sorted(hosts)
        listed = ", ".join(known[:10]) + (f" … ({len(known)} in all)" if len(known) > 10 else "") or "none"
        hint = did_you_mean(str(request.match), known)
        raise OptionError(
            "--match", f"no match '{request.match}' in {request.workspace}; " + (hint or f"matches: {listed}")
        )
    venue = hosts[request.match]
    if request.all_venues or any(v != venue for v in request.venues):
        raise OptionError(
            "--match",
            f"match {request.match} is played at {venue}, not at {', '.join(request.venues) or 'every venue'}",
        )
    return venue


def _chosen_languages(workspace, lang: str | None) -> list[str]:
    """``--lang``: one code, or ``all`` for the tournament's languages; default its first."""
    tournament_langs = workspace.tournament.data.get("languages") or ["en"]
    langs = list(tournament_langs) if lang == "all" else [lang or tournament_langs[0]]
    bad = [code for code in langs if code not in LANGUAGES]
    if bad:
        raise OptionError("--lang", f"{', '.join(bad)}: use one of {', '.join(LANGUAGES)} or all")
    return langs


def _changes(since: str, workspace_path: Path):
    """The 'changes since REV' section; a git problem names the option and revision."""
    from eventsec.diff.git import DiffProblem
    from eventsec.diff.since import changes_since

    try:
        return changes_since(since, workspace_path)
    except DiffProblem as exc:
        raise UsageError(f"--since {since}: {exc}") from None


def worker_count(requested: int | None, jobs: list[RenderJob]) -> int:
    """Parallel renders: as asked (default the CPU count), never more than there are jobs."""
    return min(requested or os.cpu_count() or 1, len(jobs))
