"""Safe YAML loading that keeps every value's source position.

Design (measured in ../shared/context/tooling-notes.md): libyaml's ``CSafeLoader`` composes
the node tree in C, and every node keeps its start mark, so positions cost nothing extra. We
keep the root node beside the plain data and walk it only when a finding needs a location.

What the loader refuses, each as one clear finding rather than a traceback:
files over the size bound, bytes that are not UTF-8, tabs and other syntax errors, empty
files, several documents in one file, a top level that is not a mapping, non-text keys,
duplicate keys (PyYAML would silently keep the last), and anchors/aliases (a "billion laughs"
file is rejected before anything expands it), and explicit tags that do not fit their value
(``!!bool maybe``, ``!!int ''``, ``!!map x``). Dates stay strings for the schema to check,
and only ``true``/``false`` are booleans (``NO`` stays the country code, not False).
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from eventsec.errors import UsageError
from eventsec.findings import Finding, Location, error
from eventsec.vocabulary import truncate

MAX_FILE_BYTES = 5 * 1024 * 1024
"""Largest YAML file accepted; a protocol file is tens of kilobytes."""

MAX_DEPTH = 64
"""Deepest nesting of lists and mappings accepted (eventsec documents need fewer than ten levels).
libyaml stops at 1000, but code that recurses over the data (repr, jsonschema) fails sooner."""

_NON_PRINTABLE = yaml.reader.Reader.NON_PRINTABLE
"""Characters YAML does not allow in a stream (control characters, U+FFFE, U+FFFF)."""

DataPath = tuple[Any, ...]
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_BOOL, _INT, _FLOAT, _NULL = (f"tag:yaml.org,2002:{name}" for name in ("bool", "int", "float", "null"))
_CORE_SCALARS = {
    _BOOL: re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    _INT: re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$"),
    _FLOAT: re.compile(r"^(?:[-+]?[0-9][0-9_]*\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?)$"),
    _NULL: re.compile(r"^(?:~|null|Null|NULL|)$"),
}
"""The YAML 1.2 core forms of booleans, integers, floats and null that eventsec reads, untagged
or tagged alike. PyYAML's constructors for an explicit ``!!bool``, ``!!int`` or ``!!float``
accept YAML 1.1 forms (``!!int 20:45`` is 1245) and crash on others (``!!bool maybe`` is a
KeyError, ``!!int ''`` an IndexError), and ``!!null`` makes None of any text."""

_TAG_NAMES = {
    _BOOL: "true or false",
    _INT: "a whole number such as 75600",
    _NULL: "empty (~ or null)",
    _FLOAT: "a number such as 2.5 or 1.0e+3 (or a whole number)",
}


def _yaml12_resolvers() -> dict:
    """SafeLoader's implicit resolvers with YAML 1.2 core scalars.

    Dropped YAML 1.1 surprises: timestamps (dates stay text for the schema), yes/no/on/off
    booleans (``NO`` stays Norway), base-60 numbers (``20:45`` stays a kick-off time, not
    1245) and leading-zero octals (``010`` stays text). ``.inf`` and ``.nan`` stay text too: no
    eventsec figure is infinite or not a number, and as numbers they crash the calculations, so
    the schema reports them as text where a number belongs.
    """
    replaced = {
        "tag:yaml.org,2002:timestamp",
        "tag:yaml.org,2002:bool",
        "tag:yaml.org,2002:int",
        "tag:yaml.org,2002:float",
    }
    resolvers: dict = {}
    for first, entries in yaml.SafeLoader.yaml_implicit_resolvers.items():
        kept = [(tag, rx) for tag, rx in entries if tag not in replaced]
        if kept:
            resolvers[first] = kept
    core = [(_BOOL, "tTfF"), (_INT, "-+0123456789"), (_FLOAT, "-+.0123456789")]
    for tag, firsts in core:
        for first in firsts:
            resolvers.setdefault(first, []).append((tag, _CORE_SCALARS[tag]))
    return resolvers


class LoadProblem(UsageError):
    """A problem found while constructing data; carries the node it is about."""

    def __init__(self, rule: str, message: str, mark: Any, hint: str = "") -> None:
        super().__init__(message)
        self.rule, self.message, self.mark, self.hint = rule, message, mark, hint


class PositionedLoader(_Loader):  # type: ignore[misc,valid-type]
    """CSafeLoader that rejects duplicate keys, non-text keys and aliases."""

    yaml_implicit_resolvers = _yaml12_resolvers()

    def construct_document(self, node: yaml.Node) -> Any:
        _check_nodes(node)
        return super().construct_document(node)

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            value = super().construct_object(node, deep=deep)
        except (ValueError, OverflowError) as exc:  # !!int lots, a 5000-digit integer, !!float x
            text = node.value if isinstance(node.value, str) else ""
            shown = truncate(text, 40)
            raise LoadProblem(
                "yaml-syntax",
                f"cannot read the value {shown!r}: {str(exc)[:120]}",
                node.start_mark,
                "quote the value to keep it as text",
            ) from None
        if isinstance(value, float) and not math.isfinite(value):  # '!!float .nan' still builds one
            raise LoadProblem(
                "yaml-syntax",
                f"{node.value!r} is not a finite number",
                node.start_mark,
                "give a number, or quote the value to keep it as text",
            )
        return value

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise LoadProblem(
                    "yaml-alias",
                    "merge keys ('<<') are not supported",
                    key_node.start_mark,
                    "write the fields out in full; eventsec documents do not share fragments",
                )
            if not isinstance(key_node, yaml.ScalarNode):
                raise LoadProblem("yaml-key", "a key must be plain text, not a list or mapping", key_node.start_mark)
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, str):
                raise LoadProblem(
                    "yaml-key",
                    f"key {key_node.value!r} must be text",
                    key_node.start_mark,
                    f'quote it: "{key_node.value}"',
                )
            if key in seen:
                first = seen[key].start_mark.line + 1
                raise LoadProblem(
                    "duplicate-key",
                    f"duplicate key '{key}' (first defined at line {first})",
                    key_node.start_mark,
                    "YAML keeps only one of the values; remove or rename one key",
                )
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


_PLAIN_DATA_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "map", "seq")
)
"""The tags of JSON-like data: what schemas can check. ``!!binary``, ``!!set``, ``!!timestamp``
and the like build bytes, sets and dates, which no eventsec field holds."""


def _check_nodes(root: yaml.Node) -> None:
    """Raise at the first node reached twice (an alias), nested too deep, or tagged as something
    other than plain data. Runs before any value is built, so nothing expands."""
    visited: set[int] = set()
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise LoadProblem(
                "yaml-syntax",
                f"lists and mappings are nested more than {MAX_DEPTH} levels deep",
                node.start_mark,
                "flatten the structure; eventsec documents need only a few levels",
            )
        if id(node) in visited:
            raise LoadProblem(
                "yaml-alias",
                "the value anchored here is reused through an alias; "
                "anchors and aliases (&name / *name) are not supported",
                node.start_mark,
                "write the value out in full; aliases are refused so a file cannot expand without bound",
            )
        visited.add(id(node))
        if node.tag not in _PLAIN_DATA_TAGS and node.tag != "tag:yaml.org,2002:merge":  # '<<' gets its own message
            raise LoadProblem(
                "yaml-syntax",
                f"the tag {node.tag.replace('tag:yaml.org,2002:', '!!')} makes a value "
                "eventsec cannot use (only text, numbers, booleans, null, lists and mappings)",
                node.start_mark,
                "remove the tag; quote the value if it should stay text",
            )
        _check_tagged_value(node)
        if isinstance(node, yaml.SequenceNode):
            stack.extend((child, depth + 1) for child in reversed(node.value))
        elif isinstance(node, yaml.MappingNode):
            for key, value in reversed(node.value):
                stack.extend(((value, depth + 1), (key, depth + 1)))


_NODE_CLASSES = {
    "tag:yaml.org,2002:map": (yaml.MappingNode, "a mapping"),
    "tag:yaml.org,2002:seq": (yaml.SequenceNode, "a list"),
}


def _check_tagged_value(node: yaml.Node) -> None:
    """Raise when a node's tag does not fit its value: ``!!map`` on a plain value, ``!!int`` on a
    list, or a boolean, integer, float or null tag on text outside its YAML 1.2 core form (what
    the same text would be without the tag, or for ``!!float`` a whole number)."""
    expected, shape = _NODE_CLASSES.get(node.tag, (yaml.ScalarNode, "a single value"))
    tag = node.tag.replace("tag:yaml.org,2002:", "!!")
    if not isinstance(node, expected):
        raise LoadProblem(
            "yaml-syntax", f"the tag {tag} needs {shape}, not {_node_kind(node)}", node.start_mark, "remove the tag"
        )
    pattern = _CORE_SCALARS.get(node.tag)
    if pattern is None or pattern.match(node.value) or (node.tag == _FLOAT and _CORE_SCALARS[_INT].match(node.value)):
        return
    shown = truncate(node.value, 40)
    raise LoadProblem(
        "yaml-syntax",
        f"the tag {tag} needs {_TAG_NAMES[node.tag]}; got {shown!r}",
        node.start_mark,
        "correct the value, or remove the tag and quote the value to keep it as text",
    )


@dataclass
class Document:
    """One loaded YAML document: its data, where each value starts and where it came from."""

    path: str
    data: dict
    root: Node
    valid: bool = True
    """False once the document failed its schema: cross-file rules then skip it."""
    _locations: dict = field(default_factory=dict, repr=False, compare=False)
    _nodes: dict = field(default_factory=dict, repr=False, compare=False)

    @property
    def kind(self) -> str:
        return str(self.data.get("kind", ""))

    @functools.cached_property
    def content_digest(self) -> str:
        """sha256 of the data as canonical JSON (sorted keys): the same content gives the same
        digest whatever the file's path, layout or comments. Computed once per document."""
        canonical = json.dumps(self.data, sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def locate(self, data_path: DataPath, *, key: bool = False) -> Location:
        """Location of the value at ``data_path`` (or of its key when ``key``); the nearest parent if absent.

        Memoized: resolving every venue asks for the same library positions again and again.
        """
        memo = (data_path, key)
        found = self._locations.get(memo)
        if found is None:
            found = self._locations[memo] = self._locate(data_path, key)
        return found

    def _locate(self, data_path: DataPath, key: bool) -> Location:
        key_node, node, _ = self._node_at(tuple(data_path))
        target = key_node if key and key_node is not None else node
        return Location(self.path, target.line + 1, target.column + 1)

    def _node_at(self, data_path: tuple) -> tuple[Start | None, Node, bool]:
        """(key node, value node, found) at ``data_path``, or at its nearest existing parent with
        found False. Memoized by prefix: locating every field of an item scans its parents once."""
        if not data_path:
            return None, self.root, True
        memo = self._nodes.get(data_path)
        if memo is None:
            parent = self._node_at(data_path[:-1])
            child = _child(parent[1], data_path[-1]) if parent[2] else None
            memo = self._nodes[data_path] = (parent[0], parent[1], False) if child is None else (*child, True)
        return memo

    def key_location(self, data_path: DataPath) -> Location:
        """Location of the key naming ``data_path``'s last step (a field's name rather than its value)."""
        return self.locate(data_path, key=True)


class Start:
    """Where a node starts (0-based line and column): all a built document keeps of its YAML."""

    __slots__ = ("column", "line")

    def __init__(self, line: int, column: int) -> None:
        self.line, self.column = line, column


class Branch(Start):
    """Where a mapping or sequence starts, and its children: by key (each with its key's start)
    for a mapping, by index for a sequence."""

    __slots__ = ("children",)

    def __init__(self, start: Start, children: dict | list) -> None:
        super().__init__(start.line, start.column)
        self.children = children


Node = Start
"""A located node: a scalar's :class:`Start`, or a :class:`Branch` with children."""


def _positions(root: yaml.Node) -> Node:
    """The document's node tree reduced to what locating a value needs. PyYAML's nodes, each with
    two marks in a ``__dict__``, were a third of a render worker's memory with the library loaded."""

    def start(node: yaml.Node) -> Start:
        return Start(node.start_mark.line, node.start_mark.column)

    def reduce(node: yaml.Node) -> Node:
        if isinstance(node, yaml.MappingNode):
            return Branch(start(node), {key.value: (start(key), reduce(value)) for key, value in node.value})
        if isinstance(node, yaml.SequenceNode):
            return Branch(start(node), [reduce(item) for item in node.value])
        return start(node)

    return reduce(root)


def _child(node: Node, step: Any) -> tuple[Start | None, Node] | None:
    if isinstance(node, Branch) and isinstance(node.children, dict):
        return node.children.get(step) if isinstance(step, str) else None
    if isinstance(node, Branch) and isinstance(step, int) and 0 <= step < len(node.children):
        return None, node.children[step]
    return None


@dataclass
class LoadResult:
    """A loaded document, or the findings that say why there is none."""

    document: Document | None
    findings: list[Finding]


def load_file(path: Path | str, display: str | None = None) -> LoadResult:
    """Load one YAML file; never raises for bad content (only for unreadable paths)."""
    path = Path(path)
    return load_bytes(path.read_bytes(), display or str(path))


def load_bytes(raw: bytes, name: str) -> LoadResult:
    """Load YAML from bytes (a file's, or stdin's), reporting problems against ``name``. A reader
    of an endless stream stops after MAX_FILE_BYTES + 1 bytes: that is enough to refuse it."""
    if len(raw) > MAX_FILE_BYTES:
        return _fail(
            Location(name, 1, 1),
            "file-size",
            f"file is larger than the {MAX_FILE_BYTES:,}-byte limit",
            "split it into several documents (one protocol per file)",
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return _fail(
            Location(name, line, column),
            "encoding",
            f"file is not UTF-8 (byte 0x{raw[exc.start]:02x} cannot be decoded)",
            "save the file as UTF-8",
        )
    if "\x00" in text:
        offset = text.index("\x00")
        return _fail(
            _offset_location(text, offset, name), "encoding", "file contains a NUL byte; it is not a text file"
        )
    bad = _NON_PRINTABLE.search(text)
    if bad:
        return _fail(
            _offset_location(text, bad.start(), name),
            "encoding",
            f"file contains the control character U+{ord(bad.group()):04X}, which YAML does not allow",
            f"delete it, or write it as the escape \\u{ord(bad.group()):04X} inside a double-quoted string",
        )
    if not text.strip() or all(not line.strip() or line.lstrip().startswith("#") for line in text.splitlines()):
        return _fail(
            Location(name, 1, 1),
            "empty-file",
            "file is empty",
            "start the document with 'kind:' (see 'eventsec schema')",
        )
    loader = PositionedLoader(text)
    try:
        root = loader.get_single_node()
        if root is None:
            return _fail(Location(name, 1, 1), "empty-file", "file is empty")
        if not isinstance(root, yaml.MappingNode):
            return _fail(
                _mark_location(root.start_mark, name),
                "document-shape",
                f"the document must be a mapping of fields (kind: ..., id: ...), not {_node_kind(root)}",
            )
        data = loader.construct_document(root)
    except LoadProblem as problem:
        return _fail(_mark_location(problem.mark, name), problem.rule, problem.message, problem.hint)
    except yaml.MarkedYAMLError as exc:
        return LoadResult(None, [_syntax_finding(exc, name, text)])
    except (yaml.YAMLError, RecursionError, ValueError, OverflowError) as exc:
        return _fail(Location(name, 1, 1), "yaml-syntax", f"cannot read YAML: {exc}")
    finally:
        loader.dispose()
    return LoadResult(Document(name, data, _positions(root)), [])


def _syntax_finding(exc: yaml.MarkedYAMLError, name: str, text: str) -> Finding:
    mark = exc.problem_mark or exc.context_mark
    location = _mark_location(mark, name) if mark else Location(name, 1, 1)
    problem = (exc.problem or "invalid YAML").strip()
    hint = ""
    if "expected a single document" in problem or "but found another document" in problem:
        return error(
            location,
            "multiple-documents",
            "file holds several YAML documents; eventsec reads one per file",
            "move each document after '---' into a file of its own",
        )
    if mark is not None and mark.index < len(text) and text[mark.index] == "\t":
        problem, hint = "tab character (YAML indents with spaces only)", "replace the tab with spaces"
    elif "found undefined alias" in problem:
        hint = "anchors and aliases are not supported; write the value out in full"
    context = f" ({exc.context.strip()})" if exc.context else ""
    return error(location, "yaml-syntax", f"YAML syntax error: {problem}{context}", hint)


def _fail(location: Location, rule: str, message: str, hint: str = "") -> LoadResult:
    return LoadResult(None, [error(location, rule, message, hint)])


def _mark_location(mark: Any, name: str) -> Location:
    return Location(name, mark.line + 1, mark.column + 1)


def _offset_location(text: str, offset: int, name: str) -> Location:
    line = text.count("\n", 0, offset) + 1
    return Location(name, line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def _node_kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    return "a plain value"


YAML_SUFFIXES = (".yaml", ".yml")


def find_yaml_files(root: Path) -> tuple[list[Path], list[str]]:
    """YAML files under ``root`` in a stable order (hidden files and directories skipped, links
    to directories not followed), and what could not be searched: a directory that cannot be
    read, or a YAML name that is not a readable file (a broken link, a link loop, a directory).
    Nothing is skipped silently: a plan missing an unreadable overlay directory would look complete."""
    found: list[Path] = []
    problems: list[str] = []

    def unreadable(exc: OSError) -> None:
        problems.append(f"{exc.filename}: cannot read this directory ({exc.strerror})")

    for directory, subdirectories, names in os.walk(root, onerror=unreadable):
        subdirectories[:] = [name for name in subdirectories if not name.startswith(".")]
        for name in subdirectories:
            if Path(name).suffix in YAML_SUFFIXES:  # a status file replaced by a directory must not read as deleted
                problems.append(
                    f"{Path(directory) / name}: a directory with a YAML file's name; eventsec expects a file here"
                )
            elif (Path(directory) / name).is_symlink():  # not followed (loops, files counted twice): say so
                problems.append(
                    f"{Path(directory) / name}: a link to a directory is not searched; "
                    "name that directory itself (a protocols: entry, or a path to validate)"
                )
        for name in names:
            path = Path(directory) / name
            if name.startswith(".") or path.suffix not in YAML_SUFFIXES:
                continue
            if path.is_file():
                found.append(path)
            else:
                problems.append(f"{path}: not a readable file (a broken link or a link loop?)")
    return sorted(found), sorted(problems)
