"""A match's risk assessment in the plan: the 5×5 heat map (cells coloured by band, each risk id
in the cell of its effective rating) and the register table (inherent, controls with their
state, residual, effective).

It reads the released report: a release has already left out a register above its level
(release/redact.py). The heat map is drawn with reportlab graphics in the plan's language and,
in Arabic, mirrored: impact grows right to left and the likelihood words stand on the right.
"""

from __future__ import annotations

from reportlab.graphics.shapes import Drawing, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, Spacer, TableStyle

from eventsec.assess.risk.register import AssessedRegister, AssessedRisk, Rating
from eventsec.plan.risk_matrix import BANDS, SCALE, Matrix, score
from eventsec.render.context import Ctx, w
from eventsec.render.styles import MUTED, NAVY

BAND_COLOURS = {
    "low": colors.HexColor("#B9DFBB"),
    "medium": colors.HexColor("#FFE08A"),
    "high": colors.HexColor("#FDB46C"),
    "critical": colors.HexColor("#EF8A80"),
}
"""Light fills, so the ids printed on them stay legible in grey-scale print too."""

CELL_W, CELL_H = 24 * mm, 12 * mm
LABEL_W = 38 * mm
"""The likelihood words' column."""
BOTTOM = 14 * mm
"""Room under the grid for the impact numbers, words and axis title."""
TOP = 6 * mm
"""Room above the grid for the likelihood axis title."""
IDS_A_LINE, ID_LINES = 3, 3
"""A cell holds three lines of three ids; more say "+N" (the register table lists every risk)."""
DONE_MARK, PLANNED_MARK, MISSING_MARK = "☑", "◷", "☐"


def band_word(c: Ctx, band: str) -> str:
    return c.t(f"riskreg_band_{band}")


def rating(c: Ctx, value: Rating) -> str:
    """4 × 4 = 16 high."""
    return f"{value.likelihood} × {value.impact} = {value.score} {band_word(c, value.band)}"


def band_ranges(c: Ctx, matrix: Matrix) -> str:
    """Each band's lowest and highest score on the 5×5 matrix, in band order."""
    scores = sorted({score(likelihood, impact) for likelihood in SCALE for impact in SCALE})
    said = []
    for band in BANDS:
        inside = [s for s in scores if matrix.band(s) == band]
        if inside:
            said.append(c.t("riskreg_band_range", band=band_word(c, band), low=inside[0], high=inside[-1]))
    return ", ".join(said)


def cell_ids(register: AssessedRegister) -> dict[tuple[int, int], list[str]]:
    """Risk ids by the (likelihood, impact) cell of their effective rating."""
    cells: dict[tuple[int, int], list[str]] = {}
    for risk in register.risks:
        effective = risk.effective
        cells.setdefault((effective.likelihood, effective.impact), []).append(risk.id)
    return cells


def id_lines(ids: list[str]) -> list[str]:
    """The ids of one cell as the lines it shows: three a line, the last line "+N" when more
    risks share the cell than three lines hold."""
    lines = [", ".join(ids[i : i + IDS_A_LINE]) for i in range(0, len(ids), IDS_A_LINE)]
    if len(lines) <= ID_LINES:
        return lines
    return lines[: ID_LINES - 1] + [f"+{len(ids) - IDS_A_LINE * (ID_LINES - 1)}"]


def heat_map(c: Ctx, register: AssessedRegister) -> Drawing:
    """The 5×5 matrix: likelihood up, impact across (right to left in Arabic), each cell coloured
    by its band, with its score in a corner and the ids of the risks rated there."""
    rtl = c.x.rtl
    width, height = LABEL_W + 5 * CELL_W, BOTTOM + 5 * CELL_H + TOP
    drawing = Drawing(width, height, initialFontName="PlanSans")
    grid_x = 0 if rtl else LABEL_W
    label_side = (5 * CELL_W + 2 * mm, "start") if rtl else (LABEL_W - 2 * mm, "end")
    """Where the likelihood words stand: left of the grid, or right of it in Arabic."""
    ids = cell_ids(register)

    def column_x(impact: int) -> float:
        return grid_x + ((5 - impact) if rtl else (impact - 1)) * CELL_W

    def text(x: float, y: float, said: str, size: float, anchor: str, colour=NAVY, bold: bool = False) -> None:
        drawing.add(
            String(
                x,
                y,
                c.x.shape(said),
                fontName="PlanSans-Bold" if bold else "PlanSans",
                fontSize=size,
                fillColor=colour,
                textAnchor=anchor,
            )
        )

    for likelihood in SCALE:
        y = BOTTOM + (likelihood - 1) * CELL_H
        for impact in SCALE:
            x = column_x(impact)
            value = score(likelihood, impact)
            fill = BAND_COLOURS[register.matrix.band(value)]
            drawing.add(Rect(x, y, CELL_W, CELL_H, fillColor=fill, strokeColor=colors.white, strokeWidth=1.2))
            corner = (x + 1.2 * mm, "start") if not rtl else (x + CELL_W - 1.2 * mm, "end")
            text(corner[0], y + CELL_H - 3 * mm, str(value), 5.5, corner[1], MUTED)
            lines = id_lines(ids.get((likelihood, impact), []))
            for n, line in enumerate(lines):
                offset = (n - (len(lines) - 1) / 2) * 3 * mm
                text(x + CELL_W / 2, y + CELL_H / 2 - 1.5 * mm - offset, line, 7, "middle", bold=True)
        label = f"{likelihood} {c.t(f'riskreg_likelihood_{likelihood}')}"
        text(label_side[0], y + CELL_H / 2 - 1.2 * mm, label, 7, label_side[1])
    for impact in SCALE:
        centre = column_x(impact) + CELL_W / 2
        text(centre, BOTTOM - 4 * mm, str(impact), 7, "middle")
        text(centre, BOTTOM - 7.5 * mm, c.t(f"riskreg_impact_{impact}"), 6.5, "middle")
    text(grid_x + 5 * CELL_W / 2, 0.8 * mm, c.t("riskreg_impact"), 7.5, "middle", bold=True)
    text(label_side[0], height - TOP + 1.5 * mm, c.t("riskreg_likelihood"), 7.5, label_side[1], bold=True)
    drawing.hAlign = "RIGHT" if rtl else "LEFT"
    return drawing


def controls_cell(c: Ctx, risk: AssessedRisk) -> str:
    """Each control with its state: ☑ done, ◷ planned (a match-day item not yet due), ☐ not done."""

    def mark(control: str) -> str:
        return MISSING_MARK if control in risk.missing else PLANNED_MARK if control in risk.planned else DONE_MARK

    return "\n".join(f"{mark(control)} {control}" for control in risk.controls)


def effective_cell(c: Ctx, risk: AssessedRisk) -> str:
    said = band_word(c, risk.effective.band)
    if risk.accepted:
        accepted = c.t("riskreg_effective_accepted", role=c.role(risk.accepted["by"]), date=c.d(risk.accepted["date"]))
        return f"{said}\n{c.t('riskreg_effective_residual')}\n{accepted}"
    if risk.controlled:
        return f"{said}\n{c.t('riskreg_effective_residual')}"
    return f"{said}\n{c.t('riskreg_effective_inherent')}"


def register_table(c: Ctx, register: AssessedRegister) -> Flowable:
    header = [
        "riskreg_col_risk",
        "riskreg_col_category",
        "riskreg_col_hazard",
        "riskreg_col_inherent",
        "riskreg_col_owner",
        "riskreg_col_controls",
        "riskreg_col_residual",
        "riskreg_col_effective",
    ]
    rows = [
        [
            risk.id,
            c.t(f"riskreg_category_{risk.category}"),
            c.localized(risk.entry, "hazard")[0],
            rating(c, risk.inherent),
            c.role(risk.owner),
            controls_cell(c, risk),
            rating(c, risk.residual),
            effective_cell(c, risk),
        ]
        for risk in register.risks
    ]
    table = c.table([c.t(h) for h in header], rows, w(0.08, 0.1, 0.185, 0.11, 0.13, 0.15, 0.11, 0.135))
    column = 0 if c.x.rtl else len(header) - 1
    table.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (column, row), (column, row), BAND_COLOURS[risk.effective.band])
                for row, risk in enumerate(register.risks, start=1)
            ]
        )
    )
    return table


def match_date(c: Ctx, match_id: str) -> str:
    matches = [c.plan.match] if c.plan.match else c.plan.venue.get("matches") or []
    day = next((m.get("date") for m in matches if m and m.get("id") == match_id), None)
    return c.d(day) if day else ""


def risk_register(c: Ctx, match_id: str, level: int = 1, toc: bool = True) -> list[Flowable]:
    """The heat map and the register of one match, under a heading of ``level``; [] when the
    match has no register (or the release withheld it)."""
    register = c.r.risks.get(match_id)
    if register is None:
        return []
    out: list[Flowable] = [
        CondPageBreak(110 * mm),
        c.heading(c.t("riskreg_heading", match=match_id, date=match_date(c, match_id)), level, toc=toc),
        c.p(c.t("riskreg_assessed", role=c.role(register.assessed_by), date=c.d(register.assessed_on))),
    ]
    if register.illustrative:
        out.append(c.p(c.t("riskreg_illustrative"), c.s.small))
    verdicts = {"no_go": c.t("verdict_NO-GO"), "at_risk": c.t("verdict_AT-RISK")}
    out += [
        c.p(c.t("riskreg_intro", **verdicts), c.s.small),
        c.p(c.t("riskreg_highest", band=band_word(c, register.highest)), c.s.body)
        if register.highest
        else Spacer(1, 0),
        c.heading(c.t("riskreg_heat_map"), min(level + 1, 2), toc=False),
        heat_map(c, register),
        c.p(
            c.t("riskreg_heat_map_note") + " " + c.t("riskreg_bands", bands=band_ranges(c, register.matrix)), c.s.small
        ),
        Spacer(1, 3 * mm),
        register_table(c, register),
        c.p(c.t("riskreg_controls_key"), c.s.small),
    ]
    return out
