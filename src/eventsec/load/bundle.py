"""Schemas for tools other than eventsec: one self-contained file per kind, and a catalog.

The files in ``schemas/`` refer to each other (``common.schema.json#/$defs/slug``), which works
wherever the whole folder travels. An editor pointed at a single copied file, or a validator
given one file, needs every definition inside it: :func:`bundle` embeds each referenced file's
needed parts under ``$defs`` and rewrites the ``$ref``s to local JSON pointers, which every
Draft 2020-12 implementation (and the draft-7 ones editors use) resolves without a network.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from eventsec.vocabulary import DOCUMENT_KINDS

SCHEMA_KINDS = (*DOCUMENT_KINDS, "plan")
"""Every schema ``eventsec schema`` prints: the document kinds and the resolved plan."""

CATALOG_NAME = "schema-catalog.json"
"""The catalog's file name beside the bundled schemas (``catalog.schema.json`` is a document kind)."""

FOLDER_GLOBS: dict[str, tuple[str, ...]] = {
    "tournament": ("**/tournament.yaml", "**/tournament.yml"),
    "venue": ("**/venues/*.yaml", "**/venues/*.yml"),
    "overlay": ("**/overlays/*.yaml", "**/overlays/*.yml"),
    "status": ("**/status/*.yaml", "**/status/*.yml"),
    "risk-register": ("**/risks/*.yaml", "**/risks/*.yml"),
    "lessons": ("**/lessons/*.yaml", "**/lessons/*.yml"),
}
"""Where each kind lives in a workspace (docs/authoring.md, "Layout"). Protocols, the catalog
and the contingency index share one folder, and yaml-language-server applies every schema whose
glob matches (as ``allOf``), so those files name their schema in a modeline instead."""


def schema_file(kind: str) -> str:
    """The file name of ``kind``'s schema, in ``schemas/`` and in a workspace's ``.schemas/``."""
    return f"{kind}.schema.json"


def bundle(kind: str) -> dict[str, Any]:
    """``kind``'s schema with every definition it uses from other files embedded: no external ``$ref``.

    A referenced file is embedded at ``$defs/<file name>`` keeping only the parts some reference
    reaches, in their original place, so ``common.schema.json#/$defs/slug`` becomes
    ``#/$defs/common.schema.json/$defs/slug`` and the bundle reads like the source.
    """
    root_name = schema_file(kind)
    root = _localize(_load(root_name), root_name, root_name)
    needed = _external_targets(_load(root_name), root_name, root_name)
    embedded: dict[str, dict[str, Any]] = {}
    while needed:
        name, pointer = needed.pop()
        source = _load(name)
        kept = embedded.setdefault(name, {})
        head = pointer[:2]  # a definition, or one property: the unit kept whole
        if len(head) < 2:
            raise ValueError(f"a $ref to {name}#{_pointer(pointer)}: refer to a definition, not a whole file")
        if _get(kept, head) is not None:
            continue
        part = _get(source, head)
        if part is None:
            raise ValueError(f"{name}#{_pointer(pointer)} does not exist")
        _put(kept, head, _localize(part, name, root_name))
        needed |= _external_targets(part, name, root_name)
    defs = root.setdefault("$defs", {})
    clash = sorted(set(defs) & set(embedded))
    if clash:
        raise ValueError(f"{root_name} already has $defs named {clash}")
    defs.update((name, _in_source_order(embedded[name], _load(name))) for name in sorted(embedded))
    return root


def catalog() -> dict[str, Any]:
    """A SchemaStore-format catalog of the bundled schemas, with URLs relative to the catalog itself."""
    return {
        "$schema": "https://json.schemastore.org/schema-catalog.json",
        "version": 1,
        "schemas": [
            {
                "name": f"eventsec {kind}",
                "description": _load(schema_file(kind))["description"],
                "fileMatch": list(FOLDER_GLOBS[kind]),
                "url": schema_file(kind),
            }
            for kind in SCHEMA_KINDS
            if kind in FOLDER_GLOBS
        ],
    }


def editor_files() -> dict[str, str]:
    """Every file ``eventsec schema --write`` owns in a schema directory, by name, as text."""
    files = {schema_file(kind): dumps(bundle(kind)) for kind in SCHEMA_KINDS}
    files[CATALOG_NAME] = dumps(catalog())
    return files


def dumps(value: Any) -> str:
    """JSON as the files in ``schemas/`` are written: two-space indent, UTF-8 kept, final newline."""
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


@functools.cache
def _load(name: str) -> dict[str, Any]:
    """A source schema, parsed once (a bundle looks a file up once per reference); callers copy
    what they keep and never change it."""
    from eventsec.load.resources import schemas_dir

    return json.loads((schemas_dir() / name).read_text(encoding="utf-8"))


def _split(ref: str, current: str) -> tuple[str, tuple[str, ...]]:
    """The file and pointer tokens a ``$ref`` names, read from the file ``current``."""
    name, _, fragment = ref.partition("#")
    tokens = tuple(t.replace("~1", "/").replace("~0", "~") for t in fragment.split("/")[1:])
    return name or current, tokens


def _pointer(tokens: tuple[str, ...]) -> str:
    return "".join("/" + t.replace("~", "~0").replace("/", "~1") for t in tokens)


def _refs(node: Any) -> list[str]:
    """Every ``$ref`` under ``node``."""
    if isinstance(node, list):
        return [ref for item in node for ref in _refs(item)]
    if not isinstance(node, dict):
        return []
    own = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
    return own + [ref for key, value in node.items() if key != "$ref" for ref in _refs(value)]


def _external_targets(node: Any, current: str, root_name: str) -> set[tuple[str, tuple[str, ...]]]:
    """The (file, pointer) pairs ``node`` refers to outside the bundle's root file."""
    targets = {_split(ref, current) for ref in _refs(node)}
    return {target for target in targets if target[0] != root_name}


def _localize(node: Any, current: str, root_name: str) -> Any:
    """``node`` with every ``$ref`` rewritten to a pointer inside the bundle; ``$schema`` dropped
    below the root (a subschema may not declare its own dialect)."""
    if isinstance(node, list):
        return [_localize(item, current, root_name) for item in node]
    if not isinstance(node, dict):
        return node
    result = {}
    for key, value in node.items():
        if key == "$ref" and isinstance(value, str):
            name, tokens = _split(value, current)
            prefix = () if name == root_name else ("$defs", name)
            result[key] = "#" + _pointer(prefix + tokens)
        elif not (key == "$schema" and current != root_name):
            result[key] = _localize(value, current, root_name)
    return result


def _in_source_order(kept: dict[str, Any], source: dict[str, Any]) -> dict[str, Any]:
    """``kept``'s two levels in the order of the source file (they were found in set order)."""
    return {
        group: {name: kept[group][name] for name in source[group] if name in kept[group]}
        for group in source
        if group in kept
    }


def _get(node: Any, tokens: tuple[str, ...]) -> Any:
    for token in tokens:
        if not isinstance(node, dict) or token not in node:
            return None
        node = node[token]
    return node


def _put(node: dict[str, Any], tokens: tuple[str, ...], value: Any) -> None:
    for token in tokens[:-1]:
        node = node.setdefault(token, {})
    node[tokens[-1]] = value
