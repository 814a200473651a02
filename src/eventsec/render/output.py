"""Writing plans: atomic files, a manifest, skip-if-unchanged and parallel rendering.

* Atomic: each PDF is written to a temporary file in the target directory, flushed to disk and
  renamed over the target, so an interrupted render never leaves a partial PDF at the path.
* Manifest: ``manifest.json`` beside the PDFs lists file, sha256, pages, inputs digest and the
  render key of every plan, so a CI artifact can be checked and diffed.
* Skip: a plan whose render key (inputs digest, status file, as-of date, language, marking,
  version, font, SOURCE_DATE_EPOCH, the encryption password as a slow salted tag) matches the
  manifest and whose file still has the recorded sha256 is not rendered again unless forced.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable

from eventsec import __version__

MANIFEST = "manifest.json"


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

    def manifest_entry(self) -> dict:
        return {k: v for k, v in asdict(self).items() if k not in ("skipped", "errors")}


def plan_filename(tournament: str, venue: str, lang: str, release: str | None = None) -> str:
    """``wc2030-ma-tanger-fr.pdf``; a plan released below the full level adds the level."""
    return f"{tournament}-{venue}-{lang}" + (f"-{release}" if release else "") + ".pdf"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", suffix=".part", delete=False)
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(handle.name, path)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise


def read_manifest(out_dir: Path) -> dict[str, dict]:
    try:
        data = json.loads((out_dir / MANIFEST).read_text(encoding="utf-8"))
        return {entry["file"]: entry for entry in data.get("files", [])}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def write_manifest(out_dir: Path, entries: dict[str, dict], tournament: str, as_of: str) -> None:
    payload = {"eventsec": __version__, "tournament": tournament, "as_of": as_of,
               "files": [entries[name] for name in sorted(entries)]}
    write_atomic(out_dir / MANIFEST, (json.dumps(payload, indent=2, ensure_ascii=False) + "\n").encode("utf-8"))


_worker_workspace = None
"""The workspace a pool worker loaded once in its initializer."""


def _init_worker(root: str) -> None:
    global _worker_workspace
    from eventsec.workspace import load_workspace

    _worker_workspace, _ = load_workspace(Path(root))


def render_key(report, status: dict | None, font: str | None, password: str | None = None) -> str:
    """Everything that shapes the PDF, hashed: equal keys mean the PDF on disk can stay.

    ``SOURCE_DATE_EPOCH`` stamps the creation date. The password enters only as a slow salted
    tag (render/encrypt.py), salted with the digest of the rest of the key, which is unique to
    this plan's content, date, language and release: the manifest never holds the password nor
    a hash of it that is faster to guess than the encrypted PDF itself.
    """
    from eventsec.render.fonts import find_font_files

    material = {"inputs": report.plan.inputs_digest, "status": status, "as_of": report.as_of, "lang": report.lang,
                "marking": report.marking, "release": report.release_level, "plan_version": report.plan_version,
                "eventsec": __version__, "font": [p.name for p in find_font_files(font)],
                "source_date_epoch": os.environ.get("SOURCE_DATE_EPOCH", "").strip() or None,
                "changes": [report.changes.commit, [line.text for line in report.changes.lines]] if report.changes else None}
    digest = hashlib.sha256(json.dumps(material, sort_keys=True, ensure_ascii=False).encode()).digest()
    if password:
        from eventsec.render.encrypt import password_tag

        digest = hashlib.sha256(digest + b"encrypted:" + password_tag(password, salt=digest).encode()).digest()
    return "sha256:" + digest.hex()


def _render_in_worker(job: RenderJob) -> RenderResult:
    return render_job(job, _worker_workspace)


def render_job(job: RenderJob, workspace) -> RenderResult:
    """Render one venue in one language; errors come back as values."""
    from reportlab.platypus.doctemplate import LayoutError

    from eventsec.render.build import render_plan
    from eventsec.render.fonts import FontError
    from eventsec.render.report import build_report

    tournament = workspace.tournament.data["id"]
    name = plan_filename(tournament, job.venue, job.lang, job.release)
    result = RenderResult(name, job.venue, job.lang)
    from eventsec.release import ReleaseError

    try:
        report, findings = build_report(workspace, job.venue, job.as_of, job.lang, release=job.release, changes=job.changes)
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
    if not job.force and previous.get("render_key") == key and target.is_file() and sha256_file(target) == previous.get("sha256"):
        return RenderResult(**{**previous, "skipped": True, "errors": []})
    try:
        rendered = render_plan(report, job.font, job.password)
    except FontError as exc:
        result.errors = [str(exc)]
        return result
    except LayoutError as exc:  # a value too long for one page (an 8,000-character name in a table cell)
        shown = " ".join(str(exc).split())[:240]
        result.errors = [f"the plan cannot be laid out: a text is too long to fit a page; shorten it ({shown})"]
        return result
    write_atomic(target, rendered.pdf)
    result.sha256 = hashlib.sha256(rendered.pdf).hexdigest()
    result.pages, result.inputs_digest, result.render_key = rendered.pages, report.plan.inputs_digest, key
    return result


def render_many(jobs: list[RenderJob], workers: int, workspace,
                on_done: Callable[[RenderResult], None] | None = None) -> list[RenderResult]:
    """Render jobs serially with ``workspace`` or in a process pool (each worker loads it once)."""
    results: list[RenderResult] = []
    if workers <= 1 or len(jobs) <= 1:
        for job in jobs:
            results.append(render_job(job, workspace))
            if on_done:
                on_done(results[-1])
        return results
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker, initargs=(str(workspace.root.resolve()),)) as pool:
        for result in pool.map(_render_in_worker, jobs):
            results.append(result)
            if on_done:
                on_done(result)
    return results


def plan_jobs(workspace, venues: Iterable[str], langs: Iterable[str], as_of: str, out_dir: Path,
              force: bool, font: str | None, release: str | None = None, password: str | None = None,
              changes=None) -> list[RenderJob]:
    previous = read_manifest(out_dir)
    tournament = workspace.tournament.data["id"]
    return [RenderJob(venue, lang, as_of, str(out_dir), force, font,
                      previous.get(plan_filename(tournament, venue, lang, release)), release, password, changes)
            for venue in venues for lang in langs]
