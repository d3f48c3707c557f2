from django import template

from programmes import display
from programmes.models import Programme
from programmes.periods import period_name

register = template.Library()

RAG_CLASSES = display.RAG_CLASSES
STATUS_CLASSES = display.STATUS_CLASSES


@register.simple_tag
def update_tag(update):
    """A grid cell: the RAG rating of a submitted update, else Draft or Not submitted."""
    return display.update_tag_html(update)


@register.simple_tag
def status_tag(commitment):
    return display.status_tag_html(commitment)


@register.simple_tag
def leads_text(commitment):
    return display.leads_text(commitment)


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
