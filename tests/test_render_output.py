"""render/output.py: workers that die with their parent, Ctrl-C, and a manifest kept under a lock.

The process tests run ``python -m eventsec render`` on a small workspace with two workers and
stop it once the first plan is in the manifest, so the pool is mid-run. Every wait is bounded: a poll
that gives up with a failure, never a sleep that hopes the other side is done.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from eventsec.cli import main
from eventsec.render import output
from eventsec.render.output import MANIFEST, read_manifest, spool, update_manifest
from tests.conftest import FIXTURES, ROOT

FOUR_VENUES = FIXTURES / "four_venues"
VENUES = 12  # with two workers, several seconds of rendering left when the first plan lands
needs_proc = pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="reads child processes from /proc")


def many_venues(tmp_path: Path) -> Path:
    """The four-venue fixture plus copies of its north venue under other ids."""
    workspace = tmp_path / "ws"
    shutil.copytree(FOUR_VENUES, workspace)
    north = (workspace / "venues" / "north.yaml").read_text()
    for number in range(VENUES - 4):
        (workspace / "venues" / f"extra{number}.yaml").write_text(north.replace("north", f"extra{number}"))
    return workspace


def start_render(workspace: Path, out: Path, logs: Path) -> subprocess.Popen:
    """The render in a session of its own (so a test can signal its group as a terminal would).

    Output goes to files, not pipes: a worker that outlived its parent would hold a pipe open.
    """
    command = [
        sys.executable,
        "-m",
        "eventsec",
        "render",
        str(workspace),
        "--all",
        "--lang",
        "en",
        "--as-of",
        "2030-05-01",
        "-o",
        str(out),
        "--jobs",
        "2",
    ]
    with (logs / "stdout").open("wb") as stdout, (logs / "stderr").open("wb") as stderr:
        return subprocess.Popen(command, stdout=stdout, stderr=stderr, start_new_session=True, cwd=ROOT)


def wait_for(condition: Callable[[], object], what: str, seconds: float) -> None:
    finished = threading.Event()
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        finished.wait(0.02)
    pytest.fail(f"gave up waiting for {what} after {seconds} s")


def workers_of(pid: int) -> list[int]:
    """The render's pool workers: its direct children. A worker may run ``git log`` for a plan's
    amendment record; that process is the worker's child (and, until it execs, a copy of Python),
    so it is not counted."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found += [int(child) for child in (task / "children").read_text().split()]
        except OSError:  # the task ended meanwhile
            continue
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie has exited; only its exit status is left for a parent to read


def pdfs(out: Path) -> set[str]:
    return {path.name for path in out.glob("*.pdf")}


def manifest_matches_files(out: Path) -> dict[str, dict]:
    """The manifest's entries, after checking each against the bytes of its file."""
    entries = json.loads((out / MANIFEST).read_text())["files"]
    for entry in entries:
        assert hashlib.sha256((out / entry["file"]).read_bytes()).hexdigest() == entry["sha256"], entry["file"]
    return {entry["file"]: entry for entry in entries}


@pytest.fixture
def render_run(tmp_path):
    """Start a render of many venues with two workers; on teardown, kill whatever of it is left."""
    out, logs = tmp_path / "out", tmp_path / "logs"
    logs.mkdir()
    started: list[subprocess.Popen] = []

    def start() -> tuple[subprocess.Popen, list[int]]:
        process = start_render(many_venues(tmp_path), out, logs)
        started.append(process)
        wait_for(lambda: read_manifest(out), "the first plan in the manifest", 60)
        workers = workers_of(process.pid)
        assert len(workers) == 2, workers
        return process, workers

    yield start, out, logs
    for process in started:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


@needs_proc
def test_workers_exit_when_the_render_is_killed_and_write_nothing_after(render_run):
    start, out, _ = render_run
    process, workers = start()
    os.kill(process.pid, signal.SIGKILL)  # the main process only, as `kill -9 PID` does
    process.wait(timeout=5)
    written = pdfs(out)
    wait_for(lambda: not any(alive(pid) for pid in workers), "the workers to exit", 5)
    assert pdfs(out) == written
    assert len(written) < VENUES  # killed mid-run
    assert set(manifest_matches_files(out)) <= written


@needs_proc
def test_ctrl_c_exits_130_with_one_line_and_leaves_a_manifest_of_exactly_what_was_written(render_run):
    start, out, logs = render_run
    process, workers = start()
    os.killpg(process.pid, signal.SIGINT)  # a terminal sends Ctrl-C to the whole foreground group
    assert process.wait(timeout=10) == 130
    assert (logs / "stderr").read_text() == "eventsec: interrupted\n"
    wait_for(lambda: not any(alive(pid) for pid in workers), "the workers to exit", 5)
    written = pdfs(out)
    assert len(written) < VENUES
    assert set(manifest_matches_files(out)) == written
    assert sorted(path.name for path in out.iterdir()) == sorted([*written, MANIFEST, ".manifest.lock"])  # no .part


def test_ctrl_c_in_any_command_is_one_line_and_exit_130(runner, monkeypatch, tmp_path):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(output, "render_many", interrupted)
    result = runner.invoke(main, ["render", str(FOUR_VENUES), "--venue", "north", "-o", str(tmp_path)])
    assert result.exit_code == 130
    assert result.output == "eventsec: interrupted\n"


def _record_many(out: str, prefix: str, count: int) -> None:
    for number in range(count):
        name = f"{prefix}-{number}.pdf"
        put(Path(out), name, name.encode(), name)


def put(out: Path, name: str, data: bytes, sha: str) -> None:
    update_manifest(out, {"file": name, "sha256": sha}, spool(out, name, data, "test"), "fv", "2030-05-01")


def test_concurrent_renders_into_one_folder_lose_no_entry(tmp_path):
    count = 40
    with ProcessPoolExecutor(max_workers=2) as pool:
        done = [pool.submit(_record_many, str(tmp_path), prefix, count) for prefix in ("first", "second")]
        for future in done:
            future.result(timeout=60)
    entries = read_manifest(tmp_path)
    assert set(entries) == {f"{prefix}-{number}.pdf" for prefix in ("first", "second") for number in range(count)}


def test_threads_updating_one_manifest_lose_no_entry(tmp_path):
    threads = [threading.Thread(target=_record_many, args=(str(tmp_path), f"t{index}", 15)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(read_manifest(tmp_path)) == 60


def test_a_replaced_plan_leaves_the_manifest_before_its_file_changes(tmp_path, monkeypatch):
    put(tmp_path, "a.pdf", b"old", "old-sha")
    real_replace = os.replace

    def killed_before_the_rename(source, target) -> None:
        if Path(target).name != MANIFEST:
            raise KeyboardInterrupt  # stands for a kill between the manifest and the PDF write
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", killed_before_the_rename)
    with pytest.raises(KeyboardInterrupt):
        put(tmp_path, "a.pdf", b"new", "new-sha")
    assert (tmp_path / "a.pdf").read_bytes() == b"old"
    assert read_manifest(tmp_path) == {}  # not an entry vouching for bytes the file may no longer hold
    monkeypatch.undo()
    (tmp_path / ".a.pdf.test.part").unlink()
    put(tmp_path, "a.pdf", b"new", "new-sha")
    assert (tmp_path / "a.pdf").read_bytes() == b"new" and read_manifest(tmp_path)["a.pdf"]["sha256"] == "new-sha"


def test_each_plan_is_in_the_manifest_as_soon_as_it_is_written(tmp_path):
    from eventsec.checks.validate import load_workspace
    from eventsec.render.output import plan_jobs, render_many

    workspace, _ = load_workspace(FOUR_VENUES)
    jobs = plan_jobs(workspace, ["north", "south"], ["en"], "2030-05-01", tmp_path, False, None)
    seen = []
    render_many(jobs, 1, workspace, on_done=lambda result: seen.append(set(read_manifest(tmp_path))))
    assert seen == [{"fv-north-en.pdf"}, {"fv-north-en.pdf", "fv-south-en.pdf"}]


def test_pool_workers_ignore_ctrl_c(tmp_path):
    """Ctrl-C reaches every process of the group; a worker between two jobs would print a traceback."""
    with ProcessPoolExecutor(max_workers=1, initializer=output._init_worker, initargs=(str(FOUR_VENUES),)) as pool:
        assert pool.submit(signal.getsignal, signal.SIGINT).result(timeout=60) == signal.SIG_IGN


def test_ctrl_c_while_a_plan_is_written_waits_for_its_manifest_entry(tmp_path, monkeypatch):
    from eventsec.checks.validate import load_workspace
    from eventsec.render.output import plan_jobs, render_many

    real_update = output.update_manifest

    def pressed_during_the_write(*args) -> None:
        os.kill(os.getpid(), signal.SIGINT)
        real_update(*args)

    monkeypatch.setattr(output, "update_manifest", pressed_during_the_write)
    workspace, _ = load_workspace(FOUR_VENUES)
    jobs = plan_jobs(workspace, ["north", "south"], ["en"], "2030-05-01", tmp_path, False, None)
    with pytest.raises(KeyboardInterrupt):
        render_many(jobs, 1, workspace)
    assert set(read_manifest(tmp_path)) == pdfs(tmp_path) == {"fv-north-en.pdf"}


@pytest.mark.parametrize(
    ("asked", "error", "message"),
    [
        ({"venues": ("nowhere",)}, "UsageError", "no venue nowhere in"),
        ({"lang": "xx"}, "OptionError", "xx: use one of en, fr, ar, es, pt or all"),
    ],
)
def test_a_render_request_is_checked_before_the_output_directory_is_made(tmp_path, asked, error, message):
    from eventsec import errors
    from eventsec.checks.validate import load_workspace

    workspace, _ = load_workspace(FIXTURES / "readiness")
    fields = {"venues": ("v1",), "lang": None, **asked}
    request = output.RenderRequest(
        FIXTURES / "readiness", all_venues=False, out_dir=tmp_path / "out", as_of="2030-03-01", **fields
    )
    with pytest.raises(getattr(errors, error), match=message):
        output.prepare_render(workspace, request)
    assert not (tmp_path / "out").exists()


@contextlib.contextmanager
def umask(mask: int):
    previous = os.umask(mask)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.mark.parametrize("mask", [0o022, 0o027], ids=["umask-022", "umask-027"])
def test_files_follow_the_umask_and_plans_above_the_lowest_level_are_owner_only(tmp_path, mask):
    from eventsec.checks.validate import load_workspace

    workspace, _ = load_workspace(FOUR_VENUES)
    shared = 0o666 & ~mask
    out = tmp_path / "out"
    with umask(mask):
        for release in ("public", "internal", None):  # the lowest level, one above it, the full plan
            jobs = output.plan_jobs(workspace, ["north"], ["en"], "2030-05-01", out, False, None, release)
            [result] = output.render_many(jobs, 1, workspace)
            assert not result.errors, result.errors
    mode = {path.name: path.stat().st_mode & 0o777 for path in out.iterdir() if not path.name.startswith(".")}
    assert mode == {
        MANIFEST: shared,
        "fv-north-en-public.pdf": shared,
        "fv-north-en-internal.pdf": 0o600,
        "fv-north-en.pdf": 0o600,
    }


def test_the_pool_takes_the_longest_plans_first(tmp_path):
    """Longest-processing-time order: a pool that ends on one long plan leaves the other worker
    idle. Pages from the previous manifest when known, else the venue file's size."""
    from eventsec.checks.validate import load_workspace
    from eventsec.render.output import RenderJob, longest_first

    workspace_dir = many_venues(tmp_path)
    venue = workspace_dir / "venues" / "extra0.yaml"
    venue.write_text(venue.read_text() + "# " + "x" * 5000 + "\n")  # the largest venue file
    workspace, _ = load_workspace(workspace_dir)
    job = functools.partial(RenderJob, lang="en", as_of="2030-05-01", out_dir=str(tmp_path))
    jobs = [job("north"), job("extra0"), job("south", previous={"pages": 10_000}), job("extra0", match="m1")]
    # south by its 10,000 pages, then extra0 by size, its match order (a quarter of it), then north
    assert longest_first(jobs, workspace) == [2, 1, 3, 0]


def test_a_forked_worker_keeps_the_parents_workspace_instead_of_loading_it_again(monkeypatch, tmp_path):
    from eventsec.checks import validate

    workspace, _ = validate.load_workspace(FOUR_VENUES)
    monkeypatch.setattr(output, "_worker_workspace", workspace)  # what a forked worker inherits
    monkeypatch.setattr(output, "_die_with_parent", lambda: None)
    monkeypatch.setattr(output.signal, "signal", lambda *args: None)
    monkeypatch.setattr(output.signal, "pthread_sigmask", lambda *args: None, raising=False)

    def loads(path):
        raise AssertionError(f"the worker loaded {path} again")

    monkeypatch.setattr(validate, "load_workspace", loads)
    output._init_worker(str(FOUR_VENUES.resolve()))
    assert output._worker_workspace is workspace
    with pytest.raises(AssertionError, match="loaded"):  # another workspace is loaded, not reused
        output._init_worker(str(tmp_path))
