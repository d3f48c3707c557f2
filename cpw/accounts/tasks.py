from celery import shared_task

from . import services


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def remove_unverified_accounts() -> int:
    """Daily: self-registrations never confirmed within 7 days go, with their empty
    organisations (idempotent: a second run finds nothing)."""
    return services.unverified_accounts_remove()
