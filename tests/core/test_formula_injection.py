"""No export can run a formula: an organisation (or other text a user typed) that starts with
= + - @, a tab or a carriage return arrives in every CSV with a leading quote and in every XLSX
as a text cell, never as a formula."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cpw.core import tabular
from funds import exports, opendata
from funds.selectors import application_list
from reporting.services import report_compile_now

PAYLOADS = [
    '=HYPERLINK("http://x","y")',
    "+1+cmd|' /C calc'!A0",
    "-1+1",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


def csv_cells(content: bytes) -> list[str]:
    rows = csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""))
    return [cell for row in rows for cell in row]


def xlsx_cells(content: bytes) -> list:
    workbook = load_workbook(io.BytesIO(content))
    return [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]


def assert_csv_guarded(name: str, content: bytes, payload: str) -> None:
    found = [c for c in csv_cells(content) if c.lstrip("'").startswith(payload)]
    assert found, f"{name}: the payload is not in the export at all"
    for cell in found:
        assert cell.startswith("'" + payload), f"{name}: {cell!r} is not guarded"


def assert_xlsx_text(name: str, content: bytes, payload: str) -> None:
    # XML turns a carriage return into a line feed; the cell is text either way.
    variants = (payload, payload.replace("\r", "\n"))
    found = [
        c for c in xlsx_cells(content) if isinstance(c.value, str) and c.value.startswith(variants)
    ]
    assert found, f"{name}: the payload is not in the workbook at all"
    for cell in found:
        assert cell.data_type == "s", f"{name}: {cell.coordinate} is {cell.data_type!r}, not text"
    assert not any(c.data_type == "f" for c in xlsx_cells(content)), f"{name}: has a formula"


@pytest.fixture
def hostile(world):
    """The world with its partner organisation (and every other organisation) named `payload`,
    leading the delivery-plan commitment, partnering the activity, named on the evaluation
    figures; a reporting world in which all of it shows."""

    def rename(payload: str):
        from cpw.accounts.models import Organisation

        org = world.partner_organisation
        for n, other in enumerate(Organisation.objects.exclude(pk=org.pk), start=2):
            other.name = f"{payload} {n}"
            other.save(update_fields=["name"])
        org.name = payload
        org.save(update_fields=["name"])
        world.commitment.lead_users.clear()
        world.commitment.lead_organisations.set([org])
        world.activity.title = payload
        world.activity.save(update_fields=["title"])
        world.activity.partners.set([org])
        metric = world.evaluation_metric
        metric.name = payload
        metric.save(update_fields=["name"])
        for statement in world.evaluation_wave.statements.select_related("practice"):
            statement.practice.name = payload
            statement.practice.save(update_fields=["name"])
        return world

    return rename


@pytest.mark.parametrize("payload", PAYLOADS, ids=["hyperlink", "plus", "minus", "at", "tab", "cr"])
def test_every_export_writes_formula_like_text_as_text(hostile, client_as, payload):
    world = hostile(payload)
    staff = client_as(world.users["staff"])
    slug = world.programme.slug
    funds = world.funds

    for fmt, check in (("csv", assert_csv_guarded), ("xlsx", assert_xlsx_text)):
        response = staff.get(reverse("programmes:plan-export", args=[slug, fmt]))
        assert response.status_code == 200
        check(f"delivery plan {fmt}", response.content, payload)

        response = staff.post(
            reverse("funds:application-export", args=[funds.fund.slug]), {"file_format": fmt}
        )
        assert response.status_code == 200
        check(f"funds applications {fmt}", response.content, payload)

        response = staff.get(reverse(f"groundbreakers:activity-export-{fmt}", args=[slug]))
        assert response.status_code == 200
        content = response.getvalue() if response.streaming else response.content
        check(f"groundbreakers activities {fmt}", content, payload)

        response = staff.get(reverse("evaluation:observation-export", args=[slug, fmt]))
        assert response.status_code == 200
        check(f"evaluation figures {fmt}", response.content, payload)

        wave = world.evaluation_wave.pk
        response = staff.get(reverse("evaluation:survey-export", args=[slug, wave, fmt]))
        assert response.status_code == 200
        check(f"survey results {fmt}", response.content, payload)

    # The large-export path builds the same file in a worker.
    for fmt, check in (("csv", assert_csv_guarded), ("xlsx", assert_xlsx_text)):
        content, _ = exports.applications_file(application_list(fund=funds.fund), fmt)
        check(f"funds background export {fmt}", content, payload)

    response = staff.get(reverse("funds:panel-export", args=[funds.round.pk]))
    assert response.status_code == 200
    assert_xlsx_text("assessment scores", response.content, payload)

    assert_csv_guarded("360Giving CSV", opendata.as_csv(funds.fund), payload)
    assert_xlsx_text("360Giving XLSX", opendata.as_xlsx(funds.fund), payload)

    report = report_compile_now(programme=world.programme, period=world.period)
    assert_xlsx_text("steering-group report", bytes(report.xlsx), payload)


def test_the_guard_leaves_numbers_and_dates_alone():
    import datetime
    from decimal import Decimal

    content = tabular.write_xlsx(
        tabular.Sheet(
            title="t",
            headers=["n"],
            rows=[[-1, Decimal("-2.50"), datetime.date(2024, 3, 31), "-1", "a=b"]],
        )
    )
    cells = load_workbook(io.BytesIO(content)).active[2]
    assert [c.data_type for c in cells] == ["n", "n", "d", "s", "s"]
    assert cells[0].value == -1 and cells[1].value == -2.5
    assert cells[2].value == datetime.datetime(2024, 3, 31)
    assert csv_cells(tabular.write_csv(["n"], [[-1, "-1", "a=b"]]))[1:] == ["-1", "'-1", "a=b"]
