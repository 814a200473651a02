"""Encrypted plans (render/encrypt.py): every reader opens them with the password, the owner
password is nobody's, a new password or date re-renders, password files are bounded."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader
from pypdf.constants import UserAccessPermissions as Allow
from pypdf.errors import FileNotDecryptedError

from eventsec.cli import main
from eventsec.cli.passwords import PASSWORD_FILE_LIMIT
from eventsec.render.encrypt import password_problem, password_tag
from tests.conftest import FIXTURES

WORKSPACE = FIXTURES / "release"
PASSWORD = "correct horse battery"
TITLE = "Safety and security readiness"


def render(runner: CliRunner, out: Path, password: str | None = PASSWORD, *extra: str, epoch: str | None = None):
    """Render venue v1 into ``out`` (encrypted unless ``password`` is None); the CLI result."""
    env = {"EVENTSEC_PDF_PASSWORD": password, "SOURCE_DATE_EPOCH": epoch}
    args = ["render", str(WORKSPACE), "--venue", "v1", "--as-of", "2030-05-01", "-o", str(out), "--jobs", "1", *extra]
    return runner.invoke(main, args + (["--encrypt"] if password else []), env=env)


@pytest.fixture(scope="module")
def encrypted(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("encrypted")
    result = render(CliRunner(), out)
    assert result.exit_code == 0, result.output
    (pdf,) = out.glob("*.pdf")
    return pdf


def needs(binary: str) -> None:
    if not shutil.which(binary):
        pytest.skip(f"{binary} is not installed (.ci/system-deps installs it)")


def test_pypdf_opens_it_with_the_password_only(encrypted):
    reader = PdfReader(encrypted)
    encryption = reader.trailer["/Encrypt"].get_object()
    assert (encryption["/V"], encryption["/R"]) == (5, 6)  # AES-256, PDF 2.0
    # reportlab wrote 48 bytes, which poppler refuses; original_bytes, since pypdf reads random
    # bytes that happen to start with a byte-order mark as text (a UTF-8 one leaves 29 characters)
    key_lengths = (len(encryption["/OE"].original_bytes), len(encryption["/UE"].original_bytes))
    assert key_lengths == (32, 32)
    with pytest.raises(FileNotDecryptedError):
        reader.pages[0].extract_text()
    assert not reader.decrypt("wrong password")
    assert not reader.decrypt("")
    assert PdfReader(encrypted, password=PASSWORD).pages[0].extract_text().count(TITLE) == 1


def test_encryption_keeps_the_plan_and_hides_all_of_it(encrypted, runner, tmp_path):
    """The encrypted plan has the plain one's outline, metadata and language; its file shows none of it."""
    assert render(runner, tmp_path, None).exit_code == 0
    (plain,) = tmp_path.glob("*.pdf")
    opened, clear = PdfReader(encrypted, password=PASSWORD), PdfReader(plain)
    assert opened.metadata == clear.metadata and "venue:v1" in clear.metadata.subject
    assert [entry.title for entry in opened.outline if not isinstance(entry, list)] == [
        entry.title for entry in clear.outline if not isinstance(entry, list)
    ]
    assert opened.root_object["/Lang"] == clear.root_object["/Lang"] == "en"
    assert len(opened.pages) == len(clear.pages)
    raw = encrypted.read_bytes()
    assert all(text not in raw for text in (b"venue:v1", b"Release Test Cup", b"Safety"))


def test_the_owner_password_is_not_the_user_password(encrypted):
    """The user password opens the plan as a user, so its permissions hold: print and copy, not modify."""
    reader = PdfReader(encrypted)
    assert reader.decrypt(PASSWORD).name == "USER_PASSWORD"
    allowed = reader.user_access_permissions
    assert Allow.PRINT in allowed and Allow.PRINT_TO_REPRESENTATION in allowed and Allow.EXTRACT in allowed
    assert Allow.MODIFY not in allowed and Allow.ASSEMBLE_DOC not in allowed


def test_poppler_opens_it_with_the_password(encrypted):
    needs("pdftotext")
    text = subprocess.run(["pdftotext", "-upw", PASSWORD, str(encrypted), "-"], capture_output=True, text=True)
    assert text.returncode == 0 and TITLE in text.stdout, text.stderr
    assert "Syntax Error" not in text.stderr  # what poppler said of reportlab's 48-byte keys
    wrong = subprocess.run(["pdftotext", "-upw", "wrong password", str(encrypted), "-"], capture_output=True, text=True)
    assert wrong.returncode != 0 and TITLE not in wrong.stdout
    info = subprocess.run(["pdfinfo", "-upw", PASSWORD, str(encrypted)], capture_output=True, text=True).stdout
    assert "print:yes copy:yes change:no" in info and "AES-256" in info


def test_qpdf_checks_it_with_the_password(encrypted):
    needs("qpdf")
    check = subprocess.run(
        ["qpdf", f"--password={PASSWORD}", "--check", str(encrypted)], capture_output=True, text=True
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert "R = 6" in check.stdout and "Supplied password is user password" in check.stdout
    assert "modify anything: not allowed" in check.stdout and "print high resolution: allowed" in check.stdout
    wrong = subprocess.run(
        ["qpdf", "--password=wrong password", "--check", str(encrypted)], capture_output=True, text=True
    )
    assert wrong.returncode != 0 and "invalid password" in wrong.stderr


def test_pdfium_the_engine_of_chromium_opens_it_with_the_password(encrypted):
    pdfium = pytest.importorskip("pypdfium2")
    document = pdfium.PdfDocument(encrypted, password=PASSWORD)
    assert TITLE in document[0].get_textpage().get_text_range()
    with pytest.raises(pdfium.PdfiumError, match="password"):
        pdfium.PdfDocument(encrypted, password="wrong password")


def test_a_new_password_re_encrypts(runner, tmp_path):
    assert "(unchanged)" not in render(runner, tmp_path, "first password").output
    assert "(unchanged)" in render(runner, tmp_path, "first password").output  # same password: skipped
    again = render(runner, tmp_path, "second password")
    assert again.exit_code == 0 and "(unchanged)" not in again.output
    (pdf,) = tmp_path.glob("*.pdf")
    assert not PdfReader(pdf).decrypt("first password")
    assert PdfReader(pdf).decrypt("second password")


def test_encrypting_or_not_re_renders(runner, tmp_path):
    assert render(runner, tmp_path, None).exit_code == 0
    assert "(unchanged)" not in render(runner, tmp_path).output
    (pdf,) = tmp_path.glob("*.pdf")
    assert PdfReader(pdf).is_encrypted
    assert "(unchanged)" not in render(runner, tmp_path, None).output
    assert not PdfReader(pdf).is_encrypted


def test_the_manifest_keeps_no_password_nor_a_fast_hash_of_it(runner, tmp_path):
    assert render(runner, tmp_path).exit_code == 0
    manifest = (tmp_path / "manifest.json").read_text()
    assert PASSWORD not in manifest
    for fast in (hashlib.sha256, hashlib.sha1, hashlib.md5, hashlib.sha512):
        assert fast(PASSWORD.encode()).hexdigest() not in manifest


def test_the_password_tag_is_salted_and_scrypt():
    """The tag is scrypt's, so a guess costs as much against the manifest as scrypt does."""
    tag = password_tag(PASSWORD, salt=b"plan one")
    assert tag == password_tag(PASSWORD, salt=b"plan one")
    assert tag != password_tag(PASSWORD, salt=b"plan two") and tag != password_tag("other", salt=b"plan one")
    assert tag == hashlib.scrypt(PASSWORD.encode(), salt=b"plan one", n=2**14, r=8, p=1, dklen=32).hex()


def test_source_date_epoch_is_in_the_render_key(runner, tmp_path):
    assert render(runner, tmp_path, None, epoch="1893456000").exit_code == 0
    assert "(unchanged)" in render(runner, tmp_path, None, epoch="1893456000").output
    later = render(runner, tmp_path, None, epoch="1924992000")
    assert later.exit_code == 0 and "(unchanged)" not in later.output
    (pdf,) = tmp_path.glob("*.pdf")
    assert PdfReader(pdf).metadata.creation_date.year == 2031


@pytest.mark.parametrize("epoch", ["tomorrow", "-1", "99999999999999999999"])
def test_a_bad_source_date_epoch_is_one_line_and_exit_2(runner, tmp_path, epoch):
    result = render(runner, tmp_path, None, epoch=epoch)
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert result.output.strip().splitlines() == [
        f"eventsec: SOURCE_DATE_EPOCH={epoch!r} is not a number of seconds since 1970-01-01 (before year 10000)"
    ]


def test_a_password_file_is_read_and_trimmed(runner, tmp_path):
    secret = tmp_path / "password.txt"
    secret.write_text("  from a file\n", encoding="utf-8-sig")  # as Notepad saves it, with a byte order mark
    assert render(runner, tmp_path / "out", None, "--encrypt", "--password-file", str(secret)).exit_code == 0
    (pdf,) = (tmp_path / "out").glob("*.pdf")
    assert PdfReader(pdf).decrypt("from a file")


def test_a_missing_password_is_a_usage_error(runner, tmp_path):
    result = render(runner, tmp_path, None, "--encrypt")
    assert result.exit_code == 2 and "EVENTSEC_PDF_PASSWORD" in result.output


def test_an_unusable_password_in_the_environment_is_one_line_and_exit_2(runner, tmp_path):
    result = render(runner, tmp_path, "x" * 128)
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)
    assert result.output.strip().splitlines() == [
        "eventsec: EVENTSEC_PDF_PASSWORD: the password is longer than 127 bytes in UTF-8, the most a PDF reader uses"
    ]


def refused(runner: CliRunner, tmp_path: Path, password_file: Path | str) -> str:
    """Render with ``--password-file``: it must fail with exit 2 and one line, which is returned."""
    result = render(runner, tmp_path / "out", None, "--encrypt", "--password-file", str(password_file))
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit), result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    assert not (tmp_path / "out").exists()
    return lines[0]


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"\xff\xfep\x00w\x00", "not UTF-8 text (byte 1 is not valid UTF-8)"),
        (b"", "the password is empty"),
        (b" \n\t\n", "the password is empty"),
        (b"x" * (PASSWORD_FILE_LIMIT + 1), f"more than {PASSWORD_FILE_LIMIT} bytes"),
        ("é".encode() * 64, "the password is longer than 127 bytes in UTF-8"),
        (b"pass\x00word", "the password contains control or invisible characters"),
        ("pass\u200dword".encode(), "the password contains control or invisible characters"),
        ("ﬁve".encode(), "the password is not in Unicode NFKC form"),
    ],
    ids=["not-utf8", "empty", "blank", "over-long-file", "over-long-password", "nul", "zero-width-joiner", "ligature"],
)
def test_a_bad_password_file_is_one_line_and_exit_2(runner, tmp_path, content, problem):
    secret = tmp_path / "password.txt"
    secret.write_bytes(content)
    assert refused(runner, tmp_path, secret).startswith(f"eventsec: --password-file {secret}: {problem}")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_an_endless_device_is_refused_after_a_bounded_read(runner, tmp_path):
    assert f"more than {PASSWORD_FILE_LIMIT} bytes" in refused(runner, tmp_path, "/dev/zero")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_an_endless_fifo_is_refused_after_a_bounded_read(runner, tmp_path):
    fifo = tmp_path / "password.fifo"
    os.mkfifo(fifo)
    written = []

    def endless_writer() -> None:  # writes until the reader closes its end (at most 64 MiB)
        try:
            with fifo.open("wb") as pipe:
                for _ in range(1024):
                    pipe.write(b"x" * 65536)
                    written.append(65536)
        except BrokenPipeError:
            pass

    writer = threading.Thread(target=endless_writer, daemon=True)
    writer.start()
    assert f"more than {PASSWORD_FILE_LIMIT} bytes" in refused(runner, tmp_path, fifo)
    writer.join(timeout=30)  # a safety net, not a measurement: the reader's close ends the writer
    assert not writer.is_alive() and sum(written) < 1024 * 65536


def test_password_problem_accepts_what_every_reader_types():
    for password in (PASSWORD, "mot de passe é", "كلمة السر", "x" * 127):
        assert password_problem(password) is None
