"""Plain-text safety report: figures against targets, formulas and sources, then findings.

Its sentences come from the English catalog, the one the plans' other languages mirror."""

from __future__ import annotations

from eventsec.assess.safety.assessment import Figure, SafetyAssessment
from eventsec.i18n import catalog, english


def _value(value: float, figure: Figure) -> str:
    """A figure's value (or target) in English number format, to the figure's decimals."""
    return catalog("en").number(value, figure.decimals)


def render_text(assessment: SafetyAssessment, venue_name: str) -> str:
    a = assessment
    t = catalog("en").t
    n = catalog("en").number
    scope = t("cli_scope_match", match=a.match) if a.match else t("cli_scope_all")
    lines = [
        t("cli_safety_title", venue=venue_name, id=a.venue, scope=scope, attendance=n(a.attendance)),
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
    lines += ["", t("cli_formulas")]
    for formula in dict.fromkeys(f.formula for f in a.figures):
        lines.append(f"  {formula}")
    lines += ["", t("cli_parameters")]
    for name, parameter in a.parameters.items():
        flag = "  " + t("cli_unverified") if parameter.get("confidence") == "unverified" else ""
        lines.append(
            f"  {name} = {parameter['value']} {parameter.get('unit', '')} — "
            f"{parameter.get('source', t('cli_no_source'))}, {parameter.get('confidence', 'unverified')}{flag}"
        )
    lines += ["", t("cli_findings", count=len(a.findings))]
    if not a.findings:
        lines.append("  " + t("cli_no_findings"))
    for finding in a.findings:
        lines.append(f"  {finding.severity:<8} {english(finding.summary)}")
        lines.append(f"  {'':<8} " + t("cli_fix", fix=english(finding.remedy)))
    if a.unverified_parameters:
        lines += ["", t("cli_rests_on_unverified", names=", ".join(a.unverified_parameters))]
    return "\n".join(lines) + "\n"
