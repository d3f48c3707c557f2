"""Reminder emails to leads: before the deadline (days configurable) and when overdue; once."""

import datetime
import threading

import pytest
from django.db import connection

from cpw.core.models import OutboundEmail
from programmes import services
from programmes.tasks import send_update_reminders
from tests.programmes.factories import CommitmentUpdateFactory


def test_leads_are_reminded_within_the_window_once(plan_world):
    deadline = plan_world.current.update_deadline
    day = deadline - datetime.timedelta(days=7)
    assert services.update_reminders_send(today=day - datetime.timedelta(days=1)) == 0
    assert services.update_reminders_send(today=day) == 1
    assert services.update_reminders_send(today=day) == 0  # idempotent
    email = OutboundEmail.objects.get()
    assert email.to == plan_world.officer.email
    assert f"due by {deadline:%-d %B %Y}" in email.subject
    assert "Involve residents early" in email.body


def test_the_window_is_configurable_per_programme(plan_world):
    plan_world.programme.reminder_days_before = 2
    plan_world.programme.save()
    deadline = plan_world.current.update_deadline
    assert services.update_reminders_send(today=deadline - datetime.timedelta(days=3)) == 0
    assert services.update_reminders_send(today=deadline - datetime.timedelta(days=2)) == 1


def test_overdue_reminder_after_the_deadline(plan_world):
    day = plan_world.current.update_deadline + datetime.timedelta(days=1)
    assert services.update_reminders_send(today=day) == 1
    assert services.update_reminders_send(today=day + datetime.timedelta(days=1)) == 0
    assert "overdue" in OutboundEmail.objects.get().subject


def test_leads_who_have_submitted_are_not_reminded(plan_world):
    CommitmentUpdateFactory(
        commitment=plan_world.commitment, period=plan_world.current, submitted=True
    )
    day = plan_world.current.update_deadline
    assert services.update_reminders_send(today=day) == 0


def test_a_draft_still_gets_a_reminder(plan_world):
    CommitmentUpdateFactory(commitment=plan_world.commitment, period=plan_world.current, draft=True)
    assert services.update_reminders_send(today=plan_world.current.update_deadline) == 1


def test_the_task_runs_the_service(plan_world):
    plan_world.programme.reminder_days_before = 200  # today is always inside the window
    plan_world.programme.save()
    assert send_update_reminders.apply().get() == 1
    assert send_update_reminders.apply().get() == 0


def test_manager_chases_missing_updates(plan_world, client_as):
    from django.urls import reverse

    url = reverse(
        "programmes:period-chase", args=[plan_world.programme.slug, plan_world.current.label]
    )
    client = client_as(plan_world.manager)
    page = client.get(url).content.decode()
    assert "We will email 1 lead" in page and "Tom Evans" in page
    response = client.post(url)
    assert response.status_code == 302
    email = OutboundEmail.objects.get()
    assert email.to == plan_world.officer.email
    assert "Priya Shah asked us to send you this reminder" in email.body


def test_chasing_when_the_broker_is_down_sends_nothing(plan_world, client_as, broker_down):
    from django.urls import reverse

    url = reverse(
        "programmes:period-chase", args=[plan_world.programme.slug, plan_world.current.label]
    )
    response = client_as(plan_world.manager).post(url)
    assert response.status_code == 503
    assert "cannot start background work" in response.content.decode()
    assert not OutboundEmail.objects.exists()


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrent transactions: PostgreSQL pass"
)
@pytest.mark.django_db(transaction=True)
def test_two_reminder_runs_at_once_send_each_reminder_once(plan_world):
    """A beat schedule that fires twice (two workers, a retried task) sends one reminder."""
    day = plan_world.current.update_deadline - datetime.timedelta(days=7)
    start = threading.Barrier(3)
    sent = []

    def run():
        try:
            start.wait()
            sent.append(services.update_reminders_send(today=day))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(sent) == [0, 0, 1]
    assert OutboundEmail.objects.filter(to=plan_world.officer.email).count() == 1
