"""How eventsec writes what other programs and terminals read: the JSON format version, and text
made safe to print.

Shared by every stage that writes output (reporters, render's manifest, the readiness and diff
text, the CLI); imports nothing from them. docs/cli.md documents both.
"""

from __future__ import annotations

import re

FORMAT_VERSION = 1
"""The version of every JSON (and YAML) document eventsec writes for programs: ``validate
--format json``, ``resolve``, ``safety``/``status``/``diff --format json`` and render's
manifest.json, each as its top-level ``format_version``. It bumps when a key is removed or
renamed or a value changes meaning; an added key does not bump it (readers ignore keys they do
not know). SARIF carries its own ``version`` and never this one."""


def versioned(payload: dict) -> dict:
    """``payload`` with ``format_version`` as its first key, so a reader sees it before the data."""
    return {"format_version": FORMAT_VERSION, **payload}


_UNPRINTABLE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""Characters that must not reach a terminal or a line-based reader from a YAML value: C0 and C1
controls (CR and LF would split a ``file:line:col`` line, ESC starts a terminal escape sequence),
the Unicode line and paragraph separators, and the bidi embeddings, overrides and isolates that
reorder what a reader sees (the "Trojan Source" characters). A tab stays: it splits nothing."""

_NAMED = {"\n": "\\n", "\r": "\\r", "\x1b": "\\e"}


def printable(text: str) -> str:
    r"""``text`` with every character of :data:`_UNPRINTABLE` written as an escape (``\n``,
    ``\r``, ``\e``, else ``\u202e``-style), so one value stays on one line and shows
    as written. Output lines are built from escaped values; the line breaks between them are the
    writer's own."""
    return _UNPRINTABLE.sub(lambda m: _NAMED.get(m.group(), f"\\u{ord(m.group()):04x}"), text)


def printable_lines(text: str) -> str:
    """``text`` made :func:`printable` line by line, its own line breaks kept: the last guard for
    a view eventsec builds line by line (status, safety, diff, resolve --explain), so no value
    in it can reach the terminal with a control, a separator or a bidi override."""
    return "\n".join(printable(line) for line in text.split("\n"))
