"""Groundbreaker updates, engagement totals and learning highlights for the report."""

from django.db.models import Case, Count, Prefetch, Q, Sum, Value, When

from cpw.core import formatting
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

from ..blocks import bold, column, heading, lower, para, table, table_row
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


def _only_totals(totals: dict) -> dict:
    """Exactly the table's columns, in its order (never a stray flag such as
    `attendance_recorded`), so every row has one cell under each heading."""
    return {key: totals.get(key) or 0 for key in TOTAL_LABELS}


def engagement_rows(data: dict) -> list[dict]:
    """The engagement table's rows, each with one value per heading in `data["labels"]`:
    every groundbreaker this period and to date, programme-level events, then the whole
    programme (which is the sum of the rows above it)."""
    keys = list(data["labels"])

    def cells(totals):
        return [totals.get(key) or 0 for key in keys]

    rows = []
    for r in data["rows"]:
        rows.append({"name": r["name"], "when": "This period", "cells": cells(r["in_period"])})
        rows.append({"name": r["name"], "when": "To date", "cells": cells(r["to_date"])})
    level = "Programme-level events"
    rows.append(
        {"name": level, "when": "This period", "cells": cells(data["programme_level_in_period"])}
    )
    if "programme_level_to_date" in data:  # reports compiled before it was kept
        rows.append(
            {"name": level, "when": "To date", "cells": cells(data["programme_level_to_date"])}
        )
    whole = "Whole programme"
    rows.append(
        {
            "name": whole,
            "when": "This period",
            "cells": cells(data["programme_in_period"]),
            "total": True,
        }
    )
    rows.append(
        {"name": whole, "when": "To date", "cells": cells(data["programme_to_date"]), "total": True}
    )
    return rows


class GroundbreakersSection(ReportSection):
    key = "groundbreakers"
    title = "Groundbreakers"

    def title_for(self, programme) -> str:
        return programme.groundbreaker_labels["title"]

    def build(self, *, programme, period, as_of) -> dict:
        updates = GroundbreakerUpdate.objects.filter(period=period, status=UpdateStatus.SUBMITTED)
        # "To date" is to the end of the report's period, for every row and the totals alike.
        held = Q(activities__status=ActivityStatus.HELD, activities__date__lte=period.end)
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
                    "in_period": _only_totals(in_period.get(gb.pk, empty)),
                    "to_date": {
                        "activities": gb.total_activities,
                        **{f: getattr(gb, f"total_{f}") or 0 for f in TOTAL_FIELDS},
                    },
                }
            )
        words = programme.groundbreaker_labels
        return {
            # the programme's own words ("Pathfinder", "Pathfinders"), for headings and sheets
            "label": words["title_singular"],
            "label_plural": words["title"],
            "labels": TOTAL_LABELS,
            "period_end": period.end,
            "rows": rows,
            "programme_level_in_period": _only_totals(in_period.get(None, empty)),
            "programme_level_to_date": _only_totals(
                activity_totals(programme=programme, programme_level_only=True, end=period.end)
            ),
            "programme_in_period": _only_totals(
                activity_totals(programme=programme, start=period.start, end=period.end)
            ),
            "programme_to_date": _only_totals(activity_totals(programme=programme, end=period.end)),
        }

    def sheets(self, data: dict) -> list[Sheet]:
        labels = data["labels"]
        singular = data.get("label", "Groundbreaker")  # reports compiled before it was kept
        updates = Sheet(
            data.get("label_plural", "Groundbreakers"),
            [singular, "Status", "Lead", "RAG", "Summary", "Next steps"],
        )
        updates.rows = [
            [r["name"], r["status"], r["lead"], r["rag"], r["summary"], r["next_steps"]]
            for r in data["rows"]
        ]
        count = formatting.XLSX_FORMATS[formatting.COUNT]
        totals = Sheet(
            "Engagement",
            [singular, "When", *labels.values()],
            formats=[None, None]
            + [
                formatting.XLSX_FORMATS[formatting.INDEX]
                if key == "hours_of_conversation"
                else count
                for key in labels
            ],
        )
        totals.rows = [[r["name"], r["when"], *r["cells"]] for r in engagement_rows(data)]
        return [updates, totals]

    def display(self, data: dict) -> dict:
        return {**data, "table": engagement_rows(data)}

    def printed(self, data: dict) -> list[dict]:
        return groundbreakers_blocks(data)


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
            "label": programme.groundbreaker_labels["title_singular"],
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
            ],
        }

    def sheets(self, data: dict) -> list[Sheet]:
        sheet = Sheet(
            "Learning",
            [
                "Recorded",
                "Title",
                data.get("label", "Groundbreaker"),
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

    def printed(self, data: dict) -> list[dict]:
        return learning_blocks(data)


def groundbreakers_blocks(data: dict) -> list[dict]:
    blocks = []
    for r in data["rows"]:
        text = (
            r["status"] + (f". Led by {r['lead']}" if r.get("lead") else "") + f". RAG: {r['rag']}."
        )
        blocks.append(heading(3, r["name"]))
        blocks.append(para(text))
        if r.get("summary"):
            blocks.append(para(r["summary"]))
        if r.get("next_steps"):
            blocks.append(para(bold("Next steps:"), f" {r['next_steps']}"))
    period_end = formatting.gov_date(data.get("period_end")) or "the end of the period"
    blocks.append(
        table(
            f"Engagement this period and to date (to {period_end}). The whole programme is the "
            "sum of the rows above it.",
            [column(data.get("label") or "Groundbreaker", width="2fr")]
            + [column(label, numeric=True) for label in data["labels"].values()],
            [
                table_row(
                    f"{r['name']}, {lower(r['when'])}",
                    *[formatting.number(v) for v in r["cells"]],
                    total=bool(r.get("total")),
                )
                for r in data["table"]
            ],
            size="small",
        )
    )
    return blocks


def learning_blocks(data: dict) -> list[dict]:
    blocks = []
    for r in data["rows"]:
        title = r["title"] + (f" ({r['groundbreaker']})" if r.get("groundbreaker") else "")
        blocks += [
            heading(3, f"{title}: {r['outcome']}", minor=True),
            para(bold("What we tried:"), f" {r['what_we_tried']}"),
            para(bold("What happened:"), f" {r['what_happened']}"),
        ]
        if r.get("what_we_would_do_differently"):
            blocks.append(
                para(bold("What we would do differently:"), f" {r['what_we_would_do_differently']}")
            )
    if not data["rows"]:
        blocks.append(para("Nothing was added to the learning log this period."))
    return blocks
