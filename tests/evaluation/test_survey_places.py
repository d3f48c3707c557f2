"""The public survey asks for the programme council's own kind of place, and offers only that
council's places: districts for a county, else localities, else wards."""

import pytest
from django.urls import reverse

from evaluation.models import SurveyResponse
from programmes.models import PlaceKind
from tests.evaluation.factories import (
    FrameworkFactory,
    PracticeFactory,
    StatementFactory,
    SurveyLinkFactory,
    SurveyWaveFactory,
)
from tests.programmes.factories import CouncilFactory, PlaceFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def _link(programme):
    framework = FrameworkFactory(programme=programme)
    practice = PracticeFactory(framework=framework, name="Deliberative")
    statement = StatementFactory(practice=practice, text="I feel listened to", code="DEL-I1")
    wave = SurveyWaveFactory(framework=framework, statements=[statement])
    return SurveyLinkFactory(wave=wave), statement


@pytest.fixture
def county_and_unitary():
    county = CouncilFactory()
    unitary = CouncilFactory(unitary=True)
    PlaceFactory(council=county, district=True, name="Rugby")
    PlaceFactory(council=county, kind=PlaceKind.WARD, name="Camp Hill")
    PlaceFactory(council=unitary, kind=PlaceKind.WARD, name="Kendal Castle")
    PlaceFactory(council=unitary, kind=PlaceKind.LOCALITY, name="Eden")
    PlaceFactory(council=unitary, kind=PlaceKind.LOCALITY, name="Furness")
    return county, unitary


def test_a_county_survey_asks_for_its_districts(client, county_and_unitary):
    county, _ = county_and_unitary
    link, _ = _link(ProgrammeFactory(council=county, slug="county-programme"))
    html = client.get(reverse("evaluation:survey-public", args=[link.token])).content.decode()
    assert "Which district do you live in? (optional)" in html
    assert "Rugby" in html
    assert "Eden" not in html and "Camp Hill" not in html


def test_a_unitary_survey_asks_for_its_localities_and_refuses_another_councils_place(
    client, county_and_unitary
):
    county, unitary = county_and_unitary
    link, statement = _link(ProgrammeFactory(council=unitary, slug="wf"))
    url = reverse("evaluation:survey-public", args=[link.token])
    html = client.get(url).content.decode()
    assert "Which locality do you live in? (optional)" in html
    assert "Eden" in html and "Furness" in html
    assert "Rugby" not in html and "Kendal Castle" not in html
    rugby = county.places.get(name="Rugby")
    response = client.post(url, {f"statement_{statement.pk}": "4", "place": rugby.pk})
    assert "Choose a locality from the list" in response.content.decode()
    eden = unitary.places.get(name="Eden")
    response = client.post(url, {f"statement_{statement.pk}": "4", "place": eden.pk})
    assert response.status_code == 302
    assert SurveyResponse.objects.get().place == eden


def test_the_wave_name_example_names_no_council():
    from evaluation.forms import SurveyWaveForm

    assert "Warwickshire" not in str(SurveyWaveForm.base_fields["name"].help_text)
