"""Figure and survey imports are bounded: a zip bomb and a row flood are refused quickly and in
little memory, and a file full of bad rows reports the first 100 errors, then "and N more"."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cpw.core.tabular import ImportRejected
from evaluation import services
from evaluation.models import Observation, SurveyResponse
from tests.core.bounds import measured
from tests.core.files import EXECUTABLE, FAKE_XLSX, csv_flood, zip_bomb_xlsx
from tests.evaluation.conftest import csv_file
from tests.evaluation.factories import PracticeFactory, StatementFactory, SurveyWaveFactory

pytestmark = pytest.mark.django_db


def _import(framework, user, upload):
    return services.observations_import(framework=framework, uploaded_file=upload, user=user)


def test_a_zip_bomb_figure_file_is_refused(framework, periods, metrics, officer):
    upload = SimpleUploadedFile("figures.xlsx", zip_bomb_xlsx(300))
    with measured() as m, pytest.raises(ValidationError, match="unpacks to far more data"):
        _import(framework, officer, upload)
    m.assert_bounded()
    assert not Observation.objects.exists()


def test_a_200000_row_csv_is_refused_at_the_row_cap(framework, periods, metrics, officer):
    upload = SimpleUploadedFile("figures.csv", csv_flood(200_000))
    with measured() as m, pytest.raises(ValidationError, match="more than 20000 rows"):
        _import(framework, officer, upload)
    m.assert_bounded()
    assert not Observation.objects.exists()


def test_10000_bad_rows_report_100_errors_and_the_count_of_the_rest(
    framework, periods, metrics, officer
):
    # each row names no metric: one error a row
    upload = SimpleUploadedFile("figures.csv", csv_flood(10_000, row=",2023-Q1,1"))
    with measured() as m, pytest.raises(ImportRejected) as rejected:
        _import(framework, officer, upload)
    m.assert_bounded()
    assert len(rejected.value.row_errors) == 100
    assert rejected.value.row_errors[0].row == 2 and rejected.value.row_errors[-1].row == 101
    assert rejected.value.more_message == "and 9,900 more errors"
    assert "The file has 10,000 errors" in rejected.value.messages[0]
    assert not Observation.objects.exists()


def test_the_import_page_shows_100_errors_then_and_n_more(
    framework, periods, metrics, client_as, officer
):
    url = reverse("evaluation:observation-import", args=[framework.programme.slug])
    upload = SimpleUploadedFile("figures.csv", csv_flood(10_000, row=",2023-Q1,1"))
    response = client_as(officer).post(url, {"file": upload, "submit": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert html.count("Enter the metric&#x27;s name") == 100
    assert "the first 100 of 10,000 errors" in html
    assert "and 9,900 more errors" in html
    assert len(html) < 200_000


def test_a_survey_file_with_10000_bad_rows_reports_100_errors(framework):
    practice = PracticeFactory(framework=framework, name="Deliberative")
    statement = StatementFactory(practice=practice, text="I feel listened to", code="DEL-I1")
    wave = SurveyWaveFactory(framework=framework, statements=[statement])
    content = csv_flood(10_000, row="9", header=statement.code)  # 9 is not a score
    with measured() as m, pytest.raises(ImportRejected) as rejected:
        services.survey_responses_import(
            wave=wave, uploaded_file=SimpleUploadedFile("panel.csv", content), user=None
        )
    m.assert_bounded()
    assert len(rejected.value.row_errors) == 100 and rejected.value.more == 9_900
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize(
    "name,content",
    [("figures.xlsx", EXECUTABLE), ("figures.xlsx", FAKE_XLSX), ("figures.csv", EXECUTABLE)],
    ids=["executable renamed .xlsx", "fake xlsx zip", "executable renamed .csv"],
)
def test_import_uploads_are_checked_from_their_bytes(
    framework, periods, metrics, client_as, officer, name, content
):
    url = reverse("evaluation:observation-import", args=[framework.programme.slug])
    response = client_as(officer).post(
        url, {"file": SimpleUploadedFile(name, content), "submit": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "govuk-error-summary" in html
    assert "not an Excel (.xlsx) file" in html or "not a CSV file" in html
    assert not Observation.objects.exists()


def test_a_genuine_figure_file_still_imports(framework, periods, metrics, officer):
    text = "metric,period,value\nPeople at events,2023-Q1,10\n"
    assert _import(framework, officer, csv_file(text)) == 1


def test_figures_and_notes_past_their_columns_are_row_errors(framework, periods, metrics, officer):
    upload = csv_file(
        "metric,period,value,note\n"
        "People at events,2023-Q1,1000000000000,\n"
        f"People at events,2023-Q2,5,{'n' * 10_001}\n"
    )
    with pytest.raises(ImportRejected) as rejected:
        _import(framework, officer, upload)
    errors = {(e.row, e.column): e.message for e in rejected.value.row_errors}
    assert "or less" in errors[(2, "value")]
    assert errors[(3, "note")] == "Enter the note in 10,000 characters or fewer"
    assert not Observation.objects.exists()


def test_a_respondent_id_past_its_column_is_a_row_error(framework):
    practice = PracticeFactory(framework=framework, name="Deliberative")
    statement = StatementFactory(practice=practice, code="DEL-I1")
    wave = SurveyWaveFactory(framework=framework, statements=[statement])
    upload = csv_file(f"respondent_id,DEL-I1\n{'r' * 61},4\n")
    with pytest.raises(ImportRejected) as rejected:
        services.survey_responses_import(wave=wave, uploaded_file=upload, user=None)
    [error] = rejected.value.row_errors
    assert error.message.startswith("Enter the respondent's ID in")
    assert not SurveyResponse.objects.exists()
