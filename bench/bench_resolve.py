"""Benchmark plan resolution: resolving every venue of a tournament against validating it.

    .venv/bin/python bench/bench_resolve.py            # generates bench/data/resolve/* first

Workspaces come from bench/generate_workspace.py (seeded, written to bench/data/resolve/): a
tournament with ``protocols: [library]``, a generated library of N items (protocols, catalog,
lessons) inside the workspace, V venues with 2 matches each, country overlays and some venue and
match overlays with set/add/remove.

Each measurement is one fresh interpreter (``.venv/bin/python``), in-process timings:

a. ``eventsec.checks.validate.validate([workspace], resolve_plans=False)``: loading, schemas and lint
   rules, what ``eventsec validate`` did when the target was set. (Since then the command also
   resolves every venue of a clean workspace; that part is left out, or the comparison would
   measure resolving against itself.) The first call in the process ("cold": includes
   importing jsonschema and building the schema validators) and a second call ("warm").
b. ``eventsec.load.workspace.load_workspace`` once (not timed), then ``eventsec.plan.resolve.resolve``
   for every venue in turn (no match layer), each timed; "resolve all" is their sum. Plans are
   dropped as soon as they are counted, so the heap does not grow with the venues.

Target: resolving all 100 venues of the 300-item workspace takes less time than validating that
workspace (resolve all / validate warm < 1; warm is the stricter denominator). Scaling:
resolve-all time at 10, 30 and 100 venues (300 items) and at 150, 300 and 600 items (30 venues),
The first resolve of a process also builds what the others reuse (the library layer), so the
checks use the steady state, resolve all - first venue, over venues - 1 venues, and show the
first venue's cost per library item beside it. A venue costs a fixed part (its overlays, its
conditions, the plan skeleton) plus a part per library item, so the steady time is modelled as
a x (venues - 1) + b x items x (venues - 1), fitted by least squares:

* linear in venues: the steady cost per venue at 10, 30 and 100 venues (300 items) is within
  1.5x of the cheapest (a cost that grew with the number of venues, e.g. a lookup scanning every
  venue, would break it);
* linear in items x venues: fitted on the three smaller configurations (150x30, 300x10,
  300x30), the model predicts the two largest (300x100, 600x30); each must take at most 1.2x its
  prediction. A cost growing faster than items x venues (a per-venue scan of every venue, an
  item-by-item scan of the library for each item) would overshoot it; a cost growing slower
  (caches warming up over the venues) would not. The fit over all five, its R^2 and each
  configuration's residual are reported as well.

Runs are interleaved round-robin over the configurations (``--repeats`` rounds), medians are
reported and CPU time (``time.process_time``) is shown beside wall time. Results go to
bench/results-resolve.json; ``--profile`` also writes a cProfile of resolving venues 2..100 of the
main workspace (the steady state: the first resolve builds what later ones reuse) to
bench/data/profiles/profile-resolve.{prof,txt}. Benchmarks report, they do not fail.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENV = ROOT / ".venv"
DATA = BENCH / "data" / "resolve"
PROFILES = BENCH / "data" / "profiles"  # git-ignored, like everything under bench/data
sys.path.insert(0, str(BENCH))
from bench_validate import machine, markdown_table, source, verdict, version_of, write_results  # noqa: E402
from generate_workspace import generate  # noqa: E402

MAIN = (300, 100)  # (items, venues) of the target workspace
VENUE_SCALE = (10, 30, 100)  # at 300 items
ITEM_SCALE = (150, 300, 600)  # at 30 venues
TARGET_RATIO = 1.0  # resolve all venues / validate (warm) must be below this
TARGET_VENUE_SPREAD = 1.5  # max / min steady cost per venue at 10/30/100 venues
TARGET_EXTRAPOLATION = 1.2  # largest configurations / their prediction from the smaller ones
SMALLER = ((150, 30), (300, 10), (300, 30))  # the configurations the extrapolation is fitted on

CHILD = r"""
import json, sys, time
from pathlib import Path

root = Path(sys.argv[1])
from eventsec.plan.resolve import resolve
from eventsec.checks.validate import validate
from eventsec.checks.validate import load_workspace

def timed(function):
    wall, cpu = time.perf_counter(), time.process_time()
    value = function()
    return value, time.perf_counter() - wall, time.process_time() - cpu

out = {}
result, out["validate_cold_s"], out["validate_cold_cpu_s"] = timed(lambda: validate([root], resolve_plans=False))
out["files"], out["findings"] = result.files, len(result.findings)
del result
result, out["validate_warm_s"], out["validate_warm_cpu_s"] = timed(lambda: validate([root], resolve_plans=False))
del result
workspace, _ = load_workspace(root)
if workspace is None:
    sys.exit("workspace does not validate")
venues = sorted(workspace.venues())
per_venue, per_venue_cpu, items = [], [], 0
for venue in venues:
    wall, cpu = time.perf_counter(), time.process_time()
    plan, findings = resolve(workspace, venue)
    per_venue.append(time.perf_counter() - wall)
    per_venue_cpu.append(time.process_time() - cpu)
    if plan is None:
        sys.exit(f"{venue} does not resolve: {[f.message for f in findings[:3]]}")
    items += sum(1 for _ in plan.items())
    del plan
out.update(venues=len(venues), plan_items=items, per_venue_s=per_venue,
           resolve_all_s=sum(per_venue), resolve_all_cpu_s=sum(per_venue_cpu))
print(json.dumps(out))
"""

PROFILE_CHILD = r"""
import cProfile, sys
from pathlib import Path
from eventsec.plan.resolve import resolve
from eventsec.checks.validate import load_workspace

workspace, _ = load_workspace(Path(sys.argv[1]))
venues = sorted(workspace.venues())
resolve(workspace, venues[0])  # the first resolve builds what later ones reuse; profile the steady state
profiler = cProfile.Profile()
profiler.enable()
for venue in venues[1:]:
    resolve(workspace, venue)
profiler.disable()
profiler.dump_stats(sys.argv[2])
"""


def workspace_dir(items: int, venues: int) -> Path:
    return DATA / f"i{items}-v{venues}"


def configurations() -> list[tuple[int, int]]:
    wanted = [(MAIN[0], v) for v in VENUE_SCALE] + [(i, 30) for i in ITEM_SCALE] + [MAIN]
    return sorted(set(wanted))


def prepare(configs: list[tuple[int, int]], seed: int) -> dict:
    """Generate every workspace (seeded, so regenerating gives the same files)."""
    info = {}
    for items, venues in configs:
        counts = generate(workspace_dir(items, venues), venues, items, seed)
        info[f"{items}x{venues}"] = counts
        print(
            f"  generated {workspace_dir(items, venues).relative_to(ROOT)}: {counts['files']} files, "
            f"{counts['bytes'] / 1e6:.2f} MB",
            flush=True,
        )
    return info


def measure(items: int, venues: int) -> dict:
    python = str(VENV / "bin" / "python")
    run = subprocess.run(
        [python, "-c", CHILD, str(workspace_dir(items, venues))], cwd=ROOT, capture_output=True, text=True
    )
    if run.returncode != 0:
        raise SystemExit(
            f"resolve benchmark child failed for {items}x{venues} (exit {run.returncode}):\n"
            f"{run.stdout[-2000:]}\n{run.stderr[-2000:]}"
        )
    result = json.loads(run.stdout.strip().splitlines()[-1])
    if result["findings"]:
        raise SystemExit(f"generated workspace {items}x{venues} is not clean: {result['findings']} findings")
    return result


def summarise(items: int, venues: int, runs: list[dict]) -> dict:
    med = lambda key: statistics.median(r[key] for r in runs)  # noqa: E731
    resolve_all = med("resolve_all_s")
    per_venue = [statistics.median(r["per_venue_s"]) for r in runs]
    return {
        "items": items,
        "venues": venues,
        "files": runs[0]["files"],
        "plan_items_per_venue": runs[0]["plan_items"] / venues,
        "validate_cold_s": med("validate_cold_s"),
        "validate_warm_s": med("validate_warm_s"),
        "validate_warm_cpu_s": med("validate_warm_cpu_s"),
        "resolve_all_s": resolve_all,
        "resolve_all_cpu_s": med("resolve_all_cpu_s"),
        "resolve_all_runs_s": [round(r["resolve_all_s"], 4) for r in runs],
        "per_venue_median_ms": statistics.median(per_venue) * 1000,
        "first_venue_ms": statistics.median(r["per_venue_s"][0] for r in runs) * 1000,
        "us_per_item_venue": resolve_all / (items * venues) * 1e6,
        # The first resolve of a run also builds what later ones reuse (the library layer): the
        # steady-state cost leaves it out, and the one-time part is shown per library item.
        "steady_s": statistics.median(r["resolve_all_s"] - r["per_venue_s"][0] for r in runs),
        "us_per_item_venue_steady": statistics.median(
            (r["resolve_all_s"] - r["per_venue_s"][0]) / (items * (venues - 1)) for r in runs
        )
        * 1e6,
        "first_venue_us_per_item": statistics.median(r["per_venue_s"][0] for r in runs) / items * 1e6,
        "ratio_resolve_all_over_validate_warm": resolve_all / med("validate_warm_s"),
        "ratio_resolve_all_over_validate_cold": resolve_all / med("validate_cold_s"),
    }


def fit(rows: list[dict]) -> tuple[float, float]:
    """Least-squares (a, b) of steady time = a x (venues - 1) + b x items x (venues - 1)."""
    x1 = [r["venues"] - 1 for r in rows]
    x2 = [r["items"] * (r["venues"] - 1) for r in rows]
    ys = [r["steady_s"] for r in rows]
    s11, s12, s22 = sum(a * a for a in x1), sum(a * b for a, b in zip(x1, x2)), sum(b * b for b in x2)
    s1y, s2y = sum(a * y for a, y in zip(x1, ys)), sum(b * y for b, y in zip(x2, ys))
    det = s11 * s22 - s12 * s12
    return (s1y * s22 - s2y * s12) / det, (s2y * s11 - s1y * s12) / det


def predicted(a: float, b: float, row: dict) -> float:
    return (a + b * row["items"]) * (row["venues"] - 1)


def linearity(results: dict) -> dict:
    """The model fitted over all configurations (with residuals), the two largest against the
    model fitted on the smaller ones, and the spread of the steady cost per venue at 300 items."""
    rows = list(results.values())
    a, b = fit(rows)
    ys = [r["steady_s"] for r in rows]
    fitted = [predicted(a, b, r) for r in rows]
    mean = statistics.fmean(ys)
    r2 = 1 - sum((y - f) ** 2 for y, f in zip(ys, fitted)) / sum((y - mean) ** 2 for y in ys)
    small_a, small_b = fit([results[f"{i}x{v}"] for i, v in SMALLER])
    larger = {
        key: r["steady_s"] / predicted(small_a, small_b, r)
        for key, r in results.items()
        if (r["items"], r["venues"]) not in SMALLER
    }
    per_venue = [
        r["steady_s"] / (r["venues"] - 1) for r in rows if r["items"] == MAIN[0] and r["venues"] in VENUE_SCALE
    ]
    return {
        "fit_us_per_venue": a * 1e6,
        "fit_us_per_item_venue": b * 1e6,
        "fit_r2": r2,
        "relative_residuals": {f"{r['items']}x{r['venues']}": (y - f) / y for r, y, f in zip(rows, ys, fitted)},
        "smaller_fit_us_per_venue": small_a * 1e6,
        "smaller_fit_us_per_item_venue": small_b * 1e6,
        "larger_over_prediction": larger,
        "max_larger_over_prediction": max(larger.values()),
        "venue_spread": max(per_venue) / min(per_venue),
    }


def profile(top: int = 30) -> dict:
    import io
    import pstats

    python = str(VENV / "bin" / "python")
    PROFILES.mkdir(parents=True, exist_ok=True)
    prof = PROFILES / "profile-resolve.prof"
    report = PROFILES / "profile-resolve.txt"
    print(f"profiling resolve of venues 2..{MAIN[1]} -> {prof.relative_to(ROOT)} ...", flush=True)
    subprocess.run([python, "-c", PROFILE_CHILD, str(workspace_dir(*MAIN)), str(prof)], cwd=ROOT, check=True)
    texts = {}
    for key in ("cumulative", "tottime"):
        buffer = io.StringIO()
        pstats.Stats(str(prof), stream=buffer).strip_dirs().sort_stats(key).print_stats(top)
        texts[key] = buffer.getvalue()
    report.write_text("\n".join(f"==== sorted by {k} ====\n{v}" for k, v in texts.items()), encoding="utf-8")
    return {"profile": str(prof.relative_to(ROOT)), "report": str(report.relative_to(ROOT)), "venues": MAIN[1] - 1}


def table(results: dict) -> str:
    rows: list[tuple[str, str, str, str]] = []
    main = results["configurations"][f"{MAIN[0]}x{MAIN[1]}"]
    rows.append(
        (
            f"validate({MAIN[1]} venues, {MAIN[0]} items), cold",
            f"{main['validate_cold_s'] * 1000:.0f} ms  ({main['files']} files)",
            "",
            "",
        )
    )
    rows.append(
        (
            "  same, warm (2nd call in the process)",
            f"{main['validate_warm_s'] * 1000:.0f} ms  (CPU {main['validate_warm_cpu_s'] * 1000:.0f} ms)",
            "",
            "",
        )
    )
    rows.append(
        (
            f"resolve all {MAIN[1]} venues",
            f"{main['resolve_all_s']:.2f} s  (CPU {main['resolve_all_cpu_s']:.2f} s; "
            f"{main['per_venue_median_ms']:.1f} ms/venue)",
            "",
            "",
        )
    )
    rows.append(("  first venue of the run", f"{main['first_venue_ms']:.1f} ms", "", ""))
    ratio = main["ratio_resolve_all_over_validate_warm"]
    rows.append(
        ("resolve all / validate (warm)", f"{ratio:.1f}x", f"< {TARGET_RATIO:g}x", verdict(ratio < TARGET_RATIO))
    )
    rows.append(("  resolve all / validate (cold)", f"{main['ratio_resolve_all_over_validate_cold']:.1f}x", "", ""))
    lin = results["linearity"]
    for key, r in results["configurations"].items():
        rows.append(
            (
                f"scale: {r['items']} items x {r['venues']} venues",
                f"{r['resolve_all_s']:.3f} s  ({r['per_venue_median_ms']:.2f} ms/venue; steady "
                f"{r['steady_s'] / (r['venues'] - 1) * 1000:.2f} ms/venue, {r['us_per_item_venue_steady']:.1f} us/item-venue; "
                f"fit {lin['relative_residuals'][key]:+.0%}; first {r['first_venue_us_per_item']:.0f} us/item)",
                "",
                "",
            )
        )
    rows.append(
        (
            f"linear in venues (max/min steady ms/venue, {MAIN[0]} items)",
            f"{lin['venue_spread']:.2f}",
            f"<= {TARGET_VENUE_SPREAD:g}",
            verdict(lin["venue_spread"] <= TARGET_VENUE_SPREAD),
        )
    )
    rows.append(
        (
            "fit over all five (steady time)",
            f"{lin['fit_us_per_venue']:.0f} us/venue + "
            f"{lin['fit_us_per_item_venue']:.2f} us/item-venue, R^2 {lin['fit_r2']:.3f}",
            "",
            "",
        )
    )
    larger = ", ".join(f"{key} {ratio:.2f}x" for key, ratio in lin["larger_over_prediction"].items())
    rows.append(
        (
            "linear in items x venues (largest / predicted from smaller)",
            f"{lin['max_larger_over_prediction']:.2f}x  ({larger}; fit on the smaller: "
            f"{lin['smaller_fit_us_per_venue']:.0f} us/venue + {lin['smaller_fit_us_per_item_venue']:.2f} us/item-venue)",
            f"<= {TARGET_EXTRAPOLATION:g}x",
            verdict(lin["max_larger_over_prediction"] <= TARGET_EXTRAPOLATION),
        )
    )
    return markdown_table(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=3, help="rounds over all configurations (median)")
    parser.add_argument("--seed", type=int, default=2030)
    parser.add_argument("--no-generate", action="store_true", help="reuse bench/data/resolve/* as they are")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also cProfile resolving venues 2..100 (bench/data/profiles/profile-resolve.txt)",
    )
    parser.add_argument("--out", type=Path, default=BENCH / "results-resolve.json")
    args = parser.parse_args()
    if not (VENV / "bin" / "python").exists():
        raise SystemExit(f"no {VENV}; install the project: python -m venv .venv && .venv/bin/pip install -e .")
    configs = configurations()
    results: dict = {
        "when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "source": source(),
        "versions": {
            name: version_of(VENV / "bin" / "python", name)
            for name in ("eventsec", "jsonschema", "jsonschema_rs", "PyYAML", "simpleeval")
        },
        "repeats": args.repeats,
        "seed": args.seed,
        "targets": {
            "ratio_resolve_all_over_validate_warm_max": TARGET_RATIO,
            "venue_spread_max": TARGET_VENUE_SPREAD,
            "largest_over_prediction_max": TARGET_EXTRAPOLATION,
        },
    }
    if not args.no_generate:
        print("generating workspaces ...", flush=True)
        results["generated"] = prepare(configs, args.seed)
    runs: dict[tuple[int, int], list[dict]] = {c: [] for c in configs}
    load = [os.getloadavg()[0]]
    for round_ in range(1, args.repeats + 1):
        print(
            f"round {round_}/{args.repeats} (load average {os.getloadavg()[0]:.2f}): "
            + ", ".join(f"{i}x{v}" for i, v in configs),
            flush=True,
        )
        for config in configs:
            runs[config].append(measure(*config))
        load.append(os.getloadavg()[0])
    results["load_average_1min"] = [round(x, 2) for x in load]
    results["configurations"] = {f"{i}x{v}": summarise(i, v, runs[(i, v)]) for i, v in configs}
    results["linearity"] = linearity(results["configurations"])
    if args.profile:
        results["profile"] = profile()
    main_ = results["configurations"][f"{MAIN[0]}x{MAIN[1]}"]
    results["verdicts"] = {
        "resolve_all_under_validate": verdict(main_["ratio_resolve_all_over_validate_warm"] < TARGET_RATIO),
        "linear_in_venues": verdict(results["linearity"]["venue_spread"] <= TARGET_VENUE_SPREAD),
        "linear_in_items_x_venues": verdict(results["linearity"]["max_larger_over_prediction"] <= TARGET_EXTRAPOLATION),
    }
    write_results(results, table(results), args.out, f"{args.repeats} rounds")


if __name__ == "__main__":
    main()
