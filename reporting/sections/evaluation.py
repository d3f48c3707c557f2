"""Evaluation metrics against baseline and target, with their recent trend."""

from django.db.models import Prefetch

from cpw.core import formatting
from cpw.core.tabular import Formatted
from evaluation.calculations import rag_for
from evaluation.charts import trend_chart
from evaluation.models import Framework, Metric, Observation
from programmes.periods import period_name

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
