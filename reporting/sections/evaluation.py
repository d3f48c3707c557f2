"""Evaluation metrics against baseline and target, with their recent trend."""

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils.text import capfirst

from cpw.core import formatting
from cpw.core.tabular import Formatted
from evaluation.calculations import rag_for
from evaluation.charts import trend_chart
from evaluation.models import Framework, Metric, Observation
from programmes.periods import period_name

from ..blocks import (
    BREAK,
    bold,
    chart,
    column,
    keep,
    lower,
    para,
    small,
    table,
    table_row,
)
from . import ReportSection, Sheet

TREND_PERIODS = 4


class EvaluationSection(ReportSection):
    key = "evaluation"
    title = "Evaluation metrics"

    def build(self, *, programme, period, as_of) -> dict:
        framework = Framework.objects.filter(programme=programme).first()
        if framework is None:
            return {"framework": None, "rows": []}
        observations = (
            Observation.objects.filter(place__isnull=True, period__start__lte=period.start)
            .select_related("period")
            .order_by("-period__start")
        )
        metrics = (
            Metric.objects.filter(framework=framework, is_high_level=True)
            .select_related("tier")
            .prefetch_related(Prefetch("observations", queryset=observations, to_attr="upto"))
            .order_by("tier__order", "order", "name")
        )
        rows = []
        for metric in metrics:
            recent = metric.upto[:TREND_PERIODS]
            latest = recent[0] if recent else None
            previous = recent[1] if len(recent) > 1 else None
            # A figure from an earlier period than the report's is the latest there is, not
            # this period's: it is labelled so, and listed in the summary.
            stale = bool(latest and latest.period.start < period.start)
            rows.append(
                {
                    "name": metric.name,
                    "tier": metric.tier.name,
                    "unit": metric.get_unit_display(),
                    "unit_value": metric.unit,
                    "direction": metric.get_direction_display(),
                    "baseline": metric.baseline_value,
                    "target": metric.target,
                    "latest": latest.value if latest else None,
                    "latest_period": period_name(latest.period, programme) if latest else "",
                    "latest_label": latest.period.label if latest else "",
                    "stale": stale,
                    "change": (latest.value - previous.value) if latest and previous else None,
                    "rag": rag_for(metric, latest.value if latest else None),
                    "trend": [
                        {
                            "period": period_name(o.period, programme),
                            "label": o.period.label,
                            "value": o.value,
                        }
                        for o in reversed(recent)
                    ],
                }
            )
        return {"framework": framework.name, "rows": rows}

    def display(self, data: dict) -> dict:
        rows = []
        for index, r in enumerate(data.get("rows", []), start=1):
            trend = r.get("trend", [])
            chart = None
            if len(trend) > 1:
                chart = trend_chart(
                    labels=[t.get("label") or t["period"] for t in trend],
                    values=[formatting.to_decimal(t["value"]) for t in trend],
                    unit=r.get("unit_value", ""),
                    target=formatting.to_decimal(r.get("target")),
                )
            rows.append(
                {
                    **r,
                    "chart": chart,
                    "chart_id": f"metric-chart-{index}",
                    "chart_title": f"{r['name']}: trend over the last {len(trend)} periods; "
                    "the table gives the same figures",
                }
            )
        return {**data, "rows": rows}

    def sheets(self, data: dict) -> list[Sheet]:
        sheet = Sheet(
            "Evaluation",
            [
                "Metric",
                "Tier",
                "Unit",
                "Baseline",
                "Target",
                "Latest",
                "Latest period",
                "Change",
                "RAG",
            ],
        )

        def fig(value, unit):
            return Formatted(value, formatting.xlsx_number_format(value, unit))

        for r in data["rows"]:
            unit = r.get("unit_value", "")
            latest_period = r["latest_period"]
            if r.get("stale"):
                latest_period = f"{latest_period} (latest available: {r['latest_label']})"
            sheet.rows.append(
                [
                    r["name"],
                    r["tier"],
                    r["unit"],
                    fig(r["baseline"], unit),
                    fig(r["target"], unit),
                    fig(r["latest"], unit),
                    latest_period,
                    Formatted(r["change"], formatting.xlsx_change_format(unit)),
                    r["rag"],
                ]
            )
        trend = Sheet("Metric trends", ["Metric", "Period", "Value"])
        trend.rows = [
            [r["name"], t["period"], fig(t["value"], r.get("unit_value", ""))]
            for r in data["rows"]
            for t in r["trend"]
        ]
        return [sheet, trend]

    def printed(self, data: dict) -> list[dict]:
        return evaluation_blocks(data)


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
            table_row(
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
            [table_row(t["period"], figure(t["value"], unit)) for t in r["trend"]],
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
