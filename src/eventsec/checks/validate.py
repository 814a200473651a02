"""``eventsec validate``: load → schema → cross-file rules, collecting every finding.

One bad file never stops the run: load and schema problems are findings like any other.
A workspace whose tournament names ``builtin`` (or a set of files with no catalog of its
own) is checked against the bundled library, which is loaded as context and not reported on.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import gc
import hashlib
import os
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

from eventsec.checks.contingencies import unprepared_findings
from eventsec.checks.lint import run_rules
from eventsec.checks.risks import register_findings, registers
from eventsec.checks.status import status_findings
from eventsec.checks.translations import translation_findings
from eventsec.findings import Finding, Location, Severity, error, sorted_findings
from eventsec.load.documents import YAML_SUFFIXES, Document, LoadResult, find_yaml_files, load_bytes
from eventsec.load.index import Index
from eventsec.load.resources import library_dir
from eventsec.load.workspace import Workspace, WorkspaceError
from eventsec.plan.resolve import resolve
from eventsec.vocabulary import WORKSPACE_KINDS


@dataclass
class ValidationResult:
    """What a validation found, and about how many files."""

    findings: list[Finding] = field(default_factory=list)
    files: int = 0
    usage_errors: list[str] = field(default_factory=list)
    index: Index = field(default_factory=Index)
    coverage: list = field(default_factory=list)

    def count(self, severity: Severity) -> int:
        return sum(1 for f in self.findings if f.severity is severity)

    def failed(self, strict: bool = False) -> bool:
        return any(f.severity is Severity.ERROR or (strict and f.severity is Severity.WARNING) for f in self.findings)


def display_path(path: Path) -> str:
    """A path as users see it: relative to the working directory when below it, else absolute."""
    absolute = Path(os.path.abspath(path))
    try:
        return str(absolute.relative_to(Path.cwd()))
    except ValueError:
        return str(absolute)


STDIN_NAME = "<stdin>"
"""How a document read from stdin without a name is reported."""


@dataclass(frozen=True)
class Unsaved:
    """A document's text given from elsewhere than its file: an editor's unsaved buffer piped to
    ``validate -`` (``--stdin-filename``), like ruff's and eslint's.

    With a ``path``, the text stands in for the file at that path (which need not exist): it is
    validated inside the workspace found from there (the nearest directory at or above it with a
    tournament.yaml), replacing the file on disk, so every rule keyed on its folder, kind or the
    other files applies; only its own findings are reported. Outside any workspace, or without a
    path, it is checked on its own, as a file named alone is (schema and single-file rules)."""

    raw: bytes
    path: Path | None = None

    @property
    def name(self) -> str:
        """The name its findings carry: the path as users see it."""
        return display_path(self.path) if self.path else STDIN_NAME

    def resolved(self) -> Path | None:
        """Its path as :func:`collect` gives files (to replace the one on disk), or None."""
        return Path(os.path.abspath(self.path)).resolve() if self.path else None

    def workspace(self) -> Path | None:
        """The workspace directory it belongs to, or None."""
        here = self.resolved()
        if here is None:
            return None
        if here.name == "tournament.yaml":
            return here.parent
        return next((d for d in here.parents if (d / "tournament.yaml").is_file()), None)

    def document(self) -> LoadResult:
        return load_bytes(self.raw, self.name)

    def own(self, result: ValidationResult) -> ValidationResult:
        """``result`` narrowed (in place) to this document: the workspace was only its context."""
        result.findings = [f for f in result.findings if f.location.file == self.name]
        result.files = 1
        return result


def collect(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """YAML files named or found under ``paths``; missing paths become usage errors."""
    files: list[Path] = []
    problems: list[str] = []
    for path in paths:
        try:
            if (
                path.is_dir() and path.suffix in YAML_SUFFIXES
            ):  # a status file replaced by a directory, named on its own
                problems.append(f"{path}: a directory with a YAML file's name; eventsec expects a file here")
            elif path.is_dir():
                found, unsearched = find_yaml_files(path)
                files.extend(found)
                problems.extend(unsearched)
                if not found and not unsearched:  # a wrong path in CI must not pass as "ok: 0 files"
                    problems.append(f"{path}: no *.yaml or *.yml files in this directory")
            elif path.is_file():
                files.append(path)
            elif path.exists():
                problems.append(f"{path}: not a regular file or directory")
            else:
                problems.append(f"{path}: no such file or directory")
        except OSError as exc:
            problems.append(f"{path}: {exc.strerror or exc}")
    unique = list(dict.fromkeys(p.resolve() for p in files))
    return unique, problems


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the garbage collector. Every loaded document keeps its node tree for the whole run,
    and no cycles are made while validating, so a collection only rescans that large heap: it
    tripled the load time, and a single full collection while the rules run costs about 0.6 s
    on 1,000 protocols (bench/README.md)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_documents(
    files: list[Path], check_schema: bool = True, unsaved: Unsaved | None = None
) -> tuple[list[Document], list[Finding]]:
    """Load files, and the unsaved document in place of its file, and check each against its
    schema (with the garbage collector paused)."""
    with gc_paused():
        return _load_documents(files, check_schema, unsaved)


def _load_documents(
    files: list[Path], check_schema: bool, unsaved: Unsaved | None
) -> tuple[list[Document], list[Finding]]:
    results = [_load_checked(path, check_schema) for path in files]
    if unsaved:  # where its file would be, so "first defined at" reads as it will once saved
        where = unsaved.resolved()
        results.insert(bisect.bisect(files, where) if where else 0, _checked(unsaved.document(), check_schema))
    documents: list[Document] = []
    findings: list[Finding] = []
    for document, found in results:
        findings.extend(found)
        if document is not None:
            documents.append(document)
    return documents, findings


_REUSED: ContextVar[dict | None] = ContextVar("reused_documents", default=None)
"""Loaded and schema-checked documents by (path, schema checked, content hash), while
:func:`reusing_documents` is active."""


@contextlib.contextmanager
def reusing_documents() -> Iterator[None]:
    """Within: a file already loaded with the same path and bytes is not parsed or schema-checked
    again, and its Document object is shared. For loading many versions of one workspace in a
    row (the readiness trend over the git history, where a commit changes one status file of
    forty): parsing is two thirds of a load. Documents never change after loading, so sharing
    them between workspaces is safe, as the bundled library already is."""
    token = _REUSED.set({})
    try:
        yield
    finally:
        _REUSED.reset(token)


def _load_checked(path: Path, check_schema: bool) -> tuple[Document | None, list[Finding]]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [error(Location(display_path(path)), "encoding", f"cannot read file: {exc.strerror}")]
    reused = _REUSED.get()
    if reused is None:
        return _checked(load_bytes(raw, display_path(path)), check_schema)
    key = (str(path), check_schema, hashlib.blake2b(raw, digest_size=20).digest())
    if key not in reused:
        reused[key] = _checked(load_bytes(raw, display_path(path)), check_schema)
    return reused[key]


def _checked(result: LoadResult, check_schema: bool) -> tuple[Document | None, list[Finding]]:
    """A loaded document checked against its schema, and every finding of both steps."""
    from eventsec.load.schema import check_document

    if result.document is None:
        return None, result.findings
    schema_findings = check_document(result.document) if check_schema else []
    result.document.valid = not schema_findings
    return result.document, [*result.findings, *schema_findings]


@functools.cache
def builtin_documents() -> tuple[Document, ...]:
    """The bundled library, loaded once per process as context (it ships validated; CI checks it)."""
    documents, _ = load_documents(find_yaml_files(library_dir())[0], check_schema=False)
    return tuple(documents)


def library_context(
    documents: list[Document], loaded: set[Path]
) -> tuple[list[Document], list[Document], list[Finding]]:
    """Extra documents a workspace relies on: (context, reported, findings).

    Tournament ``protocols:`` entries bring the built-in library (as context) and local
    protocol directories (as reported documents, since they are the user's own files).
    """
    context: list[Document] = []
    reported: list[Document] = []
    findings: list[Finding] = []
    wants_builtin = False
    for doc in documents:
        if doc.kind != "tournament":
            continue
        for position, source in enumerate(doc.data.get("protocols") or ["builtin"]):
            if source == "builtin":
                wants_builtin = True
                continue
            if Path(str(source)).is_absolute():  # the same workspace must give the same plan on every machine
                findings.append(
                    error(
                        doc.locate(("protocols", position)),
                        "protocol-source",
                        f"protocol source '{source}' is an absolute path",
                        "give a path relative to tournament.yaml, or 'builtin'",
                    )
                )
                continue
            root = Path(doc.path).parent.resolve()
            target = (root / str(source)).resolve()
            if not target.is_relative_to(root):  # '../../..' would load (and walk) the whole file system
                findings.append(_outside(doc, position, f"protocol source '{source}' is {target}"))
                continue
            files, problems = collect([target])
            for problem in problems:
                findings.append(
                    error(
                        doc.locate(("protocols", position)),
                        "protocol-source",
                        f"protocol source '{source}': {problem.removeprefix(str(target) + ': ')}",
                        "give a path relative to tournament.yaml, or 'builtin'",
                    )
                )
            for linked in [f for f in files if not f.is_relative_to(root)]:  # a file linked from outside
                findings.append(_outside(doc, position, f"protocol source '{source}' holds {display_path(linked)}"))
            new = [f for f in files if f not in loaded and f.is_relative_to(root)]
            loaded.update(new)
            extra, extra_findings = load_documents(new)
            reported.extend(extra)
            findings.extend(extra_findings)
    has_catalog = any(doc.kind == "catalog" for doc in documents + reported)
    if wants_builtin or not has_catalog:
        builtin_root = library_dir().resolve()
        if not any(builtin_root in Path(doc.path).resolve().parents for doc in documents + reported):
            context.extend(builtin_documents())
    return context, reported, findings


"""Kinds that only mean something inside a workspace, beside its tournament.yaml."""


def workspace_findings(documents: list[Document], paths: list[Path]) -> list[Finding]:
    """``workspace`` errors: a tournament.yaml of another kind, and venue, overlay and status files
    that belong to no tournament. A workspace whose tournament.yaml was deleted (or replaced)
    must not validate "ok" with nothing checked across files."""
    loaded = {Path(doc.path).resolve(): doc for doc in documents}
    return _not_a_tournament(loaded) + _orphans(loaded, [path.resolve() for path in paths if path.is_dir()])


def _not_a_tournament(loaded: dict[Path, Document]) -> list[Finding]:
    return [
        error(
            doc.locate(("kind",)),
            "workspace",
            f"tournament.yaml holds kind '{doc.kind}', not the tournament",
            "a workspace's tournament.yaml is its 'kind: tournament' document",
        )
        for path, doc in loaded.items()
        if path.name == "tournament.yaml" and doc.kind not in ("tournament", "")
    ]


def _orphans(loaded: dict[Path, Document], searched: list[Path]) -> list[Finding]:
    """Venue, overlay and status files found under a searched directory with no tournament loaded
    in their directory or above (nor a tournament.yaml there that failed to load: that one is
    reported on its own). Files named one by one are checked on their own, as before."""
    roots = {path.parent for path, doc in loaded.items() if doc.kind == "tournament"}
    found = []
    for path, doc in loaded.items():
        if (
            doc.kind not in WORKSPACE_KINDS
            or path.name == "tournament.yaml"
            or not any(r in path.parents for r in searched)
        ):
            continue
        if any(
            d in roots or ((d / "tournament.yaml").is_file() and d / "tournament.yaml" not in loaded)
            for d in path.parents
        ):
            continue
        found.append(
            error(
                doc.locate(("kind",)),
                "workspace",
                f"this {doc.kind} file belongs to no workspace: no tournament in {display_path(path.parent)} "
                "or any directory above it",
                "restore the workspace's tournament.yaml (see 'eventsec init'), or validate the workspace "
                "it belongs to",
            )
        )
    return found


def _outside(tournament: Document, position: int, what: str) -> Finding:
    return error(
        tournament.locate(("protocols", position)),
        "protocol-source",
        f"{what}, outside the workspace",
        "keep your protocol files in a directory of the workspace "
        "(e.g. library/), or use 'builtin'; a plan must not depend on files elsewhere on this machine",
    )


def partition(documents: list[Document]) -> list[list[Document]]:
    """Group documents by workspace (the nearest directory above them with a tournament).

    Cross-file rules run per group, so two workspaces validated together (``samples/``) do not
    see each other's venues and matches. Documents in no workspace form one more group.
    """
    roots = sorted(
        {Path(doc.path).resolve().parent for doc in documents if doc.kind == "tournament"},
        key=lambda p: len(p.parts),
        reverse=True,
    )
    groups: dict[Path | None, list[Document]] = {}
    for doc in documents:
        path = Path(doc.path).resolve()
        root = next((r for r in roots if r in path.parents), None)
        groups.setdefault(root, []).append(doc)
    return [groups[key] for key in sorted(groups, key=lambda k: (k is None, str(k)))]


def _match_added_items(index: Index, venue_id: str) -> set[str]:
    """Ids of the items match overlays add for the matches of ``venue_id`` (not in its venue plan)."""
    matches = {match.value["id"] for venue, match in index.matches() if venue.value["id"] == venue_id}
    return {
        str(entry.value["item"].get("id"))
        for block in index.operation_blocks()
        if block.layer == "match" and block.target in matches
        for entry in block.entries("add")
    }


def _clean(index: Index, group_findings: list[Finding], load_findings: list[Finding], root: Path) -> bool:
    """Whether a workspace has no error of its own yet: the resolver assumes valid input, and
    another workspace's errors (``validate samples/``) must not hide this one's plans."""
    if index.rejected or any(f.severity is Severity.ERROR for f in group_findings):
        return False
    top = root.resolve()
    return not any(
        f.severity is Severity.ERROR and top in Path(f.location.file).resolve().parents for f in load_findings
    )


def resolve_findings(index: Index, root: Path) -> list[Finding]:
    """The resolver's errors for every venue of the workspace at ``root`` and every match a
    match overlay targets, each venue's status file against its plan, and each venue's
    contingencies that nothing in its plan prepares (warnings). A library mistake
    shows in every venue; :func:`~eventsec.findings.sorted_findings` keeps one of each."""

    workspace = Workspace(root, index)
    statuses = workspace.statuses()
    library_items = index.item_ids()
    risk_registers = {doc.data["match"]: doc for doc in registers(index)}
    targeted = {block.target for block in index.operation_blocks() if block.layer == "match"} | set(risk_registers)
    jobs = [(venue_id, None) for venue_id in sorted(workspace.venues())]
    jobs += sorted(
        {(venue.value["id"], match.value["id"]) for venue, match in index.matches() if match.value["id"] in targeted}
    )
    found: list[Finding] = []
    for venue_id, match_id in jobs:
        plan, problems = resolve(workspace, venue_id, match_id)
        if plan is not None and match_id is None and venue_id in statuses:
            problems = status_findings(plan, statuses[venue_id], library_items, _match_added_items(index, venue_id))
        if plan is not None and match_id in risk_registers:
            problems = problems + register_findings(plan, risk_registers[match_id])
        if plan is not None and match_id is None:
            problems = problems + unprepared_findings(plan, index)
        found += problems
    return found


def validate(
    paths: list[Path], lang: str | None = None, resolve_plans: bool = True, unsaved: Unsaved | None = None
) -> ValidationResult:
    """Validate files and directories: every finding, in file/line order.

    With ``lang``, also warn for every entry without a translation in that language. With
    ``resolve_plans`` (the default), a workspace found clean is also resolved for every venue,
    so what only the resolver can see (two overlays of one layer disagreeing, a parameter
    cycle) fails ``validate`` rather than a later ``render``. With ``unsaved``, ``paths`` are
    ignored: that one document is validated in its workspace (see :class:`Unsaved`).
    """
    if unsaved is not None:
        root = unsaved.workspace()
        with gc_paused():
            return unsaved.own(_validate([root] if root else [], lang, resolve_plans, unsaved))
    with gc_paused():
        return _validate(paths, lang, resolve_plans)


def _validate(
    paths: list[Path], lang: str | None, resolve_plans: bool, unsaved: Unsaved | None = None
) -> ValidationResult:
    files, problems = collect(paths)
    where = unsaved.resolved() if unsaved else None
    replaced = {where} if where else set()  # the file on disk the unsaved document stands in for
    files = [path for path in files if path not in replaced]
    documents, findings = load_documents(files, unsaved=unsaved)
    findings += workspace_findings(documents, paths)
    load_findings = list(findings)
    loaded = set(files) | replaced
    indexes = []
    coverage = []
    extra_files = 0
    for group in partition(documents) or [[]]:
        context, reported, extra_findings = library_context(group, loaded)
        index = Index(
            documents=[d for d in group + reported if d.valid],
            context=context,
            rejected=[d for d in group + reported if not d.valid],
        )
        indexes.append(index)
        extra_files += len(reported)
        group_findings = extra_findings + run_rules(index)
        findings += group_findings
        tournament = next((doc for doc in index.documents if doc.kind == "tournament"), None)
        if resolve_plans and tournament and _clean(index, group_findings, load_findings, Path(tournament.path).parent):
            findings += resolve_findings(index, Path(tournament.path).parent)
        if lang:
            reported_only = Index(documents=index.documents)
            missing, counts = translation_findings(reported_only, lang)
            findings += missing
            if counts.counts:
                coverage.append(counts)
    return ValidationResult(sorted_findings(findings), len(files) + extra_files, problems, indexes[0], coverage)


def load_workspace(root: Path) -> tuple[Workspace | None, ValidationResult]:
    """Validate ``root`` and return the workspace, or None when it has errors."""
    if not root.is_dir():
        raise WorkspaceError(f"{root}: not a directory")
    tournament = root / "tournament.yaml"
    if tournament.is_dir():
        raise WorkspaceError(
            f"{tournament}: a directory, not a file (a workspace is a directory with a tournament.yaml)"
        )
    if not tournament.is_file():
        raise WorkspaceError(f"{root}: no tournament.yaml (a workspace is a directory with a tournament.yaml)")
    result = validate([root], resolve_plans=False)  # each command resolves what it needs itself
    if result.usage_errors:  # a directory it could not read: a plan without it would look complete
        raise WorkspaceError("; ".join(result.usage_errors))
    tournaments = result.index.tournaments()
    if len(tournaments) > 1:
        extra = tournaments[1]
        result.findings.append(
            error(
                extra.locate(("kind",)),
                "workspace",
                f"a workspace holds one tournament; {tournaments[0].path} is the first",
            )
        )
    if result.failed():
        return None, result
    # The documents and their YAML node trees live as long as the workspace and form no garbage
    # cycles: take them out of the collector's sight, or every collection while resolving and
    # rendering rescans them (bench/README.md, "Resolve benchmarks").
    gc.freeze()
    return Workspace(root, result.index), result
