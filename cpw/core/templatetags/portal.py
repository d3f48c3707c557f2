import datetime

from django import template
from django.utils import timezone

from cpw.core import formatting

register = template.Library()


@register.filter
def money(value, pence: bool = True) -> str:
    """UK money: 1234.5 -> '£1,234.50'; money:False drops the pence -> '£1,235'."""
    return formatting.money(value, pence=bool(pence))


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
