"""The steering group's dashboard: the latest published report at a glance and RAG trends."""

from dataclasses import dataclass

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from cpw.core import formatting
from cpw.core.links import url_builder
from programmes.models import RAG, CommitmentUpdate, ReportingPeriod, UpdateStatus
from programmes.periods import period_name

from .selectors import latest_published_reports

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
    """One period's bar of the RAG trend, with every figure the page shows formatted once here
    (the SVG's coordinates and the table's counts), not by the template per cell."""

    label: str
    counts: dict  # rag value -> count
    total: int
    x: str
    segments: list  # (rag label, count, colour, y, height) for the SVG, all text
    cells: list  # the table row: each rating's count, then the total, as text


def rag_trend(programme, periods: int = TREND_PERIODS) -> list[TrendBar]:
    """Submitted updates by RAG rating for the programme's latest periods, oldest first."""
    return rag_trends([programme], periods)[programme.pk]


def rag_trends(programmes, periods: int = TREND_PERIODS) -> dict[int, list[TrendBar]]:
    """Each programme's RAG trend (see rag_trend), by programme id: two queries for any number
    of programmes, whatever the size of their plans."""
    by_id = {programme.pk: programme for programme in programmes}
    recent = list(
        ReportingPeriod.objects.filter(programme_id__in=by_id)
        .exclude(start__gt=_today())
        .annotate(
            recency=Window(RowNumber(), partition_by=F("programme_id"), order_by=F("start").desc())
        )
        .filter(recency__lte=periods)
        .order_by("programme_id", "start")
    )
    rows = (
        CommitmentUpdate.objects.filter(period__in=recent, status=UpdateStatus.SUBMITTED)
        .values("period_id", "rag")
        .annotate(n=Count("id"))
    )
    counts = {}
    for row in rows:
        counts.setdefault(row["period_id"], {})[row["rag"]] = row["n"]
    periods_of = {pk: [] for pk in by_id}
    for period in recent:
        periods_of[period.programme_id].append(period)
    return {pk: _trend_bars(by_id[pk], periods_of[pk], counts) for pk in by_id}


def _trend_bars(programme, recent, counts) -> list[TrendBar]:
    tallest = max((sum(counts.get(p.pk, {}).values()) for p in recent), default=0) or 1
    bars = []
    for index, period in enumerate(recent):
        period_counts = {value: counts.get(period.pk, {}).get(value, 0) for value in RAG.values}
        total = sum(period_counts.values())
        segments, y = [], float(CHART_HEIGHT)
        for value, label in RAG.choices:
            height = CHART_HEIGHT * period_counts[value] / tallest
            y -= height
            if period_counts[value]:
                count = formatting.number(period_counts[value])
                segments.append((label, count, RAG_COLOURS[value], f"{y:.2f}", f"{height:.2f}"))
        x = BAR_GAP + index * (BAR_WIDTH + BAR_GAP)
        cells = [formatting.number(n) for n in (*period_counts.values(), total)]
        bars.append(
            TrendBar(period_name(period, programme), period_counts, total, str(x), segments, cells)
        )
    return bars


def _today():
    return timezone.localdate()


def steering_dashboards(programmes) -> list[dict]:
    """Each programme's latest published report at a glance, with its RAG trend: four queries
    for any number of programmes."""
    programmes = list(programmes)
    reports = latest_published_reports(programmes)
    trends = rag_trends(programmes)
    commitment_url = url_builder("programmes:commitment-detail", pk=int)
    return [
        _dashboard(programme, reports.get(programme.pk), trends[programme.pk], commitment_url)
        for programme in programmes
    ]


def _dashboard(programme, report, trend, commitment_url) -> dict:
    sections = {s["key"]: s["data"] for s in report.snapshot["sections"]} if report else {}
    return {
        "programme": programme,
        "report": report,
        "headline": sections.get("headline"),
        # The governance bodies the report went to, as it was compiled.
        "went_to": [
            body["name"] for body in (sections.get("programme") or {}).get("governance", [])
        ],
        "commitments": [
            {**row, "url": commitment_url(pk=row["id"])}
            for row in (sections.get("commitments") or {}).get("rows", [])
        ],
        "trend": trend,
        "chart": {
            "width": str(BAR_GAP + len(trend) * (BAR_WIDTH + BAR_GAP)),
            "height": str(CHART_HEIGHT + 30),
            "bar_width": str(BAR_WIDTH),
            "baseline": str(CHART_HEIGHT),
            "label_y": str(CHART_HEIGHT + 16),
        },
        "rag_choices": RAG.choices,
        "rag_colours": [(label, RAG_COLOURS[value]) for value, label in RAG.choices],
    }
