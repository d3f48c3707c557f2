import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from cpw.accounts.models import Role
from cpw.core.concurrency import EditConflict
from cpw.core.models import OutboundEmail
from groundbreakers import services
from groundbreakers.models import (
    Activity,
    GroundbreakerStatus,
    GroundbreakerStatusChange,
    GroundbreakerUpdate,
    KeyOutcome,
    LearningEntry,
    LearningOutcome,
    Tag,
    UpdateReminder,
)
from groundbreakers.selectors import activity_totals
from programmes.models import UpdateStatus
from programmes.periods import PeriodLocked
from programmes.services import reporting_period_lock, reporting_periods_ensure
from tests.accounts.factories import user_with_role
from tests.programmes.factories import ProgrammeFactory

from .factories import ActivityFactory, GroundbreakerFactory, KeyOutcomeFactory

pytestmark = pytest.mark.django_db
S = GroundbreakerStatus


@pytest.fixture
def manager(programme):
    return user_with_role(Role.PROGRAMME_MANAGER, programme)


@pytest.fixture
def lead(programme):
    return user_with_role(Role.OFFICER, programme)


@pytest.fixture
def gb(programme, lead):
    return GroundbreakerFactory(programme=programme, lead_officer=lead)


# Status -------------------------------------------------------------------------------------


def test_status_change_records_date_reason_and_who(gb, manager):
    services.groundbreaker_status_change(
        groundbreaker=gb,
        to_status=S.SETTING_UP,
        reason="Chosen by the steering group",
        changed_on=datetime.date(2024, 4, 2),
        user=manager,
    )
    gb.refresh_from_db()
    assert gb.status == S.SETTING_UP
    assert gb.status_changed_on == datetime.date(2024, 4, 2)
    change = GroundbreakerStatusChange.objects.get(groundbreaker=gb)
    assert (change.from_status, change.to_status) == (S.PROPOSED, S.SETTING_UP)
    assert change.reason == "Chosen by the steering group"
    assert change.changed_by == manager
    assert gb.history.first().history_user == manager


@pytest.mark.parametrize("reason", ["", "   "])
def test_status_change_without_a_reason_is_refused_and_saves_nothing(gb, manager, reason):
    with pytest.raises(ValidationError) as error:
        services.groundbreaker_status_change(
            groundbreaker=gb, to_status=S.SETTING_UP, reason=reason, user=manager
        )
    assert "Enter the reason for the change of status" in str(error.value)
    gb.refresh_from_db()
    assert gb.status == S.PROPOSED
    assert not GroundbreakerStatusChange.objects.exists()


def test_status_cannot_skip_the_lifecycle(gb, manager):
    with pytest.raises(ValidationError, match="cannot become sustained"):
        services.groundbreaker_status_change(
            groundbreaker=gb, to_status=S.SUSTAINED, reason="Skipping", user=manager
        )


def test_closed_is_final(programme, manager):
    closed = GroundbreakerFactory(programme=programme, closed=True)
    with pytest.raises(ValidationError):
        services.groundbreaker_status_change(
            groundbreaker=closed, to_status=S.LIVE, reason="Reopen", user=manager
        )


def test_lead_can_go_live_but_only_a_manager_can_approve_setting_up(gb, lead):
    with pytest.raises(ValidationError, match="Only a programme manager"):
        services.groundbreaker_status_change(
            groundbreaker=gb, to_status=S.SETTING_UP, reason="Ready", user=lead
        )
    gb.status = S.SETTING_UP
    gb.save()
    services.groundbreaker_status_change(
        groundbreaker=gb, to_status=S.LIVE, reason="Working group met", user=lead
    )
    gb.refresh_from_db()
    assert gb.status == S.LIVE


def test_another_officer_cannot_change_the_status(programme, gb):
    other = user_with_role(Role.OFFICER, programme)
    gb.status = S.SETTING_UP
    gb.save()
    with pytest.raises(ValidationError):
        services.groundbreaker_status_change(
            groundbreaker=gb, to_status=S.LIVE, reason="Why not", user=other
        )


def test_status_change_date_cannot_be_in_the_future(gb, manager):
    with pytest.raises(ValidationError, match="today or in the past"):
        services.groundbreaker_status_change(
            groundbreaker=gb,
            to_status=S.SETTING_UP,
            reason="Later",
            changed_on=datetime.date.today() + datetime.timedelta(days=3),
            user=manager,
        )


# Key outcomes -------------------------------------------------------------------------------


def _outcomes(n):
    return [{"title": f"Outcome {i}", "success_factors": "x", "indicators": "y"} for i in range(n)]


@pytest.mark.parametrize("count", [1, 2, 5])
def test_outcome_count_outside_three_or_four_needs_confirmation(gb, lead, count):
    with pytest.raises(ValidationError) as error:
        services.key_outcomes_set(groundbreaker=gb, outcomes=_outcomes(count), user=lead)
    assert f"you have entered {count}" in str(error.value)
    assert not KeyOutcome.objects.exists()


def test_outcome_count_outside_the_range_is_saved_when_confirmed(gb, lead):
    services.key_outcomes_set(
        groundbreaker=gb, outcomes=_outcomes(5), confirm_count=True, user=lead
    )
    assert gb.key_outcomes.count() == 5


@pytest.mark.parametrize("count", [3, 4])
def test_three_or_four_outcomes_need_no_confirmation(gb, lead, count):
    services.key_outcomes_set(groundbreaker=gb, outcomes=_outcomes(count), user=lead)
    assert list(gb.key_outcomes.values_list("title", flat=True)) == [
        f"Outcome {i}" for i in range(count)
    ]


def test_outcomes_replace_the_old_ones_and_blank_slots_are_ignored(gb, lead):
    services.key_outcomes_set(groundbreaker=gb, outcomes=_outcomes(4), user=lead)
    services.key_outcomes_set(
        groundbreaker=gb, outcomes=[*_outcomes(3), {"title": "", "indicators": ""}], user=lead
    )
    assert gb.key_outcomes.count() == 3


def test_an_outcome_needs_a_title(gb, lead):
    outcomes = _outcomes(3)
    outcomes[1]["title"] = ""
    with pytest.raises(ValidationError, match="Enter a title for key outcome 2"):
        services.key_outcomes_set(groundbreaker=gb, outcomes=outcomes, user=lead)


# Activities ---------------------------------------------------------------------------------


def _log(programme, user, **extra):
    fields = {
        "programme": programme,
        "title": "Coffee morning",
        "kind": "event",
        "date": datetime.date(2024, 5, 1),
        "user": user,
    }
    return services.activity_log(**{**fields, **extra})


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("attendees", -1, "must be 0 or more"),
        ("attendees", "lots", "must be a number"),
        ("attendees", "12.5", "whole number"),
        ("households_approached", "-3", "must be 0 or more"),
        ("questionnaires_completed", "ten", "must be a number"),
        ("volunteers", "NaN", "must be a number"),
        ("hours_of_conversation", "-0.5", "must be 0 or more"),
        ("hours_of_conversation", "2.25", "one decimal place"),
        ("attendees", "99999999", "or fewer"),
    ],
)
def test_bad_counts_are_refused_and_nothing_is_saved(programme, lead, field, value, message):
    with pytest.raises(ValidationError) as error:
        _log(programme, lead, **{field: value})
    assert message in str(error.value)
    assert not Activity.objects.exists()


def test_an_end_date_before_the_start_is_refused(programme, lead):
    with pytest.raises(ValidationError, match="end date must be the same as or after"):
        _log(programme, lead, end_date=datetime.date(2024, 4, 30))
    assert not Activity.objects.exists()


def test_an_end_time_before_the_start_time_on_the_same_day_is_refused(programme, lead):
    with pytest.raises(ValidationError, match="end time must be after the start time"):
        _log(programme, lead, start_time=datetime.time(14, 0), end_time=datetime.time(13, 0))


def test_a_future_activity_is_refused(programme, lead):
    with pytest.raises(ValidationError, match="today or in the past"):
        _log(programme, lead, date=datetime.date.today() + datetime.timedelta(days=1))


def test_an_activity_cannot_belong_to_another_programmes_groundbreaker(programme, lead):
    elsewhere = GroundbreakerFactory(programme=ProgrammeFactory())
    with pytest.raises(ValidationError, match="in this programme"):
        _log(programme, lead, groundbreaker=elsewhere)


def test_an_activity_is_logged_with_its_counts(programme, gb, lead):
    activity = _log(
        programme,
        lead,
        groundbreaker=gb,
        attendees="24",
        hours_of_conversation="2.5",
        end_date=datetime.date(2024, 5, 2),
    )
    assert activity.attendees == 24
    assert activity.hours_of_conversation == Decimal("2.5")
    assert activity.recorded_by == lead
    assert activity.history.count() == 1


def test_totals_are_added_up_per_groundbreaker_and_per_programme(programme, gb):
    ActivityFactory(programme=programme, groundbreaker=gb, attendees=10)
    ActivityFactory(programme=programme, groundbreaker=gb, door_knocking=True)
    ActivityFactory(programme=programme, attendees=100)  # programme-level
    ActivityFactory(programme=programme, attendees=7, council_led=False)
    ActivityFactory(programme=ProgrammeFactory(), attendees=1000)  # another programme
    mine = activity_totals(programme=programme, groundbreaker=gb)
    assert mine["activities"] == 2
    assert mine["attendees"] == 10
    assert mine["households_approached"] == 40
    everything = activity_totals(programme=programme)
    assert everything["attendees"] == 117
    assert activity_totals(programme=programme, council_led=True)["attendees"] == 110
    assert activity_totals(programme=programme, programme_level_only=True)["activities"] == 2


def test_totals_are_zero_when_nothing_is_logged(programme):
    totals = activity_totals(programme=programme)
    assert totals == {
        "activities": 0,
        "attendees": 0,
        "households_approached": 0,
        "questionnaires_completed": 0,
        "hours_of_conversation": 0,
        "volunteers": 0,
        "attendance_recorded": False,
    }


def test_totals_between_dates_include_both_end_days(programme):
    for day, attendees in [(1, 5), (10, 7), (20, 11), (30, None)]:
        ActivityFactory(programme=programme, date=datetime.date(2024, 6, day), attendees=attendees)
    ActivityFactory(programme=programme, date=datetime.date(2024, 5, 31), attendees=100)
    ActivityFactory(programme=programme, date=datetime.date(2024, 7, 1), attendees=100)

    june = activity_totals(
        programme=programme, start=datetime.date(2024, 6, 1), end=datetime.date(2024, 6, 30)
    )
    assert (june["activities"], june["attendees"], june["attendance_recorded"]) == (4, 23, True)
    late_june = activity_totals(
        programme=programme, start=datetime.date(2024, 6, 21), end=datetime.date(2024, 6, 30)
    )
    assert (late_june["activities"], late_june["attendance_recorded"]) == (1, False)
    assert activity_totals(programme=programme, end=datetime.date(2024, 6, 1))["attendees"] == 105


# Learning -----------------------------------------------------------------------------------


def test_learning_entry_needs_what_was_tried_and_what_happened(programme, lead):
    with pytest.raises(ValidationError) as error:
        services.learning_entry_add(
            programme=programme,
            title="",
            what_we_tried="",
            what_happened="",
            outcome="",
            user=lead,
        )
    messages = error.value.message_dict
    assert set(messages) == {"title", "what_we_tried", "what_happened", "outcome"}
    assert not LearningEntry.objects.exists()


def test_it_did_not_work_is_a_first_class_outcome_and_tags_are_shared(programme, gb, lead):
    entry = services.learning_entry_add(
        programme=programme,
        groundbreaker=gb,
        title="Evening drop-in",
        what_we_tried="An evening drop-in at the library",
        what_happened="Nobody came",
        outcome=LearningOutcome.DID_NOT_WORK,
        tags=["Food", "food ", "Enable communities to lead"],
        user=lead,
    )
    assert entry.get_outcome_display() == "It didn't work"
    assert sorted(entry.tags.values_list("name", flat=True)) == [
        "Enable communities to lead",
        "Food",
    ]
    services.learning_entry_add(
        programme=programme,
        title="Second",
        what_we_tried="x",
        what_happened="y",
        outcome=LearningOutcome.WORKED,
        tags=["FOOD"],
        user=lead,
    )
    assert Tag.objects.filter(programme=programme).count() == 2


# Quarterly updates --------------------------------------------------------------------------


@pytest.fixture
def period(programme):
    return reporting_periods_ensure(programme=programme, first="2024-Q1", last="2024-Q1")[0]


@pytest.fixture
def update(gb, period, lead):
    KeyOutcomeFactory(groundbreaker=gb, position=1)
    KeyOutcomeFactory(groundbreaker=gb, position=2)
    return services.groundbreaker_update_start(groundbreaker=gb, period=period, user=lead)


def _save(update, lead, **extra):
    outcomes = list(update.groundbreaker.key_outcomes.all())
    fields = {
        "update": update,
        "expected_version": update.version,
        "rag": "green",
        "summary": "Good quarter",
        "next_steps": "Open the third store",
        "progress": {o.pk: f"Progress on {o.title}" for o in outcomes},
        "submit": True,
        "user": lead,
    }
    return services.groundbreaker_update_save(**{**fields, **extra})


def test_submitting_an_update_records_progress_per_outcome(update, lead):
    saved = _save(update, lead)
    assert saved.status == UpdateStatus.SUBMITTED
    assert saved.submitted_by == lead
    assert saved.outcome_progress.count() == 2
    assert saved.history.first().history_user == lead


def test_a_draft_can_be_incomplete_but_a_submission_cannot(update, lead):
    draft = _save(update, lead, rag="", next_steps="", progress={}, submit=False)
    assert draft.status == UpdateStatus.DRAFT
    with pytest.raises(ValidationError) as error:
        _save(draft, lead, rag="", next_steps="", progress={})
    assert {"rag", "next_steps"} <= set(error.value.message_dict)
    assert GroundbreakerUpdate.objects.get().status == UpdateStatus.DRAFT


def test_an_update_based_on_an_old_version_is_an_edit_conflict(update, lead):
    stale_version = update.version
    _save(update, lead, submit=False)
    with pytest.raises(EditConflict):
        _save(update, lead, expected_version=stale_version)


def test_a_locked_period_refuses_changes(update, lead, period, manager):
    reporting_period_lock(period=period, user=manager, reason="Board meets early")
    with pytest.raises(PeriodLocked):
        _save(update, lead)
    assert GroundbreakerUpdate.objects.get().status == UpdateStatus.DRAFT


def test_reminders_go_once_to_leads_without_a_submitted_update(programme, period, lead):
    live = GroundbreakerFactory(programme=programme, lead_officer=lead, live=True)
    GroundbreakerFactory(programme=programme, lead_officer=lead, did_not_proceed=True)
    done = GroundbreakerFactory(programme=programme, lead_officer=lead, live=True)
    GroundbreakerUpdate.objects.create(
        groundbreaker=done, period=period, status=UpdateStatus.SUBMITTED
    )
    day_after_quarter = period.end + datetime.timedelta(days=1)
    assert services.update_reminders_send(today=day_after_quarter) == 1
    email = OutboundEmail.objects.get()
    assert email.to == lead.email
    assert live.name in email.subject
    assert f"/updates/{period.label}/" in email.body
    assert services.update_reminders_send(today=day_after_quarter) == 0
    assert UpdateReminder.objects.count() == 1


def test_the_beat_task_sends_reminders(programme, lead, settings):
    from groundbreakers.tasks import send_update_reminders

    today = datetime.date.today()
    first = f"{today.year - 1}-Q1"
    reporting_periods_ensure(programme=programme, first=first, last=first, deadline_days=800)
    GroundbreakerFactory(programme=programme, lead_officer=lead, live=True)
    assert send_update_reminders.delay().get() == 1
    assert OutboundEmail.objects.filter(to=lead.email).count() == 1
    assert "groundbreaker-update-reminders" in settings.CELERY_BEAT_SCHEDULE


def test_an_outcome_with_reported_progress_cannot_be_removed(update, lead):
    _save(update, lead)
    gb = update.groundbreaker
    with pytest.raises(ValidationError, match="cannot be removed"):
        services.key_outcomes_set(
            groundbreaker=gb, outcomes=_outcomes(1), confirm_count=True, user=lead
        )
    assert gb.key_outcomes.count() == 2
    assert update.outcome_progress.count() == 2


def test_slugs_are_unique_within_a_programme_and_avoid_page_names(programme, manager):
    first = services.groundbreaker_create(programme=programme, name="Food & Fun", user=manager)
    second = services.groundbreaker_create(programme=programme, name="Food Fun", user=manager)
    learning = services.groundbreaker_create(programme=programme, name="Learning", user=manager)
    assert (first.slug, second.slug, learning.slug) == ("food-fun", "food-fun-2", "learning-2")
