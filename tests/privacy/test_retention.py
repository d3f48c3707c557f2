"""Retention with frozen time: per rule, records past their period are deleted or anonymised,
history included; records inside it are untouched; published reports and 360Giving figures do
not change."""

import datetime
import io
import os
from decimal import Decimal
from unittest import mock

import pytest
from axes.models import AccessAttempt, AccessLog
from django.core.files.base import ContentFile
from django.core.management import call_command
from freezegun import freeze_time

from cpw.core.models import OutboundEmail
from cpw.privacy.models import (
    AccessLogEntry,
    RetentionLogEntry,
    RetentionRun,
    SubjectAccessRequest,
)
from cpw.privacy.services import REMOVED, record_access, retention_apply
from evaluation.models import SurveyResponse
from funds import opendata
from funds.models import (
    Answer,
    Application,
    ApplicationStatus,
    Decision,
    ExportJob,
    PaymentStatus,
)
from groundbreakers.models import Activity, UpdateReminder
from programmes.services import reporting_periods_ensure
from reporting.models import QuarterlyReport
from reporting.services import report_compile_now, report_publish
from tests.accounts.factories import UserFactory
from tests.evaluation.factories import FrameworkFactory, SurveyResponseFactory, SurveyWaveFactory
from tests.funds.factories import (
    ApplicationFactory,
    AwardFactory,
    FundFactory,
    PaymentFactory,
    QuestionFactory,
)
from tests.groundbreakers.factories import ActivityFactory, GroundbreakerFactory
from tests.programmes.factories import ReportingPeriodFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2030, 6, 1, 3, 0, tzinfo=datetime.UTC)


def at(days_ago: int) -> datetime.datetime:
    return NOW - datetime.timedelta(days=days_ago)


def _declined(name: str, *, decided: datetime.datetime) -> Application:
    with freeze_time(decided - datetime.timedelta(days=30)):
        application = ApplicationFactory(submitted=True, declaration_name=name)
        Answer.objects.create(
            application=application,
            question=QuestionFactory(fund=application.round.fund),
            value=f"{name} will run it",
        )
    with freeze_time(decided):
        application.status = ApplicationStatus.DECLINED
        application.save()
        Decision.objects.create(
            application=application,
            outcome="declined",
            reason="Outside the fund's priorities",
            decided_by=UserFactory(),
            decided_at=decided,
        )
    return application


def test_emails_are_deleted_two_years_after_sending():
    old = OutboundEmail.objects.create(to="a@example.com", subject="s", body="b", sent_at=at(731))
    recent = OutboundEmail.objects.create(
        to="b@example.com", subject="s", body="b", sent_at=at(700)
    )
    unsent = OutboundEmail.objects.create(to="c@example.com", subject="s", body="b")
    with freeze_time(NOW):
        retention_apply()
    assert set(OutboundEmail.objects.values_list("pk", flat=True)) == {recent.pk, unsent.pk}
    assert not OutboundEmail.objects.filter(pk=old.pk).exists()


def test_unsuccessful_applications_are_anonymised_two_years_after_the_decision_history_too():
    old = _declined("Ann Example", decided=at(2 * 365 + 1))
    recent = _declined("Bob Example", decided=at(2 * 365 - 10))
    assert old.history.filter(declaration_name="Ann Example").exists()

    with freeze_time(NOW):
        result = retention_apply()

    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.declaration_name.startswith("Person ")
    assert "Ann" not in old.declaration_name
    assert not Application.history.filter(declaration_name__icontains="Ann").exists()
    assert old.history.exists()  # the history is anonymised, not lost
    assert Answer.objects.get(application=old).value == REMOVED
    assert not Answer.history.filter(value__icontains="Ann").exists()
    # inside the period: untouched, history included
    assert recent.declaration_name == "Bob Example"
    assert Answer.objects.get(application=recent).value == "Bob Example will run it"
    assert recent.history.filter(declaration_name="Bob Example").exists()
    entry = next(
        e
        for e in result.entries
        if e.model_label == "funds.Application" and "Unsuccessful" in e.rule
    )
    assert entry.records == 1 and entry.history_rows >= 2


def test_pseudonyms_are_stable_so_counts_still_add_up():
    first = _declined("Cat Example", decided=at(800))
    second = _declined("cat example ", decided=at(900))
    with freeze_time(NOW):
        retention_apply()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.declaration_name == second.declaration_name


def test_a_second_run_finds_nothing_more_to_do():
    _declined("Dan Example", decided=at(800))
    with freeze_time(NOW):
        retention_apply()
        again = retention_apply()
    assert sum(e.records for e in again.entries) == 0


def _grant(name: str, *, paid: datetime.datetime):
    with freeze_time(paid - datetime.timedelta(days=60)):
        award = AwardFactory(application__declaration_name=name)
        PaymentFactory(award=award, amount=Decimal("1500"), status=PaymentStatus.PAID, paid_at=paid)
    return award


def test_grants_are_anonymised_seven_years_after_the_last_payment_and_360giving_is_unchanged():
    old = _grant("Eve Example", paid=at(7 * 365 + 5))
    # a second payment inside the period keeps the whole grant
    recent = _grant("Fay Example", paid=at(8 * 365))
    PaymentFactory(award=recent, status=PaymentStatus.PAID, paid_at=at(100))
    funds = {old.application.round.fund, recent.application.round.fund}
    before = {fund.pk: opendata.as_json(fund) for fund in funds}

    with freeze_time(NOW):
        retention_apply()

    old.application.refresh_from_db()
    recent.application.refresh_from_db()
    assert old.application.declaration_name.startswith("Person ")
    assert recent.application.declaration_name == "Fay Example"
    assert {fund.pk: opendata.as_json(fund) for fund in funds} == before


def test_activity_notes_are_anonymised_three_years_after_the_activity():
    old = ActivityFactory(date=datetime.date(2027, 5, 1), notes="Gus Example came along")
    recent = ActivityFactory(date=datetime.date(2027, 7, 1), notes="Hal Example came along")
    with freeze_time(NOW):
        retention_apply()
    assert Activity.objects.get(pk=old.pk).notes == REMOVED
    assert Activity.objects.get(pk=old.pk).attendees == old.attendees  # counts stay
    assert Activity.objects.get(pk=recent.pk).notes == "Hal Example came along"


def test_survey_responses_are_anonymised_once_a_report_covering_the_wave_is_published():
    framework = FrameworkFactory()
    programme = framework.programme
    q1, q2 = reporting_periods_ensure(programme=programme, first="2024-Q1", last="2024-Q2")
    covered = SurveyWaveFactory(
        framework=framework, opens=datetime.date(2024, 4, 1), closes=datetime.date(2024, 5, 31)
    )
    uncovered = SurveyWaveFactory(
        framework=framework, opens=datetime.date(2024, 7, 1), closes=datetime.date(2024, 8, 31)
    )
    done = SurveyResponseFactory(wave=covered, respondent_ref="R-0001")
    waiting = SurveyResponseFactory(wave=uncovered, respondent_ref="R-0002")
    with mock.patch("reporting.services.render_pdf", return_value=b"%PDF-1.4 stand-in"):
        report = report_publish(
            report=report_compile_now(programme=programme, period=q1), user=None
        )
        report_compile_now(programme=programme, period=q2)  # a draft covers nothing
    stored = QuarterlyReport.objects.values("snapshot", "snapshot_sha256", "pdf", "xlsx").get(
        pk=report.pk
    )

    with freeze_time(NOW):
        retention_apply()

    assert SurveyResponse.objects.get(pk=done.pk).respondent_ref.startswith("Person ")
    assert SurveyResponse.objects.get(pk=waiting.pk).respondent_ref == "R-0002"
    # the published report is byte-identical
    after = QuarterlyReport.objects.values("snapshot", "snapshot_sha256", "pdf", "xlsx").get(
        pk=report.pk
    )
    assert bytes(after["pdf"]) == bytes(stored["pdf"])
    assert bytes(after["xlsx"]) == bytes(stored["xlsx"])
    assert after["snapshot"] == stored["snapshot"]
    assert after["snapshot_sha256"] == stored["snapshot_sha256"]


def test_the_access_log_is_deleted_after_two_years():
    with freeze_time(at(731)):
        old = record_access(user=None, what="old", rows=1)
    with freeze_time(at(10)):
        recent = record_access(user=None, what="recent", rows=1)
    with freeze_time(NOW):
        retention_apply()
    assert list(AccessLogEntry.objects.values_list("pk", flat=True)) == [recent.pk]
    assert old.pk != recent.pk


def test_a_dry_run_prints_what_would_change_and_changes_nothing():
    application = _declined("Ivy Example", decided=at(800))
    OutboundEmail.objects.create(to="a@example.com", subject="s", body="b", sent_at=at(800))
    out = io.StringIO()
    with freeze_time(NOW):
        call_command("apply_retention", "--dry-run", stdout=out)
    application.refresh_from_db()
    assert application.declaration_name == "Ivy Example"
    assert OutboundEmail.objects.count() == 1
    printed = out.getvalue()
    assert "funds.Application: 1 would be anonymise (Unsuccessful applications" in printed
    assert "core.OutboundEmail: 1 would be delete" in printed
    run = RetentionRun.objects.get()
    assert run.dry_run
    assert RetentionLogEntry.objects.filter(run=run, model_label="funds.Application").exists()


def test_the_nightly_task_is_scheduled(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["apply-retention"]
    assert schedule["task"] == "cpw.privacy.tasks.apply_retention"
    from cpw.privacy.tasks import apply_retention

    OutboundEmail.objects.create(to="a@example.com", subject="s", body="b", sent_at=at(800))
    with freeze_time(NOW):
        assert apply_retention.delay().get() == 1
    assert OutboundEmail.objects.count() == 0


def test_withdrawn_applications_are_anonymised_two_years_after_withdrawal():
    with freeze_time(at(800)):
        old = ApplicationFactory(declaration_name="Jo Example", status=ApplicationStatus.WITHDRAWN)
        Application.objects.filter(pk=old.pk).update(status_changed_at=at(800))
    with freeze_time(at(100)):
        recent = ApplicationFactory(
            declaration_name="Kit Example", status=ApplicationStatus.WITHDRAWN
        )
        Application.objects.filter(pk=recent.pk).update(status_changed_at=at(100))
    with freeze_time(NOW):
        retention_apply()
    assert Application.objects.get(pk=old.pk).declaration_name.startswith("Person ")
    assert Application.objects.get(pk=recent.pk).declaration_name == "Kit Example"


def test_exports_and_subject_access_files_are_deleted_with_their_files(settings):
    fund = FundFactory()
    with freeze_time(at(31)):
        old_export = ExportJob.objects.create(
            fund=fund, requested_by=UserFactory(), file_format="csv"
        )
        old_export.file.save("old.csv", ContentFile(b"names"), save=True)
    with freeze_time(at(29)):
        new_export = ExportJob.objects.create(
            fund=fund, requested_by=UserFactory(), file_format="csv"
        )
    with freeze_time(at(92)):
        old_request = SubjectAccessRequest.objects.create(email="a@example.com")
        old_request.file.save("old.zip", ContentFile(b"zip"), save=True)
    path = old_export.file.path
    request_path = old_request.file.path
    with freeze_time(NOW):
        retention_apply()
    assert list(ExportJob.objects.values_list("pk", flat=True)) == [new_export.pk]
    assert not SubjectAccessRequest.objects.exists()
    assert not os.path.exists(path) and not os.path.exists(request_path)


def test_update_reminders_are_deleted_two_years_after_sending():
    groundbreaker = GroundbreakerFactory()
    period = ReportingPeriodFactory(programme=groundbreaker.programme)
    with freeze_time(at(731)):
        old = UpdateReminder.objects.create(
            groundbreaker=groundbreaker, period=period, sent_to="a@example.com"
        )
    with freeze_time(NOW):
        retention_apply()
    assert not UpdateReminder.objects.filter(pk=old.pk).exists()


def test_sign_in_records_are_deleted_after_their_period():
    with freeze_time(at(31)):
        AccessAttempt.objects.create(
            username="a@example.com", ip_address="192.0.2.1", user_agent="x", failures_since_start=1
        )
    with freeze_time(at(10)):
        AccessLog.objects.create(username="a@example.com", ip_address="192.0.2.1", user_agent="x")
    with freeze_time(NOW):
        retention_apply()
    assert not AccessAttempt.objects.exists()
    assert AccessLog.objects.count() == 1
