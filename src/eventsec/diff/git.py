"""Workspaces at git revisions, read from the object store: resolving revisions, finding the
repository, exporting a commit's tree into a temporary directory, and diffing two revisions.

Read-only: ``git ls-tree`` and ``git cat-file`` (no checkout, no worktree, no network). Not
``git archive``: it applies the ``export-ignore`` and ``export-subst`` attributes, so a file
marked export-ignore vanished from both sides and a real change read as "no differences". The
whole tree is exported so that a tournament's ``protocols:`` paths outside the workspace
directory still resolve. Used by ``eventsec diff --rev`` and ``render --since``; no click here.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import TYPE_CHECKING

from eventsec.errors import UsageError

if TYPE_CHECKING:
    import subprocess


class DiffProblem(UsageError):
    """A usage or I/O problem, reported as one line and exit code 2."""


# -- git -------------------------------------------------------------------------------------------
def parse_range(text: str) -> tuple[str, str]:
    """``A..B`` → (A, B); an empty side means HEAD, as in git."""
    if "..." in text:
        raise DiffProblem(f"--rev '{text}': give two revisions as A..B (A...B is not supported)")
    old, separator, new = text.partition("..")
    if not separator:
        raise DiffProblem(f"--rev '{text}': give two revisions as A..B, e.g. HEAD~1..HEAD")
    old, new = old.strip() or "HEAD", new.strip() or "HEAD"
    for rev in (old, new):
        if rev.startswith("-"):
            raise DiffProblem(f"--rev: '{rev}' is not a revision")
    return old, new


_GIT_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0"}


def _git(cwd: Path, *args: str, text: bool = True) -> subprocess.CompletedProcess:
    import subprocess  # imported here, like tempfile, so `eventsec --help` starts fast

    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=text, env={**os.environ, **_GIT_ENV}, check=False
        )
    except FileNotFoundError:
        raise DiffProblem("git is not installed (needed for --rev)") from None
    except OSError as exc:
        raise DiffProblem(f"cannot run git: {exc.strerror or exc}") from None


def repository(path: Path) -> tuple[Path, str]:
    """(top of the repository, PATH relative to it in POSIX form, '.' for the top)."""
    absolute = Path(os.path.abspath(path))
    start = next((p for p in (absolute, *absolute.parents) if p.is_dir()), None)
    if start is None:
        raise DiffProblem(f"{path}: no such directory")
    done = _git(start, "rev-parse", "--show-toplevel")
    if done.returncode != 0:
        raise DiffProblem(f"{path} is not inside a git repository")
    top = Path(done.stdout.strip()).resolve()
    relative = os.path.relpath(absolute.resolve() if absolute.exists() else absolute, top)
    if relative == ".." or relative.startswith(".." + os.sep):
        raise DiffProblem(f"{path} is outside the git repository at {top}")
    return top, Path(relative).as_posix()


def commit_of(top: Path, rev: str) -> str:
    """The full object id of ``rev`` as a commit in the repository at ``top``."""
    done = _git(top, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if done.returncode != 0 or not done.stdout.strip():
        raise DiffProblem(f"bad revision '{rev}' (not a commit in {top})")
    return done.stdout.strip()


def export(top: Path, commit: str, destination: Path) -> list[str]:
    """Write the tree of ``commit`` into ``destination`` from the object store; return its submodules.

    Files are written as committed: no attribute (export-ignore, export-subst), filter or
    end-of-line conversion applies, so both sides of a diff hold exactly what git stores. A
    symlink is recreated, and refused if it resolves outside the tree (it would read the
    working file system, not the revision). A submodule's files live in another repository:
    its directory is left empty and its path returned, for the caller to refuse a workspace
    that needs it.
    """
    entries = _tree_entries(top, commit)
    submodules, links = [], []
    try:
        destination.mkdir()
        with _BlobReader(top, commit) as blobs:
            for mode, sha, path in entries:
                target = destination / path
                if mode == "160000":
                    target.mkdir(parents=True, exist_ok=True)
                    submodules.append(path)
                elif mode == "120000":
                    links.append((target, os.fsdecode(blobs.read(sha)), path))
                else:
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with target.open("xb") as handle:
                        handle.write(blobs.read(sha))
                    if mode == "100755":
                        target.chmod(0o755)
        for target, link, _path in links:  # after every file, so nothing is written through a link
            target.parent.mkdir(parents=True, exist_ok=True)
            os.symlink(link, target)
        _refuse_escaping_links(destination, links, commit)
    except OSError as exc:
        raise DiffProblem(f"cannot export {commit[:12]}: {exc.strerror or exc}") from None
    return submodules


def _tree_entries(top: Path, commit: str) -> list[tuple[str, str, str]]:
    """(mode, object, path) of every file, symlink and submodule in the commit's tree."""
    done = _git(top, "ls-tree", "-r", "-z", "--full-tree", commit, text=False)
    if done.returncode != 0:
        message = (done.stderr.decode("utf-8", "replace").strip().splitlines() or ["git ls-tree failed"])[-1]
        raise DiffProblem(f"cannot read {commit[:12]}: {message}")
    entries = []
    for record in done.stdout.split(b"\0"):
        if not record:
            continue
        info, _, raw_path = record.partition(b"\t")
        mode, _, sha = info.decode("ascii").split(" ")
        path = os.fsdecode(raw_path)
        if any(part in ("", ".", "..") or part.lower() == ".git" for part in path.split("/")):
            raise DiffProblem(f"cannot read {commit[:12]}: the tree holds an unsafe path {path!r}")
        entries.append((mode, sha, path))
    return entries


class _BlobReader:
    """Blobs by object id from one long-running ``git cat-file --batch``, one request at a time."""

    def __init__(self, top: Path, commit: str) -> None:
        self.top, self.commit = top, commit

    def __enter__(self) -> _BlobReader:
        import subprocess

        try:
            self.process = subprocess.Popen(
                ["git", "cat-file", "--batch"],
                cwd=self.top,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                env={**os.environ, **_GIT_ENV},
            )
        except OSError as exc:
            raise DiffProblem(f"cannot run git: {exc.strerror or exc}") from None
        return self

    def read(self, sha: str) -> bytes:
        self.process.stdin.write(sha.encode("ascii") + b"\n")
        self.process.stdin.flush()
        header = self.process.stdout.readline().split()
        if len(header) != 3 or header[1] != b"blob":
            raise DiffProblem(f"cannot read {self.commit[:12]}: object {sha} is not a blob in {self.top}")
        data = self.process.stdout.read(int(header[2]))
        self.process.stdout.read(1)  # the newline after each object
        return data

    def __exit__(self, *exc_info: object) -> None:
        with contextlib.suppress(BrokenPipeError):  # git has gone; its failure was reported by read
            self.process.stdin.close()
        self.process.stdout.close()
        self.process.wait()


def _refuse_escaping_links(destination: Path, links: list[tuple[Path, str, str]], commit: str) -> None:
    """A symlink must resolve inside the exported tree (checked once all links exist, since one
    link may lead through another)."""
    base = os.path.realpath(destination)
    for target, link, path in links:
        resolved = os.path.realpath(target)
        if os.path.commonpath([base, resolved]) != base:
            raise DiffProblem(f"cannot read {commit[:12]}: the symlink {path} points outside the repository ({link})")


def workspace_root(tree: Path, relative: str, rev: str, submodules: list[str]) -> Path:
    """The workspace directory inside an exported tree, or the reason there is none."""
    for submodule in submodules:
        inside = relative == submodule or relative.startswith(submodule + "/")
        holds = relative == "." or submodule.startswith(relative + "/")  # every YAML file below is read
        if inside or holds:
            raise DiffProblem(
                f"'{relative}' at revision {rev} needs the submodule '{submodule}', whose files are in "
                "another repository; compare inside the submodule"
            )
    root = tree / relative
    if not root.is_dir():
        raise DiffProblem(f"no directory '{relative}' at revision {rev}")
    if not (root / "tournament.yaml").is_file():
        raise DiffProblem(f"'{relative}' at revision {rev} is not a workspace (no tournament.yaml)")
    return root


def diff_revisions(rev_range: str, path: Path):
    from eventsec.diff.compare import diff_paths

    old_rev, new_rev = parse_range(rev_range)
    top, relative = repository(path)
    commits = [(old_rev, commit_of(top, old_rev)), (new_rev, commit_of(top, new_rev))]
    import tempfile

    with tempfile.TemporaryDirectory(prefix="eventsec-diff-") as scratch:
        roots, labels = [], []
        for side, (rev, commit) in zip(("old", "new"), commits):
            tree = Path(scratch) / side
            root = workspace_root(tree, relative, rev, export(top, commit, tree))
            label = f"{rev}:{relative}" if relative != "." else f"{rev}:"
            roots.append(root)
            labels.append(label)
        result = diff_paths(roots[0], roots[1], labels[0], labels[1])
        result.findings = {
            side: _relabel(found, roots[0 if side == "old" else 1], labels[0 if side == "old" else 1])
            for side, found in result.findings.items()
        }
        return result


def _relabel(findings: list, root: Path, label: str) -> list:
    """Findings under a temporary export shown as ``REV:path/file.yaml`` instead."""
    import dataclasses

    from eventsec.findings import Location

    base = Path(os.path.abspath(root))
    relabelled = []
    for finding in findings:
        try:
            name = Path(os.path.abspath(finding.location.file)).relative_to(base).as_posix()
        except ValueError:
            relabelled.append(finding)
            continue
        prefix = label if label.endswith(":") else label + "/"
        location = Location(prefix + name, finding.location.line, finding.location.column)
        relabelled.append(dataclasses.replace(finding, location=location))
    return relabelled
