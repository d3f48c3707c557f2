from celery import shared_task

from . import services


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def build_export(job_id: int) -> None:
    services.export_job_build(job_id=job_id)


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def send_monitoring_reminders() -> int:
    return services.monitoring_reminders_send()
