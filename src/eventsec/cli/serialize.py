"""Deterministic YAML and JSON output: same data, same bytes, each with its ``format_version``."""

from __future__ import annotations

import json

import yaml

from eventsec.formats import versioned

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def dump(data: dict, output_format: str) -> str:
    """``data`` as YAML (keys in insertion order) or indented JSON, ending with a newline, with
    ``format_version`` first (docs/cli.md: YAML is the same document, so it carries it too)."""
    data = versioned(data)
    if output_format == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False)
