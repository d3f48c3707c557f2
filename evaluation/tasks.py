from celery import shared_task

from . import services


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def refresh_derived_metrics() -> int:
    """Recalculate derived metrics from portal data (idempotent: figures are replaced)."""
    return services.derived_metrics_refresh_all()
