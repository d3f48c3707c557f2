"""How figures read: money, percentages, changes, counts and dates, the same on every page, in
every PDF and in every spreadsheet. Pages and PDFs use the text functions (through the `portal`
template filters); spreadsheets keep numbers as numbers and take `xlsx_number_format` for them.

- Money: "£575,000" when whole, "£1,234.50" when not (never "575,000" or "£575,000.00").
- Percentages: one decimal place, "74.6%".
- A change in a percentage is in percentage points: "up 0.7 percentage points".
- Dates in GOV.UK style: "30 June 2026"; ranges "1 April to 30 June 2026".
"""

import datetime
from decimal import Decimal, InvalidOperation

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
    """'£575,000', '£1,234.50', '-£20'. `pence=None` shows pence only when there are some;
    True always, False never (rounded to the pound)."""
    amount = to_decimal(value)
    if amount is None:
        return "" if value in (None, "") else str(value)
    sign = "-" if amount < 0 else ""
    amount = abs(amount)
    show_pence = (not _is_whole(amount)) if pence is None else pence
    text = f"{amount:,.2f}" if show_pence else f"{amount:,.0f}"
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


def as_date(value) -> datetime.date | None:
    """A date from a date, a datetime or the ISO text a frozen snapshot keeps."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    try:
        text = str(value)
        if "T" in text:
            return datetime.datetime.fromisoformat(text).date()
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def gov_date(value) -> str:
    """'30 June 2026' (no leading zero, full month, GOV.UK style)."""
    day = as_date(value)
    if day is None:
        return "" if value in (None, "") else str(value)
    return f"{day.day} {day:%B %Y}"


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
