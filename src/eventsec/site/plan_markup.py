"""The HTML the plan chapters are written with: headings, paragraphs, tables and lists built as
strings with markupsafe, so every value is escaped once and the plan of a large venue (about a
hundred PDF pages) builds in a fraction of a second.

Text in another language than the page's gets its own ``lang`` (and ``dir``): Arabic quoted in a
left-to-right plan, and English a translation is still missing for. Arabic stays real text in
logical order; the browser shapes and lays it out (the PDF's reshaping is never used here).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from markupsafe import Markup, escape

from eventsec.i18n import catalog
from eventsec.render.context import Ctx
from eventsec.render.paragraphs import TextMaker
from eventsec.render.report import PlanReport

Cell = str | Markup


ARABIC = re.compile("[\u0600-\u06ff]")


def fmt(template: str, *values: Any, **named: Any) -> Markup:
    """``template`` (HTML we write) filled with ``values`` escaped: what ``Markup.format`` does,
    with str.format's C implementation (``Markup.format`` is the bulk of a plan's build time)."""
    return Markup(str(template).format(*(escape(v) for v in values), **{k: escape(v) for k, v in named.items()}))


def context(report: PlanReport) -> Ctx:
    """The PDF's word helpers (catalog, names, roles, states, deadlines) for ``report``: the
    same phrasing as the PDF, without its styles (no flowable is ever made here)."""
    return Ctx(report, None, TextMaker(catalog(report.lang)))  # type: ignore[arg-type]


def has_arabic(text: str) -> bool:
    """Whether ``text`` holds a letter of the Arabic block (U+0600–U+06FF)."""
    return ARABIC.search(text) is not None


def text(c: Ctx, value: Any, english: bool = False) -> Markup:
    """``value`` escaped, line breaks kept; marked as Arabic in a left-to-right page when written
    in Arabic, and as English when ``english`` (a translation fell back) and the page is not."""
    said = str(value)
    body = Markup("<br>").join(escape(line) for line in said.split("\n"))
    if not c.x.rtl and has_arabic(said):
        return fmt('<span lang="ar" dir="rtl">{}</span>', body)
    if english and c.r.lang != "en" and said:
        return fmt('<span lang="en" dir="ltr">{}</span>', body)
    return body


def localized(c: Ctx, entry: dict, field: str) -> Markup:
    """A content field in the plan's language, marked as English when it fell back."""
    value, fell_back = c.localized(entry, field)
    return text(c, value, english=fell_back)


def role_name(c: Ctx, role_id: str) -> Markup:
    """A role's title in the plan's language (marked as English when it fell back), or its id."""
    role = c.plan.roles.get(role_id)
    return localized(c, role, "title") if role else text(c, role_id)


def domain_name(c: Ctx, domain_id: str) -> Markup:
    """A domain's title in the plan's language (marked as English when it fell back), or its id."""
    domain = c.plan.domains.get(domain_id)
    return localized(c, domain, "title") if domain else text(c, domain_id)


def heading(level: int, said: Cell, anchor: str | None = None) -> Markup:
    attribute = fmt(' id="{}"', anchor) if anchor else Markup("")
    return fmt("<h{0}{1}>{2}</h{0}>\n", level, attribute, said)


def para(said: Cell, css: str | None = None, label: Cell | None = None) -> Markup:
    """A paragraph; ``label`` in bold before it ("Why: …"); ``css`` a class (``note`` for the
    small print the PDF sets smaller)."""
    attribute = fmt(' class="{}"', css) if css else Markup("")
    prefix = fmt("<strong>{}</strong> ", label) if label else Markup("")
    return fmt("<p{}>{}{}</p>\n", attribute, prefix, said)


def note(said: Cell) -> Markup:
    return para(said, "note")


def bullets(entries: Iterable[Cell], ordered: bool = False) -> Markup:
    tag = "ol" if ordered else "ul"
    inner = Markup("").join(fmt("<li>{}</li>", entry) for entry in entries)
    return fmt("<{0}>{1}</{0}>\n", tag, inner) if inner else Markup("")


def table(caption: Cell, header: Sequence[Cell], rows: Iterable[Sequence[Cell]], row_headers: bool = True) -> Markup:
    """A table with its caption and column headers; the first cell of each row heads the row
    (``row_headers``), so a screen reader says which item or section a value belongs to.
    Nothing when there are no rows: a header alone says nothing a withheld count does not."""
    body = []
    for row in rows:
        cells = []
        for number, cell in enumerate(row):
            if number == 0 and row_headers:
                cells.append(fmt('<th scope="row">{}</th>', cell))
            else:
                cells.append(fmt("<td>{}</td>", cell))
        body.append(fmt("<tr>{}</tr>\n", Markup("").join(cells)))
    if not body:
        return Markup("")
    head = Markup("").join(fmt('<th scope="col">{}</th>', h) for h in header)
    return fmt(
        "<table>\n<caption>{}</caption>\n<thead><tr>{}</tr></thead>\n<tbody>\n{}</tbody>\n</table>\n",
        caption,
        head,
        Markup("").join(body),
    )


def facts(caption: Cell, rows: Iterable[tuple[Cell, Cell]]) -> Markup:
    """Label/value pairs as a two-column table whose labels head their rows."""
    body = Markup("").join(fmt('<tr><th scope="row">{}</th><td>{}</td></tr>\n', k, v) for k, v in rows)
    return fmt("<table>\n<caption>{}</caption>\n<tbody>\n{}</tbody>\n</table>\n", caption, body)


def definitions(pairs: Iterable[tuple[Cell, Cell]]) -> Markup:
    """Label/value pairs of one item as a description list."""
    inner = Markup("").join(fmt("<dt>{}</dt><dd>{}</dd>", k, v) for k, v in pairs)
    return fmt("<dl>{}</dl>\n", inner)


def section(anchor: str, content: Iterable[Markup]) -> Markup:
    return fmt('<section id="{}">\n{}</section>\n', anchor, Markup("").join(content))


def item_link(item_id: str) -> Markup:
    """An item id that links to the item's details on the same page."""
    return fmt('<a href="#item-{0}">{0}</a>', item_id)
