from celery import shared_task
from django.conf import settings

from . import services


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def send_update_reminders() -> int:
    """Daily: remind leads of updates due soon or overdue. Safe to run more than once a day."""
    return services.update_reminders_send(base_url=settings.PORTAL_BASE_URL)
