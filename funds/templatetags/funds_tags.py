from django import template
from django.utils.html import format_html

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


@register.simple_tag
def status_tag(value, label):
    return format_html(
        '<strong class="govuk-tag govuk-tag--{}">{}</strong>', TAG_COLOURS.get(value, "grey"), label
    )
