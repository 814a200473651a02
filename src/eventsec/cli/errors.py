"""The one place that turns a failure into an exit code and a message.

Exit codes: 0 ok, 1 findings, 2 usage or I/O, 130 interrupted (Ctrl-C), 141 output pipe closed
(``eventsec rules | head -1``). Each class of
``eventsec.errors`` has its code in EXIT_CODES; ``Reporting.invoke`` catches every
EventsecError a command lets through (and OSError, Ctrl-C) and reports it. Every command is a
``Command`` and the group a ``Reporting`` group, so a command invoked on its own (as the tests
do) reports the same way as through ``eventsec``.
"""

from __future__ import annotations

import os
import sys

import click

from eventsec.errors import ContentError, EventsecError, OptionError, UsageError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C
EXIT_CLOSED_PIPE = 141
"""128 + SIGPIPE: what a shell reports for git, cat or seq when the reader of their output quits
(``| head``). Neither 1 (findings) nor 2 (usage) would be true, and ``set -o pipefail`` scripts
treat eventsec like those tools. SIGPIPE itself stays ignored (Python's default): restoring it
would also kill a render whose worker pipe broke, without a word."""

EXIT_CODES: tuple[tuple[type[EventsecError], int], ...] = (
    (UsageError, EXIT_USAGE),
    (ContentError, EXIT_FINDINGS),
)
"""Exit code of each error class, the first match wins; an EventsecError of no class here
(a new one nobody mapped yet) is a usage problem."""


def exit_code(error: EventsecError) -> int:
    return next((code for kind, code in EXIT_CODES if isinstance(error, kind)), EXIT_USAGE)


def report(error: EventsecError, command: click.Context | None) -> int:
    """Print ``error`` on stderr and return its exit code.

    An OptionError reads as click's own bad-option message (the command's usage line, then
    ``Invalid value for --font: ...``), so it looks like every other option mistake; the rest
    is one line, ``eventsec: <message>``.
    """
    if isinstance(error, OptionError):
        click.BadParameter(str(error), ctx=command, param_hint=error.option).show()
    else:
        click.echo(f"eventsec: {error}", err=True)
    return exit_code(error)


class Reporting:
    """Mixin for click commands and groups: the failures a user can cause become a message and an
    exit code, never a traceback.

    A file-system failure (an output directory that cannot be created or written, a path running
    through a file) is about the user's paths, not a bug: one line and exit code 2. Ctrl-C is one
    line and exit 130 (what a render finished by then is kept: see eventsec.render.output). A closed
    output pipe is no line and exit 141 (see EXIT_CLOSED_PIPE)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)  # type: ignore[misc]
        except EventsecError as exc:
            ctx.exit(report(exc, ctx))
        except BrokenPipeError:
            ctx.exit(closed_pipe())
        except OSError as exc:
            where = f": {exc.filename}" if exc.filename else ""
            click.echo(f"eventsec: {exc.strerror or exc}{where}", err=True)
            ctx.exit(EXIT_USAGE)
        except KeyboardInterrupt:
            click.echo("\neventsec: interrupted" if sys.stderr.isatty() else "eventsec: interrupted", err=True)
            ctx.exit(EXIT_INTERRUPTED)


def closed_pipe() -> int:
    """The reader of stdout has gone: nothing to say, and nobody to say it to. Point stdout at
    the null device (the recipe in Python's ``signal`` docs), so the flush at exit cannot fail
    again and print "Exception ignored ... BrokenPipeError"; return the exit code."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # a stdout with no file descriptor (a test runner's buffer)
        pass
    return EXIT_CLOSED_PIPE


class Command(Reporting, click.Command):
    """Every eventsec command: ``@click.command(cls=Command)``."""
