"""How a survey result shows in the results tables: each breakdown cell's HTML made once in
Python as the table is prepared, not by a template included once per cell."""

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .calculations import Cell

NO_ANSWERS = mark_safe("—")  # noqa: S308 - a constant
HIDDEN = mark_safe(  # noqa: S308 - a constant
    '<span class="portal-suppressed">Hidden<span class="govuk-visually-hidden"> to protect '
    "respondents</span></span>"
)


def result_cell_html(cell: Cell | None) -> SafeString:
    """'62.5% agree<br>mean 3.40<br>1,204 people'; hidden for a suppressed group; a dash where
    the group gave no answers."""
    if cell is None:
        return NO_ANSWERS
    if cell.suppressed:
        return HIDDEN
    return format_html(
        "{}% agree<br>mean {}<br>{} people",
        f"{cell.pct_agree:,}",
        f"{cell.mean:,}",
        f"{cell.n:,}",
    )
