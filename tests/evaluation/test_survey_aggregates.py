"""Stored survey aggregates: after every import, public answer, removal and rebuild they equal
what a live computation over the wave's scores gives, and small groups are still hidden on read."""

import datetime
import random
from collections import defaultdict

import pytest
from django.urls import reverse
from django.utils import timezone

from evaluation import selectors, services
from evaluation.models import SurveyAggregate, SurveyResponse, SurveyScore
from evaluation.tasks import refresh_closed_survey_waves
from tests.evaluation.conftest import csv_file
from tests.evaluation.factories import (
    PracticeFactory,
    StatementFactory,
    SurveyLinkFactory,
    SurveyWaveFactory,
)
from tests.programmes.factories import PlaceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_smoke]


@pytest.fixture
def statements(framework):
    first, second = PracticeFactory(framework=framework), PracticeFactory(framework=framework)
    return [
        StatementFactory(practice=first, code="DEL-I1"),
        StatementFactory(practice=first, code="DEL-I2"),
        StatementFactory(practice=second, code="COL-I1"),
    ]


@pytest.fixture
def wave(framework, statements):
    return SurveyWaveFactory(framework=framework, statements=statements)


@pytest.fixture
def places(programme):
    return [
        PlaceFactory(council=programme.council, name=name, district=True)
        for name in ("Rugby", "Warwick", "Stratford")
    ]


def live(wave) -> dict:
    """The figures computed in Python from every score of the wave, row by row, independently of
    the grouped queries: {(kind, id, dimension, group): (n, total, agree, ratings)}."""
    respondents, sums = defaultdict(set), defaultdict(lambda: [0, 0, 0])
    for score in SurveyScore.objects.filter(response__wave=wave).select_related(
        "response", "statement"
    ):
        groups = [
            ("", ""),
            ("place", str(score.response.place_id or "")),
            ("age_band", score.response.age_band),
        ]
        for kind, key_id in (
            ("statement", score.statement_id),
            ("practice", score.statement.practice_id),
        ):
            for dimension, group in groups:
                key = (kind, key_id, dimension, group)
                respondents[key].add(score.response_id)
                sums[key][0] += score.score
                sums[key][1] += score.score >= 4
                sums[key][2] += 1
    return {key: (len(respondents[key]), *sums[key]) for key in sums}


def stored(wave) -> dict:
    return {
        (a.kind, a.key_id, a.dimension, a.group): (a.n, a.total, a.agree, a.ratings)
        for a in SurveyAggregate.objects.filter(wave=wave)
    }


def _panel_file(statements, places, rows: int, seed: int, first_ref: int = 0) -> str:
    rng = random.Random(seed)
    lines = ["respondent_id,district,age_band," + ",".join(s.code for s in statements)]
    for n in range(rows):
        place = rng.choice([*(p.name for p in places), ""])
        band = rng.choice(["16-24", "45-64", "65+", ""])
        scores = [rng.choice(["1", "2", "3", "4", "5", ""]) for _ in statements]
        if not any(scores):
            scores[0] = "3"
        lines.append(f"R{first_ref + n},{place},{band}," + ",".join(scores))
    return "\n".join(lines) + "\n"


def test_imports_answers_and_removals_keep_the_stored_figures_equal_to_the_live_ones(
    wave, statements, places, officer
):
    services.survey_responses_import(
        wave=wave, uploaded_file=csv_file(_panel_file(statements, places, 60, 1)), user=officer
    )
    wave.refresh_from_db()
    assert stored(wave) == live(wave) and stored(wave)
    assert wave.response_count == 60 and wave.aggregated_at is not None

    # A second import adds to the figures without rescanning the first.
    services.survey_responses_import(
        wave=wave,
        uploaded_file=csv_file(_panel_file(statements, places, 40, 2, first_ref=100)),
        user=officer,
    )
    assert stored(wave) == live(wave)

    # A public answer, with a place and an age band nobody else gave.
    link = SurveyLinkFactory(wave=wave)
    services.survey_response_submit(
        token=link.token,
        scores={statements[0].pk: 5, statements[2].pk: 1},
        place=places[0],
        age_band="25-44",
    )
    assert stored(wave) == live(wave)
    assert ("practice", statements[2].practice_id, "age_band", "25-44") in stored(wave)

    # Removing responses takes them out again, down to removing a group's only respondent.
    lone = SurveyResponse.objects.get(link=link)
    for response in [lone, *SurveyResponse.objects.filter(wave=wave).order_by("pk")[:15]]:
        services.survey_response_delete(response=response, user=officer)
    assert stored(wave) == live(wave)
    assert not any(key[3] == "25-44" for key in stored(wave))
    wave.refresh_from_db()
    assert wave.response_count == SurveyResponse.objects.filter(wave=wave).count() == 85


def test_a_rebuild_after_a_direct_change_matches_the_live_figures(wave, statements, officer):
    services.survey_responses_import(
        wave=wave, uploaded_file=csv_file(_panel_file(statements, [], 30, 3)), user=officer
    )
    # A score edited outside the services (the shell, a data fix) is picked up by a rebuild.
    SurveyScore.objects.filter(response__wave=wave).update(score=5)
    assert stored(wave) != live(wave)
    services.survey_aggregates_recompute(wave=wave)
    assert stored(wave) == live(wave)


def test_a_wave_that_closed_yesterday_is_rebuilt_overnight(framework, statements):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    closed = SurveyWaveFactory(
        framework=framework,
        statements=statements,
        opens=yesterday - datetime.timedelta(days=20),
        closes=yesterday,
    )
    response = SurveyResponse.objects.create(wave=closed, source="panel")
    SurveyScore.objects.create(response=response, statement=statements[0], score=4)
    assert refresh_closed_survey_waves() == 1
    assert stored(closed) == live(closed)
    closed.refresh_from_db()
    assert closed.response_count == 1


def test_the_upgrade_command_stores_the_figures_of_waves_that_have_none(
    framework, statements, wave
):
    """`rebuild_survey_aggregates` after an upgrade: waves from before the stored figures get
    theirs; waves that have them are left alone unless --all; a second run does nothing."""
    from io import StringIO

    from django.core.management import call_command

    older = SurveyWaveFactory(framework=framework, statements=statements)
    for n in range(7):
        response = SurveyResponse.objects.create(wave=older, source="panel")
        SurveyScore.objects.create(response=response, statement=statements[1], score=1 + n % 5)
    services.survey_aggregates_recompute(wave=wave)
    kept = wave.aggregated_at
    out = StringIO()
    call_command("rebuild_survey_aggregates", stdout=out)
    assert "1 wave rebuilt" in out.getvalue() and "7 responses" in out.getvalue()
    assert stored(older) == live(older)
    wave.refresh_from_db()
    assert wave.aggregated_at == kept
    call_command("rebuild_survey_aggregates", stdout=out)
    assert "0 waves rebuilt" in out.getvalue()
    call_command("rebuild_survey_aggregates", "--all", stdout=out)
    assert "2 waves rebuilt" in out.getvalue()


def test_the_results_page_computes_an_older_waves_figures_once(
    wave, statements, client_as, officer
):
    """A wave whose responses predate the stored figures (never aggregated) is computed on its
    first view; later views only read."""
    for n in range(12):
        response = SurveyResponse.objects.create(wave=wave, source="panel")
        SurveyScore.objects.create(response=response, statement=statements[0], score=1 + n % 5)
    url = reverse("evaluation:survey-results", args=[wave.framework.programme.slug, wave.pk])
    page = client_as(officer).get(url).content.decode()
    assert "12 responses" in page
    assert stored(wave) == live(wave)
    cell = selectors.survey_results(wave)["practices"][0]["statements"][0]["overall"]
    assert (cell.n, cell.suppressed) == (12, False)


def test_suppression_applies_to_the_stored_figures(wave, statements, places, officer):
    """Rugby 20 people, Warwick 15, Stratford 3: Stratford is hidden on read, and so is Warwick
    (secondary suppression); the stored rows keep every figure whole."""
    lines = ["respondent_id,district,DEL-I1"]
    for n, (place, count) in enumerate((("Rugby", 20), ("Warwick", 15), ("Stratford", 3))):
        lines += [f"P{n}-{i},{place},4" for i in range(count)]
    services.survey_responses_import(
        wave=wave, uploaded_file=csv_file("\n".join(lines) + "\n"), user=officer
    )
    figures = stored(wave)
    for place, count in zip(places, (20, 15, 3), strict=True):
        assert figures[("statement", statements[0].pk, "place", str(place.pk))][0] == count
    results = selectors.survey_results(wave)
    breakdown = results["practices"][0]["breakdowns"][0]
    labels = [g["label"] for g in breakdown["groups"]]
    cells = dict(zip(labels, breakdown["rows"][1]["cells"], strict=True))
    assert not cells["Rugby"].suppressed and cells["Rugby"].n == 20
    assert cells["Stratford"].suppressed and cells["Stratford"].mean is None
    assert cells["Warwick"].suppressed and cells["Warwick"].shown_n is None
