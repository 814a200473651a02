"""Where the bundled schemas and protocol library live.

In an installed wheel they are package data (``eventsec/schemas``, ``eventsec/protocols``),
read through ``importlib.resources`` so eventsec works from any directory. In a source
checkout installed in editable mode they are the top-level ``schemas/`` and ``protocols/``.
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path


def _bundled(name: str) -> Path:
    packaged = Path(str(resources.files("eventsec"))) / name
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[3] / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"eventsec is installed without its {name}/ directory; reinstall the package")


@functools.cache
def schemas_dir() -> Path:
    """Directory holding ``<kind>.schema.json`` files."""
    return _bundled("schemas")


@functools.cache
def library_dir() -> Path:
    """Directory holding the built-in protocol library."""
    return _bundled("protocols")
