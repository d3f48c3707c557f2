import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cpw.accounts.models import Role
from programmes.services import reporting_periods_ensure
from tests.accounts.factories import user_with_role
from tests.evaluation.factories import FrameworkFactory, MetricFactory, MetricTierFactory
from tests.programmes.factories import PlaceFactory


@pytest.fixture
def framework(programme):
    return FrameworkFactory(programme=programme)


@pytest.fixture
def periods(programme):
    return reporting_periods_ensure(programme=programme, first="2023-Q1", last="2023-Q4")


@pytest.fixture
def tier(framework):
    return MetricTierFactory(framework=framework, name="Community involvement")


@pytest.fixture
def metrics(framework, tier):
    """A count, a score and a percentage metric, named simply for import files."""
    return {
        "events": MetricFactory(framework=framework, tier=tier, name="People at events"),
        "score": MetricFactory(framework=framework, tier=tier, name="Agreement score", score=True),
        "volunteering": MetricFactory(
            framework=framework, tier=tier, name="Adults volunteering", percent=True
        ),
    }


@pytest.fixture
def officer(programme):
    return user_with_role(Role.OFFICER, programme)


@pytest.fixture
def manager(programme):
    return user_with_role(Role.PROGRAMME_MANAGER, programme)


@pytest.fixture
def district(db):
    return PlaceFactory(district=True, name="Rugby", ons_code="E07000220")


def csv_file(text: str, name: str = "figures.csv"):
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def xlsx_file(rows: list[list], name: str = "figures.xlsx"):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())
