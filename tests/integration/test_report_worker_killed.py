import pytest

from programmes.services import reporting_periods_ensure
from reporting.models import JobStatus, QuarterlyReport, ReportCompileJob
from reporting.services import report_compile_request
from tests.integration.conftest import wait_for
from tests.programmes.factories import ProgrammeFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_worker_killed_mid_compile_leaves_nothing_half_written_and_the_retry_completes_once(
    worker_factory,
):
    programme = ProgrammeFactory(slug="cpw-worker-test")
    (period,) = reporting_periods_ensure(programme=programme, first="2024-Q1", last="2024-Q1")
    first_worker = worker_factory()

    from reporting import tasks

    original_apply_async = tasks.compile_report.apply_async
    tasks.compile_report.apply_async = lambda *a, **kw: original_apply_async(
        *a, **{**kw, "queue": worker_factory.queue}
    )
    try:
        job, created = report_compile_request(programme=programme, period=period)
    finally:
        tasks.compile_report.apply_async = original_apply_async
    assert created

    def running_slow_section():
        job.refresh_from_db()
        return job.status == JobStatus.RUNNING and "slow section" in job.stage

    wait_for(running_slow_section, timeout=90, describe="the first worker to start compiling")
    first_worker.kill()
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING
    assert not QuarterlyReport.objects.exists()  # nothing half-written

    second_worker = worker_factory()

    def finished():
        job.refresh_from_db()
        return job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)

    try:
        wait_for(finished, timeout=120, describe="the redelivered compile to finish")
    except AssertionError:
        second_worker.stop()
        raise AssertionError(second_worker.output()) from None
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.attempts == 2  # the killed attempt and the redelivered one
    assert QuarterlyReport.objects.filter(programme=programme, period=period).count() == 1
    assert ReportCompileJob.objects.count() == 1
    report = QuarterlyReport.objects.get()
    assert report.version == 1 and bytes(report.pdf).startswith(b"%PDF")
    print(
        f"Worker {first_worker.pid} killed mid-compile; worker {second_worker.pid} completed "
        f"report {report.pk} exactly once after {job.attempts} attempts"
    )
