"""A plan in French, Arabic, Spanish or Portuguese holds no English text.

The sample plan (samples/wc2030, venue ma-rabat) is rendered once per language and its text
extracted with pypdf. The English the plan must not show is gathered from three sources:

- the interface catalog: each value of ``en.json`` that the language's catalog says
  differently, cut at its placeholders into fragments;
- the built-in library, read with eventsec's own loader: every prose field (titles,
  descriptions, evidence, observations, recommendations, remits, summaries, units…) of items,
  lessons, roles, domains, protocols and parameters whose text in the language differs from
  the English or is missing;
- the sample workspace, the same way (tournament and venue names, cities, section and gate
  names, overlay items…).

How text is compared: both sides are cut into words (runs of letters; a token holding a digit
or an underscore, such as ``ACC-001``, ``green-guide-6`` or ``egress_target_min``, is an id
and matches only itself), after NFKC normalisation, which also turns the Arabic presentation
forms pypdf extracts back into plain letters. Punctuation and line breaks are ignored, so a
text wrapped over lines or cells still matches. A text of up to five words must appear whole;
a longer one is found by any run of five consecutive words (a truncated chart label or evidence
cell still gives itself away). In an Arabic plan pypdf returns each Latin run of a line in
reading order (python-bidi keeps a left-to-right run in logical order inside a right-to-left
line) and Arabic words break the runs, so the same comparison works there; an English run
split by reordering inside a mixed line can only be missed, never invented.

What is not English text, and why (the only exemptions):

- a text the language's translation keeps as it is (a proper name, "Green Guide", "fan zones"
  in brackets), and any English wording that appears in the language's own catalog or
  translations: the translator chose it;
- a single word in capitals (an acronym: "ID", "FIFA"), and a word cut out of a catalog
  sentence by its placeholders ("of" in "{done} of {total}"); a value that is one word beside
  its placeholders still counts ("min" in "{count} min": units are said the language's way);
- ids, expressions and references: fields that are not prose are never read, and a protocol's
  ``references``, a lesson's ``sources`` and a parameter setting's ``source`` are cited as
  published (where a safety footnote cites a reference by its title, every three-word piece of
  the title is masked, and so is the source a section gives for its (S) and (P) factors, which
  the sections table cites as written, and each lesson source's outlet and headline, which the
  lessons page cites as published); ``applies_when`` is code (the appendix shows it under
  its sentence);
- people: contacts' names and phones;
- the venue team's status records (evidence, notes, reasons, owners): quoted as written. They
  often quote the library's evidence in English, so they are masked out of the plan text
  (each one, and its truncated form in the evidence column) before comparing.
"""

from __future__ import annotations

import functools
import io
import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from eventsec.checks.validate import builtin_documents, load_workspace
from eventsec.load.resources import library_dir
from eventsec.render.build import render_plan
from eventsec.render.report import build_report
from tests.conftest import ROOT

SAMPLE = ROOT / "samples" / "wc2030"
VENUE = "ma-rabat"
AS_OF = "2030-03-01"
LANGUAGES = ("fr", "ar", "es", "pt")
CATALOGS = ROOT / "src" / "eventsec" / "i18n"

SHINGLE = 5
"""Words compared at a time in a long text."""
PROSE = (
    "title",
    "name",
    "description",
    "evidence",
    "observation",
    "recommendation",
    "remit",
    "summary",
    "unit",
    "label",
    "city",
    "capacity_source",
    "illustrative",
    "distribution",
    "location",
    "reason",
    "note",
    "event",
    "agency",
)
"""Fields a plan may print as prose; every other field is an id, a number or code."""
CITED = ("references", "sources", "source", "contacts", "applies_when")
"""Subtrees never read: citations as published, people, code (see the module docstring)."""

LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
TOKEN = re.compile(r"\w+(?:['’\-]\w+)*")
ADDRESS = re.compile(r"\S*@\S+|[\w-]+(?:\.[\w-]+)+")
"""An email or a domain (``ops@ma-rabat.example``, or the ``-rabat.example`` an Arabic line
leaves of it): an id, whatever words it is made of."""
PIECE = re.compile(f"(?P<address>{ADDRESS.pattern})|(?P<token>{TOKEN.pattern})")
SCRIPTS = re.compile(r"[A-Za-z\u00c0-\u024f'’\-]+|[^A-Za-z\u00c0-\u024f'’\-]+")


def words(text: str) -> list[str]:
    """The text as comparable tokens: Latin words in lower case, ids (digits, underscores) and
    words of other scripts as ``#`` + themselves, so they only ever match themselves."""
    out: list[str] = []
    for found in PIECE.finditer(unicodedata.normalize("NFKC", text)):
        token = found.group()
        if found.lastgroup == "address" or any(ch.isdigit() or ch == "_" for ch in token):
            out.append("#" + token.lower())
            continue
        for part in SCRIPTS.findall(token):  # Arabic glued to a Latin word in a mixed line
            part = part.strip("'’-")
            if part:
                out.append(part.lower() if LATIN.match(part) else "#" + part)
    return out


def latin_words(needle: tuple[str, ...]) -> int:
    return sum(not token.startswith("#") for token in needle)


# --------------------------------------------------------------------------------- sources
@dataclass(frozen=True)
class English:
    """One English text the plan must not show, and where it comes from."""

    source: str
    text: str
    whole_value: bool = True
    """The text is a whole field or catalog value (not a fragment cut at a placeholder)."""

    def needles(self) -> list[tuple[str, ...]]:
        tokens = words(self.text)
        if len(tokens) == 1:
            word = tokens[0]
            single = self.whole_value and not word.startswith("#") and not self.text.isupper()
            return [tuple(tokens)] if single else []
        if len(tokens) <= SHINGLE:
            return [tuple(tokens)] if latin_words(tuple(tokens)) >= 2 else []
        shingles = {tuple(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1)}
        return sorted(s for s in shingles if latin_words(s) >= 2)


def catalog(lang: str) -> dict[str, str]:
    return json.loads((CATALOGS / f"{lang}.json").read_text(encoding="utf-8"))


def catalog_english(lang: str) -> Iterator[English]:
    """Values of en.json the language says differently, cut at their placeholders."""
    english, own = catalog("en"), catalog(lang)
    for key, value in english.items():
        if own.get(key) == value:
            continue
        fragments = [f for f in re.split(r"\{[^}]*\}", value) if f.strip()]
        for fragment in fragments:
            yield English(f"catalog {key}", fragment.strip(), whole_value=len(fragments) == 1)


def prose(data: Any, lang: str, path: str = "") -> Iterator[tuple[str, str, str | None]]:
    """(path, English, the language's text or None) for every prose field under ``data``."""
    if isinstance(data, list):
        for position, value in enumerate(data):
            yield from prose(value, lang, f"{path}[{position}]")
        return
    if not isinstance(data, dict):
        return
    label = f"{path}[{data['id']}]" if isinstance(data.get("id"), str) else path
    translated = (data.get("translations") or {}).get(lang) or {}
    for key, value in data.items():
        if key in ("translations", *CITED):
            continue
        where = f"{label}.{key}" if label else key
        if key in PROSE and isinstance(value, str):
            yield where, value, translated.get(key)
        elif key in PROSE and isinstance(value, list) and all(isinstance(v, str) for v in value):
            own = translated.get(key) if isinstance(translated.get(key), list) else []
            for position, entry in enumerate(value):
                yield f"{where}[{position}]", entry, own[position] if position < len(own) else None
        else:
            yield from prose(value, lang, where)


def document_english(documents, origin: str, base: Path, lang: str) -> Iterator[English]:
    """English prose of documents that the language does not say differently."""
    for document in documents:
        if document.kind == "status":  # the venue team's records, quoted as written
            continue
        if document.kind == "venue" and document.data.get("id") != VENUE:  # not in this plan
            continue
        name = Path(document.path).resolve().relative_to(base.resolve()).as_posix()
        for where, text, own in prose(document.data, lang):
            if own != text:
                yield English(f"{origin} {name} {where}", text)


def own_texts(documents, lang: str) -> Iterator[str]:
    """Every text written in the language: its catalog and the translations of the documents."""
    yield from catalog(lang).values()

    def walk(data: Any) -> Iterator[str]:
        if isinstance(data, dict):
            for key, value in data.items():
                if key == "translations" and isinstance(value, dict):
                    yield from _strings(value.get(lang))
                else:
                    yield from walk(value)
        elif isinstance(data, list):
            for value in data:
                yield from walk(value)

    for document in documents:
        yield from walk(document.data)


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


# ----------------------------------------------------------------------------- plan text
def ngrams(tokens: list[str], size: int) -> Iterator[tuple[str, ...]]:
    return (tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1))


def quoted(workspace) -> list[list[str]]:
    """Texts the plan quotes as written, as token lists (masked out of the plan): the venue's
    status records, every item's ``applies_when`` expression and every lesson source's outlet."""
    texts = []
    for document in workspace.index.documents:
        if document.kind == "status" and document.data.get("venue") == VENUE:
            for entry in (document.data.get("items") or {}).values():
                texts += [entry[key] for key in ("evidence", "reason", "note") if isinstance(entry.get(key), str)]
    for document in [*builtin_documents(), *workspace.index.documents]:
        texts += list(_expressions(document.data))
        texts += [
            source["outlet"]
            for lesson in document.data.get("lessons") or []
            for source in lesson.get("sources") or []
            if isinstance(source.get("outlet"), str)
        ]
    return [words(text) for text in texts]


def cited_titles(workspace) -> list[list[str]]:
    """The titles of the references the safety footnotes cite and the headlines of the lesson
    sources the lessons page cites, as token lists: as published, English (or French, or Arabic)
    whatever the plan's language. (A section's factors_source is translated like its
    name, so it is not exempt.)"""
    documents = [*builtin_documents(), *workspace.index.documents]
    titles = [
        reference["title"]
        for document in documents
        for reference in document.data.get("references") or []
        if isinstance(reference.get("title"), str)
    ]
    titles += [
        source["title"]
        for document in documents
        for lesson in document.data.get("lessons") or []
        for source in lesson.get("sources") or []
        if isinstance(source.get("title"), str)
    ]
    return [words(title) for title in titles]


def mask_fragments(tokens: list[str], titles: list[list[str]]) -> list[str]:
    """``tokens`` with every run of three or more words taken verbatim from a cited title masked.
    A title wraps over footnote lines, and an Arabic line sets its pieces between Arabic words,
    so it is found by its three-word pieces rather than from its start. Only for titles: status
    records quote library evidence, and masking their pieces would hide English the test must
    find."""
    pieces = {gram for title in titles for gram in ngrams(title, 3)}
    out = list(tokens)
    for index, gram in enumerate(ngrams(tokens, 3)):
        if gram in pieces:
            out[index : index + 3] = ["#masked"] * 3
    return out


def _expressions(data: Any) -> Iterator[str]:
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "applies_when" and isinstance(value, str):
                yield value
            else:
                yield from _expressions(value)
    elif isinstance(data, list):
        for value in data:
            yield from _expressions(value)


def _other_script(token: str) -> bool:
    """An Arabic word: in an Arabic plan, a quoted Latin text may have one on its line."""
    return token.startswith("#") and not any(ch.isdigit() or LATIN.match(ch) for ch in token[1:])


def mask(tokens: list[str], records: list[list[str]]) -> list[str]:
    """``tokens`` with each quoted text, or a truncated start of it of two words or more (four
    when the text is longer), replaced by a token nothing matches. Words of another script
    inside it are passed over: an Arabic line puts its label beside the first Latin line."""
    starts: dict[tuple[str, ...], list[list[str]]] = defaultdict(list)
    for record in records:
        if len(record) >= 2:
            starts[tuple(record[: min(4, len(record))])].append(record)
    out = list(tokens)
    for position in range(len(tokens)):
        for length in (4, 3, 2):
            for record in starts.get(tuple(tokens[position : position + length]), []):
                at, seen = position + length, length
                while seen < len(record) and at < len(tokens):
                    if tokens[at] == record[seen]:
                        seen += 1
                    elif record[seen].startswith(tokens[at]):  # the word a truncated cell cut ("min…")
                        at += 1
                        break
                    elif not _other_script(tokens[at]):
                        break
                    at += 1
                out[position:at] = ["#masked"] * (at - position)
    return out


@dataclass
class PlanText:
    """A rendered plan as tokens: n-gram of up to SHINGLE words → where it starts (page, index)."""

    starts: dict[tuple[str, ...], list[tuple[int, int]]]


@functools.cache
def workspace():
    loaded, result = load_workspace(SAMPLE)
    assert loaded is not None, result.findings
    return loaded


def plan_tokens(pages: list[str], records: list[list[str]], titles: list[list[str]] = ()) -> PlanText:
    starts: dict[tuple[str, ...], list[tuple[int, int]]] = defaultdict(list)
    for number, page in enumerate(pages, start=1):
        tokens = mask_fragments(mask(words(page), records), list(titles))
        for size in range(1, SHINGLE + 1):
            for index, gram in enumerate(ngrams(tokens, size)):
                starts[gram].append((number, index))
    return PlanText(dict(starts))


@pytest.fixture(scope="module")
def plan_text():
    """Render each language at most once for the module (the Arabic plan takes ~13 s)."""

    @functools.cache
    def render(lang: str) -> PlanText:
        report, findings = build_report(workspace(), VENUE, AS_OF, lang)
        assert report is not None, findings
        reader = PdfReader(io.BytesIO(render_plan(report).pdf))
        pages = [page.extract_text() for page in reader.pages]
        return plan_tokens(pages, quoted(workspace()), cited_titles(workspace()))

    return render


def english_texts(lang: str) -> list[English]:
    sample = list(workspace().index.documents)
    library = list(builtin_documents())
    return [
        *catalog_english(lang),
        *document_english(library, "library", library_dir(), lang),
        *document_english(sample, "sample", SAMPLE, lang),
    ]


@functools.cache
def own_ngrams(lang: str) -> frozenset[tuple[str, ...]]:
    documents = [*builtin_documents(), *workspace().index.documents]
    grams: set[tuple[str, ...]] = set()
    for text in own_texts(documents, lang):
        tokens = words(text)
        for size in range(1, SHINGLE + 1):
            grams.update(ngrams(tokens, size))
    return frozenset(grams)


@dataclass
class Hit:
    source: str
    found: list[tuple[str, int, int, int]]
    """Each phrase found: (phrase, page, first token, words)."""

    def covered(self) -> set[tuple[int, int]]:
        """Every (page, token) the phrases cover."""
        return {(page, index + k) for _, page, index, size in self.found for k in range(size)}


def english_in_plan(texts: list[English], own: frozenset, plan: PlanText) -> list[Hit]:
    """The sources whose English the plan shows. Texts share wording (a role's title inside an
    item's description), so each stretch of English in the plan is put down to the source that
    explains most of the plan's English, then the next; a source is reported only with the
    phrases no source reported before it explains."""
    hits: dict[str, Hit] = {}
    for english in texts:
        for needle in english.needles():
            if needle in own:
                continue
            for page, index in plan.starts.get(needle, []):
                hit = hits.setdefault(english.source, Hit(english.source, []))
                hit.found.append((" ".join(needle), page, index, len(needle)))
    explained: set[tuple[int, int]] = set()
    reported = []
    for hit in sorted(hits.values(), key=lambda h: (-len(h.covered()), h.source)):
        new = [f for f in hit.found if any((f[1], f[2] + k) not in explained for k in range(f[3]))]
        if new:
            reported.append(Hit(hit.source, new))
        explained |= hit.covered()
    return reported


def report(hits: list[Hit]) -> str:
    """The findings grouped by origin (catalog, library file, sample file), one source a line."""
    groups: dict[str, list[str]] = defaultdict(list)
    for hit in sorted(hits, key=lambda h: h.source):
        origin, _, rest = hit.source.partition(" ")
        group = origin if origin == "catalog" else f"{origin} {rest.split(' ')[0]}"
        pages: dict[str, set[int]] = defaultdict(set)
        for phrase, page, _, _ in sorted(hit.found, key=lambda found: found[1:3]):  # in reading order
            pages[phrase].add(page)
        phrases = [f"{phrase!r} (p. {', '.join(map(str, sorted(on)[:4]))})" for phrase, on in pages.items()]
        groups[group].append(f"    {hit.source}: {'; '.join(phrases[:2])}" + (" …" if len(phrases) > 2 else ""))
    return "\n".join(f"  {group} ({len(lines)})\n" + "\n".join(lines) for group, lines in groups.items())


# ---------------------------------------------------------------------------------- tests
@pytest.mark.parametrize("lang", LANGUAGES)
def test_render_language_no_english_in_the_plan(plan_text, lang):
    hits = english_in_plan(english_texts(lang), own_ngrams(lang), plan_text(lang))
    if hits:  # the report alone: the hits' own repr would bury it
        pytest.fail(f"English in the {lang} plan, by source:\n{report(hits)}", pytrace=False)


def test_render_language_finds_english_it_is_shown():
    """The comparison itself, on three made-up pages: English wrapped over lines, an Arabic line
    with a Latin run, a quoted status record (masked, even truncated); and attribution."""
    pages = [
        "Venue\nsafety officers\n",
        "ﻣﺨﻄﻂ Venue safety officer ﺟﺎﻫﺰﻳﺔ",
        "ﺍﻟﺤﺎﻟﺔ RBT-1: Scaled perimeter plan with ﺍﻟﺤﺎﻟﺔ every ring, number… ﺍﻟﺤﺎﻟﺔ min",
        "Approve the plan with the venue safety officer and the commander.",
    ]
    plan = plan_tokens(pages, [words("RBT-1: Scaled perimeter plan with every ring, numbered gate")])
    texts = [
        English("role", "Venue safety officer"),
        English("item", "Approve the plan with the venue safety officer and the commander"),
        English("evidence", "Scaled perimeter plan with every ring, numbered gate"),
        English("title", "Venue safety officers"),
        English("word", "commander"),
        English("unit", "number"),  # only the cut word of the quoted record: masked with it
        English("min", "min"),  # after the record, not part of it
    ]
    found = {
        hit.source: {(phrase, page) for phrase, page, _, _ in hit.found}
        for hit in english_in_plan(texts, frozenset(), plan)
    }
    assert found == {
        "title": {("venue safety officers", 1)},
        "role": {("venue safety officer", 2)},
        "min": {("min", 3)},  # page 4's is inside the item's text: the item's
        "item": {
            ("approve the plan with the", 4),
            ("the plan with the venue", 4),
            ("plan with the venue safety", 4),
            ("with the venue safety officer", 4),
            ("the venue safety officer and", 4),
            ("venue safety officer and the", 4),
            ("safety officer and the commander", 4),
        },
    }  # "commander" is only ever inside the item's text: the item explains it
    assert not english_in_plan(
        [English("role", "Venue safety officer")], frozenset({("venue", "safety", "officer")}), plan
    )
    assert not English("x", "ID").needles() and not English("x", "of", whole_value=False).needles()
    assert English("x", "done").needles() == [("done",)] and English("x", "min").needles() == [("min",)]
    assert words("ACC-001 egress_target_min Fan") == ["#acc-001", "#egress_target_min", "fan"]


def test_a_cited_title_is_masked_by_its_pieces_wherever_a_line_breaks_it():
    title = words("Gibson report recommendations on crowd doctors and ambulances at football grounds")
    line = words("وفق 5.000 Gibson report recommendations on crowd doctors حيث عدد الحضور and ambulances at football")
    masked = mask_fragments(line, [title])
    assert [token for token in masked if not token.startswith("#")] == []
    assert mask_fragments(words("crowd doctors on duty"), [title]) == words("crowd doctors on duty")
