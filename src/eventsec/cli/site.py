"""``eventsec site``: the static readiness site (tournament page, venue pages, search)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from eventsec.cli.errors import EXIT_FINDINGS, EXIT_OK, Command
from eventsec.cli.options import as_of_option, release_option, workspace_argument
from eventsec.cli.workspace import open_workspace


@click.command(cls=Command)
@workspace_argument
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False),
    required=True,
    callback=lambda ctx, param, value: _output_directory(value, param),
    help="Directory for the site (index.html, one folder per language, assets/).",
)
@as_of_option(dates_only=True, help="Readiness date, YYYY-MM-DD (default today).")
@click.option(
    "--lang",
    default=None,
    metavar="CODE",
    help="en, fr, ar, es, pt, or 'all' (default: the tournament's first language).",
)
@release_option
@click.option("--history", is_flag=True, help="Add the readiness trend over the workspace's git history.")
@click.option("--since", "since", metavar="REV", help="With --history: start the trend at this revision.")
def site(
    workspace: Path,
    out_dir: Path,
    as_of: str,
    lang: str | None,
    release: str | None,
    history: bool,
    since: str | None,
) -> None:
    """Write the readiness site: every venue at a glance, each venue's page and its whole plan,
    as static HTML that works opened from disk or from any web server, with no network access.

    Pages use the same words and release rules as the PDF plans; the same inputs and as-of date
    give the same bytes.
    """
    from eventsec.site.build import SiteRequest, build_site, site_languages

    if release == "" or since == "":  # an unset shell variable must not silently mean "no release control"
        raise click.UsageError("--release and --since need a value")
    if since is not None and not history:
        raise click.UsageError("--since REV goes with --history")
    loaded = open_workspace(workspace)
    langs = site_languages(loaded, lang)
    request = SiteRequest(workspace, out_dir, as_of, langs, release, history, since)
    result = build_site(loaded, request)
    for venue, language, messages in result.failures:
        for message in messages:
            click.echo(f"eventsec: {venue} ({language}): {message}", err=True)
    for name in result.removed:
        click.echo(f"removed {out_dir / name}", err=True)
    click.echo(f"{out_dir / 'index.html'}  ({len(result.written)} files)")
    sys.exit(EXIT_FINDINGS if result.failures else EXIT_OK)


def _output_directory(value: str, param: click.Parameter) -> Path:
    """A site is many files: '-' (stdout elsewhere) is refused; a directory named '-' is './-'."""
    if value == "-":
        raise click.BadParameter(
            "the site is a directory of files, not a stream; give a directory (./- for one named '-')", param=param
        )
    return Path(value)
