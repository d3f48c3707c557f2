from celery import shared_task

from . import services


@shared_task(
    acks_late=True,
    soft_time_limit=services.EXPORT_SOFT_TIME_LIMIT,
    time_limit=services.EXPORT_TIME_LIMIT,
)
def build_export(job_id: int) -> None:
    services.export_job_build(job_id=job_id)


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def send_monitoring_reminders() -> int:
    return services.monitoring_reminders_send()


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def sweep_stuck_exports() -> dict:
    result = services.export_jobs_sweep()
    return {"requeued": result.requeued, "failed": result.failed}
