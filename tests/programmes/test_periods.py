import datetime

import pytest
from django.core.exceptions import ValidationError

from programmes import periods, services
from programmes.models import ReportingPeriod


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2024, 4, 1), (2024, 1)),
        (datetime.date(2024, 6, 30), (2024, 1)),
        (datetime.date(2024, 7, 1), (2024, 2)),
        (datetime.date(2024, 12, 31), (2024, 3)),
        (datetime.date(2025, 1, 1), (2024, 4)),
        (datetime.date(2025, 3, 31), (2024, 4)),
    ],
)
def test_financial_quarter(day, expected):
    assert periods.financial_quarter(day) == expected


def test_quarter_dates_q4_spans_the_new_calendar_year():
    assert periods.quarter_dates(2024, 4) == (datetime.date(2025, 1, 1), datetime.date(2025, 3, 31))
    assert periods.quarter_dates(2024, 1) == (datetime.date(2024, 4, 1), datetime.date(2024, 6, 30))


@pytest.mark.parametrize("label", ["2024-Q5", "2024Q1", "Q1-2024", "", "1999-Q1"])
def test_parse_label_refuses_bad_labels(label):
    with pytest.raises(ValidationError):
        periods.parse_label(label)


def test_reporting_periods_ensure_is_idempotent(programme):
    first = services.reporting_periods_ensure(programme=programme, first="2023-Q3", last="2024-Q2")
    again = services.reporting_periods_ensure(programme=programme, first="2023-Q3", last="2024-Q2")
    assert [p.label for p in first] == ["2023-Q3", "2023-Q4", "2024-Q1", "2024-Q2"]
    assert [p.pk for p in first] == [p.pk for p in again]
    assert ReportingPeriod.objects.count() == 4
    assert first[1].end == datetime.date(2024, 3, 31)
    assert first[1].update_deadline == datetime.date(2024, 4, 14)


def test_period_current_prefers_the_latest_ended_open_period(programme):
    q1, q2 = services.reporting_periods_ensure(programme=programme, first="2024-Q1", last="2024-Q2")
    today = datetime.date(2024, 7, 10)
    assert periods.period_current(programme, today) == q1
    services.reporting_period_lock(period=q1, user=None)
    assert periods.period_current(programme, today) == q2


def test_locked_period_refuses_changes(programme):
    (q1,) = services.reporting_periods_ensure(programme=programme, first="2024-Q1", last="2024-Q1")
    services.reporting_period_lock(period=q1, user=None)
    q1.refresh_from_db()
    with pytest.raises(periods.PeriodLocked, match="2024-Q1 is locked"):
        periods.ensure_period_open(q1)


def test_an_old_period_left_unlocked_is_not_current(programme):
    q1, q2, q3 = services.reporting_periods_ensure(
        programme=programme, first="2024-Q1", last="2024-Q3"
    )
    services.reporting_period_lock(period=q2, user=None)
    # 10 Nov 2024: Q2 (locked) ended most recently, Q3 is running; Q1 was never locked.
    assert periods.period_current(programme, datetime.date(2024, 11, 10)) == q3


def test_no_current_period_before_the_first_one_starts(programme):
    services.reporting_periods_ensure(programme=programme, first="2030-Q1", last="2030-Q1")
    assert periods.period_current(programme, datetime.date(2024, 11, 10)) is None
