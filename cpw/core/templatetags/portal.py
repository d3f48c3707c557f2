"""The one set of template filters for money, dates and times (cpw/core/formatting.py has the rules),
used by every page, PDF and email template."""

import datetime
import html
import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from cpw.core import formatting
from cpw.core.forms import error_summary_links

register = template.Library()


@register.filter
def money(value, pence: bool = True) -> str:
    """'£1,234.50', '£1,500', '£0'; money:False rounds to the pound."""
    return formatting.money(value, pence=None if pence else False)


@register.filter
def pounds(value) -> str:
    """Money as reports show it: '£575,000' when whole, '£1,234.50' when not."""
    return formatting.money(value)


@register.filter
def percent(value) -> str:
    """'74.6%'."""
    return formatting.percent(value)


@register.filter
def figure(value, unit: str = "") -> str:
    """A figure in its unit (pounds, percent, count, score, index); see cpw.core.formatting."""
    return formatting.metric_value(value, unit)


@register.filter
def figure_change(value, unit: str = "") -> str:
    """'up 0.7 percentage points', 'down £5,000', 'no change'."""
    return formatting.change(value, unit)


@register.filter
def number(value) -> str:
    """'1,234'; '12.5' when not whole."""
    return formatting.number(value)


@register.filter
def gov_date(value) -> str:
    """'30 June 2026' from a date, datetime or a frozen snapshot's ISO text."""
    return formatting.gov_date(value)


@register.simple_tag
def gov_date_range(start, end) -> str:
    """'1 April to 30 June 2026'."""
    return formatting.gov_date_range(start, end)


@register.filter
def as_date(value):
    """An ISO date or datetime string (as stored in a frozen report) back to a date object, so
    templates can format it with |uk_date or |when."""
    if not value or not isinstance(value, str):
        return value
    try:
        if "T" in value:
            return datetime.datetime.fromisoformat(value)
        return datetime.date.fromisoformat(value)
    except ValueError:
        return value


@register.filter
def uk_time(value) -> str:
    """GOV.UK style times: '9am', '9:05am', '12:39pm', 'midday', 'midnight'."""
    return formatting.uk_time(value)


@register.filter
def uk_date(value) -> str:
    """'30 December 2021'."""
    return formatting.uk_date(value)


@register.filter
def when(value) -> str:
    """A moment in plain English, UK time: '30 December 2021 at 11:59pm'."""
    return formatting.uk_datetime(value)


@register.filter
def financial_year(year) -> str:
    """2026 -> '2026/27' (never '2,026/27')."""
    return formatting.financial_year(year)


CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.S)
TAG = re.compile(r"<[^>]+>")


class ScrollableTableNode(template.Node):
    def __init__(self, nodelist, label):
        self.nodelist = nodelist
        self.label = label

    def render(self, context):
        content = self.nodelist.render(context)
        label = self.label.resolve(context) if self.label is not None else ""
        if not label:
            caption = CAPTION.search(content)
            label = (
                " ".join(html.unescape(TAG.sub(" ", caption.group(1))).split()) if caption else ""
            )
        return format_html(
            '<div class="app-table-wrapper" tabindex="0" role="region" aria-label="{}">{}</div>',
            label or "Table",
            mark_safe(content),  # noqa: S308 - the template's own rendered output
        )


@register.tag
def scrollable_table(parser, token):
    """A table that scrolls sideways inside its own keyboard-focusable region on a small screen,
    so that the page itself never does. Every table on a page goes in one:

        {% scrollable_table %}<table class="govuk-table"><caption>…</caption>…</table>{% endscrollable_table %}

    The region is named after the table's caption, or the label given: {% scrollable_table "Grants" %}."""
    bits = token.split_contents()
    if len(bits) > 2:
        raise template.TemplateSyntaxError("scrollable_table takes at most one argument: a label")
    nodelist = parser.parse(("endscrollable_table",))
    parser.delete_first_token()
    return ScrollableTableNode(nodelist, parser.compile_filter(bits[1]) if len(bits) == 2 else None)


@register.filter
def error_links(form) -> list[tuple[str, str]]:
    """A form's error-summary links: (id of the first input of the field, message)."""
    return error_summary_links(form)


@register.filter
def checkbox_groups(bound_field) -> list[dict]:
    """A checkbox field's boxes, in groups when the field has them (`grouped_choices()`, or
    Django's grouped choices): [{"label": "Wards" or "", "boxes": [{id, value, label,
    checked}]}]. Boxes are numbered from 1 across the groups, as crispy-forms-gds does."""
    field = bound_field.field
    if hasattr(field, "grouped_choices"):
        groups = field.grouped_choices()
    else:
        groups, loose = [], []
        for value, label in field.choices:
            if isinstance(label, list | tuple):
                groups.append((value, list(label)))
            else:
                loose.append((value, label))
        if loose:
            groups.insert(0, ("", loose))
    chosen = {str(v) for v in (bound_field.value() or [])}
    number, result = 0, []
    for group_label, choices in groups:
        boxes = []
        for value, label in choices:
            number += 1
            value = getattr(value, "value", value)  # ModelChoiceIteratorValue
            boxes.append(
                {
                    "id": f"id_{bound_field.html_name}_{number}",
                    "value": value,
                    "label": label,
                    "checked": str(value) in chosen,
                }
            )
        result.append({"label": group_label, "boxes": boxes})
    return result


_SUMMARY_SHOWN = "portal_error_summary_shown"


def _render_error_summary(context, form) -> str:
    return context.template.engine.get_template("gds/layout/error_summary.html").render(
        template.Context({"form": form}, autoescape=context.autoescape)
    )


def _shown(context) -> dict:
    """State shared by the whole render: `{% include %}` gives each included template a fresh
    scope of the render context, so the page's mark goes in its root."""
    return context.render_context.dicts[0]


def page_form_with_errors(context):
    """The form whose errors the page shows: its `form`, or, on a page with several forms, the
    one the view names `error_form` (the one that was submitted)."""
    for name in ("form", "error_form"):
        form = context.get(name)
        if getattr(form, "errors", None) and hasattr(form, "helper"):
            return form
    return None


@register.simple_tag(takes_context=True)
def page_error_summary(context) -> str:
    """The error summary of the page's form (`page_form_with_errors`), at the top of <main> above
    the <h1>, as the Design System places it. The form's own include then leaves it out
    (form_error_summary)."""
    form = page_form_with_errors(context)
    if form is None:
        return ""
    _shown(context)[_SUMMARY_SHOWN] = id(form)
    return _render_error_summary(context, form)


@register.simple_tag(takes_context=True)
def form_error_summary(context, form) -> str:
    """A form's error summary where the form is, unless the page showed it at the top already."""
    if not getattr(form, "errors", None) or _shown(context).get(_SUMMARY_SHOWN) == id(form):
        return ""
    return _render_error_summary(context, form)
