"""The PDF password for ``render --encrypt``: from EVENTSEC_PDF_PASSWORD or a file, never from
the command line (it would show in shell history and process lists)."""

from __future__ import annotations

import os
from pathlib import Path

import click

from eventsec.errors import UsageError

PASSWORD_FILE_LIMIT = 4096
"""Bytes read from --password-file at most: a password is at most 127 bytes, and a FIFO or a
device such as /dev/zero must not fill memory."""


def pdf_password(encrypt: bool, password_file: Path | None) -> str | None:
    """The encryption password, or None without ``--encrypt``; a UsageError (exit 2) when it is
    missing or unusable (see render/encrypt.py for what every reader accepts)."""
    from eventsec.render.encrypt import password_problem

    if not encrypt:
        if password_file:
            raise click.UsageError("--password-file needs --encrypt")
        return None
    if password_file:
        source = f"--password-file {password_file}"
        password = read_password_file(password_file, source)
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
        raise UsageError(f"{source}: {problem}")
    return password


def read_password_file(path: Path, source: str) -> str:
    """The file's UTF-8 text (a leading byte order mark dropped), read up to PASSWORD_FILE_LIMIT
    bytes, so an endless file or device ends."""
    try:
        with path.open("rb") as handle:
            data = handle.read(PASSWORD_FILE_LIMIT + 1)
    except OSError as exc:
        raise UsageError(f"{source}: cannot read it ({exc.strerror or exc})") from None
    if len(data) > PASSWORD_FILE_LIMIT:
        raise UsageError(f"{source}: more than {PASSWORD_FILE_LIMIT} bytes; it must hold only the password")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(f"{source}: not UTF-8 text (byte {exc.start + 1} is not valid UTF-8)") from None
