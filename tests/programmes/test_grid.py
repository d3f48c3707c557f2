"""The programme manager's RAG grid, overview counts and period locking."""

from django.urls import reverse

from cpw.accounts.models import Role
from programmes.models import PeriodStatus
from programmes.selectors import commitment_grid
from tests.accounts.factories import user_with_role
from tests.programmes.factories import (
    CommitmentFactory,
    CommitmentUpdateFactory,
    GroupFactory,
    ProgrammeFactory,
    ReportingPeriodFactory,
)


def _setup(w):
    other_group = GroupFactory(plan=w.plan, name="Relationships")
    red = CommitmentFactory(
        plan=w.plan, group=other_group, title="Partner forum", at_risk=True, leads=[w.other_officer]
    )
    CommitmentUpdateFactory(commitment=red, period=w.current, rag="red", submitted=True)
    CommitmentUpdateFactory(commitment=w.commitment, period=w.current, draft=True)
    return red


def test_grid_shows_ratings_for_the_last_four_periods(plan_world):
    red = _setup(plan_world)
    grid = commitment_grid(plan_world.plan)
    assert [p.label for p in grid.periods][-2:] == [
        plan_world.previous.label,
        plan_world.current.label,
    ]
    rows = {r.commitment.title: r for r in grid.rows}
    assert rows["Partner forum"].cells[-1].rag == "red"
    assert rows["Involve residents early"].cells[-1].status == "draft"
    assert (grid.submitted, grid.missing, grid.drafts) == (1, 1, 1)
    assert red in [r.commitment for r in grid.rows]


def test_grid_shows_at_most_four_periods(plan_world):
    for label in ["2019-Q1", "2019-Q2", "2019-Q3", "2019-Q4"]:
        ReportingPeriodFactory(programme=plan_world.programme, label=label)
    grid = commitment_grid(plan_world.plan)
    assert len(grid.periods) == 4
    assert grid.periods[-1] == plan_world.current


def test_grid_filters(plan_world):
    _setup(plan_world)
    titles = lambda **f: [r.commitment.title for r in commitment_grid(plan_world.plan, **f).rows]  # noqa: E731
    assert titles(group=plan_world.group.pk) == ["Involve residents early"]
    assert titles(lead=plan_world.other_officer.pk) == ["Partner forum"]
    assert titles(status="at_risk") == ["Partner forum"]
    assert titles(rag="red") == ["Partner forum"]
    assert titles(rag="missing") == ["Involve residents early"]
    assert titles(rag="green") == []


def test_grid_page_with_filters_and_counts(plan_world, client_as):
    _setup(plan_world)
    client = client_as(plan_world.manager)
    url = reverse("programmes:plan", args=[plan_world.programme.slug])
    html = client.get(url).content.decode()
    assert "1 submitted, 1 missing" in html
    assert "Red" in html and "Draft" in html
    filtered = client.get(url + "?rag=red").content.decode()
    assert "Partner forum" in filtered and "Involve residents early" not in filtered
    export = client.get(
        reverse("programmes:plan-export", args=[plan_world.programme.slug, "csv"]) + "?rag=red"
    )
    assert "Partner forum" in export.content.decode("utf-8-sig")
    assert "Involve residents early" not in export.content.decode("utf-8-sig")


def test_only_managers_see_the_lock_button_and_exports(plan_world, client_as):
    url = reverse("programmes:plan", args=[plan_world.programme.slug])
    manager_html = client_as(plan_world.manager).get(url).content.decode()
    officer_html = client_as(plan_world.officer).get(url).content.decode()
    assert f"Lock {plan_world.current.label}" in manager_html
    assert "Download as CSV" in manager_html
    assert f"Lock {plan_world.current.label}" not in officer_html
    assert "Download as CSV" not in officer_html


def test_manager_locks_a_period(plan_world, client_as):
    response = client_as(plan_world.manager).post(
        reverse(
            "programmes:period-lock", args=[plan_world.programme.slug, plan_world.current.label]
        ),
        {"reason": "The steering group meets before the deadline"},
    )
    assert response.status_code == 302
    plan_world.current.refresh_from_db()
    assert plan_world.current.status == PeriodStatus.LOCKED
    assert plan_world.current.locked_by == plan_world.manager


def test_a_manager_of_another_programme_cannot_lock(plan_world, client_as):
    from tests.programmes.factories import ProgrammeFactory

    stranger = user_with_role(Role.PROGRAMME_MANAGER, ProgrammeFactory())
    response = client_as(stranger).post(
        reverse(
            "programmes:period-lock", args=[plan_world.programme.slug, plan_world.current.label]
        )
    )
    assert response.status_code == 404
    plan_world.current.refresh_from_db()
    assert plan_world.current.status == PeriodStatus.OPEN


def test_overview_shows_this_periods_submissions(plan_world, client_as):
    _setup(plan_world)
    html = client_as(plan_world.manager).get(reverse("programmes:overview")).content.decode()
    assert f"Updates for <strong>{plan_world.current.label}</strong>" in html
    assert "1 of 2" in html


def test_steering_member_sees_the_grid_but_cannot_update(plan_world, client_as):
    member = user_with_role(Role.STEERING_GROUP, plan_world.programme)
    client = client_as(member)
    assert (
        client.get(reverse("programmes:plan", args=[plan_world.programme.slug])).status_code == 200
    )
    update_url = reverse(
        "programmes:commitment-update", args=[plan_world.commitment.pk, plan_world.current.label]
    )
    assert client.get(update_url).status_code == 403


def test_delivery_plan_in_the_navigation_opens_the_users_plan(plan_world, client_as):
    client = client_as(plan_world.officer)
    response = client.get(reverse("programmes:plan-home"))
    assert response["Location"] == reverse("programmes:plan", args=[plan_world.programme.slug])
    assert "Delivery plan" in client.get(reverse("programmes:my-work")).content.decode()


def test_progress_rolls_up_from_weighted_sub_actions(plan_world):
    from programmes.services import commitment_progress_rollup

    parent = plan_world.commitment
    CommitmentFactory(
        plan=plan_world.plan, group=plan_world.group, parent=parent, progress=100, weight=3
    )
    CommitmentFactory(
        plan=plan_world.plan, group=plan_world.group, parent=parent, progress=20, weight=1
    )
    assert commitment_progress_rollup(parent) == 80


def test_finished_commitments_are_not_counted_missing_or_due(plan_world, client_as):
    CommitmentFactory(
        plan=plan_world.plan,
        group=plan_world.group,
        title="Done already",
        complete=True,
        leads=[plan_world.officer],
    )
    grid = commitment_grid(plan_world.plan)
    assert (grid.submitted, grid.missing) == (0, 1)
    assert len(grid.rows) == 2
    html = client_as(plan_world.officer).get(reverse("programmes:my-work")).content.decode()
    assert "Done already" not in html


def test_lock_asks_first(plan_world, client_as):
    url = reverse(
        "programmes:period-lock", args=[plan_world.programme.slug, plan_world.current.label]
    )
    html = client_as(plan_world.manager).get(url).content.decode()
    assert f"Are you sure you want to lock {plan_world.current.label}?" in html
    assert "0 of 1 updates are submitted" in html
    plan_world.current.refresh_from_db()
    assert plan_world.current.status == PeriodStatus.OPEN


def test_manager_adds_periods_and_sets_reminders(plan_world, client_as):
    from programmes.models import ReportingPeriod

    url = reverse("programmes:period-list", args=[plan_world.programme.slug])
    client = client_as(plan_world.manager)
    response = client.post(
        url,
        {"first": "2030-q1", "last": "2030-Q4", "deadline_days": "21", "reminder_days_before": "3"},
    )
    assert response.status_code == 302
    q4 = ReportingPeriod.objects.get(programme=plan_world.programme, label="2030-Q4")
    assert q4.update_deadline.isoformat() == "2031-04-21"
    plan_world.programme.refresh_from_db()
    assert plan_world.programme.reminder_days_before == 3
    assert "2030-Q4" in client.get(url).content.decode()


def test_bad_period_labels_are_refused(plan_world, client_as):
    from programmes.models import ReportingPeriod

    before = ReportingPeriod.objects.count()
    url = reverse("programmes:period-list", args=[plan_world.programme.slug])
    response = client_as(plan_world.manager).post(
        url,
        {"first": "Spring", "last": "2030-Q4", "deadline_days": "14", "reminder_days_before": "7"},
    )
    assert "&#x27;Spring&#x27; is not a reporting period" in response.content.decode()
    response = client_as(plan_world.manager).post(
        url,
        {"first": "2031-Q1", "last": "2030-Q4", "deadline_days": "14", "reminder_days_before": "7"},
    )
    assert "must be the same as or after the first" in response.content.decode()
    assert ReportingPeriod.objects.count() == before


def test_manager_sets_the_current_phase_and_rag_definitions(plan_world, client_as):
    from programmes.models import Phase

    phase = Phase.objects.create(programme=plan_world.programme, name="Mobilise")
    other = Phase.objects.create(programme=ProgrammeFactory(), name="Elsewhere")
    url = reverse("programmes:programme-settings", args=[plan_world.programme.slug])
    client = client_as(plan_world.manager)
    response = client.post(url, {"current_phase": other.pk, "rag_green": "Fine"})
    assert "Select one of this programme&#x27;s phases" in response.content.decode()
    response = client.post(url, {"current_phase": phase.pk, "rag_green": "All milestones met"})
    assert response.status_code == 302
    plan_world.programme.refresh_from_db()
    assert plan_world.programme.current_phase == phase
    update_url = reverse(
        "programmes:commitment-update", args=[plan_world.commitment.pk, plan_world.current.label]
    )
    assert "All milestones met" in client_as(plan_world.officer).get(update_url).content.decode()


def test_overview_counts_everyone_in_the_programme(plan_world, client_as):
    from programmes.selectors import programme_list_managed_by, programme_list_with_counts

    programme = programme_list_with_counts(programme_list_managed_by(plan_world.manager)).get()
    assert programme.people_count == 3  # two officers and the manager
