import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import formats

from cpw.core.templatetags.portal import money


@pytest.mark.parametrize(
    ("value", "pence", "expected"),
    [
        (Decimal("1234.5"), True, "£1,234.50"),
        (2500000, False, "£2,500,000"),
        (Decimal("-12.3"), True, "-£12.30"),
        (None, True, ""),
        # GOV.UK: no ".00" for whole pounds, "£0" rather than "£0.00"
        (Decimal("0.00"), True, "£0"),
        (Decimal("15000.00"), True, "£15,000"),
        (Decimal("1700"), True, "£1,700"),
        (Decimal("99.999"), True, "£100"),
    ],
)
def test_money(value, pence, expected):
    assert money(value, pence) == expected


def test_dates_use_uk_order():
    assert formats.date_format(datetime.date(2024, 4, 1), "SHORT_DATE_FORMAT") == "01/04/2024"
    rendered = Template("{{ d|date:'j F Y' }}").render(Context({"d": datetime.date(2024, 4, 1)}))
    assert rendered == "1 April 2024"


@pytest.mark.parametrize(
    ("hour", "minute", "expected"),
    [
        (9, 5, "9:05am"),
        (10, 0, "10am"),
        (22, 37, "10:37pm"),
        (12, 39, "12:39pm"),
        (12, 0, "midday"),
        (0, 0, "midnight"),
        (23, 1, "11:01pm"),
    ],
)
def test_uk_time(hour, minute, expected):
    from cpw.core.templatetags.portal import uk_time

    assert uk_time(datetime.time(hour, minute)) == expected


@pytest.mark.parametrize(("day", "month"), [("31", "2"), ("0", "5"), ("12", "13")])
def test_a_date_that_does_not_exist_gets_a_plain_message(day, month):
    from cpw.core.forms import GovUKDateField

    field = GovUKDateField(label="Start date")
    with pytest.raises(ValidationError) as error:
        field.clean([day, month, "2025"])
    assert error.value.messages == ["Start date must be a real date"]


def test_a_moment_reads_as_gov_uk_writes_it():
    from zoneinfo import ZoneInfo

    from cpw.core.formatting import uk_datetime

    london = ZoneInfo("Europe/London")
    assert uk_datetime(datetime.datetime(2027, 1, 14, 0, 0, tzinfo=london)) == (
        "14 January 2027 at midnight"
    )
    assert uk_datetime(datetime.datetime(2026, 7, 1, 10, 0, tzinfo=london)) == (
        "1 July 2026 at 10am"
    )


def test_financial_year_has_no_thousands_separator():
    rendered = Template("{% load portal %}{{ y|financial_year }}").render(Context({"y": 2026}))
    assert rendered == "2026/27"
    assert Template("{% load portal %}{{ y|financial_year }}").render(Context({"y": 1999})) == (
        "1999/00"
    )


def test_funds_messages_and_pages_use_the_same_money_and_times():
    from funds.services import london
    from funds.services import money as funds_money

    assert funds_money(Decimal("0")) == money(Decimal("0")) == "£0"
    moment = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.UTC)
    assert london(moment) == "1 December 2026 at midday"


def test_there_is_one_money_filter():
    """funds' template tags no longer have a money or time filter of their own."""
    from funds.templatetags import funds_tags

    assert "money" not in funds_tags.register.filters
    assert "when" not in funds_tags.register.filters


def test_dates_and_times_of_something_else_are_empty_as_with_django():
    from cpw.core.formatting import uk_date, uk_datetime, uk_time

    assert uk_date("not a date") == uk_time("") == uk_datetime(None) == ""
    assert uk_datetime(datetime.date(2027, 1, 14)) == "14 January 2027"
