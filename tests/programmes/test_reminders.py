"""Reminder emails to leads: before the deadline (days configurable) and when overdue; once."""

import datetime

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
