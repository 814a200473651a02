"""Building the site: one released report per venue and language, pages from templates, files
written atomically.

* One report per venue per language (``build_report`` with the release level, as ``render``
  does), and every page of that venue and language is made from it: the tournament table, the
  venue page and the search index never assess a venue twice.
* Reproducible: no clock, no random id, every list sorted; the same workspace, as-of date,
  languages and release give the same bytes in every file.
* Atomic: each file is written beside its target and renamed over it, so a reader (a web
  server mid-publish) sees the old file or the new one, never half of one. A site released
  above the tournament's lowest level is written owner-only (0600), like such a PDF plan.
* Stale pages: a venue page of a built language whose venue is no longer built (removed from
  the workspace, or it failed this time) is deleted, so the site never links or serves a venue
  the tournament page no longer shows. Nothing else in the output directory is touched (PDFs
  rendered into it stay).
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import jinja2
from markupsafe import Markup

from eventsec.errors import OptionError
from eventsec.findings import Finding
from eventsec.i18n import Catalog
from eventsec.load.workspace import Workspace
from eventsec.render.names import Names
from eventsec.render.output import OWNER_ONLY_MODE, SHARED_MODE, plan_filename, spool
from eventsec.render.report import PlanReport, build_report
from eventsec.site.bars import domain_bars
from eventsec.site.model import (
    VenuePage,
    country_choices,
    domain_choices,
    venue_page,
    verdict_choices,
    worst_first,
)
from eventsec.site.plan_html import plan_html
from eventsec.vocabulary import LANGUAGES

if TYPE_CHECKING:  # the history walk (git, every commit's workspace) loads only with --history
    from eventsec.site.history import History

STATIC = ("site.css", "site.js")
"""The shared assets under ``DIR/assets/``, shipped in ``site/static/``."""
SEARCH_INDEX = "search-index.js"


@dataclass(frozen=True)
class SiteRequest:
    """What to build: the workspace's venues in ``langs``, as of a date, at a release level."""

    root: Path
    out_dir: Path
    as_of: str
    langs: tuple[str, ...]
    release: str | None = None
    history: bool = False
    since: str | None = None


@dataclass
class SiteResult:
    written: list[str] = field(default_factory=list)
    """Every file of the site, relative to the output directory, sorted."""
    removed: list[str] = field(default_factory=list)
    """Stale venue pages deleted."""
    failures: list[tuple[str, str, list[str]]] = field(default_factory=list)
    """(venue, language, messages) for each venue that could not be built."""


def site_languages(workspace: Workspace, lang: str | None) -> tuple[str, ...]:
    """``--lang``: one code, or ``all`` for the tournament's languages; default its first (as render)."""
    tournament_langs = workspace.tournament.data.get("languages") or ["en"]
    langs = list(tournament_langs) if lang == "all" else [lang or tournament_langs[0]]
    bad = [code for code in langs if code not in LANGUAGES]
    if bad:
        raise OptionError("--lang", f"{', '.join(bad)}: use one of {', '.join(LANGUAGES)} or all")
    return tuple(langs)


def check_release(workspace: Workspace, release: str | None) -> None:
    """An unknown release level fails before anything is built (exit 2)."""
    if release is None:
        return
    from eventsec.release.redact import Release, ReleaseError

    try:
        Release.for_tournament(workspace.tournament.data, release)
    except ReleaseError as exc:
        raise OptionError("--release", str(exc)) from None


def build_site(workspace: Workspace, request: SiteRequest) -> SiteResult:
    """Build every page of the site into ``request.out_dir`` and return what was written."""
    check_release(workspace, request.release)
    result = SiteResult()
    files: dict[str, bytes] = {f"assets/{name}": _static(name) for name in STATIC}
    owner_only = False
    env = _environment()
    chooser_name = ""  # the entry page is in the first language
    history = _history(request)
    for lang in request.langs:
        reports = _reports(workspace, request, lang, result)
        if lang == request.langs[0]:
            chooser_name = tournament_name(workspace, reports, lang)
        owner_only |= any(report.released_above_lowest for report in reports)
        files.update(_language_files(env, workspace, request, lang, reports, history))
    files["index.html"] = _render(env, "languages.html", _chooser(request.langs, chooser_name))
    result.removed = _remove_stale(request.out_dir, request.langs, files)
    for name in sorted(files):
        write_file(request.out_dir / name, files[name], owner_only)
    result.written = sorted(files)
    return result


def write_file(path: Path, data: bytes, owner_only: bool = False) -> None:
    """Write ``path`` atomically: spooled beside it, flushed, renamed over it."""
    spooled = spool(path.parent, path.name, data, secrets.token_hex(6), OWNER_ONLY_MODE if owner_only else SHARED_MODE)
    try:
        os.replace(spooled, path)
    except BaseException:
        spooled.unlink(missing_ok=True)
        raise


def _reports(workspace: Workspace, request: SiteRequest, lang: str, result: SiteResult) -> list[PlanReport]:
    """Each venue's released report in ``lang`` (by venue id); a venue that fails is recorded."""
    reports = []
    for venue in sorted(workspace.venues()):
        report, findings = build_report(workspace, venue, request.as_of, lang, release=request.release)
        if report is None:
            result.failures.append((venue, lang, _messages(findings)))
        else:
            reports.append(report)
    return reports


def _messages(findings: list[Finding]) -> list[str]:
    return [f"{f.location}: {f.message}" for f in findings]


def _language_files(
    env: jinja2.Environment,
    workspace: Workspace,
    request: SiteRequest,
    lang: str,
    reports: list[PlanReport],
    history: History | None,
) -> dict[str, bytes]:
    """The tournament page, each venue page and the search index of one language."""
    catalog = Catalog(lang)
    pages = [venue_page(report, catalog) for report in reports]
    trend = _trend(history, catalog)
    common = _common(workspace, request, catalog, reports)
    files = {
        f"{lang}/index.html": _render(
            env,
            "tournament.html",
            {
                **common,
                "root": "../",
                "lang_root": "",
                "here": "index.html",
                "venues": worst_first(pages),
                "countries": country_choices(pages),
                "verdicts": verdict_choices(catalog),
                "domains": domain_choices(reports, lang),
                "pdfs": {p.id: _pdf(workspace, request, p.id, lang) for p in pages},
                "trend": trend(None),
            },
        ),
        f"{lang}/{SEARCH_INDEX}": _search_index(pages),
    }
    for report, page in zip(reports, pages, strict=True):
        files[f"{lang}/venues/{page.id}.html"] = _render(
            env,
            "venue.html",
            {
                **common,
                "root": "../../",
                "lang_root": "../",
                "here": f"venues/{page.id}.html",
                "venue": page,
                "bars": domain_bars(
                    [(d.title, d.score, d.score_text) for d in page.domains],
                    catalog.t("readiness_by_domain"),
                    catalog.rtl,
                ),
                "plan": plan_html(report),
                "pdf": _pdf(workspace, request, page.id, lang),
                "trend": trend(page.id),
            },
        )
    return files


def tournament_name(workspace: Workspace, reports: list[PlanReport], lang: str) -> str:
    """The tournament's name as the released reports give it (its name may be above the release
    level: never read from the workspace); its id when no venue could be built."""
    if reports:
        return Names(reports[0].plan, lang).tournament() or workspace.tournament.data["id"]
    return str(workspace.tournament.data["id"])


def _common(workspace: Workspace, request: SiteRequest, catalog: Catalog, reports: list[PlanReport]) -> dict:
    """What every page of a language shows: its words, the tournament, the date, the languages."""
    return {
        "t": catalog.t,
        "lang": catalog.lang,
        "dir": "rtl" if catalog.rtl else "ltr",
        "tournament": tournament_name(workspace, reports, catalog.lang),
        "as_of": catalog.t("cover_as_of", date=catalog.date(request.as_of)),
        "release": catalog.t("dc_release_meaning", level=catalog.level(request.release).upper())
        if request.release
        else "",
        "languages": [(code, Catalog(code).language_name()) for code in request.langs],
    }


def _history(request: SiteRequest) -> History | None:
    """``--history``: readiness at each commit, walked once for every language (it keeps names
    in all of them); None without the flag."""
    if not request.history:
        return None
    from eventsec.site.history import readiness_history

    return readiness_history(request.root, request.as_of, request.since, request.langs[0], request.release)


def _trend(history: History | None, catalog: Catalog) -> Callable[[str | None], Markup | None]:
    """The trend section of a page (tournament: venue None) in ``catalog``'s language; nothing without --history."""
    if history is None:
        return lambda venue: None
    from eventsec.site.history import trend_html

    return lambda venue: trend_html(history, catalog, venue)


def _pdf(workspace: Workspace, request: SiteRequest, venue: str, lang: str) -> str | None:
    """The venue's PDF, named as ``render`` names it, when it was rendered into the site's folder."""
    name = plan_filename(workspace.tournament.data["id"], venue, lang, request.release)
    return name if (request.out_dir / name).is_file() else None


def _search_index(pages: list[VenuePage]) -> bytes:
    """``window.EVENTSEC_SEARCH``: every item shown, with its page and anchor (a script, not JSON
    to fetch: a page opened from disk may not fetch files beside it)."""
    entries = [
        {**entry, "href": f"venues/{page.id}.html#item-{entry['id']}"}
        for page in sorted(pages, key=lambda p: p.id)
        for entry in page.search
    ]
    text = json.dumps(entries, ensure_ascii=False, sort_keys=True, separators=(",", ":")).replace("</", "<\\/")
    return f"window.EVENTSEC_SEARCH = {text};\n".encode()


def _chooser(langs: tuple[str, ...], tournament: str) -> dict:
    """The entry page: in the first language built, a link to each language's tournament page."""
    first = Catalog(langs[0])
    return {
        "t": first.t,
        "lang": first.lang,
        "dir": "rtl" if first.rtl else "ltr",
        "tournament": tournament,
        "languages": [(code, Catalog(code).language_name(), "rtl" if Catalog(code).rtl else "ltr") for code in langs],
    }


def _remove_stale(out_dir: Path, langs: tuple[str, ...], files: dict[str, bytes]) -> list[str]:
    """Delete venue pages of the built languages that this build does not write."""
    removed = []
    for lang in langs:
        for path in sorted((out_dir / lang / "venues").glob("*.html")):
            name = path.relative_to(out_dir).as_posix()
            if name not in files:
                path.unlink()
                removed.append(name)
    return removed


def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.PackageLoader("eventsec.site"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _render(env: jinja2.Environment, template: str, values: dict) -> bytes:
    return env.get_template(template).render(**values).encode("utf-8")


def _static(name: str) -> bytes:
    from importlib import resources

    return (resources.files("eventsec.site") / "static" / name).read_bytes()
