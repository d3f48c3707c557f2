from celery import shared_task

from . import services


@shared_task(acks_late=True, soft_time_limit=1800, time_limit=1900)
def apply_retention() -> int:
    """Nightly: apply the register's retention rules (idempotent: a second run finds nothing
    more to do). Returns how many records were deleted or anonymised."""
    result = services.retention_apply()
    return sum(entry.records for entry in result.entries)


@shared_task(acks_late=True, soft_time_limit=600, time_limit=660)
def build_subject_access(request_id: int) -> None:
    services.subject_access_request_build(request_id=request_id)
