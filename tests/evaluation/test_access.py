"""Roles count in the object's own programme. The person the review found: a manager of
programme B who is only a steering-group member in programme A. In A they read the figures and
may change nothing; in B they manage as usual."""

from decimal import Decimal

import pytest
from django.urls import reverse

from cpw.accounts.models import Role, RoleAssignment
from evaluation.models import Metric, Observation, SurveyLink, SurveyResponse, SurveyWave
from tests.accounts.factories import user_with_role
from tests.evaluation.conftest import csv_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def b_manager_steering_a(world):
    user = user_with_role(Role.PROGRAMME_MANAGER, world.other.programme)
    RoleAssignment.objects.create(user=user, role=Role.STEERING_GROUP, programme=world.programme)
    return user


def _metric_data(tier):
    return {
        "name": "Households reached",
        "tier": tier.pk,
        "definition": "Households the pilot reached",
        "unit": "count",
        "direction": "higher",
        "scale": "programme",
        "source": "manual",
        "derived_key": "",
        "cadence": "quarterly",
        "rag_green_from": "100",
        "rag_amber_from": "50",
    }


def _writes(w):
    """Every evaluation write, as (url name, kwargs, POST data), with valid data."""
    slug = w.programme.slug
    metric = w.evaluation_metric
    wave = w.evaluation_wave
    index = w.evaluation_index
    component = index.components.get()
    statement = wave.statements.get()
    return [
        ("evaluation:metric-create", [slug], lambda: _metric_data(metric.tier)),
        (
            "evaluation:observation-add",
            [slug, metric.pk],
            lambda: {"period": w.evaluation_periods[0].pk, "value": "999"},
        ),
        ("evaluation:metric-recalculate", [slug, w.evaluation_derived_metric.pk], dict),
        (
            "evaluation:observation-import",
            [slug],
            lambda: {
                "file": csv_file(
                    f"metric,period,place,value\n{metric.name},2023-Q1,{w.division.name},999\n"
                ),
                "submit": "",
            },
        ),
        (
            "evaluation:survey-create",
            [slug],
            lambda: {
                "name": "Residents 2025",
                "audience": "citizens",
                **{"opens_0": "1", "opens_1": "4", "opens_2": "2025"},
                **{"closes_0": "30", "closes_1": "4", "closes_2": "2025"},
                "statements": [statement.pk],
            },
        ),
        (
            "evaluation:survey-import",
            [slug, wave.pk],
            lambda: {
                "file": csv_file(f"respondent_id,{statement.code}\nR1,4\n", name="panel.csv"),
                "submit": "",
            },
        ),
        ("evaluation:survey-links", [slug, wave.pk], lambda: {"count": "3"}),
        ("evaluation:index-weights", [slug, index.pk], lambda: {f"weight_{component.pk}": "7"}),
        # Last: the figures above name the metric by its name.
        (
            "evaluation:metric-change",
            [slug, metric.pk],
            lambda: {**_metric_data(metric.tier), "name": "Renamed"},
        ),
    ]


def _state(w):
    """What the writes would change in a programme."""
    framework = w.evaluation
    return {
        "metrics": sorted(Metric.objects.filter(framework=framework).values_list("name", "pk")),
        "observations": sorted(
            Observation.objects.filter(metric__framework=framework).values_list(
                "metric_id", "period_id", "value"
            )
        ),
        "waves": SurveyWave.objects.filter(framework=framework).count(),
        "responses": SurveyResponse.objects.filter(wave__framework=framework).count(),
        "links": SurveyLink.objects.filter(wave__framework=framework).count(),
        "weights": list(w.evaluation_index.components.values_list("weight", flat=True)),
    }


def test_a_steering_member_of_a_who_manages_b_changes_nothing_in_a(
    world, b_manager_steering_a, client_as
):
    client = client_as(b_manager_steering_a)
    before = _state(world)
    for name, args, data in _writes(world):
        response = client.post(reverse(name, args=args), data())
        assert response.status_code == 403, name
    assert _state(world) == before


def test_they_cannot_download_the_unused_survey_links_of_a(world, b_manager_steering_a, client_as):
    wave = world.evaluation_wave
    response = client_as(b_manager_steering_a).get(
        reverse("evaluation:survey-links-export", args=[world.programme.slug, wave.pk])
    )
    assert response.status_code == 403
    assert world.evaluation_link.token not in response.content.decode()


def test_they_read_the_figures_of_a_without_the_managers_buttons(
    world, b_manager_steering_a, client_as
):
    client = client_as(b_manager_steering_a)
    slug = world.programme.slug
    derived = world.evaluation_derived_metric
    html = client.get(reverse("evaluation:metric", args=[slug, derived.pk])).content.decode()
    assert derived.name in html
    assert "Recalculate from portal data" not in html and "Change this metric" not in html
    html = client.get(reverse("evaluation:dashboard", args=[slug])).content.decode()
    assert "Import figures from a file" not in html
    html = client.get(
        reverse("evaluation:survey-results", args=[slug, world.evaluation_wave.pk])
    ).content.decode()
    assert reverse("evaluation:survey-links", args=[slug, world.evaluation_wave.pk]) not in html
    index = client.get(reverse("evaluation:index", args=[slug, world.evaluation_index.pk]))
    assert index.status_code == 200 and "Save weights" not in index.content.decode()


def test_in_b_the_same_person_manages(world, b_manager_steering_a, client_as):
    client = client_as(b_manager_steering_a)
    other = world.other
    before = _state(other)
    for name, args, data in _writes(other):
        response = client.post(reverse(name, args=args), data())
        assert response.status_code == 302, (name, response.content.decode()[:2000])
    after = _state(other)
    assert after["links"] == before["links"] + 3
    assert after["waves"] == before["waves"] + 1
    assert after["responses"] == before["responses"] + 1
    assert after["weights"] == [Decimal("7")]
    assert "Renamed" in [name for name, _ in after["metrics"]]
    links = client.get(
        reverse(
            "evaluation:survey-links-export", args=[other.programme.slug, other.evaluation_wave.pk]
        )
    )
    assert links.status_code == 200 and links.content.decode().count("/survey/") == 4
