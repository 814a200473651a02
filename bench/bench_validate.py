"""Benchmark ``eventsec validate``: throughput against check-jsonschema, peak memory, start-up.

    .venv/bin/python bench/generate.py && .venv/bin/python bench/bench_validate.py

Benchmarks (each a fresh process, as a user would run it; medians of interleaved runs after a
warm-up, so a burst of load from other processes hits every command alike; CPU time is reported
beside wall time because it is less sensitive to a busy machine):

a. ``eventsec validate DIR`` on the generated set (schema + cross-file lint), the project venv's
   ``eventsec``.
b. ``check-jsonschema --base-uri file://<schemas>/ --schemafile schemas/protocol.schema.json FILES``
   (schema only) on the same protocol files, from a separate venv ``bench/.venv-peer`` (created
   and filled with ``pip install check-jsonschema`` when missing). Target: peer time / eventsec
   time >= 5.
c. Peak RSS of the eventsec run (``os.wait4`` rusage of that child). Target: <= 250 MB.
d. Start-up: ``eventsec --help`` and ``eventsec validate <one file>`` against
   ``python -c "import click"`` (median of 10). Target (set here; the brief gives none):
   ``--help`` <= 1.5x ``import click``. And neither ``import eventsec.cli`` nor a validate run
   may import reportlab (checked with ``-X importtime`` and with ``sys.modules`` after a
   CliRunner validate in a fresh interpreter).

Benchmarks report, they do not fail: each target prints PASS or MISS and the exit status is 0
unless a run itself breaks (e.g. eventsec reports findings on the generated set).
Results go to bench/results.json. ``--profile`` also writes a cProfile of one validate run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
VENV = ROOT / ".venv"
PEER_VENV = BENCH / ".venv-peer"
SCHEMAS = ROOT / "schemas"
DEFAULT_DATA = BENCH / "data" / "protocols"

TARGET_RATIO = 5.0  # check-jsonschema time / eventsec time
TARGET_RSS_MB = 250.0  # peak RSS of eventsec validate DIR, MB = 10**6 bytes
TARGET_HELP_RATIO = 1.5  # eventsec --help / python -c "import click" (set by this benchmark)


# Running things ------------------------------------------------------------------------------
def run(command: list[str], *, cwd: Path = ROOT) -> dict:
    """Run ``command`` once: wall and CPU seconds, peak RSS (MB) of that child, exit code, stdout."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {
            "seconds": seconds,
            "cpu_s": usage.ru_utime + usage.ru_stime,
            "rss_mb": usage.ru_maxrss * 1024 / 1e6,
            "rc": process.returncode,
            "stdout": out.read().decode("utf-8", "replace"),
            "stderr": err.read().decode("utf-8", "replace"),
        }


def summarise(command: list[str], runs: list[dict], expect_rc: int | None = 0) -> dict:
    """Median wall time and max peak RSS of ``runs``; stops the benchmark if a run failed."""
    for r in runs:
        if expect_rc is not None and r["rc"] != expect_rc:
            raise SystemExit(
                f"{' '.join(command[:4])} ... exited {r['rc']} (expected {expect_rc}):\n"
                f"{r['stdout'][-2000:]}\n{r['stderr'][-2000:]}"
            )
    times_s = [r["seconds"] for r in runs]
    return {
        "median_s": statistics.median(times_s),
        "min_s": min(times_s),
        "max_s": max(times_s),
        "runs_s": [round(t, 4) for t in times_s],
        "cpu_median_s": statistics.median(r["cpu_s"] for r in runs),
        "peak_rss_mb": max(r["rss_mb"] for r in runs),
        "stdout_tail": runs[-1]["stdout"].strip().splitlines()[-1:],
    }


def repeat(commands: dict[str, list[str]], times: int, *, warmup: int = 1) -> dict[str, dict]:
    """Run each command ``times`` times after ``warmup`` untimed runs, interleaved round-robin.

    Interleaving spreads a burst of load from other processes over every command instead of
    landing on one, so ratios between commands stay meaningful on a shared machine.
    """
    for _ in range(warmup):
        for command in commands.values():
            run(command)
    runs: dict[str, list[dict]] = {name: [] for name in commands}
    for _ in range(times):
        for name, command in commands.items():
            runs[name].append(run(command))
    return {name: summarise(commands[name], runs[name]) for name in commands}


def ensure_peer() -> Path:
    """bench/.venv-peer/bin/check-jsonschema, installing it on first use."""
    exe = PEER_VENV / "bin" / "check-jsonschema"
    if not exe.exists():
        print(f"creating {PEER_VENV.relative_to(ROOT)} and installing check-jsonschema ...", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run([str(PEER_VENV / "bin" / "pip"), "install", "-q", "check-jsonschema"], check=True)
    return exe


def source_state() -> dict:
    """The commit measured, and whether src/ or schemas/ had uncommitted changes."""

    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()

    return {
        "commit": git("rev-parse", "--short", "HEAD"),
        "dirty_src_or_schemas": bool(git("status", "--porcelain", "--", "src", "schemas")),
    }


def markdown_table(rows: list[tuple[str, str, str, str]]) -> str:
    """Rows (benchmark, measured, target, verdict) as the Markdown table every bench prints."""
    header = ("benchmark", "measured (median)", "target", "")
    widths = [max(len(r[i]) for r in rows + [header]) for i in range(4)]
    line = lambda r: "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"  # noqa: E731
    return "\n".join([line(header), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, rows)])


def source() -> dict:
    """source_state() plus a digest of the uncommitted changes in src/ and schemas/ (the tree may be
    edited while benchmarks run: two results with the same digest measured the same code)."""
    import hashlib

    diff = subprocess.run(["git", "diff", "HEAD", "--", "src", "schemas"], cwd=ROOT, capture_output=True).stdout
    untracked = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard", "--", "src", "schemas"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.split()
    digest = hashlib.sha256(diff)
    for name in sorted(untracked):
        digest.update(name.encode() + b"\0" + (ROOT / name).read_bytes())
    return {**source_state(), "uncommitted_sha256": digest.hexdigest()[:12] if diff or untracked else None}


def write_results(results: dict, text: str, out: Path, medians: str) -> None:
    """Store the table in the results, warn if the code changed during the run, write and print them."""
    after = source()
    if after != results["source"]:
        results["source_after"] = after
        print("WARNING: src/ or schemas/ changed while the benchmark ran; the figures mix two versions", flush=True)
    results["table"] = text
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    m = results["machine"]
    print()
    print(f"machine: {m['nproc']} CPUs, {m['cpu']}, Python {m['python']}; medians of {medians}")
    print(text)
    print(f"\nwrote {out.relative_to(ROOT) if out.is_relative_to(ROOT) else out}")


def version_of(python: Path, package: str) -> str:
    code = f"import importlib.metadata as m; print(m.version({package!r}))"
    result = subprocess.run([str(python), "-c", code], capture_output=True, text=True)
    return result.stdout.strip() or "?"


def machine() -> dict:
    model = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    venv_python = subprocess.run(
        [str(VENV / "bin" / "python"), "-c", "import sys; print(sys.version.split()[0])"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    libyaml = subprocess.run(
        [str(VENV / "bin" / "python"), "-c", "import yaml; print(yaml.__with_libyaml__)"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "cpu": model,
        "python": venv_python,
        "platform": platform.platform(),
        "pyyaml_libyaml": libyaml == "True",
    }


# Benchmarks ----------------------------------------------------------------------------------
def bench_throughput(data: Path, repeats: int, peer: Path | None) -> dict:
    eventsec = str(VENV / "bin" / "eventsec")
    protocols = sorted(str(p) for p in data.glob("protocol-*.yaml"))
    all_files = sorted(p for p in data.rglob("*.y*ml"))
    result: dict = {
        "data": str(data.relative_to(ROOT) if data.is_relative_to(ROOT) else data),
        "files": len(all_files),
        "protocol_files": len(protocols),
        "bytes": sum(p.stat().st_size for p in all_files),
    }
    commands = {"eventsec": [eventsec, "validate", str(data)]}
    if peer is not None:
        commands["check_jsonschema"] = [
            str(peer),
            "--base-uri",
            f"file://{SCHEMAS}/",
            "--schemafile",
            str(SCHEMAS / "protocol.schema.json"),
            *protocols,
        ]
    print(
        f"[a] eventsec validate {result['data']} ({result['files']} files, {result['bytes'] / 1e6:.1f} MB)"
        + (f"\n[b] check-jsonschema on the {len(protocols)} protocol files" if peer else "")
        + f"\n    1 warm-up + {repeats} timed runs each, interleaved ...",
        flush=True,
    )
    timings = repeat(commands, repeats)
    ours = result["eventsec"] = timings["eventsec"]
    if not any("no findings" in line for line in ours["stdout_tail"]):
        raise SystemExit(f"eventsec did not report a clean set: {ours['stdout_tail']}")
    if peer is not None:
        theirs = result["check_jsonschema"] = timings["check_jsonschema"]
        if not any("validation done" in line for line in theirs["stdout_tail"]):
            raise SystemExit(f"check-jsonschema did not validate the set: {theirs['stdout_tail']}")
        result["ratio_peer_over_eventsec"] = theirs["median_s"] / ours["median_s"]
        result["cpu_ratio_peer_over_eventsec"] = theirs["cpu_median_s"] / ours["cpu_median_s"]
    return result


def bench_startup(data: Path, repeats: int) -> dict:
    python = str(VENV / "bin" / "python")
    eventsec = str(VENV / "bin" / "eventsec")
    one = min(data.glob("protocol-*.yaml"), key=lambda p: (p.stat().st_size, p.name))
    print(f"[d] start-up x{repeats} (one file: {one.name}, {one.stat().st_size / 1024:.1f} KiB) ...", flush=True)
    cases = {
        "python -c pass": [python, "-c", "pass"],
        'python -c "import click"': [python, "-c", "import click"],
        "eventsec --help": [eventsec, "--help"],
        "eventsec validate <one file>": [eventsec, "validate", str(one)],
    }
    timings = repeat(cases, repeats, warmup=2)
    click_s = timings['python -c "import click"']["median_s"]
    return {
        "one_file": one.name,
        "cases": {
            name: {
                "median_s": t["median_s"],
                "min_s": t["min_s"],
                "peak_rss_mb": t["peak_rss_mb"],
                "ratio_to_import_click": t["median_s"] / click_s,
            }
            for name, t in timings.items()
        },
    }


CHECK_MODULES = r"""
import json, sys
from click.testing import CliRunner
from eventsec.cli import main
before = {m for m in sys.modules if m.split('.')[0] in ('reportlab', 'jsonschema')}
result = CliRunner().invoke(main, sys.argv[1:])
print(json.dumps({
    "exit_code": result.exit_code,
    "output_tail": result.output.strip().splitlines()[-1:] if result.output.strip() else [],
    "reportlab": sorted(m for m in sys.modules if m.split('.')[0] == 'reportlab'),
    "jsonschema_loaded": 'jsonschema' in sys.modules,
    "jsonschema_before_invoke": bool(before),
    "modules": len(sys.modules),
}))
"""


def check_imports(data: Path) -> dict:
    """reportlab must stay out of ``import eventsec.cli``, ``--help`` and ``validate``."""
    python = str(VENV / "bin" / "python")
    print("[d] import checks (-X importtime, sys.modules after CliRunner) ...", flush=True)
    importtime = subprocess.run(
        [python, "-X", "importtime", "-c", "import eventsec.cli"], capture_output=True, text=True, cwd=ROOT
    )
    imported = []
    cumulative_us = 0
    for line in importtime.stderr.splitlines():
        # "import time:  self [us] | cumulative | imported package" (nesting = 2 spaces per level)
        if line.startswith("import time:") and line.count("|") == 2:
            self_us, cumulative, name = line[len("import time:") :].split("|")
            if not self_us.strip().isdigit():
                continue
            imported.append(name.strip())
            if len(name) - len(name.lstrip()) == 1:  # a top-level import
                cumulative_us += int(cumulative)
    result = {
        "importtime_eventsec_cli": {
            "modules": len(imported),
            "reportlab": sorted(m for m in imported if m.split(".")[0] == "reportlab"),
            "jsonschema": any(m.split(".")[0] == "jsonschema" for m in imported),
            "top_level_cumulative_ms": round(cumulative_us / 1000, 1),
        }
    }
    for name, argv in {"help": ["--help"], "validate": ["validate", str(data)]}.items():
        run_ = subprocess.run([python, "-c", CHECK_MODULES, *argv], capture_output=True, text=True, cwd=ROOT)
        try:
            result[f"cli_{name}"] = json.loads(run_.stdout.strip().splitlines()[-1])
        except (json.JSONDecodeError, IndexError):
            raise SystemExit(f"module check for {name} failed:\n{run_.stdout}\n{run_.stderr}") from None
    return result


def profile(data: Path, out: Path, top: int = 25) -> dict:
    """cProfile one validate run (in a fresh interpreter); top functions by cumulative and own time."""
    python = str(VENV / "bin" / "python")
    prof = out.with_suffix(".prof")
    print(f"profiling one validate run -> {prof.relative_to(ROOT)} ...", flush=True)
    subprocess.run(
        [python, "-m", "cProfile", "-o", str(prof), "-m", "eventsec", "validate", str(data)],
        cwd=ROOT,
        capture_output=True,
    )
    import io
    import pstats

    texts = {}
    for key in ("cumulative", "tottime"):
        buffer = io.StringIO()
        pstats.Stats(str(prof), stream=buffer).strip_dirs().sort_stats(key).print_stats(top)
        texts[key] = buffer.getvalue()
    out.write_text("\n".join(f"==== sorted by {k} ====\n{v}" for k, v in texts.items()), encoding="utf-8")
    return {"profile": str(prof.relative_to(ROOT)), "report": str(out.relative_to(ROOT))}


# Report --------------------------------------------------------------------------------------
def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def table(results: dict) -> str:
    rows: list[tuple[str, str, str, str]] = []
    t = results["throughput"]
    ours = t["eventsec"]
    files_s = t["files"] / ours["median_s"]
    rows.append(
        (
            "eventsec validate DIR (schema + lint)",
            f"{ours['median_s']:.2f} s  ({files_s:.0f} files/s; CPU {ours['cpu_median_s']:.2f} s)",
            "",
            "",
        )
    )
    if "check_jsonschema" in t:
        theirs = t["check_jsonschema"]
        ratio = t["ratio_peer_over_eventsec"]
        rows.append(
            (
                "check-jsonschema FILES (schema only)",
                f"{theirs['median_s']:.2f} s  (CPU {theirs['cpu_median_s']:.2f} s)",
                "",
                "",
            )
        )
        rows.append(
            (
                "speed-up: check-jsonschema / eventsec",
                f"{ratio:.2f}x",
                f">= {TARGET_RATIO:g}x",
                verdict(ratio >= TARGET_RATIO),
            )
        )
        rows.append(("  same on CPU time (less load-sensitive)", f"{t['cpu_ratio_peer_over_eventsec']:.2f}x", "", ""))
    rows.append(
        (
            "peak RSS, eventsec validate DIR",
            f"{ours['peak_rss_mb']:.0f} MB",
            f"<= {TARGET_RSS_MB:g} MB",
            verdict(ours["peak_rss_mb"] <= TARGET_RSS_MB),
        )
    )
    if "check_jsonschema" in t:
        rows.append(("peak RSS, check-jsonschema", f"{t['check_jsonschema']['peak_rss_mb']:.0f} MB", "", ""))
    s = results["startup"]["cases"]
    for name, case in s.items():
        target = status = ""
        if name == "eventsec --help":
            target, status = (
                f"<= {TARGET_HELP_RATIO:g}x click",
                verdict(case["ratio_to_import_click"] <= TARGET_HELP_RATIO),
            )
        rows.append(
            (
                f"start-up: {name}",
                f"{case['median_s'] * 1000:.0f} ms  ({case['ratio_to_import_click']:.2f}x click)",
                target,
                status,
            )
        )
    imports = results["imports"]
    cli = imports["importtime_eventsec_cli"]
    rows.append(
        (
            "reportlab in 'import eventsec.cli'",
            ", ".join(cli["reportlab"]) or "none",
            "none",
            verdict(not cli["reportlab"]),
        )
    )
    for name in ("help", "validate"):
        mods = imports[f"cli_{name}"]["reportlab"]
        rows.append(
            (f"reportlab after CLI {name}", f"{len(mods)} modules" if mods else "none", "none", verdict(not mods))
        )
    rows.append(("jsonschema in 'import eventsec.cli'", "yes" if cli["jsonschema"] else "no", "", ""))
    return markdown_table(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="generated set (bench/generate.py)")
    parser.add_argument("--repeats", type=int, default=3, help="timed runs of each throughput benchmark (median)")
    parser.add_argument("--startup-repeats", type=int, default=10)
    parser.add_argument("--no-peer", action="store_true", help="skip check-jsonschema")
    parser.add_argument("--profile", action="store_true", help="also cProfile one validate run (bench/profile.txt)")
    parser.add_argument("--out", type=Path, default=BENCH / "results.json")
    args = parser.parse_args()
    data = args.data.resolve()
    if not any(data.glob("protocol-*.yaml")):
        raise SystemExit(f"no generated protocols in {data}; run: .venv/bin/python bench/generate.py")
    if not (VENV / "bin" / "eventsec").exists():
        raise SystemExit(
            f"no eventsec in {VENV}; install the project: python -m venv .venv && .venv/bin/pip install -e ."
        )

    peer = None if args.no_peer else ensure_peer()
    results: dict = {
        "when": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": machine(),
        "source": source_state(),
        "versions": {
            "eventsec": version_of(VENV / "bin" / "python", "eventsec"),
            "jsonschema": version_of(VENV / "bin" / "python", "jsonschema"),
            "pyyaml": version_of(VENV / "bin" / "python", "PyYAML"),
            "check-jsonschema": version_of(PEER_VENV / "bin" / "python", "check-jsonschema") if peer else None,
        },
        "repeats": args.repeats,
        "startup_repeats": args.startup_repeats,
        "targets": {
            "ratio_peer_over_eventsec_min": TARGET_RATIO,
            "peak_rss_mb_max": TARGET_RSS_MB,
            "help_over_import_click_max": TARGET_HELP_RATIO,
            "reportlab_imported": False,
        },
    }
    results["throughput"] = bench_throughput(data, args.repeats, peer)
    results["startup"] = bench_startup(data, args.startup_repeats)
    results["imports"] = check_imports(data)
    if args.profile:
        results["profile"] = profile(data, BENCH / "profile.txt")

    t = results["throughput"]
    help_ratio = results["startup"]["cases"]["eventsec --help"]["ratio_to_import_click"]
    imports = results["imports"]
    results["verdicts"] = {
        "speedup_vs_check_jsonschema": verdict(t.get("ratio_peer_over_eventsec", 0) >= TARGET_RATIO)
        if peer
        else "skipped",
        "peak_rss": verdict(t["eventsec"]["peak_rss_mb"] <= TARGET_RSS_MB),
        "help_startup": verdict(help_ratio <= TARGET_HELP_RATIO),
        "no_reportlab": verdict(
            not imports["importtime_eventsec_cli"]["reportlab"]
            and not imports["cli_help"]["reportlab"]
            and not imports["cli_validate"]["reportlab"]
        ),
    }
    text = table(results)
    results["table"] = text
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    m = results["machine"]
    print()
    print(
        f"machine: {m['nproc']} CPUs, {m['cpu']}, Python {m['python']}; "
        f"{t['files']} files, {t['bytes'] / 1e6:.1f} MB; medians of {args.repeats} (start-up: {args.startup_repeats})"
    )
    print(text)
    print(f"\nwrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()
