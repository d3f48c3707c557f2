from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from programmes.models import Programme
from programmes.periods import period_name

register = template.Library()

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


@register.simple_tag
def update_tag(update):
    """A grid cell: the RAG rating of a submitted update, else Draft or Not submitted."""
    if update is None:
        return mark_safe('<strong class="govuk-tag govuk-tag--grey">Not submitted</strong>')
    if update.status != "submitted":
        return mark_safe('<strong class="govuk-tag govuk-tag--purple">Draft</strong>')
    if not update.rag:
        return mark_safe('<strong class="govuk-tag">Submitted</strong>')
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>',
        RAG_CLASSES.get(update.rag, ""),
        update.get_rag_display(),
    )


@register.simple_tag
def status_tag(commitment):
    return format_html(
        '<strong class="govuk-tag {}">{}</strong>',
        STATUS_CLASSES.get(commitment.status, ""),
        commitment.get_status_display(),
    )


@register.simple_tag
def leads_text(commitment):
    names = [u.full_name for u in commitment.lead_users.all()]
    names += [o.name for o in commitment.lead_organisations.all()]
    return ", ".join(names) or "No lead yet"


@register.filter(name="period_name")
def period_name_filter(period, programme=None):
    """`{{ period|period_name:programme }}`: a reporting period in its programme's wording.
    Give the programme when the page has it (no query per period). A period saved in a report's
    snapshot (a dict) shows the name it was compiled with, else its label."""
    if not period:
        return ""
    if isinstance(period, dict):
        return period.get("name") or period.get("label", "")
    return period_name(period, programme if isinstance(programme, Programme) else None)
