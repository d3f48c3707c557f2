from celery import shared_task

from . import services


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def send_update_reminders() -> int:
    return services.update_reminders_send()
