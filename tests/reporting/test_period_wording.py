"""The quarterly report names its period in the programme's own words."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from cpw.accounts.models import Role
from programmes.models import PeriodWording
from reporting import services
from tests.accounts.factories import user_with_role
from tests.programmes.factories import ReportingPeriodFactory


def test_the_report_names_its_period_in_the_programmes_words(programme, client_as):
    programme.period_wording = PeriodWording.MONTHS
    programme.save()
    period = ReportingPeriodFactory(programme=programme, label="2024-Q1", locked=True)
    report = services.report_compile_now(programme=programme, period=period)
    assert report.snapshot["title"].endswith("steering group report for April to June 2024")
    section = next(s for s in report.snapshot["sections"] if s["key"] == "programme")
    assert section["data"]["period"]["name"] == "April to June 2024"
    manager = user_with_role(Role.PROGRAMME_MANAGER, programme)
    html = client_as(manager).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Steering group report for April to June 2024" in html
    assert "April to June 2024: 1 April 2024 to 30 June 2024" in html
    sheet = load_workbook(io.BytesIO(report.xlsx))["Programme"]
    assert ["Period", "April to June 2024"] in [[c.value for c in row] for row in sheet.iter_rows()]
    listing = client_as(manager).get(reverse("reports:list", args=[programme.slug]))
    assert "April to June 2024" in listing.content.decode()
