import datetime
import io
import subprocess

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from cpw.accounts.models import Role
from programmes.services import reporting_period_lock, reporting_periods_ensure
from reporting import services
from reporting.models import JobStatus, QuarterlyReport, ReportCompileJob
from tests.accounts.factories import user_with_role
from tests.programmes.factories import GovernanceBodyFactory, GovernanceBodyMemberFactory

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_smoke, pytest.mark.world_per_test]


@pytest.fixture
def periods(programme):
    return reporting_periods_ensure(programme=programme, first="2024-Q1", last="2024-Q4")


@pytest.fixture
def manager(programme):
    return user_with_role(Role.PROGRAMME_MANAGER, programme)


def _pdf_text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-", "-"], input=bytes(pdf), capture_output=True, check=True
    ).stdout.decode()


@pytest.mark.real_pdf
def test_compile_freezes_a_snapshot_with_pdf_and_xlsx(programme, periods):
    report = services.report_compile_now(programme=programme, period=periods[0])
    assert report.version == 1
    assert report.snapshot["period"]["label"] == "2024-Q1"
    # A briefing: the exceptions first, the programme's details near the end.
    keys = [s["key"] for s in report.snapshot["sections"]]
    assert keys[0] == "headline" and "programme" in keys
    assert bytes(report.pdf).startswith(b"%PDF")
    text = _pdf_text(report.pdf)
    assert programme.name in text and "2024-Q1" in text
    workbook = load_workbook(io.BytesIO(bytes(report.xlsx)))
    assert workbook.sheetnames[0] == "Contents"
    assert "Programme" in workbook.sheetnames


def test_recompiling_after_an_edit_makes_version_2_and_leaves_version_1_untouched(
    programme, periods
):
    first = services.report_compile_now(programme=programme, period=periods[0])
    frozen = (bytes(first.pdf), bytes(first.xlsx), first.snapshot_sha256, first.snapshot)
    programme.purpose = "A new purpose agreed at the steering group."
    programme.save()
    second = services.report_compile_now(programme=programme, period=periods[0])
    assert second.version == 2
    first.refresh_from_db()
    assert (bytes(first.pdf), bytes(first.xlsx), first.snapshot_sha256, first.snapshot) == frozen

    def about(report):
        return next(s for s in report.snapshot["sections"] if s["key"] == "programme")["data"]

    assert about(first)["purpose"] != programme.purpose
    assert about(second)["purpose"] == programme.purpose


def test_running_the_same_job_twice_makes_one_report(programme, periods):
    report = services.report_compile_now(programme=programme, period=periods[0])
    again = services.report_compile_run(job_id=report.job.pk)
    assert again == report
    assert QuarterlyReport.objects.count() == 1


def test_a_period_that_has_not_started_cannot_be_compiled(programme):
    (future,) = reporting_periods_ensure(programme=programme, first="2099-Q1", last="2099-Q1")
    with pytest.raises(ValidationError, match="2099-Q1 has not started yet"):
        services.report_compile_now(programme=programme, period=future)
    assert not ReportCompileJob.objects.exists()


def test_compile_report_command(programme, periods, capsys):
    call_command("compile_report", programme.slug, "2024-q1")
    assert "report, version 1" in capsys.readouterr().out
    with pytest.raises(CommandError, match="There is no programme 'nope'"):
        call_command("compile_report", "nope", "2024-Q1")
    with pytest.raises(CommandError, match="not a reporting period"):
        call_command("compile_report", programme.slug, "2024-Q9")
    with pytest.raises(CommandError, match="has no reporting period 2030-Q1"):
        call_command("compile_report", programme.slug, "2030-Q1")


def test_two_compile_now_clicks_give_one_job(
    client_as, manager, programme, periods, django_capture_on_commit_callbacks
):
    client = client_as(manager)
    url = reverse("reports:compile", args=[programme.slug, "2024-Q1"])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        first = client.post(url)
        second = client.post(url)
    assert ReportCompileJob.objects.count() == 1
    job = ReportCompileJob.objects.get()
    assert first["Location"] == second["Location"] == reverse("reports:job", args=[job.pk])
    assert len(queued) == 1
    queued[0]()  # the task runs (eagerly here)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.progress == 100
    assert client.get(reverse("reports:job-status", args=[job.pk])).json()["report_url"]


def test_with_the_broker_down_compile_now_explains_and_saves_nothing(
    client_as, manager, programme, periods, broker_down
):
    client = client_as(manager)
    response = client.post(
        reverse("reports:compile", args=[programme.slug, "2024-Q1"]), follow=True
    )
    assert "cannot start background work" in response.content.decode()
    assert not ReportCompileJob.objects.exists()
    assert not QuarterlyReport.objects.exists()


def test_a_failed_compile_shows_its_error_and_can_be_retried(
    client_as, manager, programme, periods, monkeypatch, django_capture_on_commit_callbacks
):
    from reporting.sections.programme import ProgrammeSection

    def broken(self, **kwargs):
        raise RuntimeError("the places table is unreadable")

    monkeypatch.setattr(ProgrammeSection, "build", broken)
    client = client_as(manager)
    url = reverse("reports:compile", args=[programme.slug, "2024-Q1"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)  # the task fails (eagerly here); the error is recorded on the job
    job = ReportCompileJob.objects.get()
    assert job.status == JobStatus.FAILED
    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert "the places table is unreadable" in page and "Try compiling again" in page
    assert not QuarterlyReport.objects.exists()

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    assert ReportCompileJob.objects.count() == 2
    assert QuarterlyReport.objects.get().version == 1


def test_publishing_emails_the_steering_group_and_is_final(
    client_as, manager, programme, periods, django_capture_on_commit_callbacks
):
    steering = user_with_role(Role.STEERING_GROUP, programme)
    GovernanceBodyMemberFactory(
        body=GovernanceBodyFactory(programme=programme, name="Steering Group"), user=steering
    )
    report = services.report_compile_now(programme=programme, period=periods[0])
    client = client_as(manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:publish", args=[report.pk]))
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    report.refresh_from_db()
    assert report.is_published and report.published_by == manager
    assert steering.email in {m.to[0] for m in mail.outbox}
    assert reverse("reports:detail", args=[report.pk]) in mail.outbox[0].body

    published_bytes = bytes(report.pdf)
    response = client.post(reverse("reports:publish", args=[report.pk]), follow=True)
    assert "already published" in response.content.decode()
    report.refresh_from_db()
    assert bytes(report.pdf) == published_bytes


def test_published_reports_cannot_be_changed_by_any_role(world, client_as):
    report = world.published_report
    before = (report.status, report.published_at, bytes(report.pdf), report.snapshot_sha256)
    for user in world.users.values():
        client = client_as(user)
        client.post(reverse("reports:publish", args=[report.pk]))
    report.refresh_from_db()
    assert (report.status, report.published_at, bytes(report.pdf), report.snapshot_sha256) == before
    from django.contrib import admin

    assert QuarterlyReport not in admin.site._registry  # no admin form can edit one either


def test_drafts_are_for_managers_and_published_reports_for_the_programme(world, client_as):
    draft, published = world.draft_report, world.published_report
    steering = client_as(world.users["steering_group"])
    assert steering.get(reverse("reports:detail", args=[draft.pk])).status_code == 404
    assert steering.get(reverse("reports:detail", args=[published.pk])).status_code == 200
    manager = client_as(world.users["programme_manager"])
    assert manager.get(reverse("reports:detail", args=[draft.pk])).status_code == 200
    partner = client_as(world.users["partner"])
    assert partner.get(reverse("reports:pdf", args=[published.pk])).status_code == 404


def test_locked_periods_are_compiled_by_the_beat_task(
    programme, periods, django_capture_on_commit_callbacks
):
    reporting_period_lock(period=periods[0], user=None)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.report_compile_locked_periods() == 1
    assert QuarterlyReport.objects.get().period == periods[0]
    assert services.report_compile_locked_periods() == 0  # already has a report


@pytest.mark.parametrize("versions", [1, 6])
def test_report_list_query_count_does_not_grow(
    client_as, manager, programme, periods, versions, django_assert_max_num_queries
):
    for period in periods[:2]:
        for _ in range(versions):
            services.report_compile_now(programme=programme, period=period)
    client = client_as(manager)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reports:list", args=[programme.slug]))
    assert response.content.decode().count("Version ") == 2 * versions


def test_report_page_shows_figures_as_of_compile_time(client_as, manager, programme, periods):
    report = services.report_compile_now(programme=programme, period=periods[0])
    programme.purpose = "Changed after the compile"
    programme.save()
    page = client_as(manager).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Changed after the compile" not in page
    assert report.data_as_of.date() <= datetime.date.today()
