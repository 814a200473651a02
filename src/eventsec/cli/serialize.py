"""Deterministic YAML and JSON output: same data, same bytes."""

from __future__ import annotations

import json
from typing import Any

import yaml

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump(data: Any, output_format: str) -> str:
    """``data`` as YAML (keys in insertion order) or indented JSON, ending with a newline."""
    if output_format == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
