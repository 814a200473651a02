"""Site benchmarks (issue 20), as ratios measured in the same run:

(a) ``eventsec site samples/wc2030 --lang L`` against ``eventsec render samples/wc2030 --all
    --lang L --force`` (every venue's PDF): target < 0.2. Skipped, and said so, when this
    checkout has no ``site`` command yet.
(b) the readiness trend over a generated repository of 100 commits (samples/wc2030 copied into
    a temporary git repository, then 100 commits each dropping one status entry of one of its
    four status files): absolute seconds (target < 60 s) and the ratio to one plain
    ``eventsec status`` run of the same workspace. Measured as a fresh process calling
    :func:`eventsec.site.history.readiness_history` (the work ``site --history`` adds), and as
    ``eventsec site --history`` when that command exists.

Every timing is a fresh process (round-robin, one warm-up round, median of ``--repeats``).
Writes bench/results-site.json.

    .venv/bin/python bench/bench_site.py [--repeats 3] [--commits 100] [--lang en] [--as-of 2030-05-01]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))

from bench_validate import VENV, machine, markdown_table, run, source, verdict, write_results  # noqa: E402

SAMPLE = ROOT / "samples" / "wc2030"
TARGET_SITE_RATIO = 0.2
TARGET_HISTORY_S = 60.0
HISTORY_CHILD = (
    "import sys; from pathlib import Path; from eventsec.site.history import readiness_history; "
    "h = readiness_history(Path(sys.argv[1]), sys.argv[2], None, sys.argv[3], None); "
    "print(len(h.points), sum(p.gap is not None for p in h.points))"
)


def eventsec() -> str:
    return str(VENV / "bin" / "eventsec")


def has_site_command() -> bool:
    """Whether this checkout's CLI has ``eventsec site`` (another helper of issue 20 builds it)."""
    done = subprocess.run([eventsec(), "site", "--help"], cwd=ROOT, capture_output=True, text=True)
    return done.returncode == 0


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def history_repository(root: Path, commits: int) -> Path:
    """samples/wc2030 committed as ``ws/``, then ``commits`` commits each dropping one entry of
    one status file (round-robin over the files, entries in file order): every commit changes
    readiness, and each stays valid (an item with no entry is simply not started)."""
    workspace = root / "ws"
    shutil.copytree(SAMPLE, workspace)
    git(root, "init", "-q")
    git(root, "config", "user.email", "bench@example.org")
    git(root, "config", "user.name", "Bench")
    git(root, "add", ".")
    git(root, "commit", "-qm", "wc2030 sample")
    statuses = sorted((workspace / "status").glob("*.yaml"))
    data = {path: yaml.safe_load(path.read_text(encoding="utf-8")) for path in statuses}
    for number in range(commits):
        path = statuses[number % len(statuses)]
        items = data[path]["items"]
        if not items:
            raise SystemExit(f"{path.name} has too few entries for {commits} commits")
        dropped = next(iter(items))
        del items[dropped]
        path.write_text(yaml.safe_dump(data[path], allow_unicode=True, sort_keys=False), encoding="utf-8")
        git(root, "commit", "-qam", f"{path.stem}: {dropped} entry dropped")
    return workspace


def timed(commands: dict[str, list[str]], repeats: int) -> dict[str, dict]:
    """Each command ``repeats`` times round-robin after one warm-up round: runs and medians.
    ``status`` may exit 1: that is its CI gate (the sample has NO-GO venues), not a failure."""
    runs: dict[str, list[dict]] = {name: [] for name in commands}
    for round_number in range(repeats + 1):
        for name, command in commands.items():
            result = run(command)
            if result["rc"] not in ((0, 1) if name == "status" else (0,)):
                raise SystemExit(f"{name} failed ({result['rc']}): {' '.join(command)}\n{result.get('stderr', '')}")
            if round_number:
                runs[name].append(result)
    return {
        name: {
            "command": command,
            "median_s": statistics.median(r["seconds"] for r in runs[name]),
            "cpu_median_s": statistics.median(r["cpu_s"] for r in runs[name]),
            "rss_mb": max(r["rss_mb"] for r in runs[name]),
            "runs": [{k: r[k] for k in ("seconds", "cpu_s", "rss_mb")} for r in runs[name]],
        }
        for name, command in commands.items()
    }


def bench_site(scratch: Path, lang: str, as_of: str, repeats: int) -> dict:
    """(a): the site of every venue in one language against their PDFs."""
    if not has_site_command():
        return {"skipped": "this checkout has no `eventsec site` command yet (issue 20's site helper adds it)"}
    site_out, pdf_out = scratch / "site", scratch / "pdf"
    found = timed(
        {
            "site": [eventsec(), "site", str(SAMPLE), "-o", str(site_out), "--lang", lang, "--as-of", as_of],
            "render": [
                eventsec(), "render", str(SAMPLE), "--all", "-o", str(pdf_out), "--lang", lang,
                "--as-of", as_of, "--force",
            ],
        },
        repeats,
    )  # fmt: skip
    found["ratio"] = found["site"]["median_s"] / found["render"]["median_s"]
    return found


def bench_history(scratch: Path, lang: str, as_of: str, repeats: int, commits: int) -> dict:
    """(b): the trend over ``commits`` commits against one plain ``eventsec status``."""
    workspace = history_repository(scratch / "repo", commits)
    python = str(VENV / "bin" / "python")
    commands = {
        "history": [python, "-c", HISTORY_CHILD, str(workspace), as_of, lang],
        "status": [eventsec(), "status", str(workspace), "--as-of", as_of],
    }
    if has_site_command():
        commands["site_history"] = [
            eventsec(), "site", str(workspace), "-o", str(scratch / "site-history"), "--lang", lang,
            "--as-of", as_of, "--history",
        ]  # fmt: skip
    found = timed(commands, repeats)
    points, gaps = run(commands["history"])["stdout"].split()
    found["commits"] = int(points)
    found["gaps"] = int(gaps)
    found["ratio_to_status"] = found["history"]["median_s"] / found["status"]["median_s"]
    return found


def table(results: dict) -> str:
    rows: list[tuple[str, str, str, str]] = []
    a = results["site"]
    if "skipped" in a:
        rows.append(("a  site / render PDFs (wc2030, 1 language)", f"not measured: {a['skipped']}", "< 0.2", ""))
    else:
        rows.append(("a  eventsec site (wc2030, 1 language)", f"{a['site']['median_s']:.2f} s", "", ""))
        rows.append(("   eventsec render --all (same venues)", f"{a['render']['median_s']:.2f} s", "", ""))
        rows.append(
            ("   site / render", f"{a['ratio']:.3f}", f"< {TARGET_SITE_RATIO}", verdict(a["ratio"] < TARGET_SITE_RATIO))
        )
    b = results["history"]
    seconds = b["history"]["median_s"]
    rows.append(
        (
            f"b  readiness_history, {b['commits']} commits ({b['gaps']} gaps)",
            f"{seconds:.2f} s (CPU {b['history']['cpu_median_s']:.2f} s)",
            f"< {TARGET_HISTORY_S:.0f} s",
            verdict(seconds < TARGET_HISTORY_S),
        )
    )
    rows.append(("   eventsec status (same workspace)", f"{b['status']['median_s']:.2f} s", "", ""))
    rows.append(("   history / status", f"{b['ratio_to_status']:.1f}×", "", ""))
    if "site_history" in b:
        site_seconds = b["site_history"]["median_s"]
        rows.append(
            (
                "   eventsec site --history",
                f"{site_seconds:.2f} s",
                f"< {TARGET_HISTORY_S:.0f} s",
                verdict(site_seconds < TARGET_HISTORY_S),
            )
        )
    return markdown_table(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--commits", type=int, default=100)
    parser.add_argument("--lang", default="en")
    parser.add_argument("--as-of", default="2030-05-01")
    parser.add_argument("--out", type=Path, default=BENCH / "results-site.json")
    args = parser.parse_args()
    results: dict = {"machine": machine(), "source": source(), "arguments": vars(args) | {"out": str(args.out)}}
    with tempfile.TemporaryDirectory(prefix="eventsec-bench-site-") as scratch:
        results["site"] = bench_site(Path(scratch), args.lang, args.as_of, args.repeats)
        results["history"] = bench_history(Path(scratch), args.lang, args.as_of, args.repeats, args.commits)
    write_results(results, table(results), args.out, str(args.repeats))


if __name__ == "__main__":
    main()
