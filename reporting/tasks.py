from celery import shared_task
from celery.signals import worker_process_init

from . import printed, services


@worker_process_init.connect
def _warm_up_pdf_writer(**kwargs):
    """Each worker process loads the typesetter and its fonts when it starts, not during its
    first compile."""
    printed.pdf_warm_up()


@shared_task(
    name="reporting.compile_report",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=services.COMPILE_SOFT_TIME_LIMIT,
    time_limit=services.COMPILE_TIME_LIMIT,
)
def compile_report(job_id: int) -> int | None:
    report = services.report_compile_run(job_id=job_id)
    return report.pk if report else None


@shared_task(
    name="reporting.compile_locked_periods",
    acks_late=True,
    soft_time_limit=60,
    time_limit=90,
)
def compile_locked_periods() -> int:
    return services.report_compile_locked_periods()


@shared_task(
    name="reporting.sweep_stuck_compiles",
    acks_late=True,
    soft_time_limit=60,
    time_limit=90,
)
def sweep_stuck_compiles() -> dict:
    result = services.report_compile_jobs_sweep()
    return {"requeued": result.requeued, "failed": result.failed}
