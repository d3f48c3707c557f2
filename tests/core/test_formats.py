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
