"""Delivery plans in and out: every bad input is refused with row-level errors and nothing
saved; import → export → import gives the same plan."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from cpw.accounts.models import Organisation
from programmes import plan_io, services
from programmes.models import Commitment, CommitmentStatus, Milestone
from tests.accounts.factories import OrganisationFactory
from tests.core.bounds import measured
from tests.core.files import EXECUTABLE, FAKE_XLSX, csv_flood, zip_bomb_xlsx
from tests.funds.factories import ApplicationFactory
from tests.programmes.factories import ProgrammeFactory

HEADER = "Group,Commitment,Description,Leads,Milestones,Due_Date,Status,Latest_Update\n"


def csv_bytes(*rows):
    return (HEADER + "".join(r + "\n" for r in rows)).encode()


GOOD = (
    "Decision making,Community panels,Residents decide,Tom Evans and Aisha Khan,"
    '"Develop 20 places by Dec 15; launch January 2016",2026-03-31,On track,'
)


def do_import(programme, content, name="plan.csv", unmatched="error"):
    return services.delivery_plan_import(
        programme=programme, table=plan_io.read_table(name, content), unmatched=unmatched
    )


def errors_of(programme, content, **kwargs):
    with pytest.raises(ValidationError) as error:
        do_import(programme, content, **kwargs)
    assert not Commitment.objects.exists(), "nothing may be saved"
    return " | ".join(error.value.messages)


def test_a_good_file_imports_leads_milestones_and_dates(plan_world):
    Commitment.objects.all().delete()
    # An organisation matches once it works with the council: here, it applied to its fund.
    ApplicationFactory(
        submitted=True,
        organisation=OrganisationFactory(name="Nuneaton and Bedworth Borough Council"),
        round__fund__programme=plan_world.programme,
    )
    row = GOOD.replace(
        "Tom Evans and Aisha Khan", "Tom Evans; Nuneaton and Bedworth Borough Council"
    )
    summary = do_import(plan_world.programme, csv_bytes(row))
    assert summary.created == 1
    commitment = Commitment.objects.get()
    assert commitment.title == "Community panels"
    assert commitment.status == CommitmentStatus.ON_TRACK
    assert commitment.end == datetime.date(2026, 3, 31)
    assert [u.full_name for u in commitment.lead_users.all()] == ["Tom Evans"]
    assert [o.name for o in commitment.lead_organisations.all()] == [
        "Nuneaton and Bedworth Borough Council"
    ]
    milestones = list(commitment.milestones.values_list("title", "due_date"))
    assert milestones == [
        ("Develop 20 places by Dec 15", datetime.date(2015, 12, 31)),
        ("launch January 2016", datetime.date(2016, 1, 31)),
    ]


def test_leads_split_on_and(plan_world):
    Commitment.objects.all().delete()
    do_import(plan_world.programme, csv_bytes(GOOD))
    names = sorted(u.full_name for u in Commitment.objects.get().lead_users.all())
    assert names == ["Aisha Khan", "Tom Evans"]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            GOOD.replace("2026-03-31", "31st of Smarch"),
            "Row 3: '31st of Smarch' in due_date is not a date",
        ),
        (GOOD.replace("On track", "Brilliant"), "Row 3: 'Brilliant' is not a status"),
        (GOOD.replace("Community panels", ""), "Row 3: Enter the commitment's title"),
        (GOOD.replace("Tom Evans", "Nobody Known"), "Row 3: Lead 'Nobody Known' does not match"),
        (
            GOOD.replace("Decision making", "G" * 201),
            "Row 3: Enter the theme in 200 characters or fewer",
        ),
        (
            GOOD.replace("Residents decide", "d" * 10_001),
            "Row 3: Enter the description in 10,000 characters or fewer",
        ),
        (
            GOOD.replace("launch January 2016", "m" * 301),
            "Row 3: Enter a milestone in 300 characters or fewer",
        ),
        (GOOD + "u" * 10_001, "Row 3: Enter the update in 10,000 characters or fewer"),
    ],
    ids=[
        "bad date",
        "unknown status",
        "missing title",
        "unmatched lead",
        "long group",
        "long description",
        "long milestone",
        "long update",
    ],
)
def test_bad_rows_are_refused_with_row_errors(plan_world, row, message):
    Commitment.objects.all().delete()
    assert message in errors_of(
        plan_world.programme, csv_bytes(GOOD.replace("Community panels", "Other"), row)
    )


def test_one_bad_row_means_nothing_is_saved(plan_world):
    Commitment.objects.all().delete()
    bad = GOOD.replace("Community panels", "Second").replace("On track", "Nope")
    errors_of(plan_world.programme, csv_bytes(GOOD, bad))
    assert not Milestone.objects.exists()


def test_unmatched_leads_can_be_created_or_skipped(plan_world):
    Commitment.objects.all().delete()
    row = GOOD.replace("Tom Evans and Aisha Khan", "Tom Evans; Warwick Rotary Club")
    do_import(plan_world.programme, csv_bytes(row), unmatched="skip")
    assert not Organisation.objects.filter(name="Warwick Rotary Club").exists()
    assert Commitment.objects.get().lead_organisations.count() == 0
    do_import(plan_world.programme, csv_bytes(row), unmatched="create")
    assert [o.name for o in Commitment.objects.get().lead_organisations.all()] == [
        "Warwick Rotary Club"
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("plan.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "The file is a PDF, not a CSV file"),
        ("plan.csv", b"", "The selected file is empty"),
        ("plan.csv", b"\n\n", "The selected file is empty"),
        ("plan.csv", b"a" * (20 * 1024 * 1024), "The file must be smaller than 10 MB"),
        ("plan.pdf", b"%PDF-1.7", "must be a CSV or Excel"),
        ("plan.xlsx", b"group,commitment\n", "not an Excel (.xlsx) file"),
        ("plan.csv", b"title,owner\nA,B\n", "no 'commitment' column"),
    ],
    ids=[
        "pdf renamed csv",
        "empty",
        "blank lines",
        "20 MB",
        "pdf",
        "csv renamed xlsx",
        "no column",
    ],
)
def test_bad_files_are_refused(name, content, message):
    with pytest.raises(ValidationError, match=message.replace("(", r"\(").replace(")", r"\)")):
        plan_io.read_table(name, content)


def _plan_snapshot(programme):
    return [
        (
            c.group.name,
            c.title,
            c.description,
            sorted(u.email for u in c.lead_users.all()),
            sorted(o.name for o in c.lead_organisations.all()),
            [(m.title, m.due_date, m.done_date) for m in c.milestones.all()],
            c.end,
            c.status,
        )
        for c in Commitment.objects.filter(plan__programme=programme).order_by(
            "group__name", "title"
        )
    ]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_import_export_import_gives_the_same_plan(plan_world, tmp_path, suffix):
    Commitment.objects.all().delete()
    rows = [
        GOOD,
        'Relationships,"Share learning, widely","=Formula-looking, text",Aisha Khan,,15/06/2025,'
        "complete,We ran three events",
        "Relationships,Grow leaders,,Tom Evans,Plan agreed (due 2024-01-31),March 2027,at risk,",
    ]
    do_import(plan_world.programme, csv_bytes(*rows))
    first = _plan_snapshot(plan_world.programme)
    path = tmp_path / f"plan{suffix}"
    call_command("export_delivery_plan", plan_world.programme.slug, str(path))
    other = ProgrammeFactory(slug="copy")
    from tests.programmes.factories import ReportingPeriodFactory

    ReportingPeriodFactory(programme=other, label=plan_world.current.label)
    call_command("import_delivery_plan", "copy", str(path))
    assert _plan_snapshot(other) == first
    again = tmp_path / f"again{suffix}"
    call_command("export_delivery_plan", "copy", str(again))
    if suffix == ".csv":
        assert again.read_bytes() == path.read_bytes()
    # importing the same file again changes nothing
    before = Commitment.history.count()
    call_command("import_delivery_plan", "copy", str(path))
    assert Commitment.history.count() == before


def test_xlsx_with_real_dates_imports(plan_world):
    Commitment.objects.all().delete()
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["GROUP", "COMMITMENT", "due_date", "status"])
    sheet.append(["Relationships", "Meet partners", datetime.datetime(2025, 5, 1), "Not started"])
    out = io.BytesIO()
    workbook.save(out)
    do_import(plan_world.programme, out.getvalue(), name="plan.xlsx")
    assert Commitment.objects.get().end == datetime.date(2025, 5, 1)


def test_the_import_command_reports_errors_and_saves_nothing(plan_world, tmp_path):
    Commitment.objects.all().delete()
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(GOOD.replace("2026-03-31", "someday")))
    with pytest.raises(CommandError, match="Row 2: 'someday' in due_date is not a date"):
        call_command("import_delivery_plan", plan_world.programme.slug, str(path))
    assert not Commitment.objects.exists()


# --- In the browser (Django test client) ----------------------------------------------------


def test_upload_preview_then_import(plan_world, client_as):
    Commitment.objects.all().delete()
    client = client_as(plan_world.manager)
    slug = plan_world.programme.slug
    upload = SimpleUploadedFile("plan.csv", csv_bytes(GOOD), "text/csv")
    response = client.post(
        reverse("programmes:plan-import", args=[slug]), {"file": upload, "unmatched_leads": "error"}
    )
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert "Import 1 commitment" in preview.content.decode()
    assert not Commitment.objects.exists()
    response = client.post(reverse("programmes:plan-import-check", args=[slug]), {"confirm": ""})
    assert response.status_code == 302
    assert Commitment.objects.get().title == "Community panels"


def test_preview_lists_each_rows_errors_and_offers_create_or_skip(plan_world, client_as):
    Commitment.objects.all().delete()
    client = client_as(plan_world.manager)
    slug = plan_world.programme.slug
    bad = GOOD.replace("Community panels", "Second").replace("Tom Evans", "Mystery Person")
    upload = SimpleUploadedFile("plan.csv", csv_bytes(GOOD, bad), "text/csv")
    client.post(
        reverse("programmes:plan-import", args=[slug]), {"file": upload, "unmatched_leads": "error"}
    )
    preview = client.get(reverse("programmes:plan-import-check", args=[slug])).content.decode()
    assert "Row 3: Lead &#x27;Mystery Person&#x27; does not match" in preview
    assert "Nothing has been imported" in preview
    assert "Add them as new lead organisations" in preview
    assert "Import 2 commitments" not in preview
    # A forced confirm is still refused
    response = client.post(reverse("programmes:plan-import-check", args=[slug]), {"confirm": ""})
    assert response.status_code == 400
    assert not Commitment.objects.exists()
    # Choosing "skip" clears the error
    client.post(reverse("programmes:plan-import-check", args=[slug]), {"unmatched_leads": "skip"})
    preview = client.get(reverse("programmes:plan-import-check", args=[slug])).content.decode()
    assert "Import 2 commitments" in preview


def test_a_bad_file_is_refused_on_the_upload_page(plan_world, client_as):
    upload = SimpleUploadedFile("plan.csv", b"%PDF-1.4 not a csv", "text/csv")
    response = client_as(plan_world.manager).post(
        reverse("programmes:plan-import", args=[plan_world.programme.slug]),
        {"file": upload, "unmatched_leads": "error"},
    )
    assert response.status_code == 200
    assert "The file is a PDF, not a CSV file" in response.content.decode()


def test_the_template_can_be_downloaded_and_imported(plan_world, client_as):
    response = client_as(plan_world.manager).get(
        reverse("programmes:plan-import-template", args=[plan_world.programme.slug])
    )
    table = plan_io.read_table("template.csv", response.content)
    assert list(table[0]) == plan_io.COLUMNS


def test_grid_exports_csv_and_xlsx(plan_world, client_as):
    client = client_as(plan_world.manager)
    slug = plan_world.programme.slug
    csv_response = client.get(reverse("programmes:plan-export", args=[slug, "csv"]))
    assert "Involve residents early" in csv_response.content.decode("utf-8-sig")
    xlsx = client.get(reverse("programmes:plan-export", args=[slug, "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["B2"].value == "Involve residents early"
    assert sheet.cell(1, sheet.max_column).value == f"RAG {plan_world.current.label}"


def test_an_empty_or_huge_upload_is_refused_on_the_page(plan_world, client_as):
    client = client_as(plan_world.manager)
    url = reverse("programmes:plan-import", args=[plan_world.programme.slug])
    empty = SimpleUploadedFile("plan.csv", b"", "text/csv")
    response = client.post(url, {"file": empty, "unmatched_leads": "error"})
    assert "The selected file is empty" in response.content.decode()
    huge = SimpleUploadedFile("plan.csv", csv_bytes(GOOD) + b"x" * (20 * 1024 * 1024), "text/csv")
    response = client.post(url, {"file": huge, "unmatched_leads": "error"})
    assert "The file must be smaller than 10 MB" in response.content.decode()
    assert "plan_import" not in client.session


# --- Bounded imports and files checked from their bytes -------------------------------------


@pytest.mark.parametrize(
    ("name", "content"),
    [("plan.xlsx", FAKE_XLSX), ("plan.xlsx", EXECUTABLE), ("plan.csv", EXECUTABLE)],
    ids=["fake xlsx zip", "executable renamed .xlsx", "executable renamed .csv"],
)
def test_plan_files_are_checked_from_their_bytes(plan_world, client_as, name, content):
    slug = plan_world.programme.slug
    client = client_as(plan_world.manager)
    response = client.post(
        reverse("programmes:plan-import", args=[slug]),
        {"file": SimpleUploadedFile(name, content), "unmatched_leads": "error"},
    )
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "not an Excel (.xlsx) file" in html or "is not a CSV file" in html
    assert "plan_import" not in client.session
    assert Commitment.objects.count() == 1


def test_a_zip_bomb_plan_is_refused_quickly():
    with measured() as m, pytest.raises(ValidationError, match="unpacks to far more data"):
        plan_io.read_table("plan.xlsx", zip_bomb_xlsx(300))
    m.assert_bounded()


def test_a_200000_row_plan_is_refused_at_the_row_cap():
    content = csv_flood(200_000, header="group,commitment", row="Decision making,Panels")
    with measured() as m, pytest.raises(ValidationError, match="more than 5000 rows"):
        plan_io.read_table("plan.csv", content)
    m.assert_bounded()


def _bad_plan(rows: int) -> bytes:
    # no group on any row: one error a row
    return ("group,commitment\n" + "".join(f",Commitment {i}\n" for i in range(rows))).encode()


def test_10000_bad_plan_rows_report_100_errors_then_and_n_more(plan_world, monkeypatch):
    monkeypatch.setattr(plan_io, "MAX_ROWS", 20_000)  # a raised cap
    with measured() as m, pytest.raises(ValidationError) as rejected:
        do_import(plan_world.programme, _bad_plan(10_000))
    m.assert_bounded()
    messages = rejected.value.messages
    assert len(messages) == 101
    assert messages[0].startswith("Row 2: Enter the") and messages[99].startswith("Row 101: ")
    assert messages[-1] == "and 9,900 more errors"
    assert Commitment.objects.count() == 1


def test_the_preview_lists_100_errors_then_and_n_more(plan_world, client_as, monkeypatch):
    monkeypatch.setattr(plan_io, "MAX_ROWS", 20_000)
    slug = plan_world.programme.slug
    client = client_as(plan_world.manager)
    client.post(
        reverse("programmes:plan-import", args=[slug]),
        {"file": SimpleUploadedFile("plan.csv", _bad_plan(300)), "unmatched_leads": "error"},
    )
    preview = client.get(reverse("programmes:plan-import-check", args=[slug])).content.decode()
    summary = preview.split('govuk-error-summary__list">')[1].split("</ul>")[0]
    assert summary.count("<li><a href=") == 100
    assert "and 200 more errors" in summary
