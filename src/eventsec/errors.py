"""Every failure eventsec reports itself, as one hierarchy.

The core raises these and never prints; the CLI maps each class to an exit code and a one-line
message in one place (``eventsec.cli.errors``). The class says what kind of failure it is:

- ``UsageError``: the input asked for cannot be used (a path that is not a workspace, an unknown
  venue or release level, a git revision, an environment variable): exit 2.
- ``OptionError``: a ``UsageError`` about one option's value, reported as click reports a bad
  option value (``Invalid value for --font: ...``).
- ``ContentError``: the workspace loads, but its content cannot give the result asked for (a
  missing parameter, a venue without deadlines): reported like a finding, exit 1.

Shared by every stage; imports nothing from them.
"""

from __future__ import annotations


class EventsecError(Exception):
    """A failure about the user's input, never a bug: a message, never a traceback."""


class UsageError(EventsecError):
    """The paths, options, revisions or environment given cannot be used (exit 2)."""


class OptionError(UsageError):
    """One option's value cannot be used; ``option`` names it (e.g. ``--font``)."""

    def __init__(self, option: str, message: str) -> None:
        super().__init__(message)
        self.option = option


class ContentError(EventsecError):
    """The workspace's content cannot give the result asked for (exit 1, like a finding)."""
