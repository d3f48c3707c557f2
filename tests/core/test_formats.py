import datetime
from decimal import Decimal

import pytest
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
