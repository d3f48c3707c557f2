"""Surveys: public links take one response each; small groups are hidden everywhere."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from evaluation import selectors, services
from evaluation.calculations import Cell, suppress_small_groups
from evaluation.display import result_cell_html
from evaluation.models import SurveyResponse, SurveyScore
from tests.evaluation.factories import (
    PracticeFactory,
    StatementFactory,
    SurveyLinkFactory,
    SurveyWaveFactory,
)
from tests.programmes.factories import PlaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_smoke]


@pytest.fixture
def statement(framework):
    practice = PracticeFactory(framework=framework, name="Deliberative")
    return StatementFactory(practice=practice, text="I feel listened to", code="DEL-I1")


@pytest.fixture
def wave(framework, statement):
    return SurveyWaveFactory(framework=framework, statements=[statement])


def _respond(wave, statement, place, scores, age_band=""):
    for score in scores:
        response = SurveyResponse.objects.create(
            wave=wave, source="panel", place=place, age_band=age_band
        )
        SurveyScore.objects.create(response=response, statement=statement, score=score)
    # Made directly, not through the services: rebuild the stored results as they would.
    services.survey_aggregates_recompute(wave=wave)


# --- Public links ----------------------------------------------------------------------------


def test_a_link_takes_one_response(wave, statement):
    link = SurveyLinkFactory(wave=wave)
    services.survey_response_submit(token=link.token, scores={statement.pk: 4})
    with pytest.raises(services.SurveyLinkUsed):
        services.survey_response_submit(token=link.token, scores={statement.pk: 5})
    assert SurveyScore.objects.get().score == 4


def test_the_public_page_saves_one_anonymous_response(client, wave, statement):
    link = SurveyLinkFactory(wave=wave)
    url = reverse("evaluation:survey-public", args=[link.token])
    assert "I feel listened to" in client.get(url).content.decode()
    response = client.post(url, {f"statement_{statement.pk}": "5", "age_band": "65+"})
    assert response.status_code == 302
    saved = SurveyResponse.objects.get()
    assert saved.age_band == "65+" and saved.link == link and saved.source == "link"
    again = client.get(url)
    assert again.status_code == 410
    assert "already been used" in again.content.decode()
    client.post(url, {f"statement_{statement.pk}": "1"})
    assert SurveyResponse.objects.count() == 1


@pytest.mark.parametrize("posted", [{}, {"statement_X": "6"}])
def test_the_public_page_needs_a_rating(client, wave, statement, posted):
    link = SurveyLinkFactory(wave=wave)
    response = client.post(reverse("evaluation:survey-public", args=[link.token]), posted)
    assert response.status_code == 200
    assert "Rate at least one statement" in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_a_score_out_of_range_is_refused(wave, statement):
    link = SurveyLinkFactory(wave=wave)
    with pytest.raises(ValidationError, match="from 1 to 5, not 6"):
        services.survey_response_submit(token=link.token, scores={statement.pk: 6})
    assert not SurveyResponse.objects.exists()


def test_a_closed_wave_takes_no_answers(client, framework, statement):
    link = SurveyLinkFactory(
        wave=SurveyWaveFactory(framework=framework, closed=True, statements=[statement])
    )
    assert client.get(reverse("evaluation:survey-public", args=[link.token])).status_code == 410


def test_an_unknown_token_is_not_found(client, db):
    assert client.get(reverse("evaluation:survey-public", args=["nope"])).status_code == 404


def test_residents_rate_i_statements_and_the_workforce_we_statements(framework, statement, manager):
    we = StatementFactory(practice=statement.practice, we=True)
    with pytest.raises(ValidationError):
        services.survey_wave_create(
            framework=framework, name="Staff 2024", audience="workforce", opens="2024-01-01",
            closes="2024-01-31", statements=[statement], user=manager,
        )  # fmt: skip
    wave = services.survey_wave_create(
        framework=framework, name="Staff 2024", audience="workforce", opens="2024-01-01",
        closes="2024-01-31", statements=[we], user=manager,
    )  # fmt: skip
    assert list(wave.statements.all()) == [we]


# --- Results and suppression -----------------------------------------------------------------


def test_results_per_statement(wave, statement):
    _respond(wave, statement, None, [5, 4, 4, 3, 2, 1, 5, 4, 3, 3])
    results = selectors.survey_results(wave)
    cell = results["practices"][0]["statements"][0]["overall"]
    assert (cell.n, cell.mean, cell.pct_agree) == (10, Decimal("3.40"), Decimal("50.0"))


def test_secondary_suppression_hides_the_next_smallest_group():
    cells = [Cell(n=n, total=0, agree=0, ratings=n) for n in (40, 12, 5)]
    suppress_small_groups(cells)
    assert [c.suppressed for c in cells] == [False, True, True]


@pytest.fixture
def small_group_wave(wave, statement):
    """Rugby 30 people, Warwick 25, Atherstone 4: Atherstone is hidden, and so is Warwick
    (otherwise Atherstone = total - Rugby - Warwick)."""
    rugby, warwick, small = (PlaceFactory(name=n) for n in ("Rugby", "Warwick", "Atherstone"))
    _respond(wave, statement, rugby, [4] * 30, age_band="45-64")
    _respond(wave, statement, warwick, [2] * 25, age_band="45-64")
    _respond(wave, statement, small, [1, 1, 1, 5], age_band="16-24")
    return wave


def test_small_groups_are_hidden_on_the_results_page(small_group_wave, client_as, officer):
    url = reverse(
        "evaluation:survey-results",
        args=[small_group_wave.framework.programme.slug, small_group_wave.pk],
    )
    html = client_as(officer).get(url).content.decode()
    assert "Atherstone" in html and "Rugby" in html
    assert "100.0% agree" in html  # Rugby: all 30 agree
    assert "25.0% agree" not in html  # Atherstone's 1 of 4 is never shown
    assert ">0.0% agree" not in html  # nor is Warwick's, which would give Atherstone away
    assert "mean 2.00" not in html and "25 people" not in html
    assert "Hidden" in html


def test_small_groups_are_hidden_in_the_csv_export(small_group_wave, client_as, officer):
    slug = small_group_wave.framework.programme.slug
    response = client_as(officer).get(
        reverse("evaluation:survey-export", args=[slug, small_group_wave.pk, "csv"])
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    by_group = {row[2]: row for row in rows[1:] if row[1] == "I feel listened to"}
    assert by_group["Place: Rugby"][3:] == ["30", "4.00", "100.0"]
    assert by_group["Place: Atherstone"][3:] == ["Hidden (small group)", "", ""]
    assert by_group["Place: Warwick"][3:] == ["Hidden (small group)", "", ""]
    assert by_group["Age: 16 to 24"][3:] == ["Hidden (small group)", "", ""]
    assert by_group["Everyone"][3] == "59"


def test_small_groups_are_hidden_in_the_excel_export(small_group_wave, client_as, officer):
    slug = small_group_wave.framework.programme.slug
    response = client_as(officer).get(
        reverse("evaluation:survey-export", args=[slug, small_group_wave.pk, "xlsx"])
    )
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    atherstone = next(
        r for r in rows if r[2] == "Place: Atherstone" and r[1] == "I feel listened to"
    )
    assert atherstone[3:] == ["Hidden (small group)", None, None]
    assert not any(r[2] == "Place: Atherstone" and isinstance(r[3], int) for r in rows)


def test_a_wave_with_fewer_than_ten_responses_shows_nothing(wave, statement, client_as, officer):
    _respond(wave, statement, None, [5] * 9)
    results = selectors.survey_results(wave)
    assert results["practices"][0]["overall"].suppressed
    assert results["practices"][0]["statements"][0]["overall"].mean is None


@pytest.mark.parametrize(
    ("cell", "html"),
    [
        (None, "—"),
        (Cell(n=4, total=8, agree=1, ratings=4, suppressed=True), "Hidden"),
        (Cell(n=10, total=34, agree=5, ratings=10), "50.0% agree<br>mean 3.40<br>10 people"),
        (
            Cell(n=1204, total=4816, agree=1204, ratings=1204),
            "100.0% agree<br>mean 4.00<br>1,204 people",
        ),
        (Cell(n=12, total=12, agree=0, ratings=12), "0.0% agree<br>mean 1.00<br>12 people"),
    ],
)
def test_a_breakdown_cell_reads_as_on_the_results_page(cell, html):
    """A breakdown cell's HTML, made once in Python for the results table."""
    shown = result_cell_html(cell)
    assert shown == html or (html == "Hidden" and shown.startswith('<span class="portal-'))
    if html == "Hidden":
        assert 'Hidden<span class="govuk-visually-hidden"> to protect respondents</span>' in shown
