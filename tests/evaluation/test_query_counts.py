"""The dashboard, metric, index and survey results pages run the same number of queries with a
handful of rows and with 50,000 observations and 100,000 survey responses."""

import random
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from evaluation import services
from evaluation.models import Observation, Source, SurveyResponse, SurveyScore
from programmes.models import Place, PlaceKind
from programmes.services import reporting_periods_ensure
from tests.evaluation.factories import (
    CompositeIndexFactory,
    IndexComponentFactory,
    MetricFactory,
    PracticeFactory,
    StatementFactory,
    SurveyWaveFactory,
)

pytestmark = pytest.mark.django_db

OBSERVATIONS = 50_000
RESPONSES = 100_000
# Queries per page (session, user, roles, programme and framework included), at any data size.
MAX_QUERIES = {"dashboard": 12, "metric": 14, "index": 11, "survey results": 12, "framework": 13}


@pytest.fixture
def setup(framework, tier, programme):
    metrics = [MetricFactory(framework=framework, tier=tier) for _ in range(8)]
    index = CompositeIndexFactory(framework=framework)
    for metric in metrics[:4]:
        IndexComponentFactory(index=index, metric=metric)
    practice = PracticeFactory(framework=framework)
    statements = [StatementFactory(practice=practice) for _ in range(2)]
    wave = SurveyWaveFactory(framework=framework, statements=statements)
    return {"metrics": metrics, "index": index, "wave": wave, "statements": statements}


def _grow(programme, setup, observations: int, responses: int):
    """Add whole-programme and per-place observations (8 metrics x 25 periods x places) and
    survey responses with a district and an age band, by bulk_create."""
    metrics = setup["metrics"]
    periods = reporting_periods_ensure(programme=programme, first="2018-Q1", last="2024-Q1")
    per_period = observations // (len(metrics) * len(periods))
    places = Place.objects.bulk_create(
        [
            Place(council=programme.council, name=f"Ward {n}", kind=PlaceKind.WARD)
            for n in range(per_period - 1)
        ]
    )
    Observation.objects.all().delete()
    rows = []
    for metric in metrics:
        for n, period in enumerate(periods):
            for place in [None, *places]:
                rows.append(
                    Observation(
                        metric=metric,
                        period=period,
                        place=place,
                        value=Decimal(100 + n),
                        source=Source.IMPORT,
                    )
                )
    Observation.objects.bulk_create(rows, batch_size=5000)
    rng = random.Random(1)
    districts = places[:5] or [None]
    created = SurveyResponse.objects.bulk_create(
        [
            SurveyResponse(
                wave=setup["wave"],
                source="panel",
                place=districts[n % len(districts)],
                age_band=["25-44", "45-64", "65+"][n % 3],
            )
            for n in range(responses)
        ],
        batch_size=5000,
    )
    SurveyScore.objects.bulk_create(
        [
            SurveyScore(response=r, statement=s, score=rng.randint(1, 5))
            for r in created
            for s in setup["statements"]
        ],
        batch_size=5000,
    )
    # Made by bulk_create, not the import service: bring the stored results up to date as the
    # service would.
    services.survey_aggregates_recompute(wave=setup["wave"])
    return len(rows)


def test_query_counts_do_not_grow_with_data(
    programme, setup, client_as, officer, django_assert_max_num_queries
):
    def _count(client, name, url):
        with (
            django_assert_max_num_queries(MAX_QUERIES[name]),
            CaptureQueriesContext(connection) as queries,
        ):
            response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    client = client_as(officer)
    slug = programme.slug
    urls = {
        "dashboard": reverse("evaluation:dashboard", args=[slug]),
        "metric": reverse("evaluation:metric", args=[slug, setup["metrics"][0].pk]),
        "index": reverse("evaluation:index", args=[slug, setup["index"].pk]),
        "survey results": reverse("evaluation:survey-results", args=[slug, setup["wave"].pk]),
        "framework": reverse("evaluation:framework", args=[slug]),
    }
    _grow(programme, setup, observations=400, responses=200)
    small = {name: _count(client, name, url) for name, url in urls.items()}

    made = _grow(programme, setup, observations=OBSERVATIONS, responses=RESPONSES)
    assert made >= OBSERVATIONS * 0.98 and SurveyResponse.objects.count() >= RESPONSES

    large = {name: _count(client, name, url) for name, url in urls.items()}
    assert large == small
