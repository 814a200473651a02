"""The schemas work in tools nobody here wrote: check-jsonschema, editors' modelines and globs.

check-jsonschema runs as a subprocess with no ``--base-uri`` and every proxy pointed at a closed
port, so a schema that needed the network to resolve a ``$ref`` fails here.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest
from jsonschema import Draft202012Validator

from eventsec.cli import main
from eventsec.load.bundle import CATALOG_NAME, FOLDER_GLOBS, SCHEMA_KINDS, bundle, catalog, editor_files
from eventsec.load.documents import load_bytes
from eventsec.load.resources import schemas_dir
from eventsec.load.scaffold import vscode_schemas
from eventsec.load.schema import strict_validator, validator
from tests.conftest import FIXTURES, ROOT
from tests.yaml_language_server import diagnostics

SAMPLES = (ROOT / "samples" / "wc2030", ROOT / "samples" / "afcon2025")
LIBRARY = ROOT / "protocols"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def yaml_files(*roots: Path) -> list[Path]:
    """YAML files under ``roots``, hidden directories included only if named (none are)."""
    return [path for root in roots for path in sorted(root.rglob("*.yaml")) if ".schemas" not in path.parts]


def kind_of(path: Path) -> str | None:
    result = load_bytes(path.read_bytes(), str(path))
    return result.document.data.get("kind") if result.document is not None else None


def by_kind(paths: list[Path]) -> dict[str, list[Path]]:
    groups: dict[str, list[Path]] = {}
    for path in paths:
        groups.setdefault(kind_of(path), []).append(path)
    return groups


@pytest.fixture(scope="module")
def check_jsonschema() -> list[str]:
    """check-jsonschema from the test extras, beside this Python."""
    found = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent)) or shutil.which("check-jsonschema")
    if found is None:
        pytest.skip("check-jsonschema is not installed (pip install -e '.[test]')")
    return [found]


def run_offline(command: list[str]) -> subprocess.CompletedProcess:
    """``command`` with every proxy at a closed port and no cache: a download attempt fails."""
    closed = "http://127.0.0.1:9"
    env = {**os.environ, "HTTP_PROXY": closed, "HTTPS_PROXY": closed, "http_proxy": closed, "https_proxy": closed}
    return subprocess.run([*command, "--no-cache"], capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture(scope="module")
def bundled_dir(tmp_path_factory) -> Path:
    """The bundled schemas alone in a directory of their own (no sibling schema to lean on)."""
    directory = tmp_path_factory.mktemp("bundled")
    for name, text in editor_files().items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


SAMPLE_KINDS = by_kind(yaml_files(*SAMPLES, LIBRARY))


@pytest.mark.parametrize("kind", sorted(SAMPLE_KINDS))
def test_check_jsonschema_accepts_the_samples_with_the_bundled_and_the_plain_schema(
    kind, check_jsonschema, bundled_dir
):
    files = [str(path) for path in SAMPLE_KINDS[kind]]
    for schema in (bundled_dir / f"{kind}.schema.json", schemas_dir() / f"{kind}.schema.json"):
        result = run_offline([*check_jsonschema, "--schemafile", str(schema), *files])
        assert result.returncode == 0, f"{schema}\n{result.stdout}{result.stderr}"


def test_check_jsonschema_rejects_a_broken_file_with_the_bundled_schema(check_jsonschema, bundled_dir):
    broken = FIXTURES / "editors" / "venue-capacity-as-text.yaml"
    result = run_offline([*check_jsonschema, "--schemafile", str(bundled_dir / "venue.schema.json"), str(broken)])
    assert result.returncode == 1, result.stdout + result.stderr
    assert "capacity" in result.stdout and "'42000' is not of type 'integer'" in result.stdout


def external_refs(node: object) -> list[str]:
    if isinstance(node, list):
        return [ref for item in node for ref in external_refs(item)]
    if not isinstance(node, dict):
        return []
    own = [node["$ref"]] if "$ref" in node and not node["$ref"].startswith("#") else []
    return own + [ref for value in node.values() for ref in external_refs(value)]


@pytest.mark.parametrize("kind", SCHEMA_KINDS)
def test_a_bundle_is_a_valid_schema_with_no_external_ref(kind):
    schema = bundle(kind)
    Draft202012Validator.check_schema(schema)
    assert external_refs(schema) == []
    assert "$schema" in schema and not any("$schema" in part for part in schema.get("$defs", {}).values())


def test_a_bundle_judges_every_fixture_as_the_validator_does():
    """Same errors (where and what) from the bundle, with no registry, as from eventsec's own
    validator over the inlined source schemas, on every fixture, sample and library file (both
    read a pattern's ``$`` as JSON Schema does; plain Python jsonschema differs there only)."""
    bundled = {kind: strict_validator(bundle(kind)) for kind in SCHEMA_KINDS}
    compared = invalid = 0
    for path in yaml_files(FIXTURES, LIBRARY, *SAMPLES):
        result = load_bytes(path.read_bytes(), str(path))
        kind = result.document.data.get("kind") if result.document is not None else None
        if not isinstance(kind, str) or kind not in bundled:
            continue
        ours = sorted((list(e.absolute_path), e.message) for e in validator(kind).iter_errors(result.document.data))
        theirs = sorted((list(e.absolute_path), e.message) for e in bundled[kind].iter_errors(result.document.data))
        assert theirs == ours, path
        compared += 1
        invalid += bool(ours)
    assert compared > 150 and invalid > 10, (compared, invalid)


def glob_kinds(path: PurePosixPath) -> list[str]:
    return [kind for kind, globs in FOLDER_GLOBS.items() if any(path.match(glob) for glob in globs)]


def test_folder_globs_give_each_file_its_own_kind_and_never_two():
    """yaml-language-server applies every matching schema at once: a file matched by two kinds'
    globs could satisfy neither. Library files outside the globs name theirs in a modeline."""
    unmatched = set()
    for path in yaml_files(*SAMPLES, LIBRARY, ROOT / "src" / "eventsec" / "templates"):
        kinds = glob_kinds(PurePosixPath(path.relative_to(ROOT).as_posix()))
        assert kinds in ([kind_of(path)], []), (path, kinds)
        if not kinds:
            unmatched.add(kind_of(path))
    assert unmatched == {"protocol", "catalog", "contingencies"}


def test_the_catalog_lists_each_folder_kind_with_its_bundled_schema():
    entries = catalog()["schemas"]
    assert catalog()["$schema"] == "https://json.schemastore.org/schema-catalog.json"
    assert {entry["url"]: entry["fileMatch"] for entry in entries} == {
        f"{kind}.schema.json": list(globs) for kind, globs in FOLDER_GLOBS.items()
    }
    assert all(entry["name"].startswith("eventsec ") and entry["description"] for entry in entries)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda path: path.name)
def test_each_sample_carries_the_editor_files_eventsec_writes(sample):
    """Regenerate with: eventsec schema --write samples/<name>/.schemas"""
    on_disk = {path.name: path.read_text(encoding="utf-8") for path in (sample / ".schemas").iterdir()}
    assert on_disk == editor_files()


def modeline_target(path: Path) -> Path | None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = MODELINE.match(first)
    return (path.parent / match.group(1)).resolve() if match else None


def test_every_modeline_names_the_schema_of_its_kind_and_survives_a_copy(tmp_path):
    """A sample copied elsewhere still resolves its modelines (its own .schemas/ travels with it);
    the library's point into the schemas folder beside it, in the repository as in the wheel."""
    copies = [shutil.copytree(sample, tmp_path / sample.name) for sample in SAMPLES]
    files = yaml_files(*copies, LIBRARY)
    assert len(files) > 70
    for path in files:
        target = modeline_target(path)
        assert target is not None, f"{path}: no '# yaml-language-server: $schema=' first line"
        assert target.is_file() and target.name == f"{kind_of(path)}.schema.json", path


def test_init_writes_settings_and_schemas_its_modelines_resolve(runner, tmp_path):
    workspace = tmp_path / "ws"
    assert runner.invoke(main, ["init", str(workspace)]).exit_code == 0
    settings = json.loads((workspace / ".vscode" / "settings.json").read_text())
    assert settings == {"yaml.schemas": vscode_schemas()}
    for schema_path in settings["yaml.schemas"]:
        assert (workspace / schema_path).is_file(), schema_path
    assert {path.name for path in (workspace / ".schemas").iterdir()} == set(editor_files())
    for path in yaml_files(workspace):
        target = modeline_target(path)
        assert target is not None and target == (workspace / ".schemas" / f"{kind_of(path)}.schema.json").resolve()


def test_init_refuses_to_replace_files_without_force_and_names_them(runner, tmp_path):
    (tmp_path / "tournament.yaml").write_text("kind: tournament  # mine\n")
    result = runner.invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 2
    assert "tournament.yaml already exist" in result.output and "--force" in result.output
    assert (tmp_path / "tournament.yaml").read_text() == "kind: tournament  # mine\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["tournament.yaml"]


def test_init_force_says_what_it_overwrote_kept_and_created(runner, tmp_path):
    assert runner.invoke(main, ["init", str(tmp_path)]).exit_code == 0
    (tmp_path / "tournament.yaml").write_text("kind: tournament  # edited\n")
    (tmp_path / "venues" / "main-stadium.yaml").unlink()
    (tmp_path / "notes.txt").write_text("mine")
    result = runner.invoke(main, ["init", "--force", str(tmp_path)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert f"overwrote {tmp_path / 'tournament.yaml'}" in lines
    assert f"created {tmp_path / 'venues' / 'main-stadium.yaml'}" in lines
    assert f"unchanged {tmp_path / 'status' / 'main-stadium.yaml'}" in lines
    assert f"unchanged {tmp_path / '.vscode' / 'settings.json'}" in lines
    assert not any(line.startswith("created") and "tournament" in line for line in lines)
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_init_force_merges_yaml_schemas_into_the_users_vscode_settings(runner, tmp_path):
    settings = tmp_path / ".vscode" / "settings.json"
    settings.parent.mkdir()
    settings.write_text(json.dumps({"editor.tabSize": 4, "yaml.schemas": {"mine.json": "x/*.yaml"}}))
    result = runner.invoke(main, ["init", "--force", str(tmp_path)])
    assert f"merged yaml.schemas into {settings}" in result.output.splitlines()
    assert json.loads(settings.read_text()) == {
        "editor.tabSize": 4,
        "yaml.schemas": {"mine.json": "x/*.yaml", **vscode_schemas()},
    }


def test_init_force_leaves_vscode_settings_with_comments_alone(runner, tmp_path):
    settings = tmp_path / ".vscode" / "settings.json"
    settings.parent.mkdir()
    settings.write_text('{\n  // mine\n  "editor.tabSize": 4\n}\n')
    result = runner.invoke(main, ["init", "--force", str(tmp_path)])
    assert result.exit_code == 0
    assert f"skipped {settings} (not plain JSON: add yaml.schemas by hand, see docs/editors.md)" in result.output
    assert settings.read_text() == '{\n  // mine\n  "editor.tabSize": 4\n}\n'


def test_schema_write_refreshes_owned_files_and_touches_nothing_else(runner, tmp_path):
    target = tmp_path / ".schemas"
    first = runner.invoke(main, ["schema", "--write", str(target)])
    assert first.exit_code == 0 and first.output.count("created ") == len(editor_files())
    (target / "venue.schema.json").write_text("{}\n")  # a copy from an older eventsec
    (target / "notes.json").write_text('{"mine": true}\n')
    second = runner.invoke(main, ["schema", "--write", str(target)])
    assert second.exit_code == 0
    assert f"overwrote {target / 'venue.schema.json'}" in second.output.splitlines()
    assert f"unchanged {target / CATALOG_NAME}" in second.output.splitlines()
    assert "notes.json" not in second.output and (target / "notes.json").read_text() == '{"mine": true}\n'
    assert json.loads((target / "venue.schema.json").read_text()) == bundle("venue")


def test_schema_bundle_prints_one_kind_self_contained(runner):
    result = runner.invoke(main, ["schema", "venue", "--bundle"])
    assert result.exit_code == 0 and json.loads(result.output) == bundle("venue")
    assert runner.invoke(main, ["schema", "--bundle"]).exit_code == 2
    assert runner.invoke(main, ["schema", "venue", "--write", "x"]).exit_code == 2


needs_yaml_language_server = pytest.mark.skipif(
    shutil.which("yaml-language-server") is None,
    reason="yaml-language-server is not installed (.ci/system-deps installs it with npm)",
)
NO_STORE = {"validate": True, "schemaStore": {"enable": False}}
CAPACITY_AS_TEXT = '7:Incorrect type. Expected "integer".'


@needs_yaml_language_server
def test_yaml_language_server_checks_a_new_workspace_by_its_vscode_settings(runner, tmp_path):
    """A file with no modeline in venues/ gets the venue schema from the settings init wrote."""
    workspace = tmp_path / "ws"
    assert runner.invoke(main, ["init", str(workspace)]).exit_code == 0
    shutil.copy(FIXTURES / "editors" / "venue-capacity-as-text.yaml", workspace / "venues" / "broken.yaml")
    settings = json.loads((workspace / ".vscode" / "settings.json").read_text())
    files = yaml_files(workspace)
    found = diagnostics(workspace, files, {**NO_STORE, "schemas": settings["yaml.schemas"]})
    assert found == {path: [CAPACITY_AS_TEXT] if path.name == "broken.yaml" else [] for path in files}


@needs_yaml_language_server
def test_yaml_language_server_follows_the_modelines_of_a_copied_sample(tmp_path):
    sample = shutil.copytree(SAMPLES[0], tmp_path / "copy")
    broken = sample / "venues" / "broken.yaml"
    modeline = "# yaml-language-server: $schema=../.schemas/venue.schema.json\n"
    broken.write_text(modeline + (FIXTURES / "editors" / "venue-capacity-as-text.yaml").read_text())
    files = yaml_files(sample)
    found = diagnostics(sample, files, NO_STORE)
    assert found == {path: ["8:" + CAPACITY_AS_TEXT[2:]] if path == broken else [] for path in files}


@needs_yaml_language_server
def test_yaml_language_server_reads_the_library_against_the_plain_schemas(tmp_path):
    """protocols/ beside schemas/ (as in the repository and the wheel): the source schemas'
    relative $refs resolve, and a wrong value in a protocol is marked."""
    shutil.copytree(ROOT / "schemas", tmp_path / "schemas")
    library = shutil.copytree(LIBRARY, tmp_path / "protocols")
    broken = library / "crowd-management.yaml"
    broken.write_text(broken.read_text().replace("\nversion: ", "\nversion: [not, text]\nold_version: ", 1))
    files = yaml_files(library)
    found = diagnostics(tmp_path, files, NO_STORE)
    assert {path for path, problems in found.items() if problems} == {broken}
    assert len(found) == len(files)


def test_init_force_overwrites_a_file_that_is_not_utf8_and_says_so(runner, tmp_path):
    (tmp_path / "tournament.yaml").write_bytes("kind: tournament  # Espa\u00f1a\n".encode("latin-1"))
    result = runner.invoke(main, ["init", "--force", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert f"overwrote {tmp_path / 'tournament.yaml'}" in result.output.splitlines()
