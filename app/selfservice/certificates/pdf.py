"""The certificate as a PDF: CJK text in an embedded TrueType font, a QR code, a drawn seal.

reportlab's built-in STSong-Light is a CID font that is never embedded (some in-app viewers then
show boxes), so a TrueType-outline font (WenQuanYi, TTC) is embedded when one is found; the CID
font is only a fallback, with a warning in the log.
"""

from __future__ import annotations

import io
import logging
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reportlab.pdfgen import canvas

log = logging.getLogger(__name__)
EMBEDDED, FALLBACK = "CJK", "STSong-Light"
SEAL_RED = (0.82, 0.08, 0.08)


@dataclass(frozen=True, slots=True)
class Line:
    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Document:
    title: str
    lines: tuple[Line, ...]
    table_header: tuple[str, ...]
    table: tuple[tuple[str, ...], ...]
    agency: str
    issued: str
    code: str
    verify_url: str
    note: str


# reportlab and segno are imported where a PDF is drawn: they cost ~0.2 s, which a worker that
# never issues a document should not pay at start-up.


@cache
def cjk_font(path: str) -> str:
    """The font name to draw with: the TrueType file at path embedded, else the CID fallback."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    if Path(path).is_file():
        pdfmetrics.registerFont(TTFont(EMBEDDED, path, subfontIndex=0))
        return EMBEDDED
    log.warning("CJK font %s not found: falling back to the non-embedded %s", path, FALLBACK)
    pdfmetrics.registerFont(UnicodeCIDFont(FALLBACK))
    return FALLBACK


def _seal(pdf: canvas.Canvas, font: str, x: float, y: float, agency: str) -> None:
    """A round seal: red ring, a star, the agency's name along the top arc."""
    from reportlab.lib.units import mm

    radius = 21 * mm
    pdf.saveState()
    pdf.setStrokeColorRGB(*SEAL_RED)
    pdf.setFillColorRGB(*SEAL_RED)
    pdf.setLineWidth(1.6)
    pdf.circle(x, y, radius, stroke=1, fill=0)
    star = [
        (x + 6 * mm * math.cos(math.pi / 2 + k * 4 * math.pi / 5),
         y + 6 * mm * math.sin(math.pi / 2 + k * 4 * math.pi / 5))
        for k in range(5)
    ]  # fmt: skip
    path = pdf.beginPath()
    path.moveTo(*star[0])
    for point in star[1:]:
        path.lineTo(*point)
    path.close()
    pdf.drawPath(path, stroke=0, fill=1)
    size = 9
    pdf.setFont(font, size)
    span = math.radians(220)
    for index, char in enumerate(agency):
        angle = math.pi / 2 + span / 2 - span * (index + 0.5) / max(len(agency), 1)
        pdf.saveState()
        pdf.translate(
            x + (radius - 4 * mm) * math.cos(angle), y + (radius - 4 * mm) * math.sin(angle)
        )
        pdf.rotate(math.degrees(angle) - 90)
        pdf.drawCentredString(0, -size / 3, char)
        pdf.restoreState()
    pdf.drawCentredString(x, y - 12 * mm, "业务专用章")
    pdf.restoreState()


def render_pdf(document: Document, *, font_path: str) -> bytes:
    """The certificate's PDF bytes."""
    import segno
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    font = cjk_font(font_path)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle(document.title)
    width, height = A4
    pdf.setFont(font, 20)
    pdf.drawCentredString(width / 2, height - 30 * mm, document.title)
    y = height - 48 * mm
    pdf.setFont(font, 11)
    for line in document.lines:
        pdf.drawString(25 * mm, y, f"{line.label}：{line.value}")
        y -= 8 * mm
    y -= 4 * mm
    columns = [25 * mm, 75 * mm, 105 * mm, 140 * mm]
    pdf.setFont(font, 10)
    for row in (document.table_header, *document.table):
        for x, cell in zip(columns, row, strict=False):
            pdf.drawString(x, y, cell)
        y -= 7 * mm
    pdf.setFont(font, 9)
    pdf.drawString(25 * mm, y - 4 * mm, document.note)
    pdf.setFont(font, 11)
    pdf.drawString(110 * mm, 62 * mm, document.agency)
    pdf.drawString(110 * mm, 54 * mm, f"出具日期：{document.issued}")
    _seal(pdf, font, 150 * mm, 62 * mm, document.agency)
    qr = io.BytesIO()
    segno.make(document.verify_url, error="m").save(qr, kind="png", scale=4, border=2)
    qr.seek(0)
    pdf.drawImage(ImageReader(qr), 25 * mm, 30 * mm, 32 * mm, 32 * mm)
    pdf.setFont(font, 9)
    pdf.drawString(25 * mm, 25 * mm, f"验证码：{document.code}")
    pdf.drawString(25 * mm, 20 * mm, f"扫码或访问 {document.verify_url} 核验真伪")
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
