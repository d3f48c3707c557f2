"""How a commitment's status, RAG rating and leads show on a page: one place for the HTML of
the tags, used both by the template tags and by selectors that prepare long tables (the RAG grid)
so that a table's cells are formatted once in Python rather than by a template tag per cell."""

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from cpw.core.formatting import uk_date

from .periods import period_name

RAG_CLASSES = {
    "green": "govuk-tag--green",
    "amber": "govuk-tag--yellow",
    "red": "govuk-tag--red",
    "complete": "govuk-tag--blue",
}
STATUS_CLASSES = {
    "not_started": "govuk-tag--grey",
    "on_track": "govuk-tag--green",
    "at_risk": "govuk-tag--yellow",
    "off_track": "govuk-tag--red",
    "complete": "govuk-tag--blue",
    "closed": "govuk-tag--grey",
}


NOT_SUBMITTED = mark_safe('<strong class="govuk-tag govuk-tag--grey">Not submitted</strong>')
DRAFT = mark_safe('<strong class="govuk-tag govuk-tag--purple">Draft</strong>')
SUBMITTED = mark_safe('<strong class="govuk-tag">Submitted</strong>')


def update_tag_html(update) -> SafeString:
    """A grid cell: the RAG rating of a submitted update, else Draft or Not submitted."""
    if update is None:
        return NOT_SUBMITTED
    if update.status != "submitted":
        return DRAFT
    if not update.rag:
        return SUBMITTED
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>',
        RAG_CLASSES.get(update.rag, ""),
        update.get_rag_display(),
    )


def status_tag_html(commitment) -> SafeString:
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>',
        STATUS_CLASSES.get(commitment.status, ""),
        commitment.get_status_display(),
    )


def leads_text(commitment) -> str:
    names = [u.full_name for u in commitment.lead_users.all()]
    names += [o.name for o in commitment.lead_organisations.all()]
    return ", ".join(names) or "No lead yet"


def period_due_html(summary: dict) -> SafeString:
    """The overview's sentence about a programme's current period: when its updates are due (and
    whether that has passed), or when and by whom it was locked."""
    period = summary["period"]
    name = period_name(period, summary["programme"])
    if period.is_locked:
        by = period.locked_by
        who = f" by {by.full_name or by.email}" if by else ""
        return format_html(
            "Updates for <strong>{}</strong> were locked on {}{}.",
            name,
            uk_date(period.locked_at),
            who,
        )
    return format_html(
        "Updates for <strong>{}</strong> are due by {}{}.",
        name,
        uk_date(period.update_deadline),
        " and are now overdue" if summary["overdue"] else "",
    )
