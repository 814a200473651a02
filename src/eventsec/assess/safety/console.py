"""Plain-text safety report: figures against targets, formulas and sources, then findings."""

from __future__ import annotations

from eventsec.assess.safety.assessment import Figure, SafetyAssessment
from eventsec.i18n import catalog


def _value(value: float, figure: Figure) -> str:
    """A figure's value (or target) in English number format, to the figure's decimals."""
    return catalog("en").number(value, figure.decimals)


def render_text(assessment: SafetyAssessment, venue_name: str) -> str:
    a = assessment
    scope = f"match {a.match}" if a.match else "all matches"
    lines = [f"Safety figures — {venue_name} ({a.venue}), {scope}, attendance {a.attendance:,}", ""]
    if not a.has_geometry:
        lines += [
            "No geometry in the venue file: entry, egress and capacity figures need sections, exits and",
            "entrances (see docs/authoring.md). Staffing figures follow.",
            "",
        ]
    lines.append(f"  {'figure':<44} {'value':>10}  {'target':>8}  {'':<5} confidence")
    for figure in a.figures:
        status = "" if figure.target is None else ("ok" if figure.met else "MISS")
        target = "" if figure.target is None else f"≤ {_value(figure.target, figure)}"
        flag = " (!)" if figure.unverified else ""
        lines.append(
            f"  {figure.label[:44]:<44} {_value(figure.value, figure):>10}  {target:>8}  {status:<5} "
            f"{figure.confidence}{flag}"
        )
    if a.has_geometry:
        lines += [
            "",
            f"  Declared capacity {a.declared_capacity:,}; safe capacity {a.safe_capacity:,} "
            "(lowest of holding, entry, exit and emergency capacity per section)",
        ]
    lines += ["", "Formulas"]
    for formula in dict.fromkeys(f.formula for f in a.figures):
        lines.append(f"  {formula}")
    lines += ["", "Parameters (value, unit, source, confidence)"]
    for name, parameter in a.parameters.items():
        flag = "  ← UNVERIFIED: confirm before relying on it" if parameter.get("confidence") == "unverified" else ""
        lines.append(
            f"  {name} = {parameter['value']} {parameter.get('unit', '')} — {parameter.get('source', 'no source')}, "
            f"{parameter.get('confidence', 'unverified')}{flag}"
        )
    lines += ["", f"Findings ({len(a.findings)})"]
    if not a.findings:
        lines.append("  none: every figure meets its target")
    for finding in a.findings:
        lines.append(f"  {finding.severity:<8} {finding.message}")
        lines.append(f"  {'':<8} fix: {finding.fix}")
    if a.unverified_parameters:
        lines += ["", f"(!) rests on unverified figures: {', '.join(a.unverified_parameters)}"]
    return "\n".join(lines) + "\n"
