"""Money, dates and times as GOV.UK writes them, for pages, emails, PDFs and spreadsheets alike.
Templates use them through the `portal` template tags (`|money`, `|uk_date`, `|uk_time`,
`|when`, `|financial_year`); Python code (messages, emails) calls them directly.

- money: "£1,500" for whole pounds, "£1,500.50" with pence, never "£0.00"
- times: "9am", "10:37pm", "midday", "midnight", in UK time
- dates: "30 December 2021"; a moment: "30 December 2021 at 11:59pm"
- financial years: "2026/27"
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone


def money(value, pence: bool = True) -> str:
    """UK money. Pence are shown only when there are some (`pence=False` rounds to the pound):
    1234.5 -> "£1,234.50", 1500 -> "£1,500", 0 -> "£0", -12.3 -> "-£12.30". Empty for None."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return str(value)
    sign = "-" if amount < 0 else ""
    amount = abs(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if not pence or amount == amount.to_integral_value():
        text = f"{amount.quantize(Decimal(1), rounding=ROUND_HALF_UP):,.0f}"
    else:
        text = f"{amount:,.2f}"
    if text == "0":
        sign = ""
    return f"{sign}£{text}"


def _local(value):
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return timezone.localtime(value)
    return value


def uk_time(value) -> str:
    """'9am', '9:05am', '12:39pm', 'midday', 'midnight' (UK time for an aware datetime)."""
    if not isinstance(value, datetime.datetime | datetime.time):
        return ""  # like Django's |time: nothing for what is not a time
    value = _local(value)
    if value.hour == 12 and value.minute == 0:
        return "midday"
    if value.hour == 0 and value.minute == 0:
        return "midnight"
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    if value.minute == 0:
        return f"{hour}{suffix}"
    return f"{hour}:{value.minute:02d}{suffix}"


def uk_date(value) -> str:
    """'30 December 2021' (the UK date of an aware datetime)."""
    if not isinstance(value, datetime.date):
        return ""  # like Django's |date: nothing for what is not a date
    value = _local(value)
    return f"{value.day} {value.strftime('%B')} {value.year}"


def uk_datetime(value) -> str:
    """'30 December 2021 at 11:59pm', in UK time."""
    if not isinstance(value, datetime.datetime):
        return uk_date(value)
    return f"{uk_date(value)} at {uk_time(value)}"


def financial_year(year) -> str:
    """The UK financial year starting in April of `year`: 2026 -> '2026/27'."""
    if year is None or year == "":
        return ""
    year = int(year)
    return f"{year}/{(year + 1) % 100:02d}"
