"""A leak-test workspace generator driven by the JSON Schemas.

It takes the small base workspace in tests/fixtures/leaks, gives every document a release
level, and puts a unique sentinel in every string field the schemas allow free text in: each
string present, and each optional free-text property the base leaves out (so a field added
to a schema later is planted without anyone editing this file). Strings that cannot hold a
sentinel are left as they are and counted: identifiers, enums, dates and other strings with
an ``enum``, ``const``, ``pattern`` or ``format``, and the few free strings that are not
prose (NOT_PROSE). :func:`free_text_locations` lists every free-text place the schemas define,
so a test can check that each one received a sentinel. Every other entry whose schema allows a
``sensitivity`` gets one (above or below its container's), so marks are tried as well as
inheritance; :meth:`_Planter.expected` is the model each sentinel's level is computed by.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from eventsec.load.resources import schemas_dir
from tests.conftest import FIXTURES

BASE = FIXTURES / "leaks"
LEVELS = ("public", "internal", "restricted", "confidential")
DOCUMENTS = {  # base file → its schema kind
    "tournament.yaml": "tournament",
    "venue.yaml": "venue",
    "status.yaml": "status",
    "library/catalog.yaml": "catalog",
    "library/lessons.yaml": "lessons",
    "library/crowd.yaml": "protocol",
    "library/contingencies.yaml": "contingencies",
    "overlays/country.yaml": "overlay",
    "overlays/venue.yaml": "overlay",
    "overlays/match.yaml": "overlay",
    "risks/m1.yaml": "risk-register",
}
NOT_PROSE = {  # free strings by schema, but read as something other than text: left as they are, counted
    "timezone": "an IANA time zone the deadlines are computed in",
    "target": "the country, venue or match an overlay applies to",
    "protocols": "paths the loader reads protocols from",
    "expression": "an expression the resolver evaluates (its value is a parameter's)",
}
EXPRESSIONS = {"applies_when"}
"""Free-text expressions: the sentinel goes into a string literal of a condition that holds."""
CODE_WORDS = {"contingency_codes": "contingency_codes_sensitivity"}
"""A venue's code words and the field that sets their level: at least restricted (the
second-highest level) unless the venue says otherwise, and never below the venue's."""
OPERATIONS = {"set", "add", "remove", "parameters", "overlay"}
"""Keys under which a tournament or venue writes overlay operations: what they contribute is
at least at the document's level, whatever a mark inside says (as in an overlay file)."""


def _schemas() -> dict[str, dict]:
    return {path.name: json.loads(path.read_text(encoding="utf-8")) for path in schemas_dir().glob("*.schema.json")}


def _resolve(schemas: dict, node: Any, where: str) -> tuple[Any, str]:
    """Follow ``$ref``s; ``where`` is ``file#pointer`` of the node finally reached."""
    while isinstance(node, dict) and "$ref" in node:
        target, _, pointer = node["$ref"].partition("#")
        home = target or where.partition("#")[0]
        node = schemas[home]
        for step in [s for s in pointer.split("/") if s]:
            node = node[step]
        where = f"{home}#{pointer}"
    return node, where


def _is_free_text(node: Any) -> bool:
    if not isinstance(node, dict):
        return False
    types = node.get("type")
    stringy = types == "string" or (isinstance(types, list) and "string" in types)
    return stringy and not any(key in node for key in ("enum", "const", "pattern", "format"))


def _name(where: str) -> str:
    """The property a schema location belongs to (``.../properties/protocols/items`` → protocols)."""
    steps = where.split("/")
    return next((steps[i + 1] for i in range(len(steps) - 2, -1, -1) if steps[i] == "properties"), "")


def free_text_locations() -> set[str]:
    """Every free-text string location reachable from the document kinds' schemas, as file#pointer."""
    schemas = _schemas()
    found: set[str] = set()

    def walk(node: Any, where: str, seen: frozenset) -> None:
        node, where = _resolve(schemas, node, where)
        if not isinstance(node, dict) or where in seen:
            return
        seen = seen | {where}
        if _is_free_text(node):
            found.add(where)
        for name, prop in (node.get("properties") or {}).items():
            walk(prop, f"{where}/properties/{name}", seen)
        for key in ("items", "additionalProperties"):
            if isinstance(node.get(key), dict):
                walk(node[key], f"{where}/{key}", seen)
        for key in ("oneOf", "anyOf"):
            for position, option in enumerate(node.get(key, [])):
                walk(option, f"{where}/{key}/{position}", seen)

    for kind in set(DOCUMENTS.values()):
        walk(schemas[f"{kind}.schema.json"], f"{kind}.schema.json#", frozenset())
    return {where for where in found if _name(where) not in NOT_PROSE}


@dataclass
class Planted:
    """What a generated workspace holds: each sentinel's level, the schema locations planted,
    and the strings left as they are, by why."""

    levels: dict[str, str] = field(default_factory=dict)
    where: dict[str, str] = field(default_factory=dict)
    """Each sentinel's document and schema location, for a failure to name."""
    locations: set[str] = field(default_factory=set)
    skipped: Counter = field(default_factory=Counter)


class _Planter:
    def __init__(self, prefix: str, planted: Planted) -> None:
        self.schemas = _schemas()
        self.prefix, self.planted, self.count = prefix, planted, 0
        self.document, self.kind = "", ""
        self.markable = 0

    def sentinel(self, level: str, where: str) -> str:
        self.count += 1
        value = f"{self.prefix}{self.count:04d}{self.prefix[::-1]}"
        self.planted.levels[value] = level
        self.planted.where[value] = f"{self.document}: {where}"
        self.planted.locations.add(where)
        return value

    def option(self, node: dict, value: Any, where: str) -> tuple[Any, str]:
        """The ``oneOf``/``anyOf`` branch a value takes: an object for a mapping, else a scalar."""
        for key in ("oneOf", "anyOf"):
            for position, option in enumerate(node.get(key, [])):
                resolved, at = _resolve(self.schemas, option, f"{where}/{key}/{position}")
                is_object = resolved.get("type") == "object" or "properties" in resolved
                if is_object == isinstance(value, dict):
                    return resolved, at
        return node, where

    def expected(self, mark: Any, level: str, floor: str | None) -> str:
        """A sentinel's level by the model: the innermost mark, else its container's; inside
        overlay operations never below the operations' document."""
        inner = mark if isinstance(mark, str) else level
        return max(inner, floor, key=LEVELS.index) if floor else inner

    def plant(self, value: Any, node: Any, where: str, level: str, key: str, floor: str | None = None) -> Any:
        node, where = _resolve(self.schemas, node, where)
        if isinstance(node, dict) and ("oneOf" in node or "anyOf" in node) and "properties" not in node:
            node, where = self.option(node, value, where)
        if isinstance(value, dict):
            return self.mapping(value, node, where, level, floor)
        if isinstance(value, list):
            return [self.plant(entry, node.get("items", {}), f"{where}/items", level, key, floor) for entry in value]
        if not isinstance(value, str):
            return value
        if not _is_free_text(node):
            self.planted.skipped["identifier, enum, date or pattern"] += 1
            return value
        if key in NOT_PROSE:
            self.planted.skipped[f"not prose: {key}"] += 1
            return value
        sentinel = self.sentinel(level, where)
        return f"'{sentinel}' != ''" if key in EXPRESSIONS else sentinel

    def mark(self, value: dict, properties: dict, level: str) -> dict:
        """Every other entry that may carry a level gets one, cycling from its container's level
        upwards (so below it too); the others are left to take their container's."""
        if "sensitivity" not in properties or "sensitivity" in value:
            return value
        self.markable += 1
        if self.markable % 2:
            return value
        return {**value, "sensitivity": LEVELS[(LEVELS.index(level) + self.markable // 2) % len(LEVELS)]}

    def mapping(self, value: dict, node: dict, where: str, level: str, floor: str | None) -> dict:
        properties = node.get("properties") or {}
        value = self.mark(value, properties, level)
        inner = self.expected(value.get("sensitivity"), level, floor)
        out = {}
        for name, child in value.items():
            below = inner if self.kind == "overlay" or name in OPERATIONS else floor
            if name in CODE_WORDS:
                below = max(inner, value.get(CODE_WORDS[name]) or LEVELS[-2], key=LEVELS.index)
            if name in properties:
                out[name] = self.plant(child, properties[name], f"{where}/properties/{name}", inner, name, below)
            else:
                out[name] = self.plant(
                    child, node.get("additionalProperties", {}), f"{where}/additionalProperties", inner, name, below
                )
        for name, prop in properties.items():  # optional free text the base leaves out
            resolved, _at = _resolve(self.schemas, prop, f"{where}/properties/{name}")
            if name not in out and name not in NOT_PROSE and _is_free_text(resolved):
                out[name] = self.plant("x", prop, f"{where}/properties/{name}", inner, name, floor)
        return out


def levels_for(variant: int) -> dict[str, str]:
    """Each base document's level in a variant; over len(LEVELS) variants every document takes every level."""
    return {path: LEVELS[(position + variant) % len(LEVELS)] for position, path in enumerate(DOCUMENTS)}


def write_workspace(root: Path, variant: int, prefix: str = "LEAK") -> Planted:
    """Write the base workspace to ``root`` with each document at its variant's level and a
    sentinel (``prefix`` + number + reversed prefix) in every free-text string."""
    planted = Planted()
    planter = _Planter(prefix, planted)
    for path, level in levels_for(variant).items():
        data = yaml.safe_load((BASE / path).read_text(encoding="utf-8"))
        data["sensitivity"] = level
        schema = planter.schemas[f"{DOCUMENTS[path]}.schema.json"]
        planter.document, planter.kind = path, DOCUMENTS[path]
        released = planter.plant(data, schema, f"{DOCUMENTS[path]}.schema.json#", level, "")
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(yaml.safe_dump(released, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return planted
