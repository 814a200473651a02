"""Benchmark ``eventsec render``: layout cost against plain reportlab, parallel speed-up, skip, memory.

    .venv/bin/python bench/bench_render.py             # samples/wc2030, --as-of 2030-03-01

Benchmarks:

a. One plan in-process, against plain reportlab. ``bench/render_baseline.py export`` captures the
   flowable story eventsec builds for ``--venue`` (default ma-rabat, the longest sample plan) and
   ``render_baseline.py run`` rebuilds the same story with plain reportlab classes and lays it
   out with a plain ``BaseDocTemplate`` + ``TableOfContents`` through ``multiBuild`` (no eventsec
   imported). It is timed against ``eventsec.render.build.render_plan(report)`` (fonts, story
   from the report, multiBuild with eventsec's page template and page-X-of-Y canvas), each in
   fresh interpreters, imports and workspace loading not timed. Each process renders
   ``--renders`` times: the first is "cold" (includes font registration), the rest "warm".
   ``build_report`` (resolve + safety + readiness), which render_plan needs first, is timed
   separately. Both must give the same page count. Target: eventsec warm <= 1.25x baseline warm.
b. ``eventsec render WS --all --as-of D --jobs 1 --force -o DIR`` against ``--jobs 2`` (fresh,
   empty output directories), as a user runs it (fresh process, wall time by ``os.wait4``).
   Target: jobs 1 / jobs 2 >= 1.8x. The two runs' manifests must list the same sha256 for every
   PDF (output does not depend on --jobs).
c. The same ``--jobs 1`` command again without ``--force`` on the directory (a) wrote: nothing
   changed, every plan is reported "unchanged". Target: full render / unchanged re-run >= 20x.
   (The same for ``--jobs 2`` is shown, without a target.)
d. Peak RSS of one render worker: ``eventsec render WS --venue V --jobs 1 --force`` in a fresh
   process (``ru_maxrss`` from ``os.wait4``: the process loads the workspace and renders one plan,
   as a pool worker does). Target: < 150 MB (MB = 10**6 bytes). The peak of the --all runs is
   shown too (for --jobs 2, the largest of the parent and its workers).

CLI runs are interleaved round-robin over ``--repeats`` rounds after one warm-up run; medians are
reported, with CPU time (user + system, children included) beside wall time. Results go to
bench/results-render.json. ``--profile`` also writes cProfiles of one warm render_plan, of the
baseline's render and of an unchanged re-run to bench/data/profiles/profile-render*.{prof,txt}.
Benchmarks report, they do not fail.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENV = ROOT / ".venv"
OUT = BENCH / "data" / "render-out"
STORY = BENCH / "data" / "render-story.json"
PROFILES = BENCH / "data" / "profiles"  # git-ignored, like everything under bench/data
sys.path.insert(0, str(BENCH))
from bench_validate import machine, markdown_table, run, source, verdict, version_of, write_results  # noqa: E402

TARGET_BASELINE = 1.25  # eventsec render_plan / plain reportlab, same story
TARGET_JOBS = 1.8  # --jobs 1 / --jobs 2 wall time
TARGET_SKIP = 20.0  # full --jobs 1 render / unchanged re-run
TARGET_RSS_MB = 150.0  # peak RSS of one render worker

EVENTSEC_CHILD = r"""
import json, sys, time
from pathlib import Path

root, venue, as_of, lang, renders = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
from eventsec.render.build import render_plan
from eventsec.render.report import build_report
from eventsec.checks.validate import load_workspace
import reportlab.platypus, reportlab.platypus.tableofcontents  # imports are not timed on either side

workspace, _ = load_workspace(Path(root))
wall, cpu = time.perf_counter(), time.process_time()
report, findings = build_report(workspace, venue, as_of, lang)
built = (time.perf_counter() - wall, time.process_time() - cpu)
if report is None:
    sys.exit(f"{venue} does not resolve: {[f.message for f in findings[:3]]}")
runs = []
for _ in range(renders):
    wall, cpu = time.perf_counter(), time.process_time()
    rendered = render_plan(report)
    runs.append({"total_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu,
                 "pages": rendered.pages, "bytes": len(rendered.pdf)})
print(json.dumps({"build_report_s": built[0], "build_report_cpu_s": built[1], "runs": runs}))
"""

PROFILE_CHILD = r"""
import cProfile, sys
from pathlib import Path
from eventsec.render.build import render_plan
from eventsec.render.report import build_report
from eventsec.checks.validate import load_workspace

workspace, _ = load_workspace(Path(sys.argv[1]))
report, _ = build_report(workspace, sys.argv[2], sys.argv[3], "en")
render_plan(report)  # warm: fonts registered, caches filled
profiler = cProfile.Profile()
profiler.enable()
render_plan(report)
profiler.disable()
profiler.dump_stats(sys.argv[4])
"""


def python() -> str:
    return str(VENV / "bin" / "python")


def child_json(command: list[str]) -> dict:
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(
            f"{' '.join(command[:4])} ... failed (exit {result.returncode}):\n"
            f"{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
        )
    return json.loads(result.stdout.strip().splitlines()[-1])


# a. render_plan against plain reportlab -------------------------------------------------------
def bench_baseline(workspace: Path, venue: str, as_of: str, repeats: int, renders: int) -> dict:
    print(f"[a] exporting the story of {venue} -> {STORY.relative_to(ROOT)} ...", flush=True)
    exported = child_json(
        [
            python(),
            str(BENCH / "render_baseline.py"),
            "export",
            str(workspace),
            "--venue",
            venue,
            "--as-of",
            as_of,
            "-o",
            str(STORY),
        ]
    )
    print(
        f"[a] render_plan vs plain reportlab: {repeats} processes each, {renders} renders per process, interleaved ...",
        flush=True,
    )
    ours, theirs = [], []
    for _ in range(repeats):
        ours.append(child_json([python(), "-c", EVENTSEC_CHILD, str(workspace), venue, as_of, "en", str(renders)]))
        theirs.append(
            child_json([python(), str(BENCH / "render_baseline.py"), "run", str(STORY), "--renders", str(renders)])
        )
    imported = sorted({m for t in theirs for m in t["eventsec_imported"]})
    if imported:
        raise SystemExit(f"the baseline imported eventsec modules: {imported}")

    def side(children: list[dict]) -> dict:
        cold = [c["runs"][0] for c in children]
        warm = [r for c in children for r in c["runs"][1:]] or cold
        out = {
            "cold_s": statistics.median(r["total_s"] for r in cold),
            "warm_s": statistics.median(r["total_s"] for r in warm),
            "warm_cpu_s": statistics.median(r["cpu_s"] for r in warm),
            "warm_runs_s": [round(r["total_s"], 4) for r in warm],
            "pages": sorted({r["pages"] for c in children for r in c["runs"]}),
            "bytes": statistics.median(r["bytes"] for r in warm),
        }
        if "layout_s" in warm[0]:
            out["warm_story_s"] = statistics.median(r["story_s"] for r in warm)
            out["warm_layout_s"] = statistics.median(r["layout_s"] for r in warm)
        return out

    result = {
        "venue": venue,
        "story_counts": exported["counts"],
        "eventsec": side(ours),
        "baseline": side(theirs),
        "build_report_s": statistics.median(c["build_report_s"] for c in ours),
    }
    pages = result["eventsec"]["pages"] + result["baseline"]["pages"] + [exported["eventsec_pages"]]
    result["same_pages"] = len(set(pages)) == 1
    if not result["same_pages"]:
        raise SystemExit(
            f"page counts differ (eventsec {result['eventsec']['pages']}, baseline "
            f"{result['baseline']['pages']}): the rebuilt story does not lay out the same"
        )
    result["ratio_warm"] = result["eventsec"]["warm_s"] / result["baseline"]["warm_s"]
    result["ratio_warm_cpu"] = result["eventsec"]["warm_cpu_s"] / result["baseline"]["warm_cpu_s"]
    result["ratio_cold"] = result["eventsec"]["cold_s"] / result["baseline"]["cold_s"]
    return result


# b, c, d. The CLI -------------------------------------------------------------------------------
def render_command(
    workspace: Path, as_of: str, jobs: int, out: Path, force: bool, venue: str | None = None
) -> list[str]:
    target = ["--venue", venue] if venue else ["--all"]
    return [
        str(VENV / "bin" / "eventsec"),
        "render",
        str(workspace),
        *target,
        "--as-of",
        as_of,
        "--jobs",
        str(jobs),
        "-o",
        str(out),
    ] + (["--force"] if force else [])


def checked(command: list[str], *, expect: str, count: int | None = None) -> dict:
    """Run the CLI once; ``expect`` 'pages' (rendered) or 'unchanged' (skipped) on every output line."""
    result = run(command)
    lines = [line for line in result["stdout"].splitlines() if line.strip()]
    pattern = r"\((\d+) pages\)$" if expect == "pages" else r"\(unchanged\)$"
    matched = [re.search(pattern, line) for line in lines]
    if result["rc"] != 0 or not lines or not all(matched) or (count is not None and len(lines) != count):
        raise SystemExit(
            f"{' '.join(command[1:5])} ... did not {('render' if expect == 'pages' else 'skip')} every plan "
            f"(exit {result['rc']}):\n{result['stdout'][-1500:]}\n{result['stderr'][-1500:]}"
        )
    result["plans"] = len(lines)
    if expect == "pages":
        result["pages"] = sum(int(m.group(1)) for m in matched)
    return result


def fresh(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def manifest_hashes(out: Path) -> dict[str, str]:
    data = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    return {entry["file"]: entry["sha256"] for entry in data["files"]}


def summary(runs: list[dict]) -> dict:
    times = [r["seconds"] for r in runs]
    return {
        "median_s": statistics.median(times),
        "min_s": min(times),
        "max_s": max(times),
        "runs_s": [round(t, 3) for t in times],
        "cpu_median_s": statistics.median(r["cpu_s"] for r in runs),
        "peak_rss_mb": max(r["rss_mb"] for r in runs),
    }


def bench_cli(workspace: Path, venue: str, as_of: str, repeats: int) -> dict:
    print(
        f"[b-d] eventsec render {workspace.relative_to(ROOT) if workspace.is_relative_to(ROOT) else workspace} "
        f"--all: 1 warm-up + {repeats} rounds of (jobs 1 full, unchanged; jobs 2 full, unchanged; one venue) ...",
        flush=True,
    )
    checked(render_command(workspace, as_of, 1, fresh(OUT / "warmup"), True, venue), expect="pages", count=1)
    runs: dict[str, list[dict]] = {
        "full_jobs1": [],
        "unchanged_jobs1": [],
        "full_jobs2": [],
        "unchanged_jobs2": [],
        "one_venue_jobs1": [],
    }
    identical = True
    plans = pages = None
    load = [os.getloadavg()[0]]
    for round_ in range(1, repeats + 1):
        print(f"  round {round_}/{repeats} (load average {os.getloadavg()[0]:.2f})", flush=True)
        out1, out2 = fresh(OUT / "jobs1"), fresh(OUT / "jobs2")
        full1 = checked(render_command(workspace, as_of, 1, out1, True), expect="pages", count=plans)
        plans, pages = full1["plans"], full1["pages"]
        runs["full_jobs1"].append(full1)
        runs["unchanged_jobs1"].append(
            checked(render_command(workspace, as_of, 1, out1, False), expect="unchanged", count=plans)
        )
        runs["full_jobs2"].append(checked(render_command(workspace, as_of, 2, out2, True), expect="pages", count=plans))
        runs["unchanged_jobs2"].append(
            checked(render_command(workspace, as_of, 2, out2, False), expect="unchanged", count=plans)
        )
        identical = identical and manifest_hashes(out1) == manifest_hashes(out2)
        runs["one_venue_jobs1"].append(
            checked(render_command(workspace, as_of, 1, fresh(OUT / "one"), True, venue), expect="pages", count=1)
        )
        load.append(os.getloadavg()[0])
    result = {name: summary(r) for name, r in runs.items()}
    result["load_average_1min"] = [round(x, 2) for x in load]
    # CPU seconds per wall second of the --jobs 2 run: near 2 when both cores were free for it,
    # near 1 when other processes held one of them (then no --jobs 2 speed-up is possible).
    result["jobs2_cores_used"] = result["full_jobs2"]["cpu_median_s"] / result["full_jobs2"]["median_s"]
    result.update(plans=plans, pages=pages, identical_pdfs_jobs1_jobs2=identical, venue=venue)
    result["ratio_jobs1_over_jobs2"] = result["full_jobs1"]["median_s"] / result["full_jobs2"]["median_s"]
    result["ratio_full_over_unchanged"] = result["full_jobs1"]["median_s"] / result["unchanged_jobs1"]["median_s"]
    result["ratio_full_over_unchanged_jobs2"] = result["full_jobs2"]["median_s"] / result["unchanged_jobs2"]["median_s"]
    result["one_venue_peak_rss_mb"] = result["one_venue_jobs1"]["peak_rss_mb"]
    return result


# Profiles -----------------------------------------------------------------------------------------
def write_profile(prof: Path, top: int = 30) -> str:
    import io
    import pstats

    texts = {}
    for key in ("cumulative", "tottime"):
        buffer = io.StringIO()
        pstats.Stats(str(prof), stream=buffer).strip_dirs().sort_stats(key).print_stats(top)
        texts[key] = buffer.getvalue()
    report = prof.with_suffix(".txt")
    report.write_text("\n".join(f"==== sorted by {k} ====\n{v}" for k, v in texts.items()), encoding="utf-8")
    return str(report.relative_to(ROOT))


def profile(workspace: Path, venue: str, as_of: str) -> dict:
    print("profiling: one warm render_plan, the baseline, an unchanged --all re-run ...", flush=True)
    PROFILES.mkdir(parents=True, exist_ok=True)
    out = {}
    prof = PROFILES / "profile-render.prof"
    subprocess.run([python(), "-c", PROFILE_CHILD, str(workspace), venue, as_of, str(prof)], cwd=ROOT, check=True)
    out["render_plan"] = write_profile(prof)
    prof = PROFILES / "profile-render-baseline.prof"
    subprocess.run(
        [
            python(),
            "-m",
            "cProfile",
            "-o",
            str(prof),
            str(BENCH / "render_baseline.py"),
            "run",
            str(STORY),
            "--renders",
            "2",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    out["baseline"] = write_profile(prof)
    prof = PROFILES / "profile-render-skip.prof"
    out1 = OUT / "jobs1"
    if not (out1 / "manifest.json").exists():
        checked(render_command(workspace, as_of, 1, fresh(out1), True), expect="pages")
    subprocess.run(
        [
            python(),
            "-m",
            "cProfile",
            "-o",
            str(prof),
            "-m",
            "eventsec",
            *render_command(workspace, as_of, 1, out1, False)[1:],
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    out["unchanged_rerun"] = write_profile(prof)
    return out


# Report -------------------------------------------------------------------------------------------
def table(results: dict) -> str:
    rows: list[tuple[str, str, str, str]] = []
    a = results.get("baseline")
    if a:
        ours, theirs = a["eventsec"], a["baseline"]
        rows.append(
            (
                f"render_plan({a['venue']}, {ours['pages'][0]} pages), warm",
                f"{ours['warm_s']:.2f} s  (CPU {ours['warm_cpu_s']:.2f} s; cold {ours['cold_s']:.2f} s)",
                "",
                "",
            )
        )
        rows.append(
            (
                "plain reportlab, same story, warm",
                f"{theirs['warm_s']:.2f} s  (CPU {theirs['warm_cpu_s']:.2f} s; cold {theirs['cold_s']:.2f} s; "
                f"story {theirs['warm_story_s']:.2f} s)",
                "",
                "",
            )
        )
        rows.append(
            (
                "eventsec / plain reportlab (warm)",
                f"{a['ratio_warm']:.2f}x",
                f"<= {TARGET_BASELINE:g}x",
                verdict(a["ratio_warm"] <= TARGET_BASELINE),
            )
        )
        rows.append(("  same on CPU time", f"{a['ratio_warm_cpu']:.2f}x", "", ""))
        rows.append(("  cold (first render in the process)", f"{a['ratio_cold']:.2f}x", "", ""))
        rows.append(("build_report (resolve + safety + readiness)", f"{a['build_report_s']:.2f} s", "", ""))
    c = results.get("cli")
    if c:
        f1, f2, u1, u2 = c["full_jobs1"], c["full_jobs2"], c["unchanged_jobs1"], c["unchanged_jobs2"]
        rows.append(
            (
                f"render --all --jobs 1 --force ({c['plans']} plans, {c['pages']} pages)",
                f"{f1['median_s']:.2f} s  (CPU {f1['cpu_median_s']:.2f} s)",
                "",
                "",
            )
        )
        rows.append(
            ("render --all --jobs 2 --force", f"{f2['median_s']:.2f} s  (CPU {f2['cpu_median_s']:.2f} s)", "", "")
        )
        rows.append(
            (
                "speed-up jobs 1 / jobs 2",
                f"{c['ratio_jobs1_over_jobs2']:.4f}x",
                f">= {TARGET_JOBS:g}x",
                verdict(c["ratio_jobs1_over_jobs2"] >= TARGET_JOBS),
            )
        )
        rows.append(
            (
                "  CPU s per wall s of the jobs 2 run",
                f"{c['jobs2_cores_used']:.2f}  (load average "
                f"{min(c['load_average_1min']):.1f}-{max(c['load_average_1min']):.1f})",
                "",
                "",
            )
        )
        rows.append(
            ("  PDFs identical for jobs 1 and jobs 2", "yes" if c["identical_pdfs_jobs1_jobs2"] else "NO", "", "")
        )
        rows.append(
            (
                "render --all --jobs 1, unchanged re-run",
                f"{u1['median_s']:.2f} s  (CPU {u1['cpu_median_s']:.2f} s)",
                "",
                "",
            )
        )
        rows.append(
            (
                "full / unchanged (jobs 1)",
                f"{c['ratio_full_over_unchanged']:.1f}x",
                f">= {TARGET_SKIP:g}x",
                verdict(c["ratio_full_over_unchanged"] >= TARGET_SKIP),
            )
        )
        rows.append(
            (
                "  unchanged re-run, jobs 2",
                f"{u2['median_s']:.2f} s  ({c['ratio_full_over_unchanged_jobs2']:.1f}x its full run)",
                "",
                "",
            )
        )
        rows.append(
            (
                f"peak RSS, one venue ({c['venue']}), --jobs 1",
                f"{c['one_venue_peak_rss_mb']:.0f} MB",
                f"< {TARGET_RSS_MB:g} MB",
                verdict(c["one_venue_peak_rss_mb"] < TARGET_RSS_MB),
            )
        )
        rows.append(("  peak RSS, --all --jobs 1 (one process)", f"{f1['peak_rss_mb']:.0f} MB", "", ""))
        rows.append(("  peak RSS, --all --jobs 2 (largest process)", f"{f2['peak_rss_mb']:.0f} MB", "", ""))
    return markdown_table(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workspace", type=Path, default=ROOT / "samples" / "wc2030")
    parser.add_argument(
        "--venue", default="ma-rabat", help="the plan for (a) and (d) (default: the longest sample plan)"
    )
    parser.add_argument("--as-of", default="2030-03-01")
    parser.add_argument("--repeats", type=int, default=3, help="processes for (a), rounds for (b-d) (median)")
    parser.add_argument("--renders", type=int, default=3, help="renders per process in (a); the first is cold")
    parser.add_argument("--skip-baseline", action="store_true", help="skip (a)")
    parser.add_argument("--skip-cli", action="store_true", help="skip (b), (c) and (d)")
    parser.add_argument(
        "--profile", action="store_true", help="also write cProfiles (bench/data/profiles/profile-render*.txt)"
    )
    parser.add_argument("--out", type=Path, default=BENCH / "results-render.json")
    args = parser.parse_args()
    workspace = args.workspace.resolve()
    if not (VENV / "bin" / "eventsec").exists():
        raise SystemExit(
            f"no eventsec in {VENV}; install the project: python -m venv .venv && .venv/bin/pip install -e ."
        )
    results: dict = {
        "when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "source": source(),
        "versions": {name: version_of(VENV / "bin" / "python", name) for name in ("eventsec", "reportlab", "PyYAML")},
        "workspace": str(workspace.relative_to(ROOT) if workspace.is_relative_to(ROOT) else workspace),
        "as_of": args.as_of,
        "repeats": args.repeats,
        "renders_per_process": args.renders,
        "targets": {
            "eventsec_over_baseline_max": TARGET_BASELINE,
            "jobs1_over_jobs2_min": TARGET_JOBS,
            "full_over_unchanged_min": TARGET_SKIP,
            "worker_peak_rss_mb_max": TARGET_RSS_MB,
        },
    }
    verdicts = {}
    if not args.skip_baseline:
        results["baseline"] = bench_baseline(workspace, args.venue, args.as_of, args.repeats, args.renders)
        verdicts["eventsec_vs_plain_reportlab"] = verdict(results["baseline"]["ratio_warm"] <= TARGET_BASELINE)
    if not args.skip_cli:
        results["cli"] = c = bench_cli(workspace, args.venue, args.as_of, args.repeats)
        verdicts["jobs2_speedup"] = verdict(c["ratio_jobs1_over_jobs2"] >= TARGET_JOBS)
        verdicts["unchanged_rerun"] = verdict(c["ratio_full_over_unchanged"] >= TARGET_SKIP)
        verdicts["worker_peak_rss"] = verdict(c["one_venue_peak_rss_mb"] < TARGET_RSS_MB)
    if args.profile:
        results["profile"] = profile(workspace, args.venue, args.as_of)
    results["verdicts"] = verdicts
    write_results(results, table(results), args.out, str(args.repeats))


if __name__ == "__main__":
    main()
