"""The ``eventsec`` command: a thin shell over the library.

One module per command (``cli/validate.py`` ... ``cli/diff.py``); each command function wires its
options and makes one call. Options several commands share live in ``options.py``; the failures
the core raises (``eventsec.errors``) become exit codes and messages in one place,
``errors.py``, whose handler every command and the group share. Heavy modules (jsonschema, reportlab, pypdf) are
imported inside commands so that ``eventsec --help`` starts as fast as click itself.

Exit codes: 0 clean, 1 findings (errors; warnings too with --strict), 2 usage or I/O problems,
130 interrupted (Ctrl-C), 141 output pipe closed (docs/cli.md).
"""

from __future__ import annotations

import click

from eventsec import __version__
from eventsec.cli import errors
from eventsec.cli.diff import diff
from eventsec.cli.init import init
from eventsec.cli.render import render
from eventsec.cli.resolve import resolve
from eventsec.cli.rules import rules
from eventsec.cli.safety import safety
from eventsec.cli.schema import schema
from eventsec.cli.site import site
from eventsec.cli.status import status
from eventsec.cli.validate import validate

COMMANDS = (validate, schema, rules, init, resolve, safety, status, render, site, diff)
"""Every command (``eventsec --help`` lists them alphabetically)."""


class _Eventsec(errors.Reporting, click.Group):
    """The command group. Failures are reported by ``errors.Reporting``, as in each command."""


@click.group(cls=_Eventsec, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="eventsec")
def main() -> None:
    """Keep a major event's safety and security protocol as code.

    \b
    Exit codes: 0 ok, 1 findings, 2 usage or I/O error.
    """


for _command in COMMANDS:
    main.add_command(_command)
