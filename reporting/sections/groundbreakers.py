"""Groundbreaker updates, engagement totals and learning highlights for the report."""

from django.db.models import Case, Count, Prefetch, Q, Sum, Value, When

from groundbreakers.models import (
    Activity,
    ActivityStatus,
    Groundbreaker,
    GroundbreakerStatus,
    GroundbreakerUpdate,
    LearningEntry,
    LearningOutcome,
)
from groundbreakers.selectors import TOTAL_FIELDS, activity_totals
from programmes.models import UpdateStatus

from . import ReportSection, Sheet

TOTAL_LABELS = {
    "activities": "Activities and events",
    "attendees": "People attending",
    "households_approached": "Households approached",
    "questionnaires_completed": "Questionnaires completed",
    "hours_of_conversation": "Hours of conversation",
    "volunteers": "Volunteers",
}


def _period_totals(programme, period) -> dict:
    """Per groundbreaker (None: programme-level events) totals of the activities held in the
    period (planned and cancelled ones are not counted)."""
    in_period = Activity.objects.filter(
        programme=programme,
        status=ActivityStatus.HELD,
        date__gte=period.start,
        date__lte=period.end,
    )
    rows = in_period.values("groundbreaker_id").annotate(
        activities=Count("id"), **{f: Sum(f) for f in TOTAL_FIELDS}
    )
    return {row.pop("groundbreaker_id"): {k: v or 0 for k, v in row.items()} for row in rows}


class GroundbreakersSection(ReportSection):
    key = "groundbreakers"
    title = "Groundbreakers"

    def build(self, *, programme, period, as_of) -> dict:
        updates = GroundbreakerUpdate.objects.filter(period=period, status=UpdateStatus.SUBMITTED)
        held = Q(activities__status=ActivityStatus.HELD)
        groundbreakers = (
            Groundbreaker.objects.filter(programme=programme)
            .select_related("lead_officer")
            .prefetch_related(Prefetch("updates", queryset=updates, to_attr="period_updates"))
            .annotate(
                **{f"total_{f}": Sum(f"activities__{f}", filter=held) for f in TOTAL_FIELDS},
                total_activities=Count("activities", filter=held),
            )
            .order_by("name")
        )
        in_period = _period_totals(programme, period)
        empty = dict.fromkeys(TOTAL_LABELS, 0)
        rows = []
        for gb in groundbreakers:
            update = gb.period_updates[0] if gb.period_updates else None
            rows.append(
                {
                    "name": gb.name,
                    "status": gb.get_status_display(),
                    "proceeding": gb.status != GroundbreakerStatus.DID_NOT_PROCEED,
                    "lead": gb.lead_officer.full_name if gb.lead_officer else "",
                    "rag": update.get_rag_display() if update and update.rag else "No update",
                    "summary": update.summary if update else "",
                    "next_steps": update.next_steps if update else "",
                    "in_period": in_period.get(gb.pk, empty),
                    "to_date": {
                        "activities": gb.total_activities,
                        **{f: getattr(gb, f"total_{f}") or 0 for f in TOTAL_FIELDS},
                    },
                }
            )
        return {
            "labels": TOTAL_LABELS,
            "rows": rows,
            "programme_level_in_period": in_period.get(None, empty),
            "programme_in_period": {
                key: sum(t[key] for t in in_period.values()) for key in TOTAL_LABELS
            },
            "programme_to_date": activity_totals(programme=programme),
        }

    def sheets(self, data: dict) -> list[Sheet]:
        labels = data["labels"]
        updates = Sheet(
            "Groundbreakers", ["Groundbreaker", "Status", "Lead", "RAG", "Summary", "Next steps"]
        )
        updates.rows = [
            [r["name"], r["status"], r["lead"], r["rag"], r["summary"], r["next_steps"]]
            for r in data["rows"]
        ]
        totals = Sheet("Engagement", ["Groundbreaker", "When", *labels.values()])
        for r in data["rows"]:
            totals.rows.append([r["name"], "This period", *(r["in_period"][k] for k in labels)])
            totals.rows.append([r["name"], "To date", *(r["to_date"][k] for k in labels)])
        totals.rows.append(
            [
                "Programme-level events",
                "This period",
                *(data["programme_level_in_period"][k] for k in labels),
            ]
        )
        totals.rows.append(
            ["Whole programme", "This period", *(data["programme_in_period"][k] for k in labels)]
        )
        totals.rows.append(
            ["Whole programme", "To date", *(data["programme_to_date"][k] for k in labels)]
        )
        return [updates, totals]


class LearningSection(ReportSection):
    key = "learning"
    title = "Highlights from the learning log"

    def build(self, *, programme, period, as_of) -> dict:
        entries = (
            LearningEntry.objects.filter(
                programme=programme, recorded_on__gte=period.start, recorded_on__lte=period.end
            )
            .select_related("groundbreaker")
            .annotate(
                # What did not work first: the programme learns most from it.
                did_not_work=Case(
                    When(outcome=LearningOutcome.DID_NOT_WORK, then=Value(0)), default=Value(1)
                )
            )
            .order_by("did_not_work", "-recorded_on", "title")
        )
        return {
            "rows": [
                {
                    "title": e.title,
                    "groundbreaker": e.groundbreaker.name if e.groundbreaker else "",
                    "outcome": e.get_outcome_display(),
                    "recorded_on": e.recorded_on,
                    "what_we_tried": e.what_we_tried,
                    "what_happened": e.what_happened,
                    "what_we_would_do_differently": e.what_we_would_do_differently,
                }
                for e in entries
            ]
        }

    def sheets(self, data: dict) -> list[Sheet]:
        sheet = Sheet(
            "Learning",
            [
                "Recorded",
                "Title",
                "Groundbreaker",
                "Outcome",
                "What we tried",
                "What happened",
                "What we'd do differently",
            ],
        )
        sheet.rows = [
            [
                r["recorded_on"],
                r["title"],
                r["groundbreaker"],
                r["outcome"],
                r["what_we_tried"],
                r["what_happened"],
                r["what_we_would_do_differently"],
            ]
            for r in data["rows"]
        ]
        return [sheet]
