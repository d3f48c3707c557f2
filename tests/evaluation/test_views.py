"""Pages: what users see and what the forms save."""

import pytest
from django.urls import reverse

from evaluation.models import Observation, SurveyLink
from tests.evaluation.conftest import csv_file
from tests.evaluation.factories import (
    MetricFactory,
    ObservationFactory,
    StatementFactory,
    SurveyWaveFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.world_per_test]


def test_dashboard_shows_latest_change_and_rag(framework, tier, periods, client_as, officer):
    metric = MetricFactory(
        framework=framework, tier=tier, name="People at events", baseline_value=100, target=200
    )
    ObservationFactory(metric=metric, period=periods[0], value=140)
    ObservationFactory(metric=metric, period=periods[1], value=170)
    MetricFactory(framework=framework, tier=tier, name="Not high level", low_level=True)
    html = (
        client_as(officer)
        .get(reverse("evaluation:dashboard", args=[framework.programme.slug]))
        .content.decode()
    )
    assert "People at events" in html and "Not high level" not in html
    assert "170" in html and "2023-Q2" in html and "up 30" in html
    assert "Amber" in html  # 70% of the way from 100 to 200


def test_dashboard_warns_over_the_maximum(framework, tier, client_as, officer):
    framework.high_level_metrics_max = 1
    framework.save()
    MetricFactory.create_batch(2, framework=framework, tier=tier)
    html = (
        client_as(officer)
        .get(reverse("evaluation:dashboard", args=[framework.programme.slug]))
        .content.decode()
    )
    assert "2 metrics are marked high-level, more than the framework&#x27;s maximum of 1" in html


def test_metric_page_has_a_chart_and_its_table(framework, tier, periods, client_as, officer):
    metric = MetricFactory(framework=framework, tier=tier, percent=True)
    for n, period in enumerate(periods):
        ObservationFactory(metric=metric, period=period, value=20 + n)
    html = (
        client_as(officer)
        .get(reverse("evaluation:metric", args=[framework.programme.slug, metric.pk]))
        .content.decode()
    )
    assert 'role="img"' in html and "<polyline" in html
    assert html.count("<circle") == 4
    assert "Baseline 20.0%" in html and "Target 25.0%" in html
    assert 'id="trend-table"' in html and "23.0%" in html


def test_a_figure_is_added_through_the_form(framework, tier, periods, client_as, officer):
    metric = MetricFactory(framework=framework, tier=tier, score=True)
    url = reverse("evaluation:observation-add", args=[framework.programme.slug, metric.pk])
    client = client_as(officer)
    bad = client.post(url, {"period": periods[0].pk, "value": "6"})
    assert (
        bad.status_code == 200 and "A score must be between 1 and 5, not 6" in bad.content.decode()
    )
    assert not Observation.objects.exists()
    good = client.post(url, {"period": periods[0].pk, "value": "3.5", "note": "Panel"})
    assert good.status_code == 302
    assert Observation.objects.get().recorded_by == officer


def test_the_import_page_lists_row_errors_and_saves_nothing(
    framework, periods, metrics, client_as, officer
):
    url = reverse("evaluation:observation-import", args=[framework.programme.slug])
    text = "metric,period,value\nPeople at events,2023-Q1,10\nAgreement score,2023-Q1,6\n"
    response = client_as(officer).post(url, {"file": csv_file(text), "submit": ""})
    html = response.content.decode()
    assert response.status_code == 400
    assert "govuk-error-summary" in html and "nothing was imported" in html
    assert 'id="row-errors"' in html and "A score must be between 1 and 5, not 6" in html
    assert not Observation.objects.exists()


def test_checking_a_file_on_the_import_page_saves_nothing(
    framework, periods, metrics, client_as, officer
):
    url = reverse("evaluation:observation-import", args=[framework.programme.slug])
    text = "metric,period,value\nPeople at events,2023-Q1,10\n"
    response = client_as(officer).post(url, {"file": csv_file(text), "check_only": ""})
    assert "The file has no errors" in response.content.decode()
    assert not Observation.objects.exists()
    client_as(officer).post(url, {"file": csv_file(text), "submit": ""})
    assert Observation.objects.count() == 1


def test_an_empty_upload_is_refused_on_the_page(framework, metrics, client_as, officer):
    url = reverse("evaluation:observation-import", args=[framework.programme.slug])
    response = client_as(officer).post(url, {"file": csv_file(""), "submit": ""})
    assert "The selected file is empty" in response.content.decode()


def test_a_manager_creates_survey_links_and_downloads_them(framework, client_as, manager):
    wave = SurveyWaveFactory(
        framework=framework, statements=[StatementFactory(practice__framework=framework)]
    )
    url = reverse("evaluation:survey-links", args=[framework.programme.slug, wave.pk])
    client = client_as(manager)
    assert client.post(url, {"count": "0"}).status_code == 200
    assert client.post(url, {"count": "3"}).status_code == 302
    assert SurveyLink.objects.filter(wave=wave).count() == 3
    csv = client.get(
        reverse("evaluation:survey-links-export", args=[framework.programme.slug, wave.pk])
    )
    assert csv.content.decode().count("/survey/") == 3


def test_another_programmes_framework_is_not_found(framework, client_as, officer):
    from tests.evaluation.factories import FrameworkFactory

    other = FrameworkFactory()
    assert (
        client_as(officer)
        .get(reverse("evaluation:dashboard", args=[other.programme.slug]))
        .status_code
        == 404
    )


def test_the_nav_shows_evaluation_to_council_users(world, client_as):
    html = client_as(world.users["councillor"]).get(reverse("evaluation:home")).content.decode()
    assert 'href="/evaluation/"' in html
    partner = (
        client_as(world.users["partner"]).get(reverse("accounts:organisation")).content.decode()
    )
    assert 'href="/evaluation/"' not in partner


def _metric_data(tier, **overrides):
    return {
        "name": "Households reached",
        "tier": tier.pk,
        "definition": "Households the pilot reached",
        "unit": "count",
        "direction": "higher",
        "scale": "project",
        "source": "manual",
        "derived_key": "",
        "cadence": "quarterly",
        "baseline_value": "0",
        **{"baseline_date_0": "31", "baseline_date_1": "3", "baseline_date_2": "2022"},
        "target": "200",
        "rag_green_from": "100",
        "rag_amber_from": "50",
        "is_high_level": "on",
        **overrides,
    }


def test_a_manager_adds_a_metric_and_is_warned_over_the_maximum(
    framework, tier, client_as, manager
):
    framework.high_level_metrics_max = 1
    framework.save()
    MetricFactory(framework=framework, tier=tier)
    url = reverse("evaluation:metric-create", args=[framework.programme.slug])
    response = client_as(manager).post(url, _metric_data(tier), follow=True)
    html = response.content.decode()
    metric = framework.metrics.get(name="Households reached")
    assert metric.history.first().history_user == manager
    assert "2 metrics are marked high-level, more than the framework&#x27;s maximum of 1" in html


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"target": "-5"}, "A count must be a whole number of 0 or more"),
        ({"baseline_value": "300"}, "the target must not be below the baseline"),
        ({"source": "derived"}, "Choose the calculation"),
        (
            {"derived_key": "no_such_calculation", "source": "derived"},
            "Select a valid choice",
        ),
        ({"name": "Taken"}, "There is already a metric with this name"),
    ],
)
def test_a_bad_metric_is_refused(framework, tier, client_as, manager, overrides, message):
    MetricFactory(framework=framework, tier=tier, name="Taken")
    url = reverse("evaluation:metric-create", args=[framework.programme.slug])
    response = client_as(manager).post(url, _metric_data(tier, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert framework.metrics.count() == 1


def test_a_manager_creates_a_workforce_wave_of_we_statements(framework, client_as, manager):
    i = StatementFactory(practice__framework=framework)
    we = StatementFactory(practice=i.practice, we=True)
    url = reverse("evaluation:survey-create", args=[framework.programme.slug])
    data = {
        "name": "Staff 2024",
        "audience": "workforce",
        **{"opens_0": "1", "opens_1": "4", "opens_2": "2024"},
        **{"closes_0": "30", "closes_1": "4", "closes_2": "2024"},
    }
    wrong = client_as(manager).post(url, {**data, "statements": [i.pk]})
    assert (
        "Residents rate I statements and the workforce rates We statements"
        in wrong.content.decode()
    )
    late = client_as(manager).post(
        url, {**data, "closes_0": "1", "closes_1": "3", "statements": [we.pk]}
    )
    assert "The closing date must be on or after the opening date" in late.content.decode()
    assert not framework.waves.exists()
    assert client_as(manager).post(url, {**data, "statements": [we.pk]}).status_code == 302
    assert list(framework.waves.get().statements.all()) == [we]


def test_a_derived_metric_is_recalculated_not_typed_in(
    framework, tier, periods, client_as, manager
):
    metric = MetricFactory(framework=framework, tier=tier, derived=True)
    slug = framework.programme.slug
    client = client_as(manager)
    html = client.get(reverse("evaluation:metric", args=[slug, metric.pk])).content.decode()
    assert "registered on the portal by the last day of the period" in html
    assert "Add or correct a figure" not in html
    assert (
        client.get(reverse("evaluation:observation-add", args=[slug, metric.pk])).status_code == 404
    )
    client.post(reverse("evaluation:metric-recalculate", args=[slug, metric.pk]))
    assert Observation.objects.filter(metric=metric, source="derived").count() >= 1


def test_a_manager_changes_an_indexs_weights_from_its_page(framework, tier, client_as, manager):
    from tests.evaluation.factories import CompositeIndexFactory, IndexComponentFactory

    index = CompositeIndexFactory(framework=framework)
    component = IndexComponentFactory(
        index=index, metric=MetricFactory(framework=framework, tier=tier)
    )
    slug = framework.programme.slug
    weights_url = reverse("evaluation:index-weights", args=[slug, index.pk])
    client = client_as(manager)
    page = client.get(reverse("evaluation:index", args=[slug, index.pk])).content.decode()
    assert f'action="{weights_url}"' in page
    refused = client.post(weights_url, {f"weight_{component.pk}": "0"})
    assert refused.status_code == 200
    assert "At least one weight must be more than 0" in refused.content.decode()
    saved = client.post(weights_url, {f"weight_{component.pk}": "2.5"})
    assert saved.status_code == 302
    component.refresh_from_db()
    assert component.weight == 2.5


def test_two_managers_changing_a_metric_at_once_conflict(framework, tier, client_as, manager):
    from cpw.accounts.models import Role
    from tests.accounts.factories import user_with_role

    metric = MetricFactory(framework=framework, tier=tier, name="Households reached")
    colleague = user_with_role(Role.PROGRAMME_MANAGER, framework.programme)
    url = reverse("evaluation:metric-change", args=[framework.programme.slug, metric.pk])
    opened_at = metric.version

    def save(user, target):
        data = _metric_data(tier, target=target, version=opened_at)
        return client_as(user).post(url, data)

    assert save(manager, "250").status_code == 302
    response = save(colleague, "400")
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this" in html and "250" in html and "400" in html
    metric.refresh_from_db()
    assert (metric.target, metric.version) == (250, opened_at + 1)
