"""Risk registers: lint rules over the files (the match exists, one register a match, ids,
controls, owners, residual ratings), and each register against its match's resolved plan
(a control the plan removes, a declared match category below the register's ratings).

The plan checks run in validate's resolve pass, as the status checks do, because only the
resolved plan knows whether a control survives the venue's and the match's overlays and
which band thresholds (``risk_band_*``) apply. docs/risks.md.
"""

from __future__ import annotations

from collections.abc import Iterator

from eventsec.checks.rule import Rule, rule
from eventsec.findings import Finding, Severity
from eventsec.load.documents import Document
from eventsec.load.index import Entry, Index
from eventsec.plan.model import NOT_APPLICABLE, REMOVED, Plan
from eventsec.plan.risk_matrix import CATEGORY_ALLOWS, Matrix, RiskBandsError, above, score
from eventsec.vocabulary import did_you_mean

KIND = "risk-register"
RISK_BANDS = "risk-bands"
"""Declared with the core ids (checks/registry.py): the resolve pass raises it, no lint rule."""


def registers(index: Index) -> list[Document]:
    """The risk registers being validated, in file order."""
    return sorted(index.of_kind(KIND), key=lambda d: d.path)


def risks(index: Index) -> Iterator[Entry]:
    """Every risk of every register."""
    for document in registers(index):
        for position, risk in enumerate(document.data.get("risks") or []):
            yield Entry(document, ("risks", position), risk)


def hosted_matches(index: Index) -> dict[str, Entry]:
    """The workspace's matches by id."""
    return {m.value["id"]: m for _, m in index.matches() if isinstance(m.value.get("id"), str)}


# -- lint rules ------------------------------------------------------------------------------
@rule(
    "risk-match",
    Severity.ERROR,
    "A risk register names a match one of the workspace's venues hosts, and each match has one register.",
    explanation="A register is the risk assessment of one match: the match must exist (a misspelt id "
    "would leave the match unassessed and the register unread), and two registers for one match "
    "would disagree on which risks the match carries.",
    failing="# risks/m1.yaml\nkind: risk-register\nmatch: m01\n",
    fixed="kind: risk-register\nmatch: m1\n",
)
def risk_match(r: Rule, index: Index) -> Iterator[Finding]:
    matches = hosted_matches(index)
    first: dict[str, Document] = {}
    for document in registers(index):
        match = document.data.get("match")
        if match not in matches:
            yield r.finding(
                document.locate(("match",)),
                f"risk register for match '{match}', which no venue of this workspace hosts",
                did_you_mean(str(match), matches) or "use the id of a match in a venue's 'matches' list",
            )
        elif match in first:
            earlier = first[match].locate(("match",))
            yield r.finding(
                document.locate(("match",)),
                f"a second risk register for match '{match}' (the first is {earlier})",
                "keep one register per match: merge the risks into the first file",
            )
        else:
            first[match] = document


@rule(
    "risk-id",
    Severity.ERROR,
    "Risk ids are unique within their register.",
    explanation="A risk is named by its id in the heat map, the register table and the match's "
    "go/no-go reasons; two risks with one id could not be told apart.",
    failing="risks:\n  - {id: R01, hazard: Rival groups meet}\n  - {id: R01, hazard: Crush at gate 3}\n",
    fixed="risks:\n  - {id: R01, hazard: Rival groups meet}\n  - {id: R02, hazard: Crush at gate 3}\n",
)
def risk_id(r: Rule, index: Index) -> Iterator[Finding]:
    for document in registers(index):
        seen: dict[str, int] = {}
        for position, risk in enumerate(document.data.get("risks") or []):
            risk_id = risk.get("id")
            if risk_id in seen:
                yield r.finding(
                    document.locate(("risks", position, "id")),
                    f"risk id '{risk_id}' is used twice in this register "
                    f"(first at line {document.locate(('risks', seen[risk_id], 'id')).line})",
                    "give each risk its own id (R01, R02, ...)",
                )
            else:
                seen[risk_id] = position


@rule(
    "risk-control",
    Severity.ERROR,
    "Every control of a risk is an item the match's plan has (not unknown, not removed or inapplicable there).",
    explanation="A risk's residual rating holds only once its controls are done, so each control must be a "
    "checklist item of the match's resolved plan: an unknown id, or an item the venue's or the match's "
    "overlays remove or that does not apply there, could never be done (the plan check runs once "
    "everything else is clean).",
    failing="controls: [CRW-0001]\n",
    fixed="controls: [CRW-001]\n",
)
def risk_control(r: Rule, index: Index) -> Iterator[Finding]:
    known = index.item_ids()
    rejected = index.rejected_added_items()
    for risk in risks(index):
        for position, control in enumerate(risk.value.get("controls") or []):
            if control not in known and control not in rejected:
                yield r.finding(
                    risk.at("controls", position),
                    f"control '{control}' of risk '{risk.value.get('id')}' is not an item of the library "
                    "or of any overlay",
                    did_you_mean(control, known) or "name the checklist item that controls the risk",
                )


@rule(
    "risk-owner",
    Severity.ERROR,
    "A risk's owner, a register's assessor and whoever accepts a residual risk are role ids from the catalog.",
    explanation="The owner answers for the risk, the assessor for the register and the role in `accepted` "
    "for a high residual risk; the plan names each by their role's title, so each must be a role of the catalog.",
    failing="owner: police-commander\n",
    fixed="owner: police-match-commander\n",
)
def risk_owner(r: Rule, index: Index) -> Iterator[Finding]:
    roles = index.ids(index.catalog_entries("roles"))
    hint = "add the role to the catalog or use an existing role id"
    for document in registers(index):
        by = (document.data.get("assessed") or {}).get("by")
        if by not in roles:
            yield r.finding(
                document.locate(("assessed", "by")),
                f"assessor '{by}' is not a role in the catalog",
                did_you_mean(str(by), roles) or hint,
            )
    for risk in risks(index):
        owner = risk.value.get("owner")
        if owner not in roles:
            yield r.finding(
                risk.at("owner"),
                f"owner '{owner}' of risk '{risk.value.get('id')}' is not a role in the catalog",
                did_you_mean(str(owner), roles) or hint,
            )
        accepted = (risk.value.get("accepted") or {}).get("by")
        if accepted is not None and accepted not in roles:
            yield r.finding(
                risk.at("accepted", "by"),
                f"'{accepted}', who accepts risk '{risk.value.get('id')}', is not a role in the catalog",
                did_you_mean(str(accepted), roles) or hint,
            )


@rule(
    "risk-residual",
    Severity.ERROR,
    "A risk's residual likelihood and impact are not above its inherent ones.",
    explanation="The residual rating is the risk once its controls are in place; controls cannot make a "
    "risk likelier or worse, so a residual likelihood or impact above the inherent one is a slip "
    "(often the two ratings swapped).",
    failing="likelihood: 2\nimpact: 4\nresidual: {likelihood: 4, impact: 4}\n",
    fixed="likelihood: 4\nimpact: 4\nresidual: {likelihood: 2, impact: 4}\n",
)
def risk_residual(r: Rule, index: Index) -> Iterator[Finding]:
    for risk in risks(index):
        residual = risk.value.get("residual") or {}
        for name in ("likelihood", "impact"):
            inherent, after = risk.value.get(name), residual.get(name)
            if isinstance(inherent, int) and isinstance(after, int) and after > inherent:
                yield r.finding(
                    risk.at("residual", name),
                    f"risk '{risk.value.get('id')}': residual {name} {after} is above its inherent {name} "
                    f"{inherent}; controls cannot raise a risk",
                    f"rate the residual {name} at most {inherent}, or correct the inherent rating",
                )


@rule(
    "risk-category",
    Severity.WARNING,
    "A match's declared risk category agrees with its register: a high-risk match given its own match "
    "plan has a register, and no register rates a risk above what its match's category allows (warning).",
    explanation="A match's risk category (low, medium, high) sets its policing and stewarding levels, and "
    "the register is the assessment behind it. A low match allows inherent risks up to medium, a "
    "medium match up to high; a critical (or for a low match, high) inherent risk says the match is "
    "categorised too low. A high-risk match that a match overlay gives its own measures has a register "
    "saying what those measures control. The band check needs the plan's thresholds, so it runs once "
    "everything else is clean.",
    failing="# venues/v1.yaml: matches: [{id: m1, risk: medium}]\n# risks/m1.yaml\nrisks:\n"
    "  - {id: R01, likelihood: 4, impact: 4}\n",
    fixed="# venues/v1.yaml: matches: [{id: m1, risk: high}]\n",
)
def risk_category(r: Rule, index: Index) -> Iterator[Finding]:
    assessed = {d.data.get("match") for d in registers(index)} | {
        d.data.get("match") for d in index.rejected if d.kind == KIND
    }
    planned = {block.target for block in index.operation_blocks() if block.layer == "match"}
    for _, match in index.matches():
        match_id = match.value.get("id")
        if match.value.get("risk") == "high" and match_id in planned and match_id not in assessed:
            yield r.finding(
                match.at("risk"),
                f"match '{match_id}' is declared high risk and has its own match plan, but no risk register",
                f"write risks/{match_id}.yaml (kind: risk-register): the assessment behind the category",
            )


# -- against the resolved plan -----------------------------------------------------------------
def register_findings(plan: Plan, register: Document) -> list[Finding]:
    """What is wrong with ``register`` for the resolved plan of its match: controls the plan
    removes or does not apply, the band thresholds missing, a risk rated above what the match's
    declared category allows."""
    found = list(_control_findings(plan, register))
    try:
        matrix = Matrix.from_values(plan.parameter_values())
    except RiskBandsError as exc:
        found.append(
            Finding(
                register.locate(("risks",), key=True),
                RISK_BANDS,
                Severity.ERROR,
                f"cannot band this register's risks: {exc}",
                "declare risk_band_medium_from < risk_band_high_from < risk_band_critical_from "
                "(see the built-in command-control protocol)",
            )
        )
        return found
    found.extend(_category_findings(plan, register, matrix))
    return found


def _control_findings(plan: Plan, register: Document) -> Iterator[Finding]:
    where = f"match '{plan.match['id'] if plan.match else register.data['match']}' at venue '{plan.venue['id']}'"
    for position, risk in enumerate(register.data["risks"]):
        for step, control in enumerate(risk["controls"]):
            item = plan.item(control)
            if item is None:
                problem, hint = "is not in the plan of", "name an item this match's plan has"
            elif item.state == REMOVED:
                problem = f"is removed ({item.removal['file']}:{item.removal['line']}) from the plan of"
                hint = "name the item that replaces it, or keep the item at this venue"
            elif item.state == NOT_APPLICABLE:
                problem, hint = "does not apply in the plan of", "name an item that applies at this venue"
            else:
                continue
            yield Finding(
                register.locate(("risks", position, "controls", step)),
                "risk-control",
                Severity.ERROR,
                f"control '{control}' of risk '{risk['id']}' {problem} {where}; it can never be in place",
                hint,
            )


def _category_findings(plan: Plan, register: Document, matrix: Matrix) -> Iterator[Finding]:
    """At most one warning a register: its highest inherent risk, when above the category."""
    category = (plan.match or {}).get("risk")
    if category not in CATEGORY_ALLOWS:
        return
    allowed = CATEGORY_ALLOWS[category]
    rated = [(score(r["likelihood"], r["impact"]), position) for position, r in enumerate(register.data["risks"])]
    top, position = max(rated, key=lambda pair: (pair[0], -pair[1]))
    band = matrix.band(top)
    if above(band, allowed):
        risk = register.data["risks"][position]
        yield Finding(
            register.locate(("risks", position, "likelihood")),
            "risk-category",
            Severity.WARNING,
            f"risk '{risk['id']}' is rated {band} ({risk['likelihood']} × {risk['impact']} = {top}), above what "
            f"match '{plan.match['id']}' declared '{category}' risk allows (at most {allowed})",
            "raise the match's 'risk' in its venue file, or review the rating with the assessor",
        )
