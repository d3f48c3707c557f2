"""Turning a frozen snapshot into what readers get: the web page's context and an XLSX workbook
(the printed PDF is reporting.printed)."""

import datetime
import re
from decimal import Decimal

from cpw.core import formatting, tabular

from .sections import section_by_key
from .summary import report_summary


def sections_for_display(snapshot: dict) -> list[dict]:
    """The snapshot's sections with the template that shows each one."""
    shown = []
    for section in snapshot["sections"]:
        builder = section_by_key(section["key"])
        data = builder.display(section["data"]) if builder else section["data"]
        template = builder.template if builder else f"reports/sections/{section['key']}.html"
        shown.append({**section, "template": template, "data": data})
    return shown


def report_context(snapshot: dict) -> dict:
    """What the web page and the PDF show, in the same order: the summary, the sections, then
    the appendix with every commitment's update in full."""
    sections = sections_for_display(snapshot)
    commitments = next((s for s in sections if s["key"] == "commitments"), None)
    return {
        "snapshot": snapshot,
        "summary": report_summary(snapshot),
        "sections": sections,
        "appendix": commitments["data"]["rows"] if commitments else [],
    }


NUMBER = re.compile(r"^-?\d+(\.\d+)?$")


def _cell(value):
    """Frozen snapshots hold dates and decimals as text: give the spreadsheet real ones (dates
    shown as "30 June 2026"; figures keep the number format their section gave them)."""
    if isinstance(value, tabular.Formatted):
        return tabular.Formatted(_cell(value.value), value.number_format)
    if isinstance(value, str):
        if len(value) == 10 and value[4] == "-":
            try:
                return tabular.Formatted(datetime.date.fromisoformat(value), formatting.XLSX_DATE)
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
    used_titles = {"contents", "summary"}
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
            sheets.append(
                tabular.Sheet(
                    title=title, headers=list(sheet.columns), rows=rows, formats=sheet.formats
                )
            )
    summary = report_summary(snapshot)
    headline = summary["headline"]
    summary_rows = []
    if headline:
        if "overall_rag_label" in headline:
            summary_rows.append(
                ["Overall RAG", headline["overall_rag_label"], headline["overall_reason"]]
            )
        summary_rows.append(
            [
                "Updates submitted",
                headline["submitted"],
                f"of {headline.get('due', headline['commitments'])} commitments due an update",
            ]
        )
        summary_rows += [
            ["Decision needed", d["title"], d["question"]] for d in headline.get("decisions", [])
        ]
        summary_rows += [["Escalation", e, ""] for e in summary["escalations"]]
        for key, label in (
            ("turned_red", "Turned red"),
            ("turned_amber", "Turned amber"),
            ("turned_green", "Turned green"),
            ("completed", "Completed"),
        ):
            summary_rows += [
                [label, r["title"], f"Was {r['previous']}"] for r in headline.get(key, [])
            ]
        summary_rows += [
            ["New risk", r["commitment"], r["description"]] for r in headline.get("new_risks", [])
        ]
    summary_rows += [
        [
            "Figure not this quarter's",
            r["name"],
            f"{r['value']}, latest available: {r['latest_label']}",
        ]
        for r in summary["stale_figures"]
    ]
    contents.insert(0, ["Summary", "Summary"])
    summary_sheet = tabular.Sheet(
        title="Summary", headers=["Item", "Detail", "Note"], rows=summary_rows, widths=[28, 50, 60]
    )
    as_of = formatting.gov_date(snapshot["data_as_of"])
    intro = [[snapshot["title"]], [f"Figures as they stood on {as_of}"], []]
    first = tabular.Sheet(
        title="Contents", headers=["Sheet", "Section"], rows=contents, widths=[34, 60], intro=intro
    )
    return tabular.write_xlsx(first, summary_sheet, *sheets)
