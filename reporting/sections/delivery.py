"""Delivery-plan sections: the headline summary, every commitment's update, and high risks."""

import datetime

from django.core.exceptions import ValidationError
from django.db.models import F, Prefetch

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
from programmes.periods import parse_label, quarter_dates
from programmes.selectors import programme_period_summary

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
                "submitted_at": update.submitted_at if update else None,
                "overdue_milestones": [
                    {"title": m.title, "due": m.due_date}
                    for m in milestones
                    if m.due_date and m.due_date <= period.end and not m.done_date
                ],
                "milestones_next_period": [
                    {"title": m.title, "due": m.due_date}
                    for m in milestones
                    if m.due_date and next_start <= m.due_date <= next_end and not m.done_date
                ],
                "overdue": bool(
                    commitment.end
                    and commitment.end <= period.end
                    and commitment.status not in FINISHED
                ),
            }
        )
    return rows


class HeadlineSection(ReportSection):
    key = "headline"
    title = "Headline summary"

    def build(self, *, programme, period, as_of) -> dict:
        rows = [
            r
            for r in commitment_rows(programme, period)
            if r["status_value"] != CommitmentStatus.CLOSED
        ]
        by_rag = {label: 0 for label in [*RAG.labels, NO_UPDATE]}
        for row in rows:
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
        return {
            "commitments": len(rows),
            "due": submissions["total"],
            "submitted": submissions["submitted"],
            "by_rag": [{"rag": k, "count": v} for k, v in by_rag.items()],
            "by_status": [{"status": k, "count": v} for k, v in by_status.items() if v],
            "change": change,
            "turned_red": [
                {"id": r["id"], "title": r["title"], "previous": r["previous_rag"] or NO_UPDATE}
                for r in rows
                if r["rag"] == RAG.RED and r["previous_rag"] != RAG.RED
            ],
            "overdue": [
                {
                    "id": r["id"],
                    "title": r["title"],
                    "due": r["end"],
                    "milestones": r["overdue_milestones"],
                }
                for r in rows
                if r["overdue"] or r["overdue_milestones"]
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
        }

    def sheets(self, data: dict) -> list[Sheet]:
        summary = Sheet("Headline", ["Measure", "Value"])
        summary.rows.append(["Commitments", data["commitments"]])
        if "due" in data:  # reports compiled before it was recorded
            summary.rows.append(["Commitments due an update", data["due"]])
        summary.rows.append(["Updates submitted", data["submitted"]])
        summary.rows += [[f"RAG: {item['rag']}", item["count"]] for item in data["by_rag"]]
        summary.rows += [[f"Status: {s['status']}", s["count"]] for s in data["by_status"]]
        summary.rows += [[f"Since last period: {k}", v] for k, v in data["change"].items()]
        attention = Sheet("Needs attention", ["Why", "Commitment", "Detail"])
        attention.rows += [
            ["Turned red", r["title"], f"Was {r['previous']}"] for r in data["turned_red"]
        ]
        attention.rows += [["Overdue", r["title"], r["due"] or ""] for r in data["overdue"]]
        attention.rows += [
            ["Milestone due next period", m["commitment"], f"{m['title']} ({m['due']})"]
            for m in data["milestones_next_period"]["items"]
        ]
        return [summary, attention]


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
