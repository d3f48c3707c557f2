"""The steering group's dashboard: the latest published report at a glance and RAG trends."""

from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone

from programmes.models import RAG, CommitmentUpdate, ReportingPeriod, UpdateStatus
from programmes.periods import period_name

from .selectors import latest_published_report

TREND_PERIODS = 8
RAG_COLOURS = {  # GOV.UK colour palette
    RAG.GREEN: "#00703c",
    RAG.AMBER: "#f47738",
    RAG.RED: "#d4351c",
    RAG.COMPLETE: "#1d70b8",
}


BAR_WIDTH, BAR_GAP, CHART_HEIGHT = 40, 20, 200


@dataclass
class TrendBar:
    label: str
    counts: dict  # rag value -> count
    total: int
    x: int
    segments: list  # (rag label, count, colour, y, height) for the SVG


def rag_trend(programme, periods: int = TREND_PERIODS) -> list[TrendBar]:
    """Submitted updates by RAG rating for the programme's latest periods, oldest first.
    Two queries whatever the size of the plan."""
    recent = list(
        ReportingPeriod.objects.filter(programme=programme)
        .exclude(start__gt=_today())
        .order_by("-start")[:periods]
    )[::-1]
    rows = (
        CommitmentUpdate.objects.filter(period__in=recent, status=UpdateStatus.SUBMITTED)
        .values("period_id", "rag")
        .annotate(n=Count("id"))
    )
    counts = {}
    for row in rows:
        counts.setdefault(row["period_id"], {})[row["rag"]] = row["n"]
    tallest = max((sum(c.values()) for c in counts.values()), default=0) or 1
    bars = []
    for index, period in enumerate(recent):
        period_counts = {value: counts.get(period.pk, {}).get(value, 0) for value in RAG.values}
        total = sum(period_counts.values())
        segments, y = [], float(CHART_HEIGHT)
        for value, label in RAG.choices:
            height = CHART_HEIGHT * period_counts[value] / tallest
            y -= height
            if period_counts[value]:
                segments.append((label, period_counts[value], RAG_COLOURS[value], y, height))
        x = BAR_GAP + index * (BAR_WIDTH + BAR_GAP)
        bars.append(TrendBar(period_name(period, programme), period_counts, total, x, segments))
    return bars


def _today():
    return timezone.localdate()


def steering_dashboard(programme) -> dict:
    report = latest_published_report(programme)
    sections = {s["key"]: s["data"] for s in report.snapshot["sections"]} if report else {}
    return {
        "programme": programme,
        "report": report,
        "headline": sections.get("headline"),
        # The governance bodies the report went to, as it was compiled.
        "went_to": [
            body["name"] for body in (sections.get("programme") or {}).get("governance", [])
        ],
        "commitments": (sections.get("commitments") or {}).get("rows", []),
        "trend": (trend := rag_trend(programme)),
        "chart": {
            "width": BAR_GAP + len(trend) * (BAR_WIDTH + BAR_GAP),
            "height": CHART_HEIGHT + 30,
            "bar_width": BAR_WIDTH,
            "baseline": CHART_HEIGHT,
        },
        "rag_choices": RAG.choices,
        "rag_colours": [(label, RAG_COLOURS[value]) for value, label in RAG.choices],
    }
