"""The quarterly cycle shared by every app: financial-year quarters, labels and which period is
due now. Reads only: creating and locking periods are services (programmes.services)."""

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from .models import PeriodWording, Programme, ReportingPeriod

LABEL_FORMAT = "{year}-Q{quarter}"


class PeriodLocked(ValidationError):
    def __init__(self, period: ReportingPeriod):
        super().__init__(
            f"{period_name(period)} is locked, so updates for it can no longer be changed. "
            "Ask a programme manager if something needs correcting."
        )
        self.period = period


def financial_quarter(day: datetime.date) -> tuple[int, int]:
    """(financial year, quarter) for a date: 15 May 2024 -> (2024, 1); 10 Feb 2025 -> (2024, 4)."""
    if day.month >= 4:
        return day.year, (day.month - 4) // 3 + 1
    return day.year - 1, 4


def quarter_dates(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a financial-year quarter."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError("A quarter is 1, 2, 3 or 4")
    start_month = 4 + 3 * (quarter - 1)
    start_year = year if start_month <= 12 else year + 1
    start_month = (start_month - 1) % 12 + 1
    start = datetime.date(start_year, start_month, 1)
    next_month = start_month + 3
    next_start = datetime.date(start_year + (next_month - 1) // 12, (next_month - 1) % 12 + 1, 1)
    return start, next_start - datetime.timedelta(days=1)


def parse_label(label: str) -> tuple[int, int]:
    """'2024-Q1' -> (2024, 1); anything else raises ValidationError with a plain message."""
    try:
        year_text, quarter_text = label.strip().upper().split("-Q")
        year, quarter = int(year_text), int(quarter_text)
    except ValueError as exc:
        raise ValidationError(
            f"'{label}' is not a reporting period. Use the year and quarter, like 2024-Q1."
        ) from exc
    if quarter not in (1, 2, 3, 4) or not 2000 <= year <= 2100:
        raise ValidationError(f"'{label}' is not a reporting period. Quarters are Q1 to Q4.")
    return year, quarter


def label_for(year: int, quarter: int) -> str:
    return LABEL_FORMAT.format(year=year, quarter=quarter)


def period_words(label: str, start: datetime.date, end: datetime.date, wording: str) -> str:
    """A period named in a programme's chosen wording: '2024-Q1' stays '2024-Q1', or becomes
    'April to June 2024' (months) or 'Q1 2024/25' (quarter and financial year). A label that is
    not a financial quarter keeps its label for the financial-year wording."""
    if wording == PeriodWording.MONTHS and start and end:
        if start.year == end.year:
            if start.month == end.month:
                return f"{start:%B %Y}"
            return f"{start:%B} to {end:%B %Y}"
        return f"{start:%B %Y} to {end:%B %Y}"
    if wording == PeriodWording.FINANCIAL_YEAR:
        try:
            year, quarter = parse_label(label)
        except ValidationError:
            return label
        return f"Q{quarter} {year}/{(year + 1) % 100:02d}"
    return label


def period_name(period: ReportingPeriod | None, programme: Programme | None = None) -> str:
    """The one way every page, export, email and report names a reporting period. Pass the
    period's programme when the caller has it, so that naming a list of periods costs no query."""
    if period is None:
        return ""
    if programme is not None and programme.pk == period.programme_id:
        wording = programme.period_wording
    else:
        wording = period.programme.period_wording
    return period_words(period.label, period.start, period.end, wording)


def period_current(programme: Programme, today: datetime.date | None = None):
    """The period whose updates are due now: the quarter that ended most recently if it is still
    open (its updates are due or overdue), otherwise the quarter running today. Older periods
    left unlocked are not "current": a manager should lock them."""
    today = today or timezone.localdate()
    periods = ReportingPeriod.objects.filter(programme=programme, start__lte=today)
    current = choose_current_period(list(periods.order_by("-start")[:2]), today)
    if current is not None:
        current.programme = programme  # named in the programme's wording without a query
    return current


def choose_current_period(started: list[ReportingPeriod], today: datetime.date):
    """From a programme's periods that have started, latest first, the one due now."""
    running = next((p for p in started if p.start <= today <= p.end), None)
    last_ended = next((p for p in started if p.end < today), None)
    if last_ended is not None and not last_ended.is_locked:
        return last_ended
    return running


def ensure_period_open(period: ReportingPeriod) -> None:
    if period.is_locked:
        raise PeriodLocked(period)
