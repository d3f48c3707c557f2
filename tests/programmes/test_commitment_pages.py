"""Changing a commitment (managers), adding milestones and risks (leads and managers)."""

import datetime

from django.urls import reverse

from programmes.models import Commitment, Milestone, Risk
from tests.programmes.factories import CommitmentFactory


def change_data(w, **overrides):
    c = w.commitment
    data = {
        "title": c.title,
        "description": "New description",
        "group": w.group.pk,
        "status": "at_risk",
        "progress": 55,
        "start_0": "1",
        "start_1": "4",
        "start_2": "2025",
        "end_0": "31",
        "end_1": "3",
        "end_2": "2026",
        "lead_users": [w.officer.pk, w.other_officer.pk],
        "version": c.version,
    }
    data.update(overrides)
    return data


def test_manager_changes_a_commitment_and_its_leads(plan_world, client_as):
    w = plan_world
    url = reverse("programmes:commitment-change", args=[w.commitment.pk])
    response = client_as(w.manager).post(url, change_data(w))
    assert response.status_code == 302
    c = Commitment.objects.get(pk=w.commitment.pk)
    assert (c.status, c.progress, c.end) == ("at_risk", 55, datetime.date(2026, 3, 31))
    assert {u.pk for u in c.lead_users.all()} == {w.officer.pk, w.other_officer.pk}
    assert c.history.first().history_user == w.manager


def test_due_date_before_start_is_refused(plan_world, client_as):
    w = plan_world
    url = reverse("programmes:commitment-change", args=[w.commitment.pk])
    response = client_as(w.manager).post(url, change_data(w, end_2="2020"))
    assert "The due date must be the same as or after the start date" in response.content.decode()
    assert Commitment.objects.get(pk=w.commitment.pk).status == "on_track"


def test_a_duplicate_title_in_the_group_is_refused(plan_world, client_as):
    w = plan_world
    CommitmentFactory(plan=w.plan, group=w.group, title="Another one")
    url = reverse("programmes:commitment-change", args=[w.commitment.pk])
    response = client_as(w.manager).post(url, change_data(w, title="ANOTHER ONE"))
    assert "already has a commitment with this title" in response.content.decode()


def test_a_stale_commitment_edit_shows_the_conflict_page(plan_world, client_as):
    w = plan_world
    url = reverse("programmes:commitment-change", args=[w.commitment.pk])
    client = client_as(w.manager)
    client.post(url, change_data(w, description="First save"))
    response = client.post(url, change_data(w, description="Second save"))
    assert response.status_code == 409
    html = response.content.decode()
    assert "Someone else changed this" in html and "First save" in html and "Second save" in html
    assert Commitment.objects.get(pk=w.commitment.pk).description == "First save"


def test_officers_cannot_change_the_commitment(plan_world, client_as):
    url = reverse("programmes:commitment-change", args=[plan_world.commitment.pk])
    assert client_as(plan_world.officer).get(url).status_code == 403


def test_lead_adds_and_completes_a_milestone(plan_world, client_as):
    w = plan_world
    client = client_as(w.officer)
    response = client.post(
        reverse("programmes:milestone-add", args=[w.commitment.pk]),
        {"title": "First panel meets", "due_date_0": "30", "due_date_1": "6", "due_date_2": "2025"},
    )
    assert response.status_code == 302
    milestone = Milestone.objects.get()
    assert milestone.due_date == datetime.date(2025, 6, 30)
    client.post(
        reverse("programmes:milestone-change", args=[w.commitment.pk, milestone.pk]),
        {
            "title": "First panel meets",
            "due_date_0": "30",
            "due_date_1": "6",
            "due_date_2": "2025",
            "done_date_0": "2",
            "done_date_1": "6",
            "done_date_2": "2025",
        },
    )
    milestone.refresh_from_db()
    assert milestone.done_date == datetime.date(2025, 6, 2)


def test_a_milestone_needs_a_title(plan_world, client_as):
    response = client_as(plan_world.officer).post(
        reverse("programmes:milestone-add", args=[plan_world.commitment.pk]), {"title": ""}
    )
    assert "Enter the milestone" in response.content.decode()
    assert not Milestone.objects.exists()


def test_lead_adds_a_risk_scored_likelihood_times_impact(plan_world, client_as):
    w = plan_world
    client = client_as(w.officer)
    response = client.post(
        reverse("programmes:risk-add", args=[w.commitment.pk]),
        {"description": "Volunteers burn out", "likelihood": "4", "impact": "3", "owner": "Tom"},
    )
    assert response.status_code == 302
    assert Risk.objects.get().score == 12
    page = client.get(reverse("programmes:commitment-detail", args=[w.commitment.pk]))
    assert "Volunteers burn out" in page.content.decode()


def test_a_risk_outside_1_to_5_is_refused(plan_world, client_as):
    response = client_as(plan_world.officer).post(
        reverse("programmes:risk-add", args=[plan_world.commitment.pk]),
        {"description": "Too big", "likelihood": "9", "impact": "3"},
    )
    assert response.status_code == 200
    assert not Risk.objects.exists()


def test_an_officer_who_is_not_the_lead_cannot_add_risks(plan_world, client_as):
    response = client_as(plan_world.other_officer).get(
        reverse("programmes:risk-add", args=[plan_world.commitment.pk])
    )
    # They may read the commitment (it is in their programme), so it is 403, not 404.
    assert response.status_code == 403


def test_history_shows_lead_milestone_and_risk_changes(plan_world, client_as):
    w = plan_world
    client = client_as(w.manager)
    client.post(
        reverse("programmes:commitment-change", args=[w.commitment.pk]),
        change_data(w, status="on_track", progress=0, description=w.commitment.description),
    )
    client.post(
        reverse("programmes:milestone-add", args=[w.commitment.pk]),
        {"title": "Panel recruited"},
    )
    client.post(
        reverse("programmes:risk-add", args=[w.commitment.pk]),
        {"description": "Low turnout", "likelihood": "2", "impact": "2"},
    )
    html = client.get(
        reverse("programmes:commitment-detail", args=[w.commitment.pk])
    ).content.decode()
    assert "Lead officers" in html
    assert "Milestone: Panel recruited" in html
    assert "Priya Shah" in html


def test_two_people_changing_a_milestone_at_once_conflict(plan_world, client_as):
    w = plan_world
    milestone = Milestone.objects.create(commitment=w.commitment, title="Panel meets")
    url = reverse("programmes:milestone-change", args=[w.commitment.pk, milestone.pk])
    opened_at = milestone.version

    def save(client, title):
        return client.post(
            url,
            {
                "title": title,
                "due_date_0": "",
                "due_date_1": "",
                "due_date_2": "",
                "version": opened_at,
            },
        )

    assert save(client_as(w.officer), "Panel meets in June").status_code == 302
    response = save(client_as(w.manager), "Panel meets in July")
    assert response.status_code == 409
    html = response.content.decode()
    assert "Panel meets in June" in html and "Panel meets in July" in html
    milestone.refresh_from_db()
    assert (milestone.title, milestone.version) == ("Panel meets in June", opened_at + 1)
