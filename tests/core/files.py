"""Small genuine and hostile files for upload tests, built in memory."""

import io
import zipfile

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"0" * 100
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"0" * 100
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" + b"\x00" * 500  # a Windows program's start

MAIN = {
    "docx": (
        "/word/document.xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    ),
    "xlsx": (
        "/xl/workbook.xml",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    ),
    "pptx": (
        "/ppt/presentation.xml",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
    ),
}


def zip_bytes(files: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def ooxml(kind: str, parts: dict, *, main_part: bool = True, raw_types: bool = False):
    """An Office file whose [Content_Types].xml declares `kind`'s main part; `main_part=False`
    leaves that part out; `raw_types=True` returns only the [Content_Types].xml text."""
    part, content_type = MAIN[kind]
    types = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="{part}" ContentType="{content_type}"/>'
        "</Types>"
    )
    if raw_types:
        return types
    files = {"[Content_Types].xml": types, **parts}
    if main_part:
        files[part.lstrip("/")] = "<x/>"
    return zip_bytes(files)


def docx_bytes() -> bytes:
    return ooxml("docx", {"_rels/.rels": "<x/>"})


def xlsx_bytes() -> bytes:
    return ooxml("xlsx", {"_rels/.rels": "<x/>", "xl/worksheets/sheet1.xml": "<x/>"})


def pptx_bytes() -> bytes:
    return ooxml("pptx", {"_rels/.rels": "<x/>"})


# Passed as xlsx before: any zip with [Content_Types].xml and an xl/ entry.
FAKE_XLSX = zip_bytes({"[Content_Types].xml": "x", "xl/evil.exe": EXECUTABLE})


# --- Hostile imports, built in the test without holding them whole in memory ----------------

XLSX_TYPES = ooxml("xlsx", {}, raw_types=True)
WORKBOOK = (
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)


def zip_bomb_xlsx(unpacked_mb: int = 300) -> bytes:
    """A small xlsx (a few hundred KB) whose worksheet unpacks to `unpacked_mb` MB of rows,
    written a megabyte at a time."""
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c></row>'
    chunk = row * (1024 * 1024 // len(row))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", XLSX_TYPES)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            for _ in range(unpacked_mb):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def csv_flood(rows: int, row: str = "x,2023-Q1,1", header: str = "metric,period,value") -> bytes:
    return (header + "\n" + (row + "\n") * rows).encode()
