"""The printed report: the same content as the report's web page (reports/_report_body.html and
the section templates), as a list of blocks that reporting/typst/report.typ lays out as a tagged
PDF. Every figure is formatted here, by cpw.core.formatting, as the page's filters format it; the
layout program only places text, so nothing a user typed is ever read as markup.

Each section prints itself (ReportSection.printed, with reporting.blocks); this module adds the
title, the summary, the contents and the appendix, and typesets the whole."""

import json
import logging
import re
from pathlib import Path

from django.utils.dateparse import parse_datetime
from django.utils.text import capfirst

from cpw.core import formatting

from .blocks import bold, bullets, definitions, heading, joined, keep, lower, para, small
from .render import report_context
from .sections import configured_sections

logger = logging.getLogger(__name__)

APPENDIX_TITLE = "Appendix: every update in full"


# The summary (reports/_summary.html).


def _changes(rows) -> str:
    return joined(f"{r['title']} (was {lower(r['previous'])})" for r in rows)


def summary_blocks(summary: dict) -> list[dict]:
    blocks = []
    h = summary["headline"]
    if h:
        overall = [
            heading(
                3,
                "Overall: ",
                tag={"t": h.get("overall_rag_label") or "Not rated", "rag": h.get("overall_rag")},
            ),
        ]
        if h.get("overall_reason"):
            overall.append(
                para(f"{capfirst(h['overall_reason'])}. ", small(h.get("overall_rule", "")))
            )
        if "due" in h:
            missing = h.get("missing")
            text = f"{h['submitted']} of {h['due']} commitments due an update had one submitted"
            if missing:
                text += f"; {missing} {'is' if missing == 1 else 'are'} missing"
            overall.append(para(text + "."))
        else:
            overall.append(
                para(f"{h['submitted']} of {h['commitments']} commitments had an update submitted.")
            )
        blocks.append(keep(*overall))

        decisions = [
            [bold("Decision:"), f" {d['question']} ({d['title']})"] for d in h.get("decisions", [])
        ] + [[bold("Escalation:"), f" {e}"] for e in summary["escalations"]]
        blocks.append(
            keep(
                heading(3, "Decisions and escalations needed from the group"),
                bullets(decisions)
                if decisions
                else para("No decision or escalation is asked of the group this quarter."),
            )
        )

        changes = [[f"Turned red: {_changes(h['turned_red'])}"]]
        if "turned_amber" in h:
            changes += [
                [f"Turned amber: {_changes(h['turned_amber'])}"],
                [f"Turned green: {_changes(h['turned_green'])}"],
                [f"Completed: {joined(r['title'] for r in h['completed'])}"],
                [
                    "New risks: "
                    + joined(
                        f"{r['description']} ({r['commitment']}, score {r['score']})"
                        for r in h["new_risks"]
                    )
                ],
            ]
        change = h["change"]
        overall_change = (
            f"Overall: {change.get('improved')} improved, {change.get('worsened')} worsened, "
            f"{change.get('unchanged')} unchanged"
        )
        if summary["not_comparable"]:
            overall_change += (
                f", {summary['not_comparable']} not comparable (no rating in one of the two "
                "quarters)"
            )
        changes.append([overall_change + "."])
        blocks.append(keep(heading(3, "What changed since last quarter"), bullets(changes)))
    if summary["stale_figures"]:
        blocks.append(
            keep(
                heading(3, "Figures that are not this quarter's"),
                para(
                    "These metrics have no figure for this period, so the report shows the "
                    "latest there is:"
                ),
                bullets(
                    [
                        [f"{r['name']}: {r['value']}, latest available: {r['latest_label']}"]
                        for r in summary["stale_figures"]
                    ]
                ),
            )
        )
    return blocks


# The appendix (reports/_appendix.html).


def appendix_blocks(rows: list[dict]) -> list[dict]:
    blocks = []
    for r in rows:
        previous = (
            f" (last quarter: {capfirst(r['previous_rag'])})" if r.get("previous_rag") else ""
        )
        items = [
            (
                "RAG and status",
                f"{r['rag_label']}{previous}; {lower(r['status'])}, "
                f"{formatting.percent(r['progress'])} complete",
            ),
            ("Group and leads", f"{r['group']}; {', '.join(r['leads']) or 'no lead recorded'}"),
        ]
        if r.get("decision_question"):
            items.append(("Decision needed", r["decision_question"]))
        items.append(("What happened", r.get("what_happened") or "No update submitted"))
        if r.get("whats_next"):
            items.append(("What’s next", r["whats_next"]))
        if r.get("risks_and_issues"):
            items.append(("Risks and issues", r["risks_and_issues"]))
        blocks.append(
            keep(
                heading(3, r["title"], minor=True),
                definitions(items),
            )
        )
    if not rows:
        blocks.append(para("The delivery plan has no commitments."))
    return blocks


def _timestamp(value) -> int | None:
    moment = parse_datetime(str(value or ""))
    return int(moment.timestamp()) if moment else None


def printed_report(snapshot: dict) -> dict:
    """The whole printed report: its metadata, then its blocks in the web page's order."""
    context = report_context(snapshot)
    sections = context["sections"]
    contents = [{"title": "Summary", "target": "section-summary"}]
    contents += [{"title": s["title"], "target": f"section-{s['key']}"} for s in sections]
    if context["appendix"]:
        contents.append({"title": APPENDIX_TITLE, "target": "section-appendix"})
    blocks = [
        para(snapshot["programme"]["council"]),
        heading(1, snapshot["title"]),
        para(f"Figures as they stood on {formatting.gov_date(snapshot['data_as_of'])}."),
        heading(2, "Summary", "section-summary"),
        *summary_blocks(context["summary"]),
        {"k": "pagebreak"},
        {"k": "contents", "title": "Contents", "entries": contents},
    ]
    builders = {builder.key: builder for builder in configured_sections()}
    for number, section in enumerate(sections, start=2):
        blocks.append(heading(2, f"{number}. {section['title']}", f"section-{section['key']}"))
        blocks += builders[section["key"]].printed(section["data"])
    if context["appendix"]:
        blocks.append(heading(2, APPENDIX_TITLE, "section-appendix"))
        blocks += appendix_blocks(context["appendix"])
    programme = snapshot["programme"]
    return {
        "title": snapshot["title"],
        "author": programme["council"],
        "footer": f"{programme.get('short_name') or ''} {snapshot['period']['label']} "
        "steering group report".strip(),
        # The PDF is dated when its figures were read: the same snapshot, the same bytes.
        "timestamp": _timestamp(snapshot.get("data_as_of")),
        "blocks": blocks,
    }


def printed_text(document: dict) -> str:
    """Every word the printed report shows, in order (for tests and the stand-in PDF)."""
    words = [document["title"]]

    def runs_text(runs) -> str:
        return "".join(
            "\n" if isinstance(r, dict) and r.get("br") else r if isinstance(r, str) else r["t"]
            for r in runs
        )

    def walk(block):
        kind = block["k"]
        if kind == "h":
            words.append(block["text"] + (block["tag"]["t"] if block.get("tag") else ""))
        elif kind == "p":
            words.append(runs_text(block["runs"]))
        elif kind == "ul":
            words.extend(runs_text(item) for item in block["items"])
        elif kind == "dl":
            words.extend(f"{i['term']}: {runs_text(i['runs'])}" for i in block["items"])
        elif kind == "table":
            words.append(block["caption"])
            words.append(" ".join(c["label"] for c in block["columns"]))
            for r in block["rows"]:
                words.append(" ".join(runs_text(cell) for cell in r["cells"]))
        elif kind == "chart":
            words.append(block["alt"])
        elif kind == "keep":
            for inner in block["blocks"]:
                walk(inner)
        elif kind == "contents":
            words.append(block["title"])
            words.extend(f"{n}. {e['title']}" for n, e in enumerate(block["entries"], start=1))

    for block in document["blocks"]:
        walk(block)
    return "\n".join(words)


LAYOUT = Path(__file__).resolve().parent / "typst" / "report.typ"
# Tagged PDF/UA-1: the title and language in the document, headings, lists, tables and figures
# (with their text alternatives) in its structure.
PDF_STANDARDS = ["ua-1"]


def typeset(document: dict) -> bytes:
    """The PDF, as PDF/UA-1. Should the report's data break one of that standard's rules (a
    heading left blank, say), the report is still written, tagged as ever but without the
    claim, and the reason is logged: a quarterly report is never lost to a blank field."""
    import typst

    def compile_pdf(standards):
        return typst.compile(
            LAYOUT.read_bytes(),
            root=str(LAYOUT.parent),
            timestamp=document.get("timestamp"),
            sys_inputs={"report": json.dumps(document, ensure_ascii=False)},
            pdf_standards=standards,
        )

    try:
        return compile_pdf(PDF_STANDARDS)
    except typst.TypstError as error:
        if "PDF/UA-1" not in str(error):
            raise
        logger.warning("Report PDF written without PDF/UA-1 (%s): %s", document["title"], error)
        return compile_pdf([])


def pdf_page_count(pdf: bytes) -> int:
    """The number of pages of a PDF this module wrote (its page objects)."""
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def render_pdf(snapshot: dict) -> bytes:
    return typeset(printed_report(snapshot))


def pdf_warm_up() -> None:
    """Load the typesetter and the report's fonts: what a process pays once before its first
    PDF (about a fifth of a second), so that a worker's first compile costs what every later
    one does. The typesetter is not imported with Django: most processes never write a PDF."""
    typeset(
        {
            "title": "Warm-up",
            "author": "",
            "footer": "",
            "blocks": [heading(1, "Warm-up"), para(bold("£1"), " 1.0%")],
        }
    )
