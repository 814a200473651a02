"""Regenerate the page images of docs/ from the bundled WC 2030 sample.

    .venv/bin/python docs/images/make_images.py

Renders Rabat's plan (as of 2030-03-01) in every language, finds each page by the outline entry
of its heading (so the images follow the layout when pages move), and writes it at 60 dpi with
poppler's ``pdftoppm``: ``plan-<page>-<lang>.png`` for the cover, the executive summary, the
venue profile (sections with what governs them, capacity by section), the safety figures, the
stewarding deployment and the first domain chapter, and ``release-public-<lang>.png`` (the venue
profile of the plan released at ``public``); and from the operations order of match m024 (as
of 2030-06-20) ``order-<page>-<lang>.png`` for the command structure, the contingency index and
the risk assessment. Needs poppler-utils (installed by .ci/system-deps).

It also builds the static site (``eventsec site``, every language) and photographs it in chromium
with the browser tests' harness (tests/browser.py: Debian's chromium and the test extra's
playwright, both installed by .ci/system-deps and ``pip install -e '.[test]'``) at 1280×900, the
top 1800 px of each page: ``site-tournament.png`` (the English tournament page),
``site-venue-en.png`` and ``site-venue-ar.png`` (VENUE's page in English and Arabic). A page with a
console error, a network request or a missing file stops the script instead of being pictured.
``make_images.py site`` makes only these three.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from pypdf import PdfReader

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SAMPLE = ROOT / "samples" / "wc2030"
VENUE, AS_OF = "ma-rabat", "2030-03-01"
LANGUAGES = ("en", "fr", "ar", "es", "pt")
PAGES = {
    "summary": "executive_summary",
    "profile": "venue_profile",
    "safety": "safety_figures",
    "stewarding": "stewarding_deployment",
    "lessons": "lessons_traceability",
}
"""Image name -> the catalog key of the heading whose page it shows (the cover is page 1, the
chapter is the first domain chapter, after the timeline)."""
MATCH, MATCH_AS_OF, MATCH_DATE = "m024", "2030-06-20", "2030-06-26"
ORDER_PAGES = {"command": "ops_command_structure", "contingencies": "contingency_index", "risks": "riskreg_heading"}
"""Image name -> the catalog key of the operations order heading whose page it shows."""
SITE_PAGES = {
    "site-tournament": "en/index.html",
    "site-venue-en": f"en/venues/{VENUE}.html",
    "site-venue-ar": f"ar/venues/{VENUE}.html",
}
"""Screenshot name -> the page of the site it shows."""
SITE_HEIGHT = 1800
"""The screenshots show at most the top this many CSS pixels of a page."""


def render(lang: str, out: Path, release: str | None = None) -> Path:
    """Render the sample plan of VENUE in ``lang`` into ``out`` and return its path."""
    command = [sys.executable, "-m", "eventsec", "render", str(SAMPLE), "--venue", VENUE, "--as-of", AS_OF]
    command += ["--lang", lang, "-o", str(out)] + (["--release", release] if release else [])
    subprocess.run(command, check=True, capture_output=True)
    suffix = f"-{release}" if release else ""
    return out / f"wc2030-{VENUE}-{lang}{suffix}.pdf"


def render_order(lang: str, out: Path) -> Path:
    """Render the operations order of MATCH in ``lang`` into ``out`` and return its path."""
    command = [sys.executable, "-m", "eventsec", "render", str(SAMPLE), "--match", MATCH, "--as-of", MATCH_AS_OF]
    subprocess.run(command + ["--lang", lang, "-o", str(out)], check=True, capture_output=True)
    return next(out.glob(f"wc2030-*-{MATCH}-{lang}.pdf"))


def outline_pages(pdf: Path) -> list[tuple[str, int]]:
    """Every outline entry (depth first) with its 1-based page number."""
    reader = PdfReader(pdf)
    found: list[tuple[str, int]] = []

    def walk(entries: list) -> None:
        for entry in entries:
            if isinstance(entry, list):
                walk(entry)
            else:
                found.append((entry.title, reader.get_destination_page_number(entry) + 1))

    walk(reader.outline)
    return found


def page_of(entries: list[tuple[str, int]], title: str) -> int:
    """The page of the outline entry titled ``title`` (exact, then prefix)."""
    for name, page in entries:
        if name == title or name.startswith(title):
            return page
    raise SystemExit(f"no outline entry {title!r}; entries: {[name for name, _ in entries]}")


def first_chapter(entries: list[tuple[str, int]], timeline: str) -> int:
    """The page of the first domain chapter: the outline entry after the timeline's."""
    titles = [name for name, _ in entries]
    return entries[titles.index(timeline) + 1][1]


def snapshot(pdf: Path, page: int, target: Path) -> None:
    """Write one page of ``pdf`` as a 60 dpi PNG at ``target``."""
    stem = target.with_suffix("")
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", str(page), "-l", str(page), "-singlefile", str(pdf), str(stem)],
        check=True,
    )


def site_images() -> None:
    """Build the site of the sample as of AS_OF and write a screenshot of each of SITE_PAGES."""
    sys.path.insert(0, str(ROOT))  # the harness lives in tests/, which is not an installed package
    from tests.browser import VIEWPORT, launched, visit

    with tempfile.TemporaryDirectory() as scratch, launched() as browser:
        out = Path(scratch)
        command = [sys.executable, "-m", "eventsec", "site", str(SAMPLE), "-o", str(out), "--as-of", AS_OF]
        subprocess.run(command + ["--lang", "all"], check=True, capture_output=True)
        context = browser.new_context(viewport=VIEWPORT)
        for name, page in SITE_PAGES.items():
            seen = visit(context, out / page)
            if seen.problems():
                raise SystemExit(f"{page}: {seen.problems()}")
            height = min(SITE_HEIGHT, seen.page.evaluate("document.documentElement.scrollHeight"))
            clip = {"x": 0, "y": 0, "width": VIEWPORT["width"], "height": height}
            seen.page.screenshot(path=HERE / f"{name}.png", full_page=True, clip=clip, animations="disabled")
            print(f"{name}.png: {page}, {height} px")
        context.close()


def main() -> None:
    if sys.argv[1:] == ["site"]:
        site_images()
        return
    from eventsec.i18n import catalog

    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch)
        for lang in LANGUAGES:
            text = catalog(lang)
            pdf = render(lang, out)
            entries = outline_pages(pdf)
            pages = {"cover": 1, **{name: page_of(entries, text.t(key)) for name, key in PAGES.items()}}
            pages["chapter"] = first_chapter(entries, text.t("timeline"))
            for name, page in pages.items():
                snapshot(pdf, page, HERE / f"plan-{name}-{lang}.png")
            public = render(lang, out, release="public")
            profile = page_of(outline_pages(public), text.t("venue_profile"))
            snapshot(public, profile, HERE / f"release-public-{lang}.png")
            order = render_order(lang, out)
            order_entries = outline_pages(order)
            for name, key in ORDER_PAGES.items():
                heading = text.t(key, match=MATCH, date=text.date(MATCH_DATE))
                snapshot(order, page_of(order_entries, heading), HERE / f"order-{name}-{lang}.png")
            print(f"{lang}: {pages}")
    site_images()


if __name__ == "__main__":
    main()
