from celery import shared_task

from . import services


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def refresh_derived_metrics() -> int:
    """Recalculate derived metrics from portal data (idempotent: figures are replaced)."""
    return services.derived_metrics_refresh_all()


@shared_task(acks_late=True, soft_time_limit=240, time_limit=300)
def refresh_closed_survey_waves() -> int:
    """Recompute the stored aggregates of the waves that closed yesterday (idempotent)."""
    return services.survey_aggregates_refresh_closed()
