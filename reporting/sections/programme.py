from cpw.core import formatting
from programmes.models import Programme, ReportingPeriod
from programmes.periods import period_name
from programmes.selectors import governance_body_list

from ..blocks import bullets, definitions, heading, lower
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

    def printed(self, data: dict) -> list[dict]:
        return programme_blocks(data)


def programme_blocks(data: dict) -> list[dict]:
    period = data["period"]
    name = period.get("name") or period.get("label", "")
    facts = [
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
    blocks = [definitions(facts)]
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
