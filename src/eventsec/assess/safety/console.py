"""Plain-text safety report: figures against targets, capacity by section and what governs it,
exit routes, the stewarding deployment and the medical provision, formulas and sources, then
findings.

Its sentences come from the English catalog, the one the plans' other languages mirror."""

from __future__ import annotations

from eventsec.assess.safety.assessment import CAPACITIES, Figure, SafetyAssessment, SectionCapacity
from eventsec.assess.safety.staffing import Deployment, MedicalProvision
from eventsec.assess.safety.tables import post_rows
from eventsec.formats import printable
from eventsec.i18n import catalog, english


def _value(value: float, figure: Figure) -> str:
    """A figure's value (or target) in English number format, to the figure's decimals."""
    return catalog("en").number(value, figure.decimals)


def _n(value: float | None, decimals: int = 0) -> str:
    """A number in English format; nothing for a capacity a section does not have."""
    return "—" if value is None else catalog("en").number(value, decimals)


def _columns(specs: tuple[str, ...], cells: list[str]) -> str:
    """One line of a table: each cell by its column's format ("<28" text, ">9" a number), cut
    to the width, made printable; a last column with an empty format is free text."""
    parts = []
    for spec, cell in zip(specs, cells, strict=True):
        width = int(spec[1:]) if spec else 0
        cell = printable(cell)
        parts.append(f"{cell[:width]:{spec}}" if spec else cell)
    return ("  " + "  ".join(parts)).rstrip()


def parameter_line(name: str, parameter: dict) -> str:
    """``name = value unit — where it comes from``: a source and confidence, or for an assumed
    parameter "assumed (planning value)" and what it was derived from, so it never reads as sourced."""
    t = catalog("en").t
    source = parameter.get("source")
    confidence = parameter.get("confidence", "unverified")
    if confidence == "assumed":
        said = t("cli_assumed_from", source=source) if source else t("cli_assumed")
    else:
        said = f"{source or t('cli_no_source')}, {confidence}"
    flag = "  " + t("cli_unverified") if confidence == "unverified" else ""
    return f"  {name} = {parameter['value']} {parameter.get('unit', '')} — {said}{flag}"


def governs(capacity: SectionCapacity) -> str:
    """What governs a section's safe capacity; for exit and emergency, the narrowest element too."""
    said = catalog("en").t(f"governs_{capacity.governs}")
    if capacity.governs in ("exit", "emergency") and capacity.bottleneck:
        said += f" ({capacity.bottleneck})"
    return said


def capacity_block(a: SafetyAssessment) -> list[str]:
    t = catalog("en").t
    widths = ("<28", ">9", ">9", ">9", ">9", ">9", ">13", "")
    header = [
        t("col_section"),
        *(t(f"governs_{name}").capitalize() for name in CAPACITIES),
        t("col_capacity"),
        t("col_governs"),
    ]
    lines = ["", t("section_capacities"), _columns(widths, header)]
    for s in a.sections:
        values = [s.holding, s.entry, s.exit, s.emergency, s.concourse, s.safe]
        lines.append(_columns(widths, [s.name, *(_n(v) for v in values), governs(s)]))
    return lines


def routes_block(a: SafetyAssessment) -> list[str]:
    t = catalog("en").t
    names = {s.section: s.name for s in a.sections}
    widths = ("<28", "<28", ">18", "")
    lines = ["", t("routes"), _columns(widths, [t("col_route"), t("col_serves"), t("col_flow"), t("col_bottleneck")])]
    for r in a.routes:
        serves = ", ".join(names.get(s, s) for s in r.sections)
        lines.append(_columns(widths, [r.name, serves, _n(r.flow, 1), r.governing_name]))
    return lines


def scope(a: SafetyAssessment) -> str:
    t = catalog("en").t
    return t("cli_scope_match", match=a.match) if a.match else t("staffing_scope_worst")


def deployment_block(a: SafetyAssessment, deployment: Deployment) -> list[str]:
    t = catalog("en").t
    names = {s.section: s.name for s in a.sections}
    widths = ("<28", "<22", ">9", "<9", ">10")
    intro = t(
        "stewarding_intro", scope=scope(a), risk=t(f"risk_{deployment.risk}"), attendance=_n(deployment.attendance)
    )
    header = [t("col_section"), t("col_kind"), t("col_stewards"), t("col_basis"), t("col_rule")]
    lines = ["", t("stewarding_deployment"), "  " + intro, _columns(widths, header)]
    for row in post_rows(deployment.posts):
        section = names.get(row.section, row.section) if row.section else t("venue_wide")
        basis = t("basis_declared" if row.declared else "basis_rule")
        rule = "" if row.rule is None else _n(row.rule)
        lines.append(_columns(widths, [section, t(f"steward_post_{row.kind}"), _n(row.stewards), basis, rule]))
    for key, count in (
        ("deployment_mobile", deployment.mobile),
        ("deployment_supervisors", deployment.supervisors),
        ("deployment_head", deployment.head_steward),
        ("deployment_total", deployment.total),
        ("deployment_workforce", deployment.workforce),
    ):
        lines.append(_columns(widths[:3], [t(key), "", _n(count)]))
    return lines


def medical_block(medical: MedicalProvision) -> list[str]:
    t = catalog("en").t
    widths = ("<28", ">14", ">9", ">9")
    intro = t(
        "medical_intro",
        attendance=_n(medical.attendance),
        risk=t(f"risk_{medical.risk}"),
        heat=t("medical_heat") if medical.heat else "",
    )
    header = [t("col_resource"), t("col_base"), t("col_factor"), t("col_required")]
    lines = ["", t("medical_provision"), "  " + intro, _columns(widths, header)]
    for row in medical.rows:
        cells = [t(f"safety_figure_{row.resource}"), _n(row.base), f"× {_n(row.factor, 2)}", _n(row.required)]
        lines.append(_columns(widths, cells))
    return lines


def render_text(assessment: SafetyAssessment, venue_name: str) -> str:
    a = assessment
    t = catalog("en").t
    n = catalog("en").number
    lines = [
        t("cli_safety_title", venue=printable(venue_name), id=a.venue, scope=scope(a), attendance=n(a.attendance)),
        "",
    ]
    if not a.has_geometry:
        lines += [*t("cli_safety_no_geometry").splitlines(), ""]
    lines.append(
        f"  {t('col_figure'):<44} {t('col_value'):>10}  {t('col_target'):>8}  {t('col_met'):<5} {t('col_confidence')}"
    )
    for figure in a.figures:
        status = "" if figure.target is None else t("cli_met" if figure.met else "cli_missed")
        target = "" if figure.target is None else f"≤ {_value(figure.target, figure)}"
        flag = " (!)" if figure.unverified else ""
        lines.append(
            f"  {figure.label[:44]:<44} {_value(figure.value, figure):>10}  {target:>8}  {status:<5} "
            f"{figure.confidence}{flag}"
        )
    if a.has_geometry:
        lines += ["", "  " + t("cli_safety_capacity", declared=n(a.declared_capacity), safe=n(a.safe_capacity))]
    if a.sections:
        lines += capacity_block(a)
    if a.routes:
        lines += routes_block(a)
    if a.deployment:
        lines += deployment_block(a, a.deployment)
    if a.medical:
        lines += medical_block(a.medical)
    lines += ["", t("cli_formulas")]
    for formula in dict.fromkeys(f.formula for f in a.figures):
        lines.append(f"  {formula}")
    lines += ["", t("cli_parameters")]
    lines += [parameter_line(name, parameter) for name, parameter in a.parameters.items()]
    lines += ["", t("cli_findings", count=len(a.findings))]
    if not a.findings:
        lines.append("  " + t("cli_no_findings"))
    for finding in a.findings:
        lines.append(f"  {finding.severity:<8} {english(finding.summary)}")
        lines.append(f"  {'':<8} " + t("cli_fix", fix=english(finding.remedy)))
    if a.unverified_parameters:
        lines += ["", t("cli_rests_on_unverified", names=", ".join(a.unverified_parameters))]
    return "\n".join(lines) + "\n"
