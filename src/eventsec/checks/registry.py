"""The one registry of finding ids: what each id means, how serious it is, and who raises it.

Every finding eventsec reports carries an id declared here. The ids the core raises (loading,
schema, workspace, translation, resolve, readiness, status waivers) are declared below; lint
rules declare theirs through :func:`eventsec.checks.rule`, which calls :func:`declare`. The
``eventsec rules`` list, the SARIF rule table and docs/rules.md are all generated from it, so
the documentation cannot drift from what the code raises. It sits beside
:mod:`eventsec.findings` so that every stage can import it without importing a later stage.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from eventsec.findings import Severity


class Stage(str, enum.Enum):
    """The pipeline stage that raises a finding id, in the order data flows."""

    LOAD = "load"
    SCHEMA = "schema"
    LINT = "lint"
    RESOLVE = "resolve"
    ASSESS = "assess"
    RENDER = "render"


@dataclass(frozen=True)
class FindingKind:
    """One finding id and its documentation: a failing YAML example and the same example fixed."""

    id: str
    severity: Severity
    stage: Stage
    summary: str
    explanation: str
    failing: str
    fixed: str

    def help_markdown(self) -> str:
        """The explanation and both examples as Markdown (SARIF ``help`` and docs/rules.md)."""
        return (
            f"{self.explanation}\n\nFails:\n\n```yaml\n{self.failing.rstrip()}\n```\n\n"
            f"Passes:\n\n```yaml\n{self.fixed.rstrip()}\n```\n"
        )

    def help_text(self) -> str:
        """The explanation and both examples as plain text."""
        return f"{self.explanation}\n\nFails:\n{self.failing.rstrip()}\n\nPasses:\n{self.fixed.rstrip()}\n"


REGISTRY: dict[str, FindingKind] = {}
"""Every declared finding id; lint ids appear once :func:`eventsec.checks.lint.all_rules` has run."""


def declare(kind: FindingKind) -> FindingKind:
    """Add ``kind`` to the registry; an id declared twice is a programming error."""
    if kind.id in REGISTRY:
        raise ValueError(f"finding id {kind.id} declared twice")
    REGISTRY[kind.id] = kind
    return kind


def _core(rule_id: str, stage: Stage, summary: str, explanation: str, failing: str, fixed: str) -> FindingKind:
    return declare(FindingKind(rule_id, Severity.ERROR, stage, summary, explanation, failing, fixed))


CORE: tuple[FindingKind, ...] = (
    _core(
        "encoding",
        Stage.LOAD,
        "Files are UTF-8 text.",
        "Every file is read as UTF-8. A file in another encoding, with a NUL byte or that cannot be "
        "read at all is reported instead of being guessed at.",
        "# saved as Latin-1\nname: Estadio Jos\\xe9 Zorrilla\n",
        "# saved as UTF-8\nname: Estadio José Zorrilla\n",
    ),
    _core(
        "empty-file",
        Stage.LOAD,
        "Files hold a document.",
        "A YAML file that is empty or holds only comments says nothing; it is usually a file saved "
        "before it was written.",
        "# venue to be written\n",
        "kind: venue\nid: v1\n",
    ),
    _core(
        "file-size",
        Stage.LOAD,
        "Files stay under the size bound (5 MB).",
        "Files larger than 5 MB are not parsed, so a mistaken or hostile file cannot exhaust memory. "
        "Split a large library into one file per protocol.",
        "# library.yaml, 12 MB: every protocol in one file\n",
        "# library/crowd.yaml, library/medical.yaml, ...: one protocol a file\n",
    ),
    _core(
        "yaml-syntax",
        Stage.LOAD,
        "Files are well-formed YAML (spaces, not tabs).",
        "The file must parse as YAML. Indent with spaces; a tab, an unclosed quote or bracket, or a "
        "value indented under a scalar stops the parser at the position reported.",
        "kind: venue\nmatches:\n\t- {id: m1}\n",
        "kind: venue\nmatches:\n  - {id: m1}\n",
    ),
    _core(
        "multiple-documents",
        Stage.LOAD,
        "A file holds one YAML document.",
        "eventsec reads one document per file; a second document after `---` would be ignored "
        "silently, so it is reported.",
        "kind: venue\nid: v1\n---\nkind: venue\nid: v2\n",
        "# venues/v1.yaml\nkind: venue\nid: v1\n",
    ),
    _core(
        "document-shape",
        Stage.LOAD,
        "The top level of a document is a mapping of fields.",
        "A document is a mapping of field names to values; a list or a bare value at the top level "
        "has no `kind` and cannot be checked.",
        "- kind: venue\n  id: v1\n",
        "kind: venue\nid: v1\n",
    ),
    _core(
        "duplicate-key",
        Stage.LOAD,
        "A mapping never repeats a key (YAML would silently keep the last).",
        "YAML parsers keep the last of two equal keys and drop the first without a word; eventsec "
        "reports the repetition so neither value is lost by accident.",
        "id: v1\ncapacity: 30000\ncapacity: 45000\n",
        "id: v1\ncapacity: 45000\n",
    ),
    _core(
        "yaml-key",
        Stage.LOAD,
        "Keys are plain text.",
        "Mapping keys are strings. A list, a mapping or a null as a key cannot name a field.",
        "? [a, b]\n: 1\n",
        "a: 1\n",
    ),
    _core(
        "yaml-alias",
        Stage.LOAD,
        "Aliases and merge keys are not used (no unbounded expansion; an anchor nothing refers to is harmless).",
        "Aliases (`*name`) and merge keys (`<<`) can expand a small file into a huge one and hide where "
        "a value came from; write the values out instead.",
        "base: &base {risk: high}\nmatch: *base\n",
        "base: {risk: high}\nmatch: {risk: high}\n",
    ),
    _core(
        "unknown-kind",
        Stage.SCHEMA,
        "Every document starts with a known 'kind'.",
        "The `kind` field selects the schema a document is checked against; it must be one of the "
        "kinds `eventsec schema` lists.",
        "kind: stadium\nid: v1\n",
        "kind: venue\nid: v1\n",
    ),
    _core(
        "schema",
        Stage.SCHEMA,
        "Every document matches the JSON Schema of its kind.",
        "Each field is checked against the JSON Schema of the document's kind: required fields, "
        "types, patterns, enumerations and unknown fields (with a did-you-mean hint).",
        "kind: venue\nid: v1\ncapacity: large\n",
        "kind: venue\nid: v1\ncapacity: 45000\n",
    ),
    _core(
        "protocol-source",
        Stage.LOAD,
        "Protocol sources named by a tournament are 'builtin' or relative paths inside the workspace "
        "(after links) that exist and hold YAML.",
        "A tournament's `protocols` list names where its library comes from. A path outside the "
        "workspace, an absolute path, or a directory without YAML files would load the wrong "
        "library or none.",
        "kind: tournament\nprotocols: [/etc/library]\n",
        "kind: tournament\nprotocols: [builtin, library]\n",
    ),
    declare(
        FindingKind(
            "translation",
            Severity.WARNING,
            Stage.LINT,
            "With --lang, items, lessons, roles, domains and the workspace's names carry that language (warning).",
            "With `validate --lang LANG`, every item, lesson, role and domain among the reported files "
            "should have each of its prose fields in LANG, and so should the workspace's names: the "
            "tournament's name and distribution list, each venue's name, city, capacity_source and "
            "illustrative note, the name of each section, entrance, exit and holding area, and each risk's "
            "hazard in a risk register (ids, "
            "contacts and countries are not translated: Babel names countries). The ones that do not "
            "are listed so the plan is not printed half translated.",
            "# eventsec validate --builtin --lang es\nroles:\n  - {id: stewarding-manager, title: Stewarding manager}\n",
            "roles:\n  - id: stewarding-manager\n    title: Stewarding manager\n"
            "    translations: {es: {title: Jefe de auxiliares}}\n",
        )
    ),
    _core(
        "readiness",
        Stage.ASSESS,
        "A plan's readiness can be assessed: the library declares the readiness parameters and the venue "
        "has usable deadlines (reported by render and status).",
        "Readiness compares each item's deadline with today. It needs the readiness parameters from "
        "the library and a venue whose matches give usable dates; without them render and status "
        "report why instead of guessing.",
        "# the library has match-day items (phase: MD-4h)\nkind: venue\nid: v1\nmatches: []\n",
        'kind: venue\nid: v1\nmatches:\n  - {id: m1, date: "2025-06-10", kickoff: "20:00", risk: high}\n',
    ),
    _core(
        "status-waiver",
        Stage.ASSESS,
        "A locked or critical item (in the venue's resolved plan) is marked not-applicable in a status file "
        "only with a waiver, as removing it would need (checked once everything else is clean).",
        "Marking an item not-applicable drops it from the venue's work as surely as removing it, so a "
        "locked or critical item needs the same waiver: who approved it, when and why.",
        "kind: status\nvenue: v1\nitems:\n  CRW-001: {state: not-applicable}\n",
        "kind: status\nvenue: v1\nitems:\n  CRW-001:\n    state: not-applicable\n"
        "    waiver: {approved_by: J. Doe, date: '2025-05-01', reason: Equivalent plan reviewed}\n",
    ),
    _core(
        "workspace",
        Stage.LOAD,
        "A workspace has one tournament, in a readable tournament.yaml; a venue, overlay or status file "
        "in a validated directory belongs to a workspace.",
        "A workspace is a directory with one `tournament.yaml`. Venue, overlay and status files only "
        "mean something inside one, so a stray file or a second tournament is reported.",
        "# my-cup/venues/v1.yaml, and no my-cup/tournament.yaml\nkind: venue\nid: v1\n",
        "# my-cup/tournament.yaml\nkind: tournament\nid: my-cup\nprotocols: [builtin]\n",
    ),
    _core(
        "resolve",
        Stage.RESOLVE,
        "Every venue's plan resolves, and every match a match overlay targets: no two overlays of one "
        "layer setting a value differently, no parameter cycles or out-of-range computed values, "
        "conditions that evaluate (checked once everything else is clean).",
        "Once every file is clean, each venue's plan (and each targeted match's) is resolved as render "
        "would. Two overlays of one layer disagreeing, a parameter computed from itself or a computed "
        "value out of range are reported here.",
        "# overlays/a.yaml: layer: venue, target: v1\nparameters: {steward_ratio: 200}\n"
        "# overlays/b.yaml: layer: venue, target: v1\nparameters: {steward_ratio: 250}\n",
        "# one venue-layer overlay for v1\nparameters: {steward_ratio: 200}\n",
    ),
    _core(
        "risk-bands",
        Stage.RESOLVE,
        "A workspace with risk registers has a library that declares the risk band parameters, rising "
        "from medium to critical (checked once everything else is clean).",
        "Risks are banded low / medium / high / critical by the `risk_band_medium_from`, "
        "`risk_band_high_from` and `risk_band_critical_from` parameters, which the built-in "
        "command-control protocol declares. A library of your own that keeps registers declares them too, "
        "and thresholds set out of order (high from 6, medium from 8) would leave a band empty.",
        "# library/crowd.yaml declares no risk_band_* parameter, and risks/m1.yaml exists\nparameters: {}\n",
        "parameters:\n  risk_band_medium_from: {type: integer, default: 4, confidence: assumed}\n"
        "  risk_band_high_from: {type: integer, default: 8, confidence: assumed}\n"
        "  risk_band_critical_from: {type: integer, default: 15, confidence: assumed}\n",
    ),
    declare(
        FindingKind(
            "contingency-unprepared",
            Severity.WARNING,
            Stage.RESOLVE,
            "At every venue, some item that prepares each contingency is still in the plan (warning; "
            "checked once everything else is clean).",
            "A contingency whose preparing items are all removed or not applicable at a venue has nothing "
            "in that venue's plan that prepares it: the contingency index shows it with every item struck "
            "out. Keep or add an item that prepares it, or accept the gap knowingly (the warning fails only "
            "`--strict`).",
            "# venues/v1.yaml\noverlay:\n  remove:\n    - {item: CRW-002, reason: Briefed by the club}\n"
            "# CON-SURGE lists only CRW-002\n",
            "# venues/v1.yaml: CRW-002 kept, or another item preparing CON-SURGE added\n",
        )
    ),
)
"""The ids the core raises, in the order ``eventsec rules`` lists them (lint rules follow, by id)."""


def ordered(kinds: list[FindingKind]) -> list[FindingKind]:
    """Core ids in declaration order, then every other id in id order: how lists show them."""
    core = [k for k in CORE if k in kinds]
    return core + sorted((k for k in kinds if k not in CORE), key=lambda k: k.id)


def text_table(kinds: list[FindingKind]) -> str:
    """One line per id: id, severity, summary (the ``eventsec rules`` text output)."""
    return "".join(f"{k.id:<20} {k.severity.value:<8} {k.summary}\n" for k in kinds)


DOC_HEADER = """# Finding ids

<!-- Generated from eventsec/checks/registry.py: do not edit.
     Regenerate with: eventsec rules --format markdown > docs/rules.md -->

Every finding `eventsec` reports carries one of these ids. The stage says which step of the
pipeline raises it (load → schema → lint → resolve → assess → render). Errors fail
`eventsec validate`; warnings fail it only with `--strict`.

"""


def markdown(kinds: list[FindingKind]) -> str:
    """docs/rules.md: a summary table, then each id with its explanation and examples."""
    rows = "".join(f"| [`{k.id}`](#{k.id}) | {k.severity.value} | {k.stage.value} | {k.summary} |\n" for k in kinds)
    table = "| id | severity | stage | summary |\n|---|---|---|---|\n" + rows
    sections = "".join(
        f"\n## {k.id}\n\n{k.severity.value}, raised by {k.stage.value}: {k.summary}\n\n{k.help_markdown()}"
        for k in kinds
    )
    return DOC_HEADER + table + sections
