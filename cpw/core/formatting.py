"""How figures read: money, percentages, changes, counts, dates and times, the same on every
page, in every PDF, email and spreadsheet. Pages, PDFs and emails use the text functions
(through the `portal` template filters: |money, |pounds, |percent, |figure, |gov_date, |uk_date,
|uk_time, |when, |financial_year); spreadsheets keep numbers as numbers and take
`xlsx_number_format` for them.

- Money: "£575,000" when whole, "£1,234.50" when not (never "575,000", "£575,000.00" or "-£0").
- Percentages: one decimal place, "74.6%".
- A change in a percentage is in percentage points: "up 0.7 percentage points".
- Dates in GOV.UK style: "30 June 2026"; ranges "1 April to 30 June 2026"; a moment
  "30 December 2021 at 11:59pm"; times "9am", "10:37pm", "midday", "midnight", in UK time.
- Financial years: "2026/27".
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import timezone

NO_FIGURE = "No figure"

# Units (evaluation.models.Unit values; "pounds" is also used for any money figure).
POUNDS, PERCENT, COUNT, SCORE, INDEX = "pounds", "percent", "count", "score", "index"


def to_decimal(value) -> Decimal | None:
    """A number from a number or the text a frozen snapshot keeps; None for nothing."""
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        return None


def _is_whole(amount: Decimal) -> bool:
    return amount == amount.to_integral_value()


def money(value, *, pence: bool | None = None) -> str:
    """'£575,000', '£1,234.50', '-£20', '£0'. `pence=None` shows pence only when there are
    some (after rounding to the penny); True always, False never (rounded to the pound)."""
    amount = to_decimal(value)
    if amount is None:
        return "" if value in (None, "") else str(value)
    sign = "-" if amount < 0 else ""
    amount = abs(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    show_pence = (not _is_whole(amount)) if pence is None else pence
    if show_pence:
        text = f"{amount:,.2f}"
    else:
        text = f"{amount.quantize(Decimal(1), rounding=ROUND_HALF_UP):,.0f}"
    if text.strip("0.,") == "":
        sign = ""
    return f"{sign}£{text}"


def number(value, *, places: int | None = None) -> str:
    """A count or measure with thousands separators: '1,234'; '1,234.5' when not whole
    (at most one decimal place unless `places` says otherwise)."""
    amount = to_decimal(value)
    if amount is None:
        return "" if value in (None, "") else str(value)
    if places is None:
        places = 0 if _is_whole(amount) else 1
    return f"{amount:,.{places}f}"


def percent(value) -> str:
    """'74.6%' (one decimal place, always)."""
    amount = to_decimal(value)
    if amount is None:
        return ""
    return f"{amount:,.1f}%"


def metric_value(value, unit: str) -> str:
    """A figure in its unit: £ for money, one decimal for percentages, two for 1-5 scores."""
    amount = to_decimal(value)
    if amount is None:
        return ""
    if unit == POUNDS:
        return money(amount)
    if unit == PERCENT:
        return percent(amount)
    if unit == COUNT:
        return number(amount, places=0)
    if unit == SCORE:
        return f"{amount:.2f}"
    return number(amount, places=1)


def change_size(change, unit: str) -> str:
    """A change between two figures, without its direction: percentages change by points."""
    amount = to_decimal(change)
    if amount is None:
        return ""
    amount = abs(amount)
    if unit == PERCENT:
        return f"{amount:.1f} percentage point{'' if amount == 1 else 's'}"
    return metric_value(amount, unit)


def change(value, unit: str) -> str:
    """'up 0.7 percentage points', 'down £5,000', 'no change'; '' when there is no change to
    show (one figure or none)."""
    amount = to_decimal(value)
    if amount is None:
        return ""
    if amount == 0:
        return "no change"
    return f"{'up' if amount > 0 else 'down'} {change_size(amount, unit)}"


def _local(value):
    if isinstance(value, datetime.datetime) and value.tzinfo is not None:
        return timezone.localtime(value)
    return value


def as_date(value) -> datetime.date | None:
    """A date from a date, a datetime (its UK date) or the ISO text a frozen snapshot keeps."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = (
                datetime.datetime.fromisoformat(value)
                if "T" in value
                else datetime.date.fromisoformat(value)
            )
        except ValueError:
            return None
    if isinstance(value, datetime.datetime):
        return _local(value).date()
    if isinstance(value, datetime.date):
        return value
    return None


def gov_date(value) -> str:
    """'30 June 2026' (no leading zero, full month, GOV.UK style)."""
    day = as_date(value)
    if day is None:
        return "" if value in (None, "") else str(value)
    return f"{day.day} {day:%B %Y}"


def uk_date(value) -> str:
    """'30 December 2021'; nothing for what is not a date (like Django's |date)."""
    if not isinstance(value, datetime.date):
        return ""
    return gov_date(value)


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


def uk_datetime(value) -> str:
    """'30 December 2021 at 11:59pm', in UK time; a date alone for a date."""
    if not isinstance(value, datetime.datetime):
        return uk_date(value)
    return f"{uk_date(value)} at {uk_time(value)}"


def financial_year(year) -> str:
    """The UK financial year starting in April of `year`: 2026 -> '2026/27'."""
    if year is None or year == "":
        return ""
    year = int(year)
    return f"{year}/{(year + 1) % 100:02d}"


def gov_date_range(start, end) -> str:
    """'1 April to 30 June 2026'; '1 January 2026 to 31 March 2027' across years."""
    first, last = as_date(start), as_date(end)
    if first is None or last is None:
        return " to ".join(x for x in (gov_date(start), gov_date(end)) if x)
    if first.year == last.year:
        return f"{first.day} {first:%B} to {gov_date(last)}"
    return f"{gov_date(first)} to {gov_date(last)}"


# Spreadsheet number formats: the figure stays a number, shown as the pages show it.
XLSX_FORMATS = {
    POUNDS: '"£"#,##0',
    PERCENT: '0.0"%"',
    COUNT: "#,##0",
    SCORE: "0.00",
    INDEX: "#,##0.0",
}
XLSX_POUNDS_AND_PENCE = '"£"#,##0.00'
XLSX_POINTS = '+0.0" pp";-0.0" pp";0.0" pp"'
XLSX_DATE = "d mmmm yyyy"


def xlsx_number_format(value, unit: str) -> str | None:
    """The spreadsheet number format that shows `value` (a number) as the page does."""
    if unit == POUNDS:
        amount = to_decimal(value)
        if amount is not None and not _is_whole(amount):
            return XLSX_POUNDS_AND_PENCE
    return XLSX_FORMATS.get(unit)


def xlsx_change_format(unit: str) -> str | None:
    """A change: percentage points for percentages, otherwise the unit's own format, signed."""
    if unit == PERCENT:
        return XLSX_POINTS
    base = XLSX_FORMATS.get(unit)
    return f"+{base};-{base};{base}" if base else None
