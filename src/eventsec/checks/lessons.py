"""Lessons a reader can trust: an item that states a fact about AFCON links a lesson that carries
it, and every lesson source gives an address a reader can open.

An item's text is what a planner reads and repeats. When it says what happened at AFCON 2025
("the joint communiqué counted 5 bladed weapons"), the claim is only as good as the lesson
behind it, so the item must link a lesson of an AFCON lessons document, and any figure it
states next to the tournament's name must appear in one of those lessons. Names are matched in
the five plan languages; figures are compared as digits, whatever their grouping or script.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from eventsec.checks.references import all_items
from eventsec.checks.rule import Rule, rule
from eventsec.findings import Finding, Severity
from eventsec.load.index import Index

EVENT_NAMES = re.compile(
    r"\bAFCON\b|\bCAN\b"
    r"|(?i:africa cup of nations|coupe d'afrique des nations|copa africana de naciones"
    r"|ta[çc]a das na[çc][õo]es africanas|copa das na[çc][õo]es africanas)"
    r"|كأس (?:أمم|الأمم) (?:إفريقيا|أفريقيا|الإفريقية|الأفريقية)"
)
"""How the Africa Cup of Nations is named in en, fr, ar, es and pt (AFCON and CAN in capitals)."""

FIGURE = re.compile(r"\d+(?:[,.\u00a0\u202f ]\d{3})*(?:[.,]\d+)?")
SENTENCE_END = re.compile(r"(?<=[.!?;:؟؛])\s+")
ARABIC_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
TEXT_FIELDS = ("title", "description")
LESSON_FIELDS = ("title", "observation")


def figures(text: str) -> set[str]:
    """The numbers in ``text`` as plain digits ("6 000", "6,000" and "٦٠٠٠" are all "6000"),
    leaving out years (four digits from 1900 to 2099 written without a separator)."""
    found = set()
    for match in FIGURE.finditer(text.translate(ARABIC_DIGITS)):
        raw = match.group()
        digits = re.sub(r"[,.\u00a0\u202f ](?=\d{3}\b)", "", raw)
        if re.fullmatch(r"(19|20)\d\d", raw):
            continue
        found.add(digits)
    return found


def texts(entry: dict, fields: tuple[str, ...]) -> Iterator[tuple[tuple, str]]:
    """Each text of ``fields`` in English and in every translation, with its data path."""
    for name in fields:
        if isinstance(entry.get(name), str):
            yield (name,), entry[name]
    for lang, translated in (entry.get("translations") or {}).items():
        for name in fields:
            if isinstance(translated, dict) and isinstance(translated.get(name), str):
                yield ("translations", lang, name), translated[name]


def event_sentences(text: str) -> list[str]:
    """The sentences (or clauses) of ``text`` that name the tournament."""
    return list(_event_sentences(text))


@functools.lru_cache(maxsize=16384)
def _event_sentences(text: str) -> tuple[str, ...]:
    """Remembered by text: the search is most of the lesson-claim rule's time, and validating
    one workspace again (the trend over its git history) meets the same texts again."""
    return tuple(sentence for sentence in SENTENCE_END.split(text) if EVENT_NAMES.search(sentence))


def event_lessons(index: Index) -> dict[str, set[str]]:
    """The figures each lesson of an AFCON lessons document carries, by lesson id. A lessons
    document is about AFCON when its event or title names the tournament."""
    carried: dict[str, set[str]] = {}
    for lesson in index.lessons():
        about = f"{lesson.document.data.get('event', '')} {lesson.document.data.get('title', '')}"
        if EVENT_NAMES.search(about) and isinstance(lesson.value.get("id"), str):
            carried[lesson.value["id"]] = {n for _, text in texts(lesson.value, LESSON_FIELDS) for n in figures(text)}
    return carried


@rule(
    "lesson-claim",
    Severity.WARNING,
    "An item that states a fact or figure about AFCON links an AFCON lesson that carries it.",
    explanation="An item's title or description (in any language) that names AFCON (CAN, كأس أمم إفريقيا …) is "
    "telling the planner what happened there. It must link at least one lesson of a lessons document whose "
    "event is AFCON, and every figure it gives in the same sentence must appear in the title or observation "
    "of a linked AFCON lesson. Otherwise the plan repeats a claim no source carries.",
    failing="items:\n  - id: SCR-005\n    description: AFCON 2025 screening seized 7 bladed weapons.\n"
    "    lessons: [AFCON25-L11]   # which says 5, and not where\n",
    fixed="items:\n  - id: SCR-005\n    description: The AFCON 2025 communiqué counted 5 bladed weapons seized.\n"
    "    lessons: [AFCON25-L11]\n",
)
def lesson_claim(r: Rule, index: Index) -> Iterator[Finding]:
    carried = event_lessons(index)
    for _, item in all_items(index):
        linked = [lesson for lesson in item.value.get("lessons") or [] if lesson in carried]
        known = set().union(*(carried[lesson] for lesson in linked))
        ident = item.value.get("id")
        for path, text in texts(item.value, TEXT_FIELDS):
            sentences = event_sentences(text)
            if sentences and not linked:
                yield r.finding(
                    item.at(*path),
                    f"item '{ident}' states a fact about AFCON but links no lesson of an AFCON lessons document",
                    "link the lesson that carries the fact (lessons: [...]) or remove the claim",
                )
                break
            missing = sorted({n for sentence in sentences for n in figures(sentence)} - known, key=len)
            if linked and missing:
                yield r.finding(
                    item.at(*path),
                    f"item '{ident}' states {', '.join(missing)} about AFCON, which no lesson it links carries",
                    f"correct the figure to what {', '.join(linked)} say(s), or link the lesson that carries it",
                )


@rule(
    "lesson-source-url",
    Severity.WARNING,
    "Every lesson source that is not marked unconfirmed gives the address of the report.",
    explanation="A reader checks a lesson by opening its source. An outlet, a date and a headline let a reader "
    "search for it; the address lets them open it. A source known only in print may go without one, which is "
    "why this is a warning; a source nobody can find is marked `confidence: unconfirmed` instead.",
    failing="sources:\n  - {outlet: Le Matin, date: '2026-01-09', title: CAN 2025 152 infractions, confidence: reported}\n",
    fixed="sources:\n  - {outlet: Le Matin, date: '2026-01-09', title: CAN 2025 152 infractions, confidence: reported,\n"
    "     url: 'https://lematin.ma/societe/…/323405'}\n",
)
def lesson_source_url(r: Rule, index: Index) -> Iterator[Finding]:
    for lesson in index.lessons():
        for position, source in enumerate(lesson.value.get("sources") or []):
            if isinstance(source, dict) and source.get("confidence") != "unconfirmed" and not source.get("url"):
                yield r.finding(
                    lesson.at("sources", position),
                    f"a source of lesson '{lesson.value.get('id')}' ({source.get('outlet')}) gives no address",
                    "add its url, or mark it confidence: unconfirmed with a note saying what is missing",
                )
