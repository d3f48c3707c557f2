"""Officers' exports: application lists (CSV/XLSX; large ones are built in the background by
services.export_job_build) and the panel's scores and comments (XLSX). Reads only."""

from django.utils import timezone

from cpw.core import tabular

from .models import Round
from .selectors import panel

INLINE_LIMIT = 500

HEADERS = [
    "Reference",
    "Organisation",
    "Organisation type",
    "Project title",
    "Round",
    "Status",
    "Capital requested",
    "Revenue requested",
    "Submitted",
    "Open flags",
]


def application_rows(queryset):
    for a in queryset.iterator(chunk_size=500):
        yield [
            a.reference,
            a.organisation.name,
            a.organisation.get_kind_display(),
            a.project_title,
            a.round.name,
            a.get_status_display(),
            a.amount_capital,
            a.amount_revenue,
            timezone.localdate(a.submitted_at) if a.submitted_at else None,
            a.open_flags,
        ]


def applications_file(queryset, file_format: str) -> tuple[bytes, str]:
    if file_format == "xlsx":
        sheet = tabular.Sheet(
            title="applications", headers=HEADERS, rows=application_rows(queryset)
        )
        return tabular.write_xlsx(sheet), tabular.XLSX_TYPE
    return tabular.write_csv(HEADERS, application_rows(queryset)), tabular.CSV_TYPE


def panel_xlsx(round: Round) -> bytes:
    data = panel(round)
    criteria = data["criteria"]
    scores = [
        [
            "Reference",
            "Organisation",
            "Assessor",
            *[f"{c.name} (weight {c.weight})" for c in criteria],
            "Weighted mean",
        ]
    ]
    comments = [["Reference", "Assessor", "Criterion", "Score", "Justification"]]
    for row in data["rows"]:
        application = row["application"]
        for assessor in row["assessors"]:
            scores.append(
                [
                    application.reference,
                    application.organisation.name,
                    str(assessor["assignment"].assessor),
                    *[
                        ("Abstained" if cell.abstained else cell.score) if cell else ""
                        for cell in assessor["cells"]
                    ],
                    assessor["mean"],
                ]
            )
            for criterion, cell in zip(criteria, assessor["cells"], strict=True):
                if cell:
                    comments.append(
                        [
                            application.reference,
                            str(assessor["assignment"].assessor),
                            criterion.name,
                            "Abstained" if cell.abstained else cell.score,
                            cell.justification,
                        ]
                    )
        for comment in application.comments.all():
            comments.append(
                [application.reference, str(comment.author), "Comment", "", comment.text]
            )
    return tabular.write_xlsx(
        tabular.Sheet(title="Scores", headers=scores[0], rows=scores[1:]),
        tabular.Sheet(
            title="Comments", headers=comments[0], rows=comments[1:], widths=[14, 24, 24, 10, 60]
        ),
    )
