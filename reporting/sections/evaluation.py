"""Evaluation metrics against baseline and target, with their recent trend."""

from django.db.models import Prefetch

from evaluation.calculations import rag_for
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
            rows.append(
                {
                    "name": metric.name,
                    "tier": metric.tier.name,
                    "unit": metric.get_unit_display(),
                    "direction": metric.get_direction_display(),
                    "baseline": metric.baseline_value,
                    "target": metric.target,
                    "latest": latest.value if latest else None,
                    "latest_period": period_name(latest.period, programme) if latest else "",
                    "change": (latest.value - previous.value) if latest and previous else None,
                    "rag": rag_for(metric, latest.value if latest else None),
                    "trend": [
                        {"period": period_name(o.period, programme), "value": o.value}
                        for o in reversed(recent)
                    ],
                }
            )
        return {"framework": framework.name, "rows": rows}

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
        sheet.rows = [
            [
                r["name"],
                r["tier"],
                r["unit"],
                r["baseline"],
                r["target"],
                r["latest"],
                r["latest_period"],
                r["change"],
                r["rag"],
            ]
            for r in data["rows"]
        ]
        trend = Sheet("Metric trends", ["Metric", "Period", "Value"])
        trend.rows = [
            [r["name"], t["period"], t["value"]] for r in data["rows"] for t in r["trend"]
        ]
        return [sheet, trend]
