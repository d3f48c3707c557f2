from celery import shared_task

from . import services


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(Exception,),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
    soft_time_limit=60,
    time_limit=90,
)
def send_email(self, email_id: int) -> bool:
    return services.email_send(email_id=email_id)


@shared_task(acks_late=True, soft_time_limit=120, time_limit=180)
def requeue_unsent_emails() -> int:
    return services.email_requeue_unsent()
