from programmes.models import Programme, ReportingPeriod
from programmes.periods import period_name

from . import ReportSection, Sheet


class ProgrammeSection(ReportSection):
    key = "programme"
    title = "About the programme"

    def build(self, *, programme: Programme, period: ReportingPeriod, as_of) -> dict:
        priority_places = list(
            programme.priority_places.order_by("name").values_list("name", flat=True)
        )
        return {
            "council": programme.council.name,
            "name": programme.name,
            "short_name": programme.short_name,
            "purpose": programme.purpose,
            "period": {
                "label": period.label,
                "name": period_name(period, programme),
                "start": period.start,
                "end": period.end,
                "update_deadline": period.update_deadline,
                "locked": period.is_locked,
            },
            "priority_places": priority_places,
        }

    def sheets(self, data: dict) -> list[Sheet]:
        period = data["period"]
        rows = [
            ["Council", data["council"]],
            ["Programme", data["name"]],
            ["Purpose", data["purpose"]],
            ["Period", period.get("name") or period["label"]],
            ["Period starts", period["start"]],
            ["Period ends", period["end"]],
            ["Updates were due by", period["update_deadline"]],
            ["Priority places", len(data["priority_places"])],
        ]
        return [Sheet("Programme", ["Item", "Value"], rows)]
