"""The ``eventsec`` command: a thin shell over the library.

Commands parse options, call one library function, hand the result to a reporter and choose
the exit code. Heavy modules (jsonschema, reportlab) are imported inside commands so that
``eventsec --help`` starts as fast as click itself.

Exit codes: 0 clean, 1 findings (errors; warnings too with --strict), 2 usage or I/O problems,
130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click

from eventsec import __version__
from eventsec.vocabulary import LANGUAGES

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C
KIND_CHOICES = ("protocol", "lessons", "catalog", "tournament", "overlay", "venue", "status")
SCHEMA_CHOICES = KIND_CHOICES + ("plan",)


class _Eventsec(click.Group):
    """The command group. A file-system failure (an output directory that cannot be created or
    written, a path running through a file) is about the user's paths, not a bug: it becomes a
    one-line message and exit code 2 instead of a traceback. Ctrl-C is one line and exit 130
    (what a render finished by then is kept: see eventsec.render.output)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except OSError as exc:
            where = f": {exc.filename}" if exc.filename else ""
            click.echo(f"eventsec: {exc.strerror or exc}{where}", err=True)
            ctx.exit(EXIT_USAGE)
        except KeyboardInterrupt:
            click.echo("\neventsec: interrupted" if sys.stderr.isatty() else "eventsec: interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)


@click.group(cls=_Eventsec, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="eventsec")
def main() -> None:
    """Keep a major event's safety and security protocol as code.

    \b
    Exit codes: 0 ok, 1 findings, 2 usage or I/O error.
    """


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "github", "sarif"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to a file.")
@click.option("--builtin", is_flag=True, help="Also validate the built-in protocol library shipped with eventsec.")
@click.option("--lang", type=click.Choice(LANGUAGES), help="Warn for every text missing in this language.")
def validate(
    paths: tuple[Path, ...], output_format: str, strict: bool, output: Path | None, builtin: bool, lang: str | None
) -> None:
    """Check YAML files and directories against the schemas and lint rules.

    PATHS default to the current directory (or only the built-in library with --builtin).
    Directories are searched for *.yaml and *.yml (hidden files and directories are skipped).
    """
    from eventsec.checks.validate import validate as run_validation
    from eventsec.load.resources import library_dir
    from eventsec.reporters import get_reporter

    targets = list(paths) + ([library_dir()] if builtin else [])
    result = run_validation(targets or [Path(".")], lang)
    for problem in result.usage_errors:
        click.echo(f"eventsec: {problem}", err=True)
    if result.usage_errors:
        sys.exit(EXIT_USAGE)
    report = get_reporter(output_format).render(result)
    if output:
        output.write_text(report + "\n", encoding="utf-8")
    elif report:
        click.echo(report)
    sys.exit(EXIT_FINDINGS if result.failed(strict) else EXIT_OK)


@main.command()
@click.argument("kind", required=False, type=click.Choice(SCHEMA_CHOICES))
def schema(kind: str | None) -> None:
    """Print the JSON Schema of KIND, or list the kinds (and 'plan', the output of resolve)."""
    import json

    from eventsec.load.schema import schema_text

    if kind:
        click.echo(schema_text(kind), nl=False)
        return
    for name in SCHEMA_CHOICES:
        click.echo(f"{name:<11} {json.loads(schema_text(name))['description']}")


@main.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "markdown"]),
    default="text",
    show_default=True,
    help="text: one line per id; markdown: docs/rules.md, with explanations and examples.",
)
def rules(fmt: str) -> None:
    """List every finding id with its severity and what it checks."""
    from eventsec.checks.lint import finding_kinds
    from eventsec.checks.registry import markdown, text_table

    render = markdown if fmt == "markdown" else text_table
    click.echo(render(finding_kinds()), nl=False)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Write into a directory that is not empty.")
def init(directory: Path, force: bool) -> None:
    """Create a minimal workspace in DIRECTORY that validates clean."""
    from eventsec.load.scaffold import ScaffoldError, scaffold

    try:
        written = scaffold(directory, force=force)
    except ScaffoldError as exc:
        click.echo(f"eventsec: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    for path in written:
        click.echo(f"created {path}")
    click.echo(f"next: eventsec validate {directory}")


def _open_workspace(workspace: Path, show_warnings: bool = False):
    """Load and validate a workspace, or exit: 2 when it is not one, 1 when it has errors.

    With ``show_warnings``, print the validation warnings (e.g. stale status entries) to stderr.
    """
    from eventsec.checks.validate import load_workspace
    from eventsec.load.workspace import WorkspaceError
    from eventsec.reporters import get_reporter

    try:
        loaded, result = load_workspace(workspace)
    except WorkspaceError as exc:
        click.echo(f"eventsec: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    if loaded is None:
        click.echo(get_reporter("text").render(result), err=True)
        sys.exit(EXIT_FINDINGS)
    if show_warnings:
        from eventsec.findings import Severity

        for finding in result.findings:
            if finding.severity is Severity.WARNING:
                click.echo(f"{finding.location}: warning[{finding.rule}] {finding.message}", err=True)
    return loaded


def _resolve_or_exit(loaded, venue: str, match: str | None):
    """Resolve one venue's plan, or print the findings and exit."""
    from eventsec.checks.validate import ValidationResult
    from eventsec.load.workspace import WorkspaceError
    from eventsec.plan.resolve import resolve
    from eventsec.reporters.text import TextReporter

    try:
        plan, findings = resolve(loaded, venue, match)
    except WorkspaceError as exc:
        click.echo(f"eventsec: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    if plan is None:
        click.echo(TextReporter().render(ValidationResult(findings=findings, files=0)), err=True)
        sys.exit(EXIT_FINDINGS)
    return plan


@main.command()
@click.argument("workspace", type=click.Path(path_type=Path))
@click.option("--venue", required=True, help="Venue id.")
@click.option("--match", "match_id", help="Match id: add the match layer.")
@click.option("--format", "output_format", type=click.Choice(["yaml", "json"]), default="yaml", show_default=True)
@click.option("--explain", "explain_id", metavar="ITEM", help="Show one item's value chain layer by layer.")
def resolve(workspace: Path, venue: str, match_id: str | None, output_format: str, explain_id: str | None) -> None:
    """Print a venue's resolved plan: items (present, not_applicable, removed) and parameters with provenance."""
    plan = _resolve_or_exit(_open_workspace(workspace), venue, match_id)
    if explain_id:
        from eventsec.plan.explain import explain_item

        item = plan.item(explain_id)
        if item is None:
            click.echo(f"eventsec: no item '{explain_id}' in the plan of {venue}", err=True)
            sys.exit(EXIT_USAGE)
        click.echo(explain_item(plan, item))
        return
    from eventsec.cli.serialize import dump

    click.echo(dump(plan.to_dict(), output_format), nl=False)


@main.command()
@click.argument("workspace", type=click.Path(path_type=Path))
@click.option("--venue", required=True, help="Venue id.")
@click.option("--match", "match_id", help="Match id: use its attendance, risk and match overlays.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def safety(workspace: Path, venue: str, match_id: str | None, output_format: str) -> None:
    """Venue safety figures (entry, egress, density, safe capacity, stewards, medical) and findings.

    Exits 1 when a critical finding is open.
    """
    from eventsec.assess.safety.assessment import MissingParameters, assess

    plan = _resolve_or_exit(_open_workspace(workspace), venue, match_id)
    try:
        assessment = assess(plan)
    except MissingParameters as exc:
        click.echo(f"eventsec: {exc}", err=True)
        sys.exit(EXIT_FINDINGS)
    if output_format == "json":
        from eventsec.cli.serialize import dump

        click.echo(dump(assessment.to_dict(), "json"), nl=False)
    else:
        from eventsec.assess.safety.console import render_text

        click.echo(render_text(assessment, plan.venue.get("name", venue)), nl=False)
    sys.exit(EXIT_FINDINGS if assessment.critical_open else EXIT_OK)


@main.command()
@click.argument("workspace", type=click.Path(path_type=Path))
@click.option("--venue", help="One venue's table by domain (default: the tournament overview).")
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    callback=lambda ctx, param, value: _as_of(value, param, dates_only=False),
    help="YYYY-MM-DD (start of that day at the venue) or an ISO date-time; default today.",
)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option(
    "--fail-under",
    type=click.FloatRange(0, 100),
    metavar="PCT",
    callback=lambda ctx, param, value: _finite(value, param),
    help="Exit 1 if a venue shown scores below PCT.",
)
def status(workspace: Path, venue: str | None, as_of: str | None, output_format: str, fail_under: float | None) -> None:
    """Readiness by venue: status, deadlines, scores and go/no-go.

    Exits 1 if any venue shown is NO-GO or scores under --fail-under (a CI gate).
    """
    from eventsec.assess.readiness.console import render_overview, render_venue
    from eventsec.assess.readiness.deadlines import DeadlineError
    from eventsec.assess.readiness.overview import tournament_readiness, venue_readiness
    from eventsec.assess.readiness.scores import NO_GO, MissingReadinessParameters
    from eventsec.assess.safety.assessment import MissingParameters
    from eventsec.checks.validate import ValidationResult
    from eventsec.reporters.text import TextReporter

    loaded = _open_workspace(workspace, show_warnings=True)
    try:
        if venue:
            shown = [venue_readiness(loaded, _resolve_or_exit(loaded, venue, None), as_of)]
        else:
            shown, findings = tournament_readiness(loaded, as_of)
            if findings:
                click.echo(TextReporter().render(ValidationResult(findings=findings)), err=True)
                sys.exit(EXIT_FINDINGS)
    except (MissingParameters, MissingReadinessParameters, DeadlineError, ValueError) as exc:
        click.echo(f"eventsec: {exc}", err=True)
        sys.exit(EXIT_FINDINGS)
    if output_format == "json":
        from eventsec.cli.serialize import dump

        payload = {"as_of": as_of, "venues": [r.to_dict() for r in shown]}
        click.echo(dump(payload, "json"), nl=False)
    elif venue:
        click.echo(render_venue(shown[0]), nl=False)
    else:
        click.echo(render_overview(loaded.tournament.data["name"], as_of, shown), nl=False)
    failing = [r for r in shown if r.verdict == NO_GO or (fail_under is not None and r.score < fail_under)]
    for result in failing:  # the exit code must be explainable from the output
        why = "NO-GO" if result.verdict == NO_GO else f"scores {result.score:.1f}%, under --fail-under {fail_under:g}"
        click.echo(f"eventsec: {result.venue}: {why}", err=True)
    sys.exit(EXIT_FINDINGS if failing else EXIT_OK)


@main.command()
@click.argument("workspace", type=click.Path(path_type=Path))
@click.option("--venue", "venues", multiple=True, help="Venue id (repeatable).")
@click.option("--all", "all_venues", is_flag=True, help="Every venue of the workspace.")
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Directory for the PDFs and manifest.json.",
)
@click.option(
    "--lang",
    default=None,
    metavar="CODE",
    help="en, fr, ar, es, pt, or 'all' (default: the tournament's first language).",
)
@click.option(
    "--as-of",
    "as_of",
    metavar="DATE",
    callback=lambda ctx, param, value: _as_of(value, param, dates_only=True),
    help="Readiness date, YYYY-MM-DD (default today).",
)
@click.option("--jobs", type=click.IntRange(1, 64), default=None, help="Parallel renders (default: CPU count).")
@click.option("--force", is_flag=True, help="Render even when inputs are unchanged.")
@click.option(
    "--font", type=click.Path(dir_okay=False), envvar="EVENTSEC_FONT", help="TrueType font to use (also EVENTSEC_FONT)."
)
@click.option(
    "--release", "release", metavar="LEVEL", help="Release at LEVEL: everything above it is withheld (e.g. public)."
)
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
    out_dir: Path,
    lang: str | None,
    as_of: str | None,
    jobs: int | None,
    force: bool,
    font: str | None,
    release: str | None,
    encrypt: bool,
    password_file: Path | None,
    since: str | None,
) -> None:
    """Render the PDF readiness plan of each venue, reproducibly, with manifest.json beside them.

    The password for --encrypt is never taken from the command line (it would show in shell
    history and process lists).
    """
    import os

    from eventsec.render.output import plan_jobs, render_many

    if bool(venues) == all_venues:
        raise click.UsageError("give --venue ID (one or more) or --all")
    password = _pdf_password(encrypt, password_file)
    _check_source_date_epoch()
    if release == "" or since == "":  # an unset shell variable must not silently mean "no release control"
        raise click.UsageError("--release and --since need a value")
    loaded = _open_workspace(workspace)
    known = loaded.venues()
    unknown = [v for v in venues if v not in known]
    if unknown:
        click.echo(
            f"eventsec: no venue {', '.join(unknown)} in {workspace} (venues: {', '.join(sorted(known))})", err=True
        )
        sys.exit(EXIT_USAGE)
    tournament_langs = loaded.tournament.data.get("languages") or ["en"]
    langs = list(tournament_langs) if lang == "all" else [lang or tournament_langs[0]]
    bad = [code for code in langs if code not in LANGUAGES]
    if bad:
        raise click.BadParameter(f"{', '.join(bad)}: use one of {', '.join(LANGUAGES)} or all", param_hint="--lang")
    chosen = sorted(known) if all_venues else list(dict.fromkeys(venues))
    from eventsec.release.redact import Release, ReleaseError

    if font:
        from eventsec.render.fonts import FontError, register_fonts

        try:
            register_fonts(font)
        except FontError as exc:
            raise click.BadParameter(str(exc), param_hint="--font") from None
    if release:
        try:
            Release.for_tournament(loaded.tournament.data, release)
        except ReleaseError as exc:
            raise click.BadParameter(str(exc), param_hint="--release") from None
    changes = None
    if since:
        from eventsec.diff.git import DiffProblem
        from eventsec.diff.since import changes_since

        try:
            changes = changes_since(since, workspace)
        except DiffProblem as exc:
            click.echo(f"eventsec: --since {since}: {exc}", err=True)
            sys.exit(EXIT_USAGE)
    out_dir.mkdir(parents=True, exist_ok=True)  # an unusable output directory fails before any rendering
    job_list = plan_jobs(loaded, chosen, langs, as_of, out_dir, force, font, release, password, changes)
    workers = min(jobs or os.cpu_count() or 1, len(job_list))
    show_bar = sys.stderr.isatty() and not os.environ.get("CI")
    if show_bar:
        with click.progressbar(length=len(job_list), label="rendering", file=sys.stderr) as bar:
            results = render_many(job_list, workers, loaded, on_done=lambda _: bar.update(1))
    else:
        results = render_many(job_list, workers, loaded)
    failed = False  # each written plan is already in manifest.json (render_many records it at once)
    for result in results:
        if result.errors:
            failed = True
            for message in result.errors:
                click.echo(f"eventsec: {result.venue} ({result.lang}): {message}", err=True)
            continue
        state = "unchanged" if result.skipped else f"{result.pages} pages"
        click.echo(f"{out_dir / result.file}  ({state})")
    sys.exit(EXIT_FINDINGS if failed else EXIT_OK)


def _as_of(value: str | None, param: click.Parameter, dates_only: bool) -> str:
    """``--as-of`` checked with the parser the readiness code uses, so a bad value is a usage
    error at once (never 'today'): a date for ``render`` (a plan is dated), a date or an ISO
    date-time for ``status``."""
    from datetime import date, timezone

    from eventsec.assess.readiness.deadlines import as_of_instant, today_utc

    if value is None:
        return today_utc()
    try:
        date.fromisoformat(value) if dates_only else as_of_instant(value, timezone.utc)
    except (ValueError, OverflowError):
        expected = "YYYY-MM-DD" if dates_only else "YYYY-MM-DD or an ISO date-time such as 2030-03-01T18:00+01:00"
        raise click.BadParameter(f"{value!r} is not {expected}", param=param) from None
    return value


def _finite(value: float | None, param: click.Parameter) -> float | None:
    """``nan`` passes FloatRange (every comparison with it is false) and would disable the gate."""
    if value is not None and value != value:
        raise click.BadParameter("not a number", param=param)
    return value


def _check_source_date_epoch() -> None:
    """SOURCE_DATE_EPOCH stamps the plans' creation date (reportlab reads it): a value that is not
    whole seconds since 1970 up to year 9999 is a usage error, not a traceback in every worker."""
    import os
    import time

    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    try:
        valid = not value or (value.isascii() and value.isdigit() and time.gmtime(int(value)).tm_year <= 9999)
    except (OverflowError, OSError, ValueError):
        valid = False
    if not valid:
        _usage_exit(f"SOURCE_DATE_EPOCH={value!r} is not a number of seconds since 1970-01-01 (before year 10000)")


PASSWORD_FILE_LIMIT = 4096
"""Bytes read from --password-file at most: a password is at most 127 bytes, and a FIFO or a
device such as /dev/zero must not fill memory."""


def _pdf_password(encrypt: bool, password_file: Path | None) -> str | None:
    """The encryption password from EVENTSEC_PDF_PASSWORD or a file; one line and exit 2 when
    it is missing or unusable (see render/encrypt.py for what every reader accepts)."""
    import os

    from eventsec.render.encrypt import password_problem

    if not encrypt:
        if password_file:
            raise click.UsageError("--password-file needs --encrypt")
        return None
    if password_file:
        source = f"--password-file {password_file}"
        password = _read_password_file(password_file, source)
    else:
        source = "EVENTSEC_PDF_PASSWORD"
        password = os.environ.get("EVENTSEC_PDF_PASSWORD", "")
        if not password:
            raise click.UsageError(
                "--encrypt needs a password in EVENTSEC_PDF_PASSWORD or --password-file (never on the command line)"
            )
    password = password.strip()
    problem = password_problem(password)
    if problem:
        _usage_exit(f"{source}: {problem}")
    return password


def _read_password_file(path: Path, source: str) -> str:
    """The file's UTF-8 text (a leading byte order mark dropped), read up to PASSWORD_FILE_LIMIT
    bytes, so an endless file or device ends."""
    try:
        with path.open("rb") as handle:
            data = handle.read(PASSWORD_FILE_LIMIT + 1)
    except OSError as exc:
        _usage_exit(f"{source}: cannot read it ({exc.strerror or exc})")
    if len(data) > PASSWORD_FILE_LIMIT:
        _usage_exit(f"{source}: more than {PASSWORD_FILE_LIMIT} bytes; it must hold only the password")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        _usage_exit(f"{source}: not UTF-8 text (byte {exc.start + 1} is not valid UTF-8)")


def _usage_exit(message: str) -> NoReturn:
    click.echo(f"eventsec: {message}", err=True)
    sys.exit(EXIT_USAGE)


from eventsec.cli.diff import diff  # noqa: E402  (registered last; it imports only click at load time)

main.add_command(diff)
