"""Encrypting a rendered plan, and what about its password may be kept.

reportlab's own AES-256 writes revision 5 with 48-byte /OE and /UE (pyaes pads the 32-byte key
with PKCS#7); poppler and pypdf refuse such files. So the plan is laid out unencrypted, as
always, and then encrypted by pypdf (with ``cryptography``) using AES-256 of the PDF 2.0
standard security handler (revision 6), the one poppler, pdf.js, pdfium, qpdf and pypdf read.

The owner password is random, used once and kept nowhere: nobody holds the password that lifts
the permissions, and the user password cannot reveal it. The price is that an encrypted plan's
bytes differ on every render (docs/release.md says why that is unavoidable).
"""

from __future__ import annotations

import hashlib
import io
import secrets
import unicodedata

MAX_PASSWORD_BYTES = 127
"""The standard security handler uses at most 127 bytes of the UTF-8 password; a longer one
would be cut silently, so it is refused instead."""

SCRYPT = {"n": 2**14, "r": 8, "p": 1}
"""Cost of the password tag in the render key (16 MiB and tens of milliseconds per plan): far
more per guess than the revision 6 check an attacker can run on the PDF itself."""


def password_problem(password: str) -> str | None:
    """Why ``password`` cannot protect a plan that every reader opens, or None.

    Readers differ in how they normalise a password (pypdf applies SASLprep, qpdf and poppler
    take the UTF-8 bytes as typed), so only passwords that every one of them turns into the same
    bytes are accepted: no control or invisible format characters, already in NFKC form.
    """
    if not password:
        return "the password is empty"
    if len(password.encode("utf-8")) > MAX_PASSWORD_BYTES:
        return f"the password is longer than {MAX_PASSWORD_BYTES} bytes in UTF-8, the most a PDF reader uses"
    if any(unicodedata.category(char) in ("Cc", "Cf") for char in password):
        return "the password contains control or invisible characters"
    if unicodedata.normalize("NFKC", password) != password:
        return "the password is not in Unicode NFKC form (readers would normalise it differently); retype it"
    return None


def permissions():
    """Print (at any quality), copy text, annotate and fill forms; never change or reassemble."""
    from pypdf.constants import UserAccessPermissions as Allow

    return Allow.all() & ~Allow.MODIFY & ~Allow.ASSEMBLE_DOC


def encrypt_pdf(pdf: bytes, password: str) -> bytes:
    """``pdf`` encrypted with AES-256 (revision 6): ``password`` opens it, a random owner
    password that is thrown away guards the permissions."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, NumberObject

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.pdf_header = "%PDF-1.7"  # revision 6 is PDF 2.0, or 1.7 with Adobe extension level 8, as qpdf writes it
    writer.root_object[NameObject("/Extensions")] = DictionaryObject(
        {
            NameObject("/ADBE"): DictionaryObject(
                {NameObject("/BaseVersion"): NameObject("/1.7"), NameObject("/ExtensionLevel"): NumberObject(8)}
            )
        }
    )
    writer.encrypt(password, secrets.token_urlsafe(32), permissions_flag=permissions(), algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def password_tag(password: str, salt: bytes) -> str:
    """A slow, salted hash of ``password`` for the render key, which the manifest records.

    It lets a new password re-render a plan without ever writing the password; scrypt makes
    each guess against the manifest dearer than a guess against the encrypted PDF, so the
    manifest is never the easier target.
    """
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, **SCRYPT, dklen=32).hex()
