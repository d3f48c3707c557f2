"""The printed report: the same content as the report's web page (reports/_report_body.html and
the section templates), as a list of blocks that reporting/typst/report.typ lays out as a tagged
PDF. Every figure is formatted here, by cpw.core.formatting, as the page's filters format it; the
layout program only places text, so nothing a user typed is ever read as markup.

Blocks are plain dicts (JSON): a heading ("h"), a paragraph ("p"), a bullet list ("ul"), a
definition list ("dl"), a table, a chart (an SVG and its text alternative), a group kept on one
page ("keep"), the contents list and a page break. Text is a list of runs: a string, or a dict
with "t" (the text) and "b" (bold) or "s" (small), or {"br": True} for a line break."""

import datetime
import json
import re
from collections.abc import Callable
from pathlib import Path

from django.template.loader import render_to_string

from cpw.core import formatting

from .render import report_context

APPENDIX_TITLE = "Appendix: every update in full"


def bold(text) -> dict:
    return {"t": str(text), "b": True}


def small(text) -> dict:
    return {"t": str(text), "s": True}


BREAK = {"br": True}


def heading(
    level: int, text: str, label: str = "", tag: dict | None = None, minor: bool = False
) -> dict:
    """A heading; `tag` is a RAG tag after the text ({"t": "Amber", "rag": "amber"}); a minor
    heading is set smaller (the page's govuk-heading-s)."""
    return {"k": "h", "level": level, "text": text, "label": label, "tag": tag, "minor": minor}


def para(*runs, small_text: bool = False) -> dict:
    return {"k": "p", "runs": list(runs), "small": small_text}


def bullets(items: list[list]) -> dict:
    return {"k": "ul", "items": items}


def keep(*blocks) -> dict:
    return {"k": "keep", "blocks": [b for b in blocks if b]}


def column(label: str, numeric: bool = False, width: str = "1fr") -> dict:
    return {"label": label, "numeric": numeric, "width": width}


def table(caption: str, columns: list[dict], rows: list[dict], *, size: str = "") -> dict:
    """rows: {"cells": [runs per column], "total": bool}; the first cell heads its row."""
    return {"k": "table", "caption": caption, "columns": columns, "rows": rows, "size": size}


def row(*cells, total: bool = False) -> dict:
    return {"cells": [c if isinstance(c, list) else [str(c)] for c in cells], "total": total}


def full_width_row(text: str, columns: int) -> dict:
    return {"cells": [[text]], "span": columns, "total": False}


def chart(svg: str, alt: str) -> dict:
    return {"k": "chart", "svg": svg, "alt": alt}


def lower(value) -> str:
    return str(value or "").lower()


def capfirst(value) -> str:
    value = str(value or "")
    return value[:1].upper() + value[1:]


def plural(count, singular: str = "", many: str = "s") -> str:
    return singular if count == 1 else many


def joined(items, separator: str = "; ", empty: str = "none") -> str:
    items = [str(i) for i in items]
    return separator.join(items) if items else empty


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


# The sections (reports/sections/*.html).


def headline_blocks(data: dict) -> list[dict]:
    blocks = []
    if "exceptions" in data:
        rows = []
        for r in data["exceptions"]:
            why = ""
            if r["rag"] in ("red", "amber"):
                why += f"Rated {r['rag']}"
                if r.get("risks_and_issues"):
                    why += f": {r['risks_and_issues']}"
                why += ". "
            if r.get("overdue"):
                why += f"Overdue: it was due by {formatting.gov_date(r['end'])}. "
            if r.get("status_disagrees"):
                why += (
                    f"Its status ({lower(r['status'])}) and RAG ({lower(r['rag_label'])}) "
                    "contradict each other."
                )
            leads = f"; {', '.join(r['leads'])}" if r.get("leads") else ""
            rows.append(
                row(
                    [r["title"], BREAK, small(f"{r['group']}{leads}")],
                    r["rag_label"],
                    r["status"],
                    why,
                )
            )
        if not rows:
            rows = [full_width_row("No commitment is red, amber or overdue.", 4)]
        blocks.append(
            table(
                "Red and amber commitments, overdue ones, and those whose status and RAG "
                "contradict each other",
                [
                    column("Commitment", width="2fr"),
                    column("RAG"),
                    column("Status"),
                    column("Why it is here", width="2.4fr"),
                ],
                rows,
            )
        )
    blocks.append(heading(3, "Overdue milestones"))
    if "overdue_milestones" in data:
        if data["overdue_milestones"]:
            blocks.append(
                bullets(
                    [
                        [
                            f"“{m['title']}”, due {formatting.gov_date(m['due'])}: "
                            f"{len(m['commitments'])} commitment{plural(len(m['commitments']))} "
                            f"({'; '.join(m['commitments'])})"
                        ]
                        for m in data["overdue_milestones"]
                    ]
                )
            )
        else:
            blocks.append(para("No milestone is overdue."))
    elif data.get("overdue"):
        items = []
        for r in data["overdue"]:
            text = r["title"]
            if r.get("due"):
                text += f", due {formatting.gov_date(r['due'])}"
            for m in r.get("milestones", []):
                text += f"; milestone “{m['title']}” was due {formatting.gov_date(m['due'])}"
            items.append([text])
        blocks.append(bullets(items))
    else:
        blocks.append(para("Nothing is overdue."))
    blocks.append(
        para(
            "A milestone is overdue when it is not done and was due before the last day of the "
            "period. Completed and closed commitments are never overdue.",
            small_text=True,
        )
    )
    upcoming = data.get("milestones_next_period") or {}
    when = formatting.gov_date_range(upcoming.get("start"), upcoming.get("end"))
    blocks.append(heading(3, f"Milestones due next period ({when})"))
    if upcoming.get("items"):
        blocks.append(
            bullets(
                [
                    [f"{m['commitment']}: {m['title']}, due {formatting.gov_date(m['due'])}"]
                    for m in upcoming["items"]
                ]
            )
        )
    else:
        blocks.append(para("No milestones are due next period."))
    blocks.append(
        table(
            f"Commitments due an update, by RAG rating ({data.get('due') or data.get('commitments')} in all)",
            [column("RAG", width="2fr"), column("Commitments", numeric=True)],
            [row(item["rag"], item["count"]) for item in data["by_rag"]],
        )
    )
    blocks.append(
        table(
            "Commitments by status on the delivery plan",
            [column("Status", width="2fr"), column("Commitments", numeric=True)],
            [row(item["status"], item["count"]) for item in data["by_status"]],
        )
    )
    if data.get("rag_and_status"):
        blocks.append(
            keep(
                heading(3, "RAG and status", minor=True),
                para(data["rag_and_status"]),
                {
                    "k": "dl",
                    "items": [
                        {"term": d["rag"], "runs": [d["meaning"]]}
                        for d in data.get("rag_definitions") or []
                    ],
                },
            )
        )
    rag_chart = data.get("rag_chart")
    if rag_chart:
        trend = data["rag_trend"]
        title = "Submitted updates by RAG rating for each quarter; the table gives the same figures"
        key = ", ".join(lower(label) for label, _ in rag_chart["key"])
        blocks.append(
            keep(
                heading(3, f"RAG ratings over the last {len(trend)} quarters", minor=True),
                chart(
                    render_to_string(
                        "reports/charts/rag_trend.svg", {"chart": rag_chart, "title": title}
                    ),
                    title,
                ),
                table(
                    f"Submitted updates by RAG rating (bars from the bottom: {key})",
                    [column("Quarter", width="2fr")]
                    + [column(c["rag"], numeric=True) for c in trend[0]["counts"]],
                    [row(t["period"], *[c["count"] for c in t["counts"]]) for t in trend],
                ),
            )
        )
    return blocks


def commitments_blocks(data: dict) -> list[dict]:
    blocks, groups = [], {}
    for r in data["rows"]:
        groups.setdefault(r["group"], []).append(r)
    for group, rows in groups.items():
        blocks.append(
            table(
                group,
                [
                    column("Commitment", width="2.6fr"),
                    column("RAG (last quarter)"),
                    column("Status"),
                    column("Progress", numeric=True, width="0.8fr"),
                ],
                [
                    row(
                        [r["title"], BREAK, small(", ".join(r["leads"]) or "No lead recorded")],
                        r["rag_label"]
                        + (f" ({capfirst(r['previous_rag'])})" if r.get("previous_rag") else ""),
                        [r["status"], BREAK, small("Contradicts the RAG rating")]
                        if r.get("status_disagrees")
                        else r["status"],
                        formatting.percent(r["progress"]),
                    )
                    for r in rows
                ],
            )
        )
    if not groups:
        blocks.append(para("The delivery plan has no commitments."))
    blocks.append(para("Every update in full is in the appendix.", small_text=True))
    return blocks


def groundbreakers_blocks(data: dict) -> list[dict]:
    blocks = []
    for r in data["rows"]:
        text = (
            r["status"] + (f". Led by {r['lead']}" if r.get("lead") else "") + f". RAG: {r['rag']}."
        )
        blocks.append(heading(3, r["name"]))
        blocks.append(para(text))
        if r.get("summary"):
            blocks.append(para(r["summary"]))
        if r.get("next_steps"):
            blocks.append(para(bold("Next steps:"), f" {r['next_steps']}"))
    period_end = formatting.gov_date(data.get("period_end")) or "the end of the period"
    blocks.append(
        table(
            f"Engagement this period and to date (to {period_end}). The whole programme is the "
            "sum of the rows above it.",
            [column(data.get("label") or "Groundbreaker", width="2fr")]
            + [column(label, numeric=True) for label in data["labels"].values()],
            [
                row(
                    f"{r['name']}, {lower(r['when'])}",
                    *[formatting.number(v) for v in r["cells"]],
                    total=bool(r.get("total")),
                )
                for r in data["table"]
            ],
            size="small",
        )
    )
    return blocks


def funds_blocks(data: dict) -> list[dict]:
    blocks = []
    money = formatting.money
    for fund in data["rows"]:
        this_period = fund["awarded_this_period"]
        text = (
            f"{fund['awards']} grant{plural(fund['awards'])} awarded in all; "
            f"{this_period['count']} this period ({money(this_period['amount'])}). "
            f"Paid to date: {money(fund['paid_to_date'])}."
        )
        if fund.get("priority_share") is not None:
            text += f" {formatting.percent(fund['priority_share'])} of the money went to priority places."
        blocks += [heading(3, fund["name"]), para(text)]
        blocks.append(
            table(
                f"{fund['name']}: money requested and awarded against budget",
                [
                    column("Money", width="1.4fr"),
                    column("Requested", numeric=True),
                    column("Awarded", numeric=True),
                    column("Budget", numeric=True),
                ],
                [
                    row(m["label"], money(m["requested"]), money(m["awarded"]), money(m["budget"]))
                    for m in fund["money"]
                ],
            )
        )
        if fund.get("applications"):
            blocks.append(
                table(
                    f"{fund['name']}: applications by state",
                    [column("State", width="2fr"), column("Applications", numeric=True)],
                    [row(s["label"], s["count"]) for s in fund["applications"]],
                )
            )
        if fund.get("by_place"):
            blocks.append(
                table(
                    f"{fund['name']}: where the money went (largest first)",
                    [
                        column("Place", width="2fr"),
                        column("Priority place"),
                        column("Awarded", numeric=True),
                    ],
                    [
                        row(p["name"], "Yes" if p["priority"] else "No", money(p["amount"]))
                        for p in fund["by_place"]
                    ],
                )
            )
    if not data["rows"]:
        blocks.append(para("This programme has no funds."))
    votes = data.get("votes")
    if votes:
        decided = (
            money(votes["money_this_period"])
            if votes.get("money_this_period") is not None
            else "none awarded"
        )
        turnout = (
            formatting.percent(votes["turnout_this_period"])
            if votes.get("turnout_this_period") is not None
            else "not known (no vote gave the number of residents who could vote)"
        )
        blocks += [
            heading(3, "Residents' votes"),
            para(
                f"Money decided by residents this period: {decided}. Turnout in the votes that "
                f"closed this period: {turnout}."
            ),
        ]
        if votes.get("rows"):
            blocks.append(
                table(
                    "Residents' votes that closed this period",
                    [
                        column("Vote", width="2fr"),
                        column("Pot", numeric=True),
                        column("Ballots (online, paper, spoilt)", numeric=True),
                        column("Turnout", numeric=True),
                        column("Decided by residents", numeric=True, width="1.4fr"),
                    ],
                    [
                        row(
                            f"{v['fund']}: {v['round']}",
                            money(v["pot"]),
                            f"{v['online']}, {v['paper']}, {v['spoilt']}",
                            formatting.percent(v["turnout"])
                            if v.get("turnout") is not None
                            else "Not known",
                            f"{money(v['decided'])} ({v['grants']} grant{plural(v['grants'])})"
                            if v.get("confirmed")
                            else "Result not confirmed yet",
                        )
                        for v in votes["rows"]
                    ],
                )
            )
    return blocks


def evaluation_blocks(data: dict) -> list[dict]:
    if not data.get("rows"):
        return [para("This programme has no high-level evaluation metrics yet.")]
    figure = formatting.metric_value
    rows = []
    for r in data["rows"]:
        unit = r.get("unit_value", "")
        if r.get("latest") is not None:
            when = (
                bold(f"latest available: {r['latest_label']}") | {"s": True}
                if r.get("stale")
                else small(r.get("latest_period", ""))
            )
            latest = [figure(r["latest"], unit), BREAK, when]
        else:
            latest = ["No figure"]
        rows.append(
            row(
                [r["name"], BREAK, small(f"{r['unit']}, {lower(r['direction'])}")],
                figure(r.get("baseline"), unit) or "None",
                figure(r.get("target"), unit) or "None",
                latest,
                formatting.change(r.get("change"), unit) or "Not known",
                capfirst(r.get("rag")) or "Not rated",
            )
        )
    framework = f" ({data['framework']})" if data.get("framework") else ""
    blocks = [
        table(
            f"High-level metrics against baseline and target{framework}",
            [
                column("Metric", width="2.2fr"),
                column("Baseline", numeric=True),
                column("Target", numeric=True),
                column("Latest", numeric=True, width="1.2fr"),
                column("Change since the figure before", width="1.4fr"),
                column("RAG", width="0.8fr"),
            ],
            rows,
        )
    ]
    for r in data["rows"]:
        if len(r.get("trend", [])) <= 1:
            continue
        unit = r.get("unit_value", "")
        figures = table(
            f"{r['name']}: the figures",
            [column("Period", width="2fr"), column("Figure", numeric=True)],
            [row(t["period"], figure(t["value"], unit)) for t in r["trend"]],
        )
        if r.get("chart"):
            svg = render_to_string(
                "reports/charts/metric_trend.svg",
                {"chart": r["chart"], "id": r["chart_id"], "title": r["chart_title"]},
            )
            blocks.append(keep(chart(svg, r["chart_title"]), figures))
        else:
            blocks.append(keep(figures))
    return blocks


def learning_blocks(data: dict) -> list[dict]:
    blocks = []
    for r in data["rows"]:
        title = r["title"] + (f" ({r['groundbreaker']})" if r.get("groundbreaker") else "")
        blocks += [
            heading(3, f"{title}: {r['outcome']}", minor=True),
            para(bold("What we tried:"), f" {r['what_we_tried']}"),
            para(bold("What happened:"), f" {r['what_happened']}"),
        ]
        if r.get("what_we_would_do_differently"):
            blocks.append(
                para(bold("What we would do differently:"), f" {r['what_we_would_do_differently']}")
            )
    if not data["rows"]:
        blocks.append(para("Nothing was added to the learning log this period."))
    return blocks


def risks_blocks(data: dict) -> list[dict]:
    blocks = [
        para(
            f"Risks whose likelihood multiplied by impact is {data['threshold']} or more (out of 25)."
        )
    ]
    if not data["rows"]:
        return [*blocks, para("No risk is scored that high.")]
    blocks.append(
        table(
            "High risks",
            [
                column("Commitment", width="1.4fr"),
                column("Risk", width="1.6fr"),
                column("Score", numeric=True, width="0.7fr"),
                column("Owner and mitigation", width="1.6fr"),
            ],
            [
                row(
                    r["commitment"],
                    r["description"],
                    f"{r['score']} ({r['likelihood']}×{r['impact']})",
                    (r.get("owner") or "No owner")
                    + (f": {r['mitigation']}" if r.get("mitigation") else ""),
                )
                for r in data["rows"]
            ],
        )
    )
    return blocks


def programme_blocks(data: dict) -> list[dict]:
    period = data["period"]
    name = period.get("name") or period.get("label", "")
    definitions = [
        ("Council", data["council"]),
        ("Purpose", data["purpose"]),
        (
            "Period",
            f"{name}: {formatting.gov_date(period['start'])} to "
            f"{formatting.gov_date(period['end'])}",
        ),
        ("Updates were due by", formatting.gov_date(period.get("update_deadline"))),
        ("Priority places", str(len(data.get("priority_places") or []))),
    ]
    blocks = [{"k": "dl", "items": [{"term": t, "runs": [v]} for t, v in definitions]}]
    if data.get("governance"):
        items = []
        for body in data["governance"]:
            text = body["name"]
            if body.get("chair"):
                text += f", chaired by {body['chair']}"
            if body.get("meeting_cadence"):
                text += f" (meets {lower(body['meeting_cadence'])})"
            if body.get("members"):
                text += ": " + "; ".join(
                    m["name"] + (f" ({m['position']})" if m.get("position") else "")
                    for m in body["members"]
                )
            items.append([text])
        blocks += [heading(3, "Who this report goes to", minor=True), bullets(items)]
    return blocks


SECTION_BLOCKS: dict[str, Callable[[dict], list[dict]]] = {
    "headline": headline_blocks,
    "commitments": commitments_blocks,
    "groundbreakers": groundbreakers_blocks,
    "funds": funds_blocks,
    "evaluation": evaluation_blocks,
    "learning": learning_blocks,
    "risks": risks_blocks,
    "programme": programme_blocks,
}


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
                {"k": "dl", "items": [{"term": t, "runs": [v]} for t, v in items]},
            )
        )
    if not rows:
        blocks.append(para("The delivery plan has no commitments."))
    return blocks


def _timestamp(value) -> int | None:
    try:
        return int(datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00")).timestamp())
    except ValueError:
        return None


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
    for number, section in enumerate(sections, start=2):
        blocks.append(heading(2, f"{number}. {section['title']}", f"section-{section['key']}"))
        blocks += SECTION_BLOCKS[section["key"]](section["data"])
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
    import typst

    return typst.compile(
        LAYOUT.read_bytes(),
        root=str(LAYOUT.parent),
        timestamp=document.get("timestamp"),
        sys_inputs={"report": json.dumps(document, ensure_ascii=False)},
        pdf_standards=PDF_STANDARDS,
    )


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
