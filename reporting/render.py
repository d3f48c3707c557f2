"""Turning a frozen snapshot into what readers get: HTML, a tagged PDF, and an XLSX workbook."""

import datetime
import io
import re
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .sections import section_by_key


def sections_for_display(snapshot: dict) -> list[dict]:
    """The snapshot's sections with the template that shows each one."""
    return [
        {"template": f"reports/sections/{section['key']}.html", **section}
        for section in snapshot["sections"]
    ]


def render_pdf(snapshot: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "reports/report_pdf.html",
        {"snapshot": snapshot, "sections": sections_for_display(snapshot)},
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf(pdf_tags=True)


NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _cell(value):
    """Frozen snapshots hold dates and decimals as text: give the spreadsheet real ones."""
    if isinstance(value, str):
        if len(value) == 10 and value[4] == "-":
            try:
                return datetime.date.fromisoformat(value)
            except ValueError:
                return value
        if NUMBER.match(value):
            return Decimal(value)
        return value
    if isinstance(value, (int, float, Decimal)) or value is None:
        return value
    return str(value)


def render_xlsx(snapshot: dict) -> bytes:
    workbook = Workbook()
    contents = workbook.active
    contents.title = "Contents"
    contents.append([f"{snapshot['title']}"])
    contents["A1"].font = Font(bold=True, size=14)
    contents.append([f"Data as of {snapshot['data_as_of']}"])
    contents.append([])
    contents.append(["Sheet", "Section"])
    used_titles = {"Contents"}
    for section in snapshot["sections"]:
        builder = section_by_key(section["key"])
        if builder is None:
            continue
        for sheet in builder.sheets(section["data"]):
            title = sheet.title[:31]
            n = 2
            while title in used_titles:
                title = f"{sheet.title[:28]} {n}"
                n += 1
            used_titles.add(title)
            contents.append([title, section["title"]])
            worksheet = workbook.create_sheet(title)
            worksheet.append(sheet.columns)
            for cell in worksheet[1]:
                cell.font = Font(bold=True)
            for row in sheet.rows:
                worksheet.append([_cell(value) for value in row])
            for index, column in enumerate(sheet.columns, start=1):
                worksheet.column_dimensions[get_column_letter(index)].width = max(
                    12, min(60, len(str(column)) + 4)
                )
            worksheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
