"""Shell completion of venue and match ids for ``--venue`` and ``--match`` (docs/cli.md says how
to enable it in bash, zsh and fish).

Completion runs on every Tab press, so it reads only what it needs: the venue files of the
workspace named on the command line (or the current directory), picked by their ``kind: venue``
line before any YAML is parsed, and nothing is validated. It must never fail: a shell prints a
completion's traceback in the middle of the line being typed, so any problem means no
suggestions.
"""

from __future__ import annotations

import re
from pathlib import Path

import click
from click.shell_completion import CompletionItem

_VENUE_KIND = re.compile(rb"^kind:[ \t]*['\"]?venue['\"]?[ \t]*(?:#.*)?$", re.MULTILINE)
"""A venue document's top-level ``kind: venue`` line: files without it are never parsed."""


def venue_ids(workspace: Path) -> dict[str, tuple[str, list[str]]]:
    """Each venue id of the workspace with its name and its match ids (unvalidated: what the
    files say, skipping what does not read)."""
    from eventsec.load.documents import MAX_FILE_BYTES, find_yaml_files, load_bytes

    venues: dict[str, tuple[str, list[str]]] = {}
    for path in find_yaml_files(workspace)[0]:
        raw = path.read_bytes()
        if len(raw) > MAX_FILE_BYTES or not _VENUE_KIND.search(raw):
            continue
        document = load_bytes(raw, str(path)).document
        data = document.data if document else {}
        if isinstance(data.get("id"), str):
            matches = data.get("matches") if isinstance(data.get("matches"), list) else []
            ids = [m["id"] for m in matches if isinstance(m, dict) and isinstance(m.get("id"), str)]
            venues[data["id"]] = (str(data.get("name", "")), ids)
    return venues


def _workspace(ctx: click.Context) -> Path:
    """The WORKSPACE argument typed so far, else the current directory. While completing, click
    leaves the positional arguments unparsed in ``ctx.args`` (the option being completed has no
    value yet), and WORKSPACE is every such command's only one."""
    return Path(ctx.params.get("workspace") or next(iter(ctx.args), ".") or ".")


def complete_venue(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Venue ids starting with what is typed, each with the venue's name as its help."""
    try:
        venues = venue_ids(_workspace(ctx))
        return [
            CompletionItem(vid, help=name) for vid, (name, _) in sorted(venues.items()) if vid.startswith(incomplete)
        ]
    except Exception:  # completion must never print a traceback into the shell
        return []


def complete_match(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[CompletionItem]:
    """Match ids starting with what is typed: the matches of the venue(s) given before ``--match``,
    else of every venue, each with its venue id as its help."""
    try:
        chosen = ctx.params.get("venue") or ctx.params.get("venues") or ()
        chosen = {chosen} if isinstance(chosen, str) else set(chosen)
        return [
            CompletionItem(mid, help=vid)
            for vid, (_, matches) in sorted(venue_ids(_workspace(ctx)).items())
            if not chosen or vid in chosen
            for mid in matches
            if mid.startswith(incomplete)
        ]
    except Exception:  # completion must never print a traceback into the shell
        return []
