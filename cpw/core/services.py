from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import OutboundEmail
from .queueing import enqueue_on_commit


def email_queue(*, to: str, subject: str, body: str) -> OutboundEmail:
    """Record an email and send it in the background once the current transaction commits."""
    from .tasks import send_email

    email = OutboundEmail.objects.create(to=to, subject=subject, body=body)
    enqueue_on_commit(send_email, email.pk)
    return email


def email_send(*, email_id: int) -> bool:
    """Send one queued email. Returns False when it had already been sent (idempotent)."""
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().get(pk=email_id)
        if email.sent_at is not None:
            return False
        email.attempts += 1
        try:
            send_mail(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to])
        except Exception as exc:
            email.last_error = str(exc)[:2000]
            email.save(update_fields=["attempts", "last_error", "updated_at"])
            raise
        email.sent_at = timezone.now()
        email.last_error = ""
        email.save(update_fields=["attempts", "sent_at", "last_error", "updated_at"])
    return True


def email_requeue_unsent(*, older_than_minutes: int = 10) -> int:
    """Queue again emails whose first attempt never happened (e.g. the broker was briefly down)."""
    from .tasks import send_email

    cutoff = timezone.now() - timezone.timedelta(minutes=older_than_minutes)
    ids = list(
        OutboundEmail.objects.filter(
            sent_at__isnull=True, created_at__lt=cutoff, attempts__lt=5
        ).values_list("pk", flat=True)[:500]
    )
    for email_id in ids:
        send_email.delay(email_id)
    return len(ids)
