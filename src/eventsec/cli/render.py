"""``eventsec render``: the PDF readiness plans, with manifest.json beside them."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from eventsec.cli.errors import EXIT_FINDINGS, EXIT_OK, Command
from eventsec.cli.options import as_of_option, match_option, release_option, venue_option, workspace_argument
from eventsec.cli.passwords import pdf_password
from eventsec.cli.source_date import check_source_date_epoch
from eventsec.cli.workspace import open_workspace


@click.command(cls=Command)
@workspace_argument
@venue_option("Venue id (repeatable).", multiple=True)
@click.option("--all", "all_venues", is_flag=True, help="Every venue of the workspace.")
@match_option("Render the operations order of this match (its venue follows; --venue may repeat it).", name="match")
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False),
    default="out",
    show_default=True,
    callback=lambda ctx, param, value: _output_directory(value, param),
    help="Directory for the PDFs and manifest.json.",
)
@click.option(
    "--lang",
    default=None,
    metavar="CODE",
    help="en, fr, ar, es, pt, or 'all' (default: the tournament's first language).",
)
@as_of_option(dates_only=True, help="Readiness date, YYYY-MM-DD (default today).")
@click.option("--jobs", type=click.IntRange(1, 64), default=None, help="Parallel renders (default: CPU count).")
@click.option("--force", is_flag=True, help="Render even when inputs are unchanged.")
@click.option(
    "--font", type=click.Path(dir_okay=False), envvar="EVENTSEC_FONT", help="TrueType font to use (also EVENTSEC_FONT)."
)
@release_option
@click.option(
    "--encrypt",
    is_flag=True,
    help="Encrypt with AES-256 (PDF 2.0, revision 6); the password comes from EVENTSEC_PDF_PASSWORD or --password-file.",
)
@click.option(
    "--password-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="UTF-8 file holding the PDF password (at most 4 KiB; surrounding whitespace is dropped).",
)
@click.option(
    "--since",
    "since",
    metavar="REV",
    help="Add a 'changes since REV' section (the workspace must be in a git repository).",
)
def render(
    workspace: Path,
    venues: tuple[str, ...],
    all_venues: bool,
    match: str | None,
    out_dir: Path,
    lang: str | None,
    as_of: str,
    jobs: int | None,
    force: bool,
    font: str | None,
    release: str | None,
    encrypt: bool,
    password_file: Path | None,
    since: str | None,
) -> None:
    """Render the PDF readiness plan of each venue, reproducibly, with manifest.json beside them.

    With --match ID, render that match's operations order (command structure, call signs,
    deployment, timeline, decision log, amendment record) instead.

    The password for --encrypt is never taken from the command line (it would show in shell
    history and process lists).
    """
    from eventsec.render.output import RenderRequest, prepare_render

    if match is None and bool(venues) == all_venues:
        raise click.UsageError("give --venue ID (one or more), --all or --match ID")
    password = pdf_password(encrypt, password_file)
    check_source_date_epoch()
    if release == "" or since == "":  # an unset shell variable must not silently mean "no release control"
        raise click.UsageError("--release and --since need a value")
    loaded = open_workspace(workspace)
    request = RenderRequest(
        workspace, venues, all_venues, out_dir, lang, as_of, force, font, release, password, since, match
    )
    results = _render_with_progress(prepare_render(loaded, request), jobs, loaded)
    sys.exit(EXIT_FINDINGS if _print_results(results, out_dir) else EXIT_OK)


def _output_directory(value: str, param: click.Parameter) -> Path:
    """'-' means stdout elsewhere (validate -o -); a render writes several files (each PDF and
    manifest.json, which also decides what is unchanged next time), so it needs a directory,
    even for one plan. A directory really named '-' is './-' (hence text, not a Path, until here)."""
    if value == "-":
        raise click.BadParameter(
            "render writes PDFs and manifest.json into a directory, not to stdout; give a directory "
            "(./- for one named '-')",
            param=param,
        )
    return Path(value)


def _render_with_progress(job_list: list, jobs: int | None, loaded) -> list:
    """Render, with a progress bar on an interactive terminal (not in CI)."""
    import os

    from eventsec.render.output import render_many, worker_count

    workers = worker_count(jobs, job_list)
    if not (sys.stderr.isatty() and not os.environ.get("CI")):
        return render_many(job_list, workers, loaded)
    with click.progressbar(length=len(job_list), label="rendering", file=sys.stderr) as bar:
        return render_many(job_list, workers, loaded, on_done=lambda _: bar.update(1))


def _print_results(results: list, out_dir: Path) -> bool:
    """One line per plan written or unchanged, every error on stderr; True when any failed.

    Each written plan is already in manifest.json (render_many records it at once)."""
    failed = False
    for result in results:
        if result.errors:
            failed = True
            for message in result.errors:
                click.echo(f"eventsec: {result.venue} ({result.lang}): {message}", err=True)
            continue
        state = "unchanged" if result.skipped else f"{result.pages} pages"
        click.echo(f"{out_dir / result.file}  ({state})")
    return failed
