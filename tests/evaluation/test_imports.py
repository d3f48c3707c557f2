"""Observation and survey imports: row-level errors, all or nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cpw.core.tabular import ImportRejected
from evaluation import services
from evaluation.models import Observation, Source, SurveyResponse, SurveyScore
from tests.evaluation.conftest import csv_file, xlsx_file
from tests.evaluation.factories import (
    MetricFactory,
    ObservationFactory,
    StatementFactory,
    SurveyWaveFactory,
)

pytestmark = pytest.mark.django_db

GOOD = "metric,period,place,value,note\nPeople at events,2023-Q1,,120,From the log\n"


def _import(framework, user, text, **kwargs):
    return services.observations_import(
        framework=framework, uploaded_file=csv_file(text), user=user, **kwargs
    )


def _errors(exc_info):
    return [(e.row, e.column, e.message) for e in exc_info.value.row_errors]


def test_a_good_csv_imports_every_row(framework, periods, metrics, district, officer):
    user = officer
    count = _import(
        framework,
        user,
        "metric,period,place,value,note\n"
        "People at events,2023-Q1,,120,\n"
        "people at events,2023-q2,,150,\n"
        "Agreement score,2023-Q1,Rugby,3.4,\n"
        "Adults volunteering,2023-Q1,E07000220,22.5%,\n",
    )
    assert count == 4
    rugby = Observation.objects.get(metric=metrics["volunteering"], place=district)
    assert rugby.value == Decimal("22.5") and rugby.source == Source.IMPORT
    assert rugby.history.first().history_user == user


def test_a_good_xlsx_imports(framework, periods, metrics, officer):
    file = xlsx_file([["Metric", "Period", "Value"], ["People at events", "2023-Q3", 75]])
    count = services.observations_import(framework=framework, uploaded_file=file, user=officer)
    assert count == 1
    assert Observation.objects.get(metric=metrics["events"]).value == 75


@pytest.mark.parametrize(
    "row, column, message",
    [
        ("Agreement score,2023-Q1,,6,", "value", "A score must be between 1 and 5, not 6"),
        ("Agreement score,2023-Q1,,0,", "value", "A score must be between 1 and 5, not 0"),
        ("People at events,2023-Q1,,lots,", "value", "'lots' is not a number"),
        ("People at events,2023-Q1,,,", "value", "Enter a value"),
        ("People at events,2023-Q1,,12.5,", "value", "A count must be a whole number"),
        ("Adults volunteering,2023-Q1,,101,", "value", "A percentage must be between 0 and 100"),
        ("Happiness,2023-Q1,,3,", "metric", "'Happiness' is not a metric in this framework"),
        (
            "People at events,2023-Q1,Atlantis,3,",
            "place",
            "'Atlantis' is not one of the council's places",
        ),
        ("People at events,2031-Q1,,3,", "period", "'2031-Q1' is not a reporting period"),
    ],
)
def test_a_bad_row_is_reported_and_nothing_is_saved(
    framework, periods, metrics, officer, row, column, message
):
    text = f"{GOOD}{row}\n"
    with pytest.raises(ImportRejected) as exc_info:
        _import(framework, officer, text)
    ((number, got_column, got_message),) = _errors(exc_info)
    assert number == 3 and got_column == column and got_message.startswith(message)
    assert Observation.objects.count() == 0  # the good row 2 was not saved either


def test_a_place_name_shared_by_two_places_needs_its_code(framework, periods, metrics, officer):
    from tests.programmes.factories import PlaceFactory

    PlaceFactory(name="Warwick", district=True, ons_code="E07000222")
    PlaceFactory(name="Warwick", kind="parish")
    with pytest.raises(ImportRejected) as exc_info:
        _import(
            framework, officer, "metric,period,place,value\nPeople at events,2023-Q1,Warwick,5\n"
        )
    assert "More than one place is called 'Warwick'" in _errors(exc_info)[0][2]
    _import(framework, officer, "metric,period,place,value\nPeople at events,2023-Q1,E07000222,5\n")
    assert Observation.objects.get().place.kind == "district"


def test_every_bad_row_is_listed(framework, periods, metrics, officer):
    text = "metric,period,value\nAgreement score,2023-Q1,6\nNope,2023-Q1,1\nAgreement score,2023-Q2,0\n"
    with pytest.raises(ImportRejected) as exc_info:
        _import(framework, officer, text)
    assert [e[0] for e in _errors(exc_info)] == [2, 3, 4]
    assert "3 errors" in exc_info.value.messages[0]


def test_a_period_that_already_has_a_figure_is_refused(framework, periods, metrics, officer):
    ObservationFactory(metric=metrics["events"], period=periods[0], value=99)
    with pytest.raises(ImportRejected) as exc_info:
        _import(framework, officer, GOOD)
    assert _errors(exc_info) == [(2, "period", "People at events already has a figure for 2023-Q1")]
    assert Observation.objects.get().value == 99


def test_the_same_period_twice_in_one_file_is_refused(framework, periods, metrics, officer):
    with pytest.raises(ImportRejected) as exc_info:
        _import(framework, officer, GOOD + "People at events,2023-Q1,,130,\n")
    assert _errors(exc_info) == [(3, "period", "People at events for 2023-Q1 is also in row 2")]
    assert not Observation.objects.exists()


@pytest.mark.parametrize(
    "file, message",
    [
        (csv_file(""), "The selected file is empty"),
        (csv_file("   \n"), "The selected file is empty"),
        (csv_file("metric,period,value\n"), "The selected file has no rows of data"),
        (csv_file("metric,value\nx,1\n"), "The file must have columns called metric, period"),
        (csv_file("a,b", name="figures.pdf"), "must be a CSV or Excel"),
        (xlsx_file([]), "The selected file is empty"),
    ],
)
def test_an_empty_or_wrong_file_is_refused(framework, metrics, officer, file, message):
    with pytest.raises(ValidationError) as exc_info:
        services.observations_import(framework=framework, uploaded_file=file, user=officer)
    assert message in exc_info.value.messages[0]
    assert not Observation.objects.exists()


def test_a_derived_metric_cannot_be_imported(framework, tier, periods, officer):
    MetricFactory(framework=framework, tier=tier, name="Number of groups", derived=True)
    with pytest.raises(ImportRejected) as exc_info:
        _import(framework, officer, "metric,period,value\nNumber of groups,2023-Q1,5\n")
    assert "calculated from portal data" in _errors(exc_info)[0][2]


def test_checking_a_file_saves_nothing(framework, periods, metrics, officer):
    assert _import(framework, officer, GOOD, dry_run=True) == 1
    assert not Observation.objects.exists()


# --- Survey responses from a residents' panel export -----------------------------------------


@pytest.fixture
def wave(framework):
    first = StatementFactory(practice__framework=framework, code="DEL-I1")
    second = StatementFactory(practice=first.practice, code="DEL-I2")
    return SurveyWaveFactory(framework=framework, statements=[first, second], closed=True)


PANEL = "respondent_id,district,age_band,DEL-I1,DEL-I2\nVOW-1,Rugby,45-64,4,5\nVOW-2,,65+,2,\n"


def _panel(wave, user, text):
    return services.survey_responses_import(wave=wave, uploaded_file=csv_file(text), user=user)


def test_a_panel_export_imports_responses_and_scores(wave, district, officer):
    assert _panel(wave, officer, PANEL) == 2
    first = SurveyResponse.objects.get(respondent_ref="VOW-1")
    assert first.place == district and first.age_band == "45-64"
    assert sorted(first.scores.values_list("score", flat=True)) == [4, 5]
    assert SurveyScore.objects.filter(response__respondent_ref="VOW-2").count() == 1


@pytest.mark.parametrize(
    "row, column, message",
    [
        ("VOW-3,Rugby,45-64,6,4", "DEL-I1", "A score must be from 1 to 5, not 6"),
        ("VOW-3,Rugby,45-64,0,4", "DEL-I1", "A score must be from 1 to 5, not 0"),
        ("VOW-3,Rugby,45-64,4,agree", "DEL-I2", "'agree' is not a score"),
        ("VOW-3,Atlantis,45-64,4,4", "district", "'Atlantis' is not one of the council's places"),
        ("VOW-3,Rugby,middle-aged,4,4", "age_band", "'middle-aged' is not an age band"),
        ("VOW-1,Rugby,45-64,4,4", "respondent_id", "Respondent VOW-1 is also in row 2"),
        ("VOW-3,Rugby,45-64,,", "", "The row has no scores"),
    ],
)
def test_a_bad_panel_row_saves_nothing(wave, district, officer, row, column, message):
    with pytest.raises(ImportRejected) as exc_info:
        _panel(wave, officer, PANEL + row + "\n")
    ((number, got_column, got_message),) = _errors(exc_info)
    assert (number, got_column) == (4, column) and got_message.startswith(message)
    assert not SurveyResponse.objects.exists() and not SurveyScore.objects.exists()


def test_a_column_that_is_not_a_statement_is_refused(wave, district, officer):
    with pytest.raises(ImportRejected) as exc_info:
        _panel(wave, officer, "DEL-I1,XYZ-9\n4,4\n")
    assert _errors(exc_info) == [
        (1, "XYZ-9", "'XYZ-9' is not a statement code in this survey wave")
    ]


def test_a_respondent_already_imported_is_refused(wave, district, officer):
    _panel(wave, officer, PANEL)
    with pytest.raises(ImportRejected):
        _panel(wave, officer, PANEL)
    assert SurveyResponse.objects.count() == 2


def test_an_empty_panel_file_is_refused(wave, officer):
    with pytest.raises(ValidationError, match="The selected file is empty"):
        _panel(wave, officer, "")
    assert not SurveyResponse.objects.exists()
