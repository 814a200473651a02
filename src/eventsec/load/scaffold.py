"""The files eventsec writes into a user's directory: the template workspace ``eventsec init``
writes, and the editor schemas ``eventsec schema --write`` refreshes.

Both write only files they own, by name, and say for each whether it was created, overwritten
or already identical: a user's edit is never replaced silently (``init --force`` once replaced
an edited ``tournament.yaml`` and called it "created").
"""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

from eventsec.errors import UsageError
from eventsec.load.bundle import FOLDER_GLOBS, dumps, editor_files, schema_file


class ScaffoldError(UsageError):
    """The target directory cannot receive a workspace."""


TEMPLATE_FILES = ("tournament.yaml", "venues/main-stadium.yaml", "overlays/country-xx.yaml", "status/main-stadium.yaml")

SCHEMA_DIR = ".schemas"
"""A workspace's copy of the bundled schemas and their catalog (hidden: validate skips it)."""

SETTINGS_FILE = ".vscode/settings.json"
"""VS Code's workspace settings, where ``yaml.schemas`` maps folders to schemas."""

CREATED, OVERWROTE, UNCHANGED, MERGED, SKIPPED = (
    "created",
    "overwrote",
    "unchanged",
    "merged yaml.schemas into",
    "skipped",
)
"""What happened to a file, as the commands print it before its path."""


def scaffold(directory: Path, force: bool = False) -> list[tuple[str, Path]]:
    """Write the template workspace, its schemas and VS Code settings into ``directory``.

    Without ``force``, refuse a directory that is not empty, naming the files that would be
    replaced. With it, each file is written and reported (created, overwrote, unchanged); an
    existing settings file keeps everything but the ``yaml.schemas`` entries eventsec owns.
    """
    if directory.exists() and not directory.is_dir():
        raise ScaffoldError(f"{directory} exists and is not a directory")
    files = workspace_files()
    if directory.is_dir() and any(directory.iterdir()) and not force:
        existing = [name for name in [*files, SETTINGS_FILE] if (directory / name).exists()]
        named = f": {', '.join(existing)} already exist" if existing else ""
        raise ScaffoldError(f"{directory} is not empty{named} (--force writes into it and says what it overwrites)")
    return write_owned(directory, files) + [_merge_settings(directory / SETTINGS_FILE)]


def workspace_files() -> dict[str, str]:
    """The template workspace and its ``.schemas/``, by path relative to the workspace."""
    templates = resources.files("eventsec") / "templates" / "workspace"
    files = {name: (templates / name).read_text(encoding="utf-8") for name in TEMPLATE_FILES}
    files.update({f"{SCHEMA_DIR}/{name}": text for name, text in editor_files().items()})
    return files


def write_owned(directory: Path, files: dict[str, str]) -> list[tuple[str, Path]]:
    """Write ``files`` (relative path → text) under ``directory``, touching nothing else, and say
    what happened to each."""
    done = []
    for name, text in files.items():
        target = directory / name
        before = target.read_bytes() if target.is_file() else None  # bytes: a file in any encoding
        if before == text.encode("utf-8"):
            done.append((UNCHANGED, target))
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        done.append((CREATED if before is None else OVERWROTE, target))
    return done


def vscode_schemas() -> dict[str, list[str]]:
    """``yaml.schemas`` for VS Code's YAML extension: each bundled schema in the workspace's
    ``.schemas/`` (a path relative to the workspace folder) and the folders of its kind."""
    return {f"./{SCHEMA_DIR}/{schema_file(kind)}": list(globs) for kind, globs in FOLDER_GLOBS.items()}


def _merge_settings(path: Path) -> tuple[str, Path]:
    """Write ``yaml.schemas`` into VS Code's settings; an existing file keeps its other settings
    and schema mappings. A file that is not plain JSON (VS Code allows comments) is left alone:
    rewriting it would drop the comments."""
    ours = vscode_schemas()
    if not path.exists():
        return write_owned(path.parent, {path.name: dumps({"yaml.schemas": ours})})[0]
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        return SKIPPED, path
    if not isinstance(settings, dict) or not isinstance(settings.get("yaml.schemas", {}), dict):
        return SKIPPED, path
    merged = {**settings, "yaml.schemas": {**settings.get("yaml.schemas", {}), **ours}}
    if merged == settings:
        return UNCHANGED, path
    path.write_text(dumps(merged), encoding="utf-8")
    return MERGED, path
