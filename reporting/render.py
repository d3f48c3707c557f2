"""Turning a frozen snapshot into what readers get: HTML, a tagged PDF, and an XLSX workbook."""

import datetime
import re
from decimal import Decimal

from django.conf import settings
from django.template.loader import render_to_string

from cpw.core import tabular

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
    """A contents sheet, then one sheet per table of every section (through cpw.core.tabular,
    so text from the snapshot can never run as a formula)."""
    contents, sheets = [], []
    used_titles = {"contents"}
    for section in snapshot["sections"]:
        builder = section_by_key(section["key"])
        if builder is None:
            continue
        for sheet in builder.sheets(section["data"]):
            title = sheet.title[:31]
            n = 2
            while title.lower() in used_titles:
                title = f"{sheet.title[:28]} {n}"
                n += 1
            used_titles.add(title.lower())
            contents.append([title, section["title"]])
            rows = ([_cell(value) for value in row] for row in sheet.rows)
            sheets.append(tabular.Sheet(title=title, headers=list(sheet.columns), rows=rows))
    intro = [[snapshot["title"]], [f"Data as of {snapshot['data_as_of']}"], []]
    first = tabular.Sheet(
        title="Contents", headers=["Sheet", "Section"], rows=contents, widths=[34, 60], intro=intro
    )
    return tabular.write_xlsx(first, *sheets)
