"""The risk heat map and register of a match (helper B's module)."""
# placeholder: replaced by helper B's module at merge

from __future__ import annotations

from reportlab.platypus import Flowable

from eventsec.render.context import Ctx


def risk_register(c: Ctx, match_id: str) -> list[Flowable]:
    return []
