from django import template
from django.utils.html import format_html

from funds.services import london
from funds.services import money as _money

register = template.Library()

TAG_COLOURS = {
    "draft": "grey",
    "submitted": "blue",
    "screening": "light-blue",
    "changes_requested": "orange",
    "in_assessment": "purple",
    "ready_for_decision": "yellow",
    "approved": "green",
    "declined": "red",
    "withdrawn": "grey",
    "not_started": "grey",
    "in_progress": "light-blue",
    "changes_requested_section": "orange",
    "active": "green",
    "completed": "blue",
    "planned": "grey",
    "paid": "green",
    "due": "orange",
}


@register.filter
def money(value):
    if value is None or value == "":
        return ""
    return _money(value)


@register.filter
def when(value):
    """A date and time in plain English, UK time: 30 December 2021 at 11:59pm."""
    return london(value) if value else ""


@register.simple_tag
def status_tag(value, label):
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>', TAG_COLOURS.get(value, "grey"), label
    )
