from programmes.models import Programme, ReportingPeriod
from programmes.periods import period_name
from programmes.selectors import governance_body_list

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
            # Who the report goes to: the governance bodies that receive it.
            "governance": [
                {
                    "name": body.name,
                    "chair": body.chair,
                    "meeting_cadence": body.meeting_cadence,
                    "members": [
                        {"name": m.name, "position": m.position, "is_chair": m.is_chair}
                        for m in body.members.all()
                    ],
                }
                for body in governance_body_list(programme, receives_report=True)
            ],
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
        bodies = data.get("governance", [])  # reports compiled before bodies were listed
        rows.append(["Goes to", ", ".join(body["name"] for body in bodies) or "Not recorded"])
        governance = [
            [
                body["name"],
                body["chair"],
                body["meeting_cadence"],
                member["name"],
                member["position"],
                "Yes" if member["is_chair"] else "",
            ]
            for body in bodies
            for member in body["members"] or [{"name": "", "position": "", "is_chair": False}]
        ]
        return [
            Sheet("Programme", ["Item", "Value"], rows),
            Sheet(
                "Governance",
                ["Body", "Chair", "How often it meets", "Member", "Position", "Chairs it"],
                governance,
            ),
        ]
