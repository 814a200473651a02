"""Plain-reportlab baseline for the render benchmark: the same story, laid out without eventsec.

    # 1. export the story eventsec builds for one venue (this step imports eventsec)
    .venv/bin/python bench/render_baseline.py export samples/wc2030 --venue ma-rabat --as-of 2030-03-01 \
        -o bench/data/render-story.json
    # 2. rebuild it with plain reportlab and time it (this step never imports eventsec)
    .venv/bin/python bench/render_baseline.py run bench/data/render-story.json --renders 3

``export`` resolves the venue (``build_report``), calls ``eventsec.render.build.render_plan`` and
takes the story that render_plan hands to ``PlanDocument.multiBuild`` (eventsec's own section
functions, ``eventsec.render.sections.SECTIONS``), writing every flowable of it to JSON: each
Paragraph's markup and style, each Table's cells, column widths, row heights, repeat rows,
alignment and every TableStyle command given to it, KeepTogether groups, spacers, page breaks,
conditional page breaks, the contents table and the bar chart's shapes. Headings keep their
outline level and contents text.

``run`` registers the same TrueType font files with reportlab, rebuilds the story from the JSON
(``Paragraph``, ``Table``, ``KeepTogether`` …: the constructors do the markup parsing that
eventsec's sections do) and lays it out with a plain ``BaseDocTemplate`` (A4, one frame with the
same margins, a simple onPage header and footer) and a ``TableOfContents`` fed by
``afterFlowable`` with bookmarks and outline entries, the reportlab user-guide pattern, through
``multiBuild``. Each timed render is: (first render only) font registration, story
construction, ``multiBuild`` into memory. The first render of a process is reported as "cold",
the others as "warm". It prints one JSON line: times by phase, pages, PDF bytes, and the
``eventsec`` modules imported (there must be none).

The page count must equal eventsec's for the same story (bench_render.py checks it): that shows
the rebuilt story lays out the same.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import time
from pathlib import Path
from typing import Any

MM = 72 / 25.4
MARGIN = 18 * MM  # eventsec.render.document.MARGIN (not imported: the run step stays eventsec-free)


# Export (uses eventsec) ----------------------------------------------------------------------
def _record_table_calls() -> None:
    """Make reportlab Tables remember their constructor arguments and every style command."""
    from reportlab.platypus import Table

    init, set_style = Table.__init__, Table.setStyle

    def recording_init(self, data, colWidths=None, rowHeights=None, style=None, repeatRows=0, **kw):
        self._bench_args = {
            "colWidths": colWidths,
            "rowHeights": rowHeights,
            "repeatRows": repeatRows,
            "hAlign": kw.get("hAlign"),
        }
        self._bench_commands = []
        init(self, data, colWidths=colWidths, rowHeights=rowHeights, style=style, repeatRows=repeatRows, **kw)

    def recording_set_style(self, tblstyle):
        commands = tblstyle.getCommands() if hasattr(tblstyle, "getCommands") else list(tblstyle)
        self.__dict__.setdefault("_bench_commands", []).extend(commands)
        return set_style(self, tblstyle)

    Table.__init__, Table.setStyle = recording_init, recording_set_style


def _value(value: Any) -> Any:
    from reportlab.lib.colors import Color

    if isinstance(value, Color):
        return {"_rgba": [value.red, value.green, value.blue, value.alpha]}
    if isinstance(value, (list, tuple)):
        return [_value(v) for v in value]
    return value


class _Exporter:
    def __init__(self) -> None:
        self.styles: dict[str, dict] = {}
        self.counts: dict[str, int] = {}

    def style(self, style) -> str:
        if style.name not in self.styles:
            self.styles[style.name] = {k: _value(v) for k, v in style.__dict__.items() if k != "parent"}
        return style.name

    def flowable(self, f: Any) -> dict:
        from reportlab.graphics.shapes import Drawing
        from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Paragraph, Spacer, Table
        from reportlab.platypus.tableofcontents import TableOfContents

        kind = type(f).__name__
        self.counts[kind] = self.counts.get(kind, 0) + 1
        if type(f) is Paragraph:
            out: dict = {"t": "P", "text": f.text, "style": self.style(f.style)}
            if getattr(f, "bulletText", None):
                out["bullet"] = f.bulletText
            if getattr(f, "outline_level", None) is not None:
                out["outline"] = [f.outline_level, f.outline_title, f.toc_text]
            return out
        if kind == "RTLParagraph":
            # An Arabic headline quoted in a left-to-right plan: plain reportlab lays out the same
            # words as an ordinary Paragraph (it has no right-to-left line breaking of its own).
            from xml.sax.saxutils import escape

            return {"t": "P", "text": escape(f.text), "style": self.style(f.style)}
        if type(f) is Spacer:
            return {"t": "Spacer", "w": f.width, "h": f.height}
        if type(f) is PageBreak:
            return {"t": "PageBreak"}
        if type(f) is CondPageBreak:
            return {"t": "CondPageBreak", "h": f.height}
        if type(f) is KeepTogether:
            return {"t": "KeepTogether", "content": [self.flowable(x) for x in f._content], "maxHeight": f._maxHeight}
        if type(f) is TableOfContents:
            return {
                "t": "TOC",
                "levelStyles": [self.style(s) for s in f.levelStyles],
                "dotsMinLevel": f.dotsMinLevel,
                "tableStyle": _value(f.tableStyle.getCommands()),
            }
        if type(f) is Table:
            cells = [[self.cell(c) for c in row] for row in f._cellvalues]
            args = f._bench_args
            return {
                "t": "Table",
                "cells": cells,
                "colWidths": args["colWidths"],
                "rowHeights": list(f._argH),
                "repeatRows": args["repeatRows"],
                "hAlign": args["hAlign"],
                "commands": _value(f._bench_commands),
            }
        if type(f) is Drawing:
            return {
                "t": "Drawing",
                "w": f.width,
                "h": f.height,
                "initialFontName": getattr(f, "initialFontName", None),
                "transform": list(f.transform),
                "shapes": [self.shape(s) for s in f.contents],
            }
        raise SystemExit(f"render_baseline: no export for flowable type {kind}; extend _Exporter.flowable")

    def cell(self, c: Any) -> dict:
        """A table cell: a flowable, a list of flowables (a sentence over its expression), or text."""
        if hasattr(c, "wrapOn"):
            return self.flowable(c)
        if isinstance(c, (list, tuple)):
            return {"t": "list", "v": [self.cell(x) for x in c]}
        return {"t": "str", "v": str(c)}

    def shape(self, s: Any) -> dict:
        kind = type(s).__name__
        if kind == "Group":  # the command diagram's boxes: a rectangle and its labels
            return {"t": "Group", "transform": list(s.transform), "contents": [self.shape(x) for x in s.contents]}
        fields = {
            "Line": ("x1", "y1", "x2", "y2", "strokeColor", "strokeWidth"),
            "Rect": ("x", "y", "width", "height", "fillColor", "strokeColor", "strokeWidth"),
            "String": ("x", "y", "text", "fontName", "fontSize", "fillColor", "textAnchor"),
            "PolyLine": ("points", "strokeColor", "strokeWidth", "fillColor"),
        }.get(kind)
        if fields is None:
            raise SystemExit(f"render_baseline: no export for drawing shape {kind}")
        return {"t": kind, **{k: _value(getattr(s, k)) for k in fields}}


def export(workspace: Path, venue: str, as_of: str, lang: str, font: str | None) -> dict:
    """The story eventsec builds for ``venue``, as JSON-able data, with eventsec's page count.

    ``render_plan`` is called as it is; the story is taken from its call to
    ``PlanDocument.multiBuild`` (and serialized before layout), so whatever render_plan puts in
    the story is what the baseline lays out.
    """
    _record_table_calls()
    from eventsec.checks.validate import load_workspace
    from eventsec.render import build
    from eventsec.render.fonts import find_font_files
    from eventsec.render.report import build_report

    loaded, result = load_workspace(workspace)
    if loaded is None:
        raise SystemExit(f"{workspace} does not validate: {len(result.findings)} findings")
    report, findings = build_report(loaded, venue, as_of, lang)
    if report is None:
        raise SystemExit(f"{venue} does not resolve: {findings[:3]}")
    exporter = _Exporter()
    captured: list = []
    multi_build = build.PlanDocument.multiBuild

    def capturing_multi_build(self, story, *args, **kwargs):
        captured.append([exporter.flowable(f) for f in story])
        return multi_build(self, story, *args, **kwargs)

    build.PlanDocument.multiBuild = capturing_multi_build
    try:
        pages = build.render_plan(report, font).pages
    finally:
        build.PlanDocument.multiBuild = multi_build
    regular, bold = find_font_files(font)
    return {
        "workspace": str(workspace),
        "venue": venue,
        "as_of": as_of,
        "lang": lang,
        "eventsec_pages": pages,
        "fonts": {"regular": str(regular), "bold": str(bold)},
        "header": f"{report.plan.tournament.get('name', '')} — {report.plan.venue.get('name', venue)}",
        "marking": report.marking.upper(),
        "styles": exporter.styles,
        "counts": exporter.counts,
        "story_top_level": len(captured[0]),
        "story": captured[0],
    }


# Run (plain reportlab only) ------------------------------------------------------------------
def _color(value: Any) -> Any:
    from reportlab.lib.colors import Color

    if isinstance(value, dict) and "_rgba" in value:
        r, g, b, a = value["_rgba"]
        return Color(r, g, b, alpha=a)
    if isinstance(value, list):
        return [_color(v) for v in value]
    return value


def _command(command: list) -> tuple:
    name, start, stop, *rest = command
    return (name, tuple(start), tuple(stop), *[_color(v) for v in rest])


class Builder:
    """Rebuilds the exported story with reportlab classes."""

    def __init__(self, data: dict) -> None:
        from reportlab.lib.styles import ParagraphStyle

        self.styles = {}
        for name, attrs in data["styles"].items():
            attrs = {k: _color(v) for k, v in attrs.items() if k != "name"}
            self.styles[name] = ParagraphStyle(name, **attrs)

    def flowable(self, d: dict) -> Any:
        from reportlab.graphics.shapes import Drawing
        from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle
        from reportlab.platypus.tableofcontents import TableOfContents

        kind = d["t"]
        if kind == "P":
            p = Paragraph(d["text"], self.styles[d["style"]], bulletText=d.get("bullet"))
            if "outline" in d:
                p.outline_level, p.outline_title, p.toc_text = d["outline"]
            return p
        if kind == "Spacer":
            return Spacer(d["w"], d["h"])
        if kind == "PageBreak":
            return PageBreak()
        if kind == "CondPageBreak":
            return CondPageBreak(d["h"])
        if kind == "KeepTogether":
            return KeepTogether([self.flowable(x) for x in d["content"]], maxHeight=d["maxHeight"])
        if kind == "TOC":
            toc = TableOfContents(dotsMinLevel=d["dotsMinLevel"])
            toc.levelStyles = [self.styles[name] for name in d["levelStyles"]]
            toc.tableStyle = TableStyle([_command(c) for c in d["tableStyle"]])
            return toc
        if kind == "Table":
            cells = [[self.cell(c) for c in row] for row in d["cells"]]
            table = Table(cells, colWidths=d["colWidths"], repeatRows=d["repeatRows"], hAlign=d["hAlign"])
            table.setStyle(TableStyle([_command(c) for c in d["commands"]]))
            for row, height in enumerate(d["rowHeights"]):
                if height is not None:
                    table._argH[row] = height
            return table
        if kind == "Drawing":
            drawing = Drawing(d["w"], d["h"], initialFontName=d["initialFontName"])
            drawing.transform = tuple(d["transform"])
            for s in d["shapes"]:
                drawing.add(self.shape(s))
            return drawing
        raise SystemExit(f"render_baseline: unknown exported flowable {kind}")

    def shape(self, s: dict) -> Any:
        from reportlab.graphics.shapes import Group, Line, PolyLine, Rect, String

        if s["t"] == "Group":
            group = Group(*(self.shape(x) for x in s["contents"]))
            group.transform = tuple(s["transform"])
            return group
        values = {k: _color(v) for k, v in s.items() if k != "t"}
        if s["t"] == "Line":
            return Line(values.pop("x1"), values.pop("y1"), values.pop("x2"), values.pop("y2"), **values)
        if s["t"] == "Rect":
            return Rect(values.pop("x"), values.pop("y"), values.pop("width"), values.pop("height"), **values)
        if s["t"] == "PolyLine":
            return PolyLine(values.pop("points"), **values)
        return String(values.pop("x"), values.pop("y"), values.pop("text"), **values)

    def cell(self, c: dict) -> Any:
        if c["t"] == "str":
            return c["v"]
        if c["t"] == "list":
            return [self.cell(x) for x in c["v"]]
        return self.flowable(c)

    def story(self, data: dict) -> list:
        return [self.flowable(d) for d in data["story"]]


def make_document(buffer: io.BytesIO, data: dict):
    """A plain BaseDocTemplate: A4, one frame, header/footer on each page, TOC entries and outline."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    width, height = A4

    def decorate(canvas, doc) -> None:
        if doc.page == 1:
            return
        canvas.saveState()
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, height - 12 * MM, width - MARGIN, height - 12 * MM)
        canvas.line(MARGIN, 12 * MM, width - MARGIN, 12 * MM)
        canvas.setFont("PlanSans", 7.5)
        canvas.drawString(MARGIN, height - 10 * MM, data["header"])
        canvas.drawRightString(width - MARGIN, 8 * MM, f"Page {doc.page}")
        canvas.setFont("PlanSans-Bold", 8)
        canvas.drawCentredString(width / 2, 8 * MM, data["marking"])
        canvas.drawRightString(width - MARGIN, height - 10 * MM, data["marking"])
        canvas.restoreState()

    class Document(BaseDocTemplate):
        def __init__(self, target) -> None:
            super().__init__(
                target,
                pagesize=A4,
                leftMargin=MARGIN,
                rightMargin=MARGIN,
                topMargin=MARGIN,
                bottomMargin=MARGIN,
                invariant=1,
                title=data["header"],
            )
            frame = Frame(
                MARGIN,
                MARGIN,
                width - 2 * MARGIN,
                height - 2 * MARGIN,
                id="body",
                leftPadding=0,
                rightPadding=0,
                topPadding=0,
                bottomPadding=0,
            )
            self.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=decorate)])
            self.headings = 0

        def beforeDocument(self) -> None:
            self.headings = 0

        def afterFlowable(self, flowable) -> None:
            level = getattr(flowable, "outline_level", None)
            if level is None:
                return
            self.headings += 1
            key = f"h{self.headings}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.outline_title, key, level=level, closed=level > 0)
            if level <= 1:
                self.notify("TOCEntry", (level, flowable.toc_text, self.page, key))

    return Document(buffer)


def register(data: dict) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("PlanSans", data["fonts"]["regular"]))
    pdfmetrics.registerFont(TTFont("PlanSans-Bold", data["fonts"]["bold"]))
    pdfmetrics.registerFontFamily(
        "PlanSans", normal="PlanSans", bold="PlanSans-Bold", italic="PlanSans", boldItalic="PlanSans-Bold"
    )


def render(data: dict, first: bool) -> tuple[bytes, int, dict]:
    """One render; returns (pdf, pages, seconds by phase)."""
    times = {}
    start = time.perf_counter()
    if first:
        register(data)
    times["fonts_s"] = time.perf_counter() - start
    story = Builder(data).story(data)
    times["story_s"] = time.perf_counter() - start - times["fonts_s"]
    buffer = io.BytesIO()
    document = make_document(buffer, data)
    document.multiBuild(story)
    times["layout_s"] = time.perf_counter() - start - times["fonts_s"] - times["story_s"]
    times["total_s"] = time.perf_counter() - start
    return buffer.getvalue(), document.page, times


def run(path: Path, renders: int, pdf_out: Path | None) -> dict:
    data = json.loads(path.read_text(encoding="utf-8"))
    import reportlab.platypus
    import reportlab.platypus.tableofcontents  # noqa: F401

    runs = []
    for k in range(renders):
        cpu = time.process_time()
        pdf, pages, times = render(data, first=k == 0)
        runs.append({**times, "cpu_s": time.process_time() - cpu, "pages": pages, "bytes": len(pdf)})
        if pdf_out and k == 0:
            pdf_out.write_bytes(pdf)
    return {"runs": runs, "eventsec_imported": sorted(m for m in sys.modules if m.split(".")[0] == "eventsec")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    ex = sub.add_parser("export", help="write eventsec's story for one venue to JSON (imports eventsec)")
    ex.add_argument("workspace", type=Path)
    ex.add_argument("--venue", required=True)
    ex.add_argument("--as-of", required=True)
    ex.add_argument("--lang", default="en", help="left-to-right languages only (en, fr, es, pt)")
    ex.add_argument("--font", default=None)
    ex.add_argument("-o", "--out", type=Path, required=True)
    rn = sub.add_parser("run", help="rebuild the story with plain reportlab and time it (prints JSON)")
    rn.add_argument("story", type=Path)
    rn.add_argument("--renders", type=int, default=3, help="renders in this process; the first is 'cold'")
    rn.add_argument("--pdf", type=Path, default=None, help="also write the first PDF here")
    args = parser.parse_args()
    if args.command == "export":
        data = export(args.workspace, args.venue, args.as_of, args.lang, args.font)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
        print(json.dumps({"story": str(args.out), "eventsec_pages": data["eventsec_pages"], "counts": data["counts"]}))
    else:
        print(json.dumps(run(args.story, args.renders, args.pdf)))


if __name__ == "__main__":
    main()
