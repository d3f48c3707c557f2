"""Delivery-plan sections: the headline summary, every commitment's update, and high risks."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import Count, F, Prefetch
from django.template.defaultfilters import pluralize
from django.template.loader import render_to_string
from django.utils.text import capfirst

from cpw.core import formatting
from cpw.core.formatting import gov_date
from programmes.models import (
    RAG,
    Commitment,
    CommitmentStatus,
    CommitmentUpdate,
    Milestone,
    ReportingPeriod,
    Risk,
    UpdateStatus,
)
from programmes.periods import parse_label, period_name, quarter_dates
from programmes.selectors import programme_period_summary

from ..blocks import (
    BREAK,
    bullets,
    chart,
    column,
    definitions,
    full_width_row,
    heading,
    keep,
    lower,
    para,
    small,
    table,
    table_row,
)
from . import ReportSection, Sheet

HIGH_RISK_SCORE = 15  # likelihood x impact, each 1-5
RAG_RANK = {RAG.RED: 1, RAG.AMBER: 2, RAG.GREEN: 3, RAG.COMPLETE: 4}
NO_UPDATE = "No update"
FINISHED = (CommitmentStatus.COMPLETE, CommitmentStatus.CLOSED)


def previous_period(period: ReportingPeriod) -> ReportingPeriod | None:
    return (
        ReportingPeriod.objects.filter(programme_id=period.programme_id, start__lt=period.start)
        .order_by("-start")
        .first()
    )


def next_period_dates(period: ReportingPeriod) -> tuple[datetime.date, datetime.date]:
    try:
        year, quarter = parse_label(period.label)
    except ValidationError:
        start = period.end + datetime.timedelta(days=1)
        return start, start + (period.end - period.start)
    year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return quarter_dates(year, quarter)


def commitment_rows(programme, period) -> list[dict]:
    """Every open commitment with this period's and last period's submitted update, in plan
    order. A fixed number of queries whatever the size of the plan."""
    before = previous_period(period)
    periods = [period.pk] + ([before.pk] if before else [])
    updates = CommitmentUpdate.objects.filter(period_id__in=periods, status=UpdateStatus.SUBMITTED)
    commitments = (
        Commitment.objects.filter(plan__programme=programme)
        .select_related("group")
        .prefetch_related(
            "lead_users",
            "lead_organisations",
            Prefetch("updates", queryset=updates, to_attr="reported_updates"),
            Prefetch("milestones", queryset=Milestone.objects.order_by("due_date", "order")),
        )
        .order_by("group__order", "group__name", "order", "title")
    )
    next_start, next_end = next_period_dates(period)
    rows = []
    for commitment in commitments:
        by_period = {u.period_id: u for u in commitment.reported_updates}
        update = by_period.get(period.pk)
        earlier = by_period.get(before.pk) if before else None
        milestones = list(commitment.milestones.all())
        finished = commitment.status in FINISHED
        rows.append(
            {
                "id": commitment.pk,
                "group": commitment.group.name,
                "title": commitment.title,
                "status": commitment.get_status_display(),
                "status_value": commitment.status,
                "progress": commitment.progress,
                "end": commitment.end,
                "leads": [u.full_name for u in commitment.lead_users.all()]
                + [o.name for o in commitment.lead_organisations.all()],
                "rag": update.rag if update else "",
                "rag_label": update.get_rag_display() if update else NO_UPDATE,
                "previous_rag": earlier.rag if earlier else "",
                "what_happened": update.what_happened if update else "",
                "whats_next": update.whats_next if update else "",
                "risks_and_issues": update.risks_and_issues if update else "",
                "decision_question": (
                    update.decision_question if update and update.needs_decision else ""
                ),
                "submitted_at": update.submitted_at if update else None,
                # Due an update: an open commitment, or a finished one that still sent one (as
                # on the overview: programmes.selectors.programme_period_summaries).
                "due_update": not finished or update is not None,
                "overdue_milestones": []
                if finished
                else [
                    {"title": m.title, "due": m.due_date}
                    for m in milestones
                    if is_overdue(m.due_date, m.done_date, period)
                ],
                "milestones_next_period": [
                    {"title": m.title, "due": m.due_date}
                    for m in milestones
                    if m.due_date and next_start <= m.due_date <= next_end and not m.done_date
                ],
                "overdue": not finished and is_overdue(commitment.end, None, period),
                "status_disagrees": rag_disagrees_with_status(
                    update.rag if update else "", commitment.status
                ),
            }
        )
    return rows


def is_overdue(due: datetime.date | None, done: datetime.date | None, period) -> bool:
    """Overdue at the end of a period: due strictly before its last day and not done by then.
    Something due on the period's last day is on time for that period's report."""
    if due is None or due >= period.end:
        return False
    return done is None or done > period.end


# The RAG rating is the lead's judgement this quarter; the status is the commitment's overall
# state on the plan. They are separate, but some pairs contradict each other: the report says so.
CONTRADICTIONS = {
    CommitmentStatus.OFF_TRACK: {RAG.GREEN, RAG.AMBER, RAG.COMPLETE},
    CommitmentStatus.ON_TRACK: {RAG.RED, RAG.COMPLETE},
    CommitmentStatus.COMPLETE: {RAG.RED, RAG.AMBER},
}
RAG_AND_STATUS = (
    "The RAG rating is the lead's judgement for this quarter, against the definitions below. "
    "The status is the commitment's overall state on the delivery plan. They are recorded "
    "separately; where they contradict each other (for example, off track but amber) the report "
    "says so."
)


def rag_disagrees_with_status(rag: str, status: str) -> bool:
    return bool(rag) and rag in CONTRADICTIONS.get(status, set())


def overall_rag(by_rag: dict[str, int], *, due: int, submitted: int) -> tuple[str, str]:
    """The programme's overall RAG for the quarter, by a stated rule: (rating, reason)."""
    red, amber = by_rag.get(RAG.RED.label, 0), by_rag.get(RAG.AMBER.label, 0)
    if due and red * 4 >= due:
        return RAG.RED, f"{red} of {due} commitments are red (a quarter or more)"
    if red or (due and (red + amber) * 4 >= due) or (due and submitted * 2 < due):
        reasons = []
        if red:
            reasons.append(f"{red} red")
        if amber:
            reasons.append(f"{amber} amber")
        if due and submitted * 2 < due:
            reasons.append(f"only {submitted} of {due} updates submitted")
        return RAG.AMBER, ", ".join(reasons) or "some commitments need attention"
    return RAG.GREEN, "no commitment is red and most are green or complete"


OVERALL_RAG_RULE = (
    "Red when a quarter or more of the commitments due an update are red; amber when any is "
    "red, a quarter or more are amber or red, or fewer than half the updates are in; otherwise "
    "green."
)


class HeadlineSection(ReportSection):
    key = "headline"
    title = "Exceptions: what needs the group's attention"

    def build(self, *, programme, period, as_of) -> dict:
        rows = [
            r
            for r in commitment_rows(programme, period)
            if r["status_value"] != CommitmentStatus.CLOSED
        ]
        due_rows = [r for r in rows if r["due_update"]]
        # Counted over the commitments due an update, so the table adds up to "due", as the
        # overview's "submitted of due" does.
        by_rag = {label: 0 for label in [*RAG.labels, NO_UPDATE]}
        for row in due_rows:
            by_rag[row["rag_label"]] += 1
        by_status = {label: 0 for value, label in CommitmentStatus.choices}
        for row in rows:
            by_status[row["status"]] += 1
        change = {"improved": 0, "worsened": 0, "unchanged": 0, "not comparable": 0}
        for row in rows:
            now, before = RAG_RANK.get(row["rag"]), RAG_RANK.get(row["previous_rag"])
            if now is None or before is None:
                change["not comparable"] += 1
            elif now > before:
                change["improved"] += 1
            elif now < before:
                change["worsened"] += 1
            else:
                change["unchanged"] += 1
        next_start, next_end = next_period_dates(period)
        submissions = programme_period_summary(programme, period=period)  # as on the overview
        overall, reason = overall_rag(
            by_rag, due=submissions["total"], submitted=submissions["submitted"]
        )

        def turned(rag):
            return [
                {"id": r["id"], "title": r["title"], "previous": _rag_label(r["previous_rag"])}
                for r in rows
                if r["rag"] == rag and r["previous_rag"] != rag
            ]

        milestones = {}
        for r in rows:
            for m in r["overdue_milestones"]:
                milestones.setdefault((m["due"], m["title"]), []).append(r["title"])
        new_risks = (
            Risk.objects.filter(
                commitment__plan__programme=programme,
                created_at__date__gte=period.start,
                created_at__lte=as_of,
            )
            .exclude(commitment__status=CommitmentStatus.CLOSED)
            .annotate(risk_score=F("likelihood") * F("impact"))
            .select_related("commitment")
            .order_by("-risk_score", "commitment__title")
        )
        return {
            "commitments": len(rows),
            "due": submissions["total"],
            "submitted": submissions["submitted"],
            "missing": submissions["total"] - submissions["submitted"],
            "overall_rag": overall,
            "overall_rag_label": RAG(overall).label,
            "overall_reason": reason,
            "overall_rule": OVERALL_RAG_RULE,
            "by_rag": [{"rag": k, "count": v} for k, v in by_rag.items()],
            "by_status": [{"status": k, "count": v} for k, v in by_status.items() if v],
            "change": change,
            "turned_red": turned(RAG.RED),
            "turned_amber": turned(RAG.AMBER),
            "turned_green": turned(RAG.GREEN),
            "completed": turned(RAG.COMPLETE),
            "new_risks": [
                {
                    "commitment": risk.commitment.title,
                    "description": risk.description,
                    "score": risk.score,
                }
                for risk in new_risks
            ],
            "decisions": [
                {"id": r["id"], "title": r["title"], "question": r["decision_question"]}
                for r in rows
                if r["decision_question"]
            ],
            "exceptions": [
                {
                    "id": r["id"],
                    "group": r["group"],
                    "title": r["title"],
                    "rag": r["rag"],
                    "rag_label": r["rag_label"],
                    "status": r["status"],
                    "status_disagrees": r["status_disagrees"],
                    "leads": r["leads"],
                    "risks_and_issues": r["risks_and_issues"],
                    "overdue": r["overdue"],
                    "end": r["end"],
                }
                for r in rows
                if r["rag"] in (RAG.RED, RAG.AMBER) or r["overdue"] or r["status_disagrees"]
            ],
            "overdue": [
                {
                    "id": r["id"],
                    "title": r["title"],
                    "due": r["end"] if r["overdue"] else None,
                    "milestones": r["overdue_milestones"],
                }
                for r in rows
                if r["overdue"] or r["overdue_milestones"]
            ],
            # Each overdue milestone once, with the commitments it belongs to.
            "overdue_milestones": [
                {"title": title, "due": due, "commitments": titles}
                for (due, title), titles in sorted(milestones.items())
            ],
            "milestones_next_period": {
                "start": next_start,
                "end": next_end,
                "items": [
                    {"commitment": r["title"], **m}
                    for r in rows
                    for m in r["milestones_next_period"]
                ],
            },
            "rag_trend": rag_trend_for(programme, period),
            "rag_and_status": RAG_AND_STATUS,
            "rag_definitions": [
                {"rag": label, "meaning": getattr(programme, f"rag_{value}", "")}
                for value, label in RAG.choices
                if getattr(programme, f"rag_{value}", "")
            ],
        }

    def display(self, data: dict) -> dict:
        return {**data, "rag_chart": rag_trend_chart(data.get("rag_trend") or [])}

    def sheets(self, data: dict) -> list[Sheet]:
        summary = Sheet("Headline", ["Measure", "Value"])
        if "overall_rag_label" in data:
            summary.rows.append(["Overall RAG", data["overall_rag_label"]])
        summary.rows.append(["Commitments", data["commitments"]])
        if "due" in data:  # reports compiled before it was recorded
            summary.rows.append(["Commitments due an update", data["due"]])
        summary.rows.append(["Updates submitted", data["submitted"]])
        summary.rows += [[f"RAG: {item['rag']}", item["count"]] for item in data["by_rag"]]
        summary.rows += [[f"Status: {s['status']}", s["count"]] for s in data["by_status"]]
        summary.rows += [[f"Since last period: {k}", v] for k, v in data["change"].items()]
        attention = Sheet("Needs attention", ["Why", "Commitment", "Detail"])
        attention.rows += [
            ["Decision needed", r["title"], r["question"]] for r in data.get("decisions", [])
        ]
        attention.rows += [
            ["Turned red", r["title"], f"Was {r['previous']}"] for r in data["turned_red"]
        ]
        attention.rows += [
            [
                "Overdue",
                r["title"],
                "; ".join(
                    ([f"Due {gov_date(r['due'])}"] if r["due"] else [])
                    + [f"{m['title']}, due {gov_date(m['due'])}" for m in r["milestones"]]
                ),
            ]
            for r in data["overdue"]
        ]
        attention.rows += [
            ["Milestone due next period", m["commitment"], f"{m['title']} ({gov_date(m['due'])})"]
            for m in data["milestones_next_period"]["items"]
        ]
        trend = Sheet("RAG trend", ["Period", *RAG.labels, "Total"])
        trend.rows = [
            [t["period"], *(c["count"] for c in t["counts"]), sum(c["count"] for c in t["counts"])]
            for t in data.get("rag_trend", [])
        ]
        return [summary, attention, trend]

    def printed(self, data: dict) -> list[dict]:
        return headline_blocks(data)


TREND_PERIODS = 4
RAG_COLOURS = {  # GOV.UK colours
    RAG.GREEN.label: "#00703c",
    RAG.AMBER.label: "#f47738",
    RAG.RED.label: "#d4351c",
    RAG.COMPLETE.label: "#1d70b8",
}


def rag_trend_for(programme, period) -> list[dict]:
    """Submitted updates by RAG for the report's period and the three before it, oldest
    first, in two queries."""
    recent = list(
        ReportingPeriod.objects.filter(programme=programme, start__lte=period.start).order_by(
            "-start"
        )[:TREND_PERIODS]
    )[::-1]
    counts = {}
    for row in (
        CommitmentUpdate.objects.filter(period__in=recent, status=UpdateStatus.SUBMITTED)
        .values("period_id", "rag")
        .annotate(n=Count("id"))
    ):
        counts[(row["period_id"], row["rag"])] = row["n"]
    return [
        {
            "period": period_name(p, programme),
            "label": p.label,
            "counts": [
                {"rag": label, "count": counts.get((p.pk, value), 0)}
                for value, label in RAG.choices
            ],
        }
        for p in recent
    ]


def rag_trend_chart(trend: list[dict]) -> dict | None:
    """Stacked bars (coordinates for the template's inline SVG) of a frozen RAG trend."""
    if not trend:
        return None
    bar, gap, height = 60, 40, 160
    tallest = max((sum(c["count"] for c in t["counts"]) for t in trend), default=0) or 1
    bars = []
    for index, t in enumerate(trend):
        x, y, segments = gap + index * (bar + gap), float(height), []
        for c in t["counts"]:
            h = height * c["count"] / tallest
            y -= h
            if c["count"]:
                segments.append(
                    {
                        "label": c["rag"],
                        "count": c["count"],
                        "colour": RAG_COLOURS[c["rag"]],
                        "y": round(y, 1),
                        "height": round(h, 1),
                    }
                )
        bars.append({"x": x, "label": t.get("label") or t["period"], "segments": segments})
    return {
        "width": gap + len(trend) * (bar + gap),
        "height": height + 30,
        "baseline": height,
        "bar_width": bar,
        "label_y": height + 18,
        "bars": bars,
        "key": list(RAG_COLOURS.items()),
    }


def _rag_label(value: str) -> str:
    return RAG(value).label if value in RAG.values else NO_UPDATE


class CommitmentsSection(ReportSection):
    key = "commitments"
    title = "Progress on every commitment"

    def build(self, *, programme, period, as_of) -> dict:
        rows = commitment_rows(programme, period)
        return {"rows": [{k: v for k, v in r.items() if k != "status_value"} for r in rows]}

    def sheets(self, data: dict) -> list[Sheet]:
        sheet = Sheet(
            "Commitments",
            [
                "Group",
                "Commitment",
                "Leads",
                "Status",
                "Progress (%)",
                "RAG",
                "Last period's RAG",
                "What happened",
                "What's next",
                "Risks and issues",
            ],
        )
        for r in data["rows"]:
            sheet.rows.append(
                [
                    r["group"],
                    r["title"],
                    "; ".join(r["leads"]),
                    r["status"],
                    r["progress"],
                    r["rag_label"],
                    r["previous_rag"] or "",
                    r["what_happened"],
                    r["whats_next"],
                    r["risks_and_issues"],
                ]
            )
        return [sheet]

    def printed(self, data: dict) -> list[dict]:
        return commitments_blocks(data)


class RisksSection(ReportSection):
    key = "risks"
    title = "Risks scored high"

    def build(self, *, programme, period, as_of) -> dict:
        high = (
            Risk.objects.filter(commitment__plan__programme=programme)
            .exclude(commitment__status=CommitmentStatus.CLOSED)
            .annotate(risk_score=F("likelihood") * F("impact"))
            .filter(risk_score__gte=HIGH_RISK_SCORE)
            .select_related("commitment")
            .order_by("-risk_score", "commitment__title")
        )
        return {
            "threshold": HIGH_RISK_SCORE,
            "rows": [
                {
                    "commitment": r.commitment.title,
                    "commitment_id": r.commitment_id,
                    "description": r.description,
                    "likelihood": r.likelihood,
                    "impact": r.impact,
                    "score": r.score,
                    "owner": r.owner,
                    "mitigation": r.mitigation,
                }
                for r in high
            ],
        }

    def sheets(self, data: dict) -> list[Sheet]:
        sheet = Sheet(
            "High risks",
            ["Commitment", "Risk", "Likelihood", "Impact", "Score", "Owner", "Mitigation"],
        )
        sheet.rows = [
            [
                r["commitment"],
                r["description"],
                r["likelihood"],
                r["impact"],
                r["score"],
                r["owner"],
                r["mitigation"],
            ]
            for r in data["rows"]
        ]
        return [sheet]

    def printed(self, data: dict) -> list[dict]:
        return risks_blocks(data)


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
                table_row(
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
                            f"{len(m['commitments'])} commitment{pluralize(len(m['commitments']))} "
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
            [table_row(item["rag"], item["count"]) for item in data["by_rag"]],
        )
    )
    blocks.append(
        table(
            "Commitments by status on the delivery plan",
            [column("Status", width="2fr"), column("Commitments", numeric=True)],
            [table_row(item["status"], item["count"]) for item in data["by_status"]],
        )
    )
    if data.get("rag_and_status"):
        blocks.append(
            keep(
                heading(3, "RAG and status", minor=True),
                para(data["rag_and_status"]),
                definitions((d["rag"], d["meaning"]) for d in data.get("rag_definitions") or []),
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
                    [table_row(t["period"], *[c["count"] for c in t["counts"]]) for t in trend],
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
                    table_row(
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
                table_row(
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
