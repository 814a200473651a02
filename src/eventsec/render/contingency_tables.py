"""The contingency index (helper C's module)."""
# placeholder: replaced by helper C's module at merge

from __future__ import annotations

from reportlab.platypus import Flowable

from eventsec.render.context import Ctx


def contingency_index(c: Ctx) -> list[Flowable]:
    return []
