"""The template workspace ``eventsec init`` writes: tournament, one venue, one overlay, one status file."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from eventsec.errors import UsageError


class ScaffoldError(UsageError):
    """The target directory cannot receive a workspace."""


TEMPLATE_FILES = ("tournament.yaml", "venues/main-stadium.yaml", "overlays/country-xx.yaml", "status/main-stadium.yaml")


def scaffold(directory: Path, force: bool = False) -> list[Path]:
    """Write the template workspace into ``directory``; refuse a non-empty one unless ``force``."""
    if directory.exists() and not directory.is_dir():
        raise ScaffoldError(f"{directory} exists and is not a directory")
    if directory.is_dir() and any(directory.iterdir()) and not force:
        raise ScaffoldError(f"{directory} is not empty (use --force to write into it)")
    templates = resources.files("eventsec") / "templates" / "workspace"
    written = []
    for name in TEMPLATE_FILES:
        target = directory / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text((templates / name).read_text(encoding="utf-8"), encoding="utf-8")
        written.append(target)
    written.extend(_copy_schemas(directory / ".schemas"))
    return written


def _copy_schemas(target: Path) -> list[Path]:
    """Copy the schemas beside the workspace so editors complete files offline."""
    from eventsec.load.resources import schemas_dir

    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for source in sorted(schemas_dir().glob("*.schema.json")):
        destination = target / source.name
        destination.write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
        copied.append(destination)
    return copied
