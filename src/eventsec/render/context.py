"""What every section of the plan is written with: the report, the styles, the text maker and
the plan's names, with helpers for tables and words in the plan's language."""

from __future__ import annotations

from typing import Any

from reportlab.platypus import Flowable, Table, TableStyle

from eventsec.assess.readiness.deadlines import milestone_clock, milestones
from eventsec.assess.readiness.scores import ItemReadiness
from eventsec.i18n.message import Message
from eventsec.render.document import FRAME_WIDTH
from eventsec.render.names import Names
from eventsec.render.paragraphs import TextMaker
from eventsec.render.report import PlanReport
from eventsec.render.styles import BAND, NAVY, RULE, Styles


class Ctx:
    """What every section needs: the report, the styles and the text maker."""

    def __init__(self, report: PlanReport, styles: Styles, text: TextMaker) -> None:
        self.r, self.s, self.x = report, styles, text
        self.plan = report.plan
        self.names = Names(report.plan, report.lang)
        self.labels = {name: parameter.label for name, parameter in report.plan.parameters.items()}
        """Parameters by label, for conditions said as sentences (built once per plan)."""

    def t(self, key: str, **values: Any) -> str:
        return self.x.t(key, **values)

    def n(self, value: float, decimals: int = 0) -> str:
        """A number in the plan's language; infinity as ∞."""
        return self.x.catalog.number(value, decimals)

    def m(self, message: Message) -> str:
        """An assessment's or a diff's message in the plan's language, place names included."""
        return self.x.catalog.message(self.names.message(message))

    def d(self, iso: str) -> str:
        return self.x.catalog.date(iso)

    def p(self, text: Any, style=None, bold_prefix: str = "") -> Flowable:
        return self.x.para(str(text), style or self.s.body, bold_prefix)

    def heading(self, text: str, level: int, toc: bool = True) -> Flowable:
        style = (self.s.h1, self.s.h2, self.s.h3)[level]
        flowable = self.p(text, style)
        if toc:
            flowable.outline_level = level
            flowable.outline_title = text
            flowable.toc_text = self.x.shape(text)
        return flowable

    def localized(self, entry: dict, field: str) -> tuple[str, bool]:
        """A content field in the plan's language; True when it fell back to English."""
        if self.r.lang != "en":
            translated = (entry.get("translations") or {}).get(self.r.lang, {}).get(field)
            if translated:
                return translated, False
            return str(entry.get(field, "")), bool(entry.get(field))
        return str(entry.get(field, "")), False

    def table(
        self,
        header: list[str],
        rows: list[list[Any]],
        widths: list[float],
        zebra: bool = True,
        row_height: float | None = None,
    ) -> Table:
        """A table that splits across pages with its header repeated; every cell wraps.

        ``row_height`` fixes the height of the body rows (room to sign in)."""
        if self.x.rtl:
            header, rows, widths = header[::-1], [row[::-1] for row in rows], widths[::-1]
        cells = [[self.p(h, self.s.header_cell) for h in header]]
        cells += [[c if isinstance(c, (Flowable, list)) else self.p(c, self.s.cell) for c in row] for row in rows]
        heights = [None] + [row_height] * len(rows) if row_height else None
        table = Table(
            cells, colWidths=widths, rowHeights=heights, repeatRows=1, hAlign="RIGHT" if self.x.rtl else "LEFT"
        )
        commands = [
            self.font_command(),
            ("BACKGROUND", (0, 0), (-1, 0), NAVY),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
        if zebra:
            commands += [("BACKGROUND", (0, i), (-1, i), BAND) for i in range(2, len(cells), 2)]
        table.setStyle(TableStyle(commands))
        return table

    def table_of_rows(self, header: list[str], rows: list[list[Any]], widths: list[float]) -> list[Flowable]:
        """The table, or nothing when a release withheld every row: a header row alone says nothing
        the section's withheld count does not."""
        return [self.table(header, rows, widths)] if rows else []

    def font_command(self) -> tuple:
        """reportlab sets each cell's font even for paragraph cells: keep it the embedded one."""
        return ("FONT", (0, 0), (-1, -1), self.s.body.fontName)

    def facts(self, rows: list[list[Any]]) -> Table:
        """A two-column label/value table without a header row."""
        cells = [[self.p(label, self.s.cell_bold), self.p(value, self.s.cell)] for label, value in rows]
        widths = w(0.3, 0.7)
        if self.x.rtl:
            cells, widths = [row[::-1] for row in cells], widths[::-1]
        table = Table(cells, colWidths=widths, hAlign="RIGHT" if self.x.rtl else "LEFT")
        table.setStyle(
            TableStyle(
                [
                    self.font_command(),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                    ("LINEABOVE", (0, 0), (-1, 0), 1.2, NAVY),
                    ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
                ]
            )
        )
        return table

    def level(self, name: str | None) -> str:
        """A release level or marking, in capitals, in the plan's language."""
        return self.x.catalog.level(str(name or "")).upper()

    def field(self, name: str) -> str:
        """An item field's name in the plan's language (a field eventsec does not know: as written)."""
        key = f"field_{name}"
        return self.t(key) if key in self.x.catalog.strings else name

    def field_value(self, name: str, value: Any) -> Any:
        """An item field's value as the plan says it: criticality and sensitivity words and owners
        in the plan's language; text, phases and ids as written."""
        if name == "criticality" and isinstance(value, str):
            return self.t(f"criticality_{value}")
        if name == "owner" and isinstance(value, str):
            return self.role(value)
        if name == "sensitivity" and isinstance(value, str):
            return self.x.catalog.level(value)
        if name == "due_before" and isinstance(value, list):
            return "; ".join(self.milestone_clock(entry) for entry in value if isinstance(entry, dict))
        return value

    def milestone_clock(self, entry: dict) -> str:
        """One ``due_before`` entry as the plan says it ("30 days before ticket on-sale")."""
        named = milestones(self.plan.tournament).get(str(entry.get("milestone")))
        name = named.name(self.x.catalog) if named else str(entry.get("milestone"))
        return milestone_clock(self.x.catalog, name, int(entry.get("days", 1)))

    def state(self, state: str) -> str:
        return self.t(f"state_{state}")

    def due(self, readiness: ItemReadiness | None) -> str:
        """The last day it is due (a 24:00 deadline is not shown as the next day), after the clock
        that set it for an item due before a milestone too, in the plan's language."""
        if readiness is None or readiness.due is None:
            return ""
        return readiness.due_said(self.x.catalog)

    def role(self, role_id: str) -> str:
        role = self.plan.roles.get(role_id)
        if not role:
            return role_id
        return self.localized(role, "title")[0]

    def domain_title(self, domain_id: str) -> str:
        domain = self.plan.domains.get(domain_id)
        return self.localized(domain, "title")[0] if domain else domain_id


def w(*fractions: float) -> list[float]:
    """Column widths as fractions of the frame width."""
    return [FRAME_WIDTH * f for f in fractions]
