"""Every lesson is answered by at least one item: a lesson nobody acts on is a lesson lost."""

from __future__ import annotations

from collections.abc import Iterator

from eventsec.checks.rule import Rule, rule
from eventsec.findings import Finding, Severity
from eventsec.load.index import Index


@rule(
    "lesson-uncovered",
    Severity.ERROR,
    "Every lesson is addressed by at least one item.",
    explanation="A lesson recorded from a past tournament is only learned when some item acts on it: at least one item lists it under `lessons`.",
    failing="lessons:\n  - id: T25-L02\n    title: Unanswered lesson\n# and no item lists T25-L02\n",
    fixed="items:\n  - id: CRW-004\n    lessons: [T25-L02]\n",
)
def lesson_uncovered(r: Rule, index: Index) -> Iterator[Finding]:
    linked = {lesson for _, item in index.items() for lesson in item.value.get("lessons") or []}
    linked |= {lesson for _, item in index.added_items() for lesson in item.value.get("lessons") or []}
    for lesson in index.lessons():
        ident = lesson.value.get("id")
        if isinstance(ident, str) and ident not in linked:
            yield r.finding(
                lesson.at("id"),
                f"lesson '{ident}' is not addressed by any item",
                f"add 'lessons: [{ident}]' to the item(s) that answer it",
            )
