import datetime
from decimal import Decimal, InvalidOperation

from django import template
from django.utils import timezone

from cpw.core.forms import error_summary_links

register = template.Library()


@register.filter
def money(value, pence: bool = True) -> str:
    """UK money: 1234.5 -> '£1,234.50'; money:False drops the pence -> '£1,235'."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    text = f"{amount:,.2f}" if pence else f"{amount:,.0f}"
    return f"{sign}£{text}"


@register.filter
def as_date(value):
    """An ISO date or datetime string (as stored in a frozen report) back to a date object, so
    templates can format it with |date."""
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
    """GOV.UK style times: '9:05am', '12:39pm', 'midday', 'midnight'."""
    if not value:
        return ""

    if getattr(value, "tzinfo", None) is not None:
        value = timezone.localtime(value)
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    hour = value.hour % 12 or 12
    return f"{hour}:{value.minute:02d}{'am' if value.hour < 12 else 'pm'}"


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
