from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import tasks
from .models import OutboundEmail
from .queueing import enqueue_on_commit


def email_queue(*, to: str, subject: str, body: str) -> OutboundEmail:
    """Record an email and send it in the background once the current transaction commits. A
    subject longer than the column (a long name filled into a template) is shortened, not an
    error: the change that sends the email must never fail because of it."""
    longest = OutboundEmail._meta.get_field("subject").max_length
    subject = " ".join(subject.split())
    if len(subject) > longest:
        subject = subject[: longest - 1] + "…"
    email = OutboundEmail.objects.create(to=to, subject=subject, body=body)
    enqueue_on_commit(tasks.send_email, email.pk)
    return email


def email_send(*, email_id: int) -> bool:
    """Send one queued email. Returns False when it had already been sent (idempotent: a task
    redelivered after a worker restart does not send it twice). A failure is recorded and
    re-raised so that Celery retries with backoff."""
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().get(pk=email_id)
        if email.sent_at is not None:
            return False
        try:
            send_mail(email.subject, email.body, settings.DEFAULT_FROM_EMAIL, [email.to])
        except Exception as exc:
            failure = exc
        else:
            email.attempts += 1
            email.sent_at = timezone.now()
            email.last_error = ""
            email.save(update_fields=["attempts", "sent_at", "last_error", "updated_at"])
            return True
    OutboundEmail.objects.filter(pk=email_id).update(
        attempts=F("attempts") + 1, last_error=str(failure)[:2000], updated_at=timezone.now()
    )
    raise failure


def email_requeue_unsent(*, older_than_minutes: int = 10) -> int:
    """Queue again emails whose first attempt never happened (e.g. the broker was briefly down)."""
    cutoff = timezone.now() - timezone.timedelta(minutes=older_than_minutes)
    ids = list(
        OutboundEmail.objects.filter(
            sent_at__isnull=True, created_at__lt=cutoff, attempts__lt=5
        ).values_list("pk", flat=True)[:500]
    )
    for email_id in ids:
        tasks.send_email.delay(email_id)
    return len(ids)
