"""Fonts for the plan: TrueType, embedded (subset), able to draw Arabic.

Looked up in this order: the ``--font`` option / ``EVENTSEC_FONT`` (a regular .ttf; a bold
face beside it named like ``*-Bold.ttf`` is used when present), then DejaVu Sans and Noto
Sans from the usual system directories. Registering once per process costs ~40 ms.
"""

from __future__ import annotations

import functools
import os
from dataclasses import dataclass
from pathlib import Path

from eventsec.errors import UsageError

SEARCH = [
    ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
    ("/Library/Fonts/DejaVuSans.ttf", "/Library/Fonts/DejaVuSans-Bold.ttf"),
    ("/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf", "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf"),
]
INSTALL_HINT = (
    "install DejaVu Sans (Debian/Ubuntu: apt-get install fonts-dejavu-core; Fedora: dnf install "
    "dejavu-sans-fonts; macOS: brew install --cask font-dejavu) or point EVENTSEC_FONT / --font at a "
    "TrueType font that covers Latin and Arabic"
)


class FontError(UsageError):
    """No usable font: the message says what to install."""


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str


def _bold_beside(regular: Path) -> Path | None:
    for name in (regular.stem.replace("-Regular", "") + "-Bold.ttf", regular.stem + "-Bold.ttf"):
        candidate = regular.with_name(name)
        if candidate.is_file():
            return candidate
    return None


def find_font_files(override: str | None = None) -> tuple[Path, Path]:
    """(regular, bold) font files: the override or environment first, then system fonts."""
    chosen = override or os.environ.get("EVENTSEC_FONT")
    if chosen:
        regular = Path(chosen)
        if not regular.is_file():
            raise FontError(f"font file {regular} does not exist; {INSTALL_HINT}")
        return regular, _bold_beside(regular) or regular
    for regular, bold in SEARCH:
        if Path(regular).is_file():
            return Path(regular), Path(bold) if Path(bold).is_file() else Path(regular)
    raise FontError(f"no font for the plan was found; {INSTALL_HINT}")


@functools.cache
def register_fonts(override: str | None = None) -> Fonts:
    """Register the plan's fonts with reportlab once per process."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    regular, bold = find_font_files(override)
    try:
        pdfmetrics.registerFont(TTFont("PlanSans", str(regular)))
        pdfmetrics.registerFont(TTFont("PlanSans-Bold", str(bold)))
    except TTFError as exc:
        raise FontError(f"cannot use font {regular}: {exc}; {INSTALL_HINT}") from None
    pdfmetrics.registerFontFamily(
        "PlanSans", normal="PlanSans", bold="PlanSans-Bold", italic="PlanSans", boldItalic="PlanSans-Bold"
    )
    return Fonts("PlanSans", "PlanSans-Bold")
