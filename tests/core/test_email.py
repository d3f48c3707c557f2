import pytest
from django.core import mail

from cpw.core import services
from cpw.core.models import OutboundEmail
from cpw.core.tasks import send_email

pytestmark = pytest.mark.django_db


def test_queued_email_is_sent_once_the_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        email = services.email_queue(to="a@example.org", subject="Hello", body="Body")
    assert mail.outbox == []  # nothing is sent before the change is committed
    for callback in callbacks:
        callback()
    email.refresh_from_db()
    assert email.sent_at is not None and email.attempts == 1
    assert [m.subject for m in mail.outbox] == ["Hello"]


def test_sending_is_idempotent():
    email = OutboundEmail.objects.create(to="a@example.org", subject="Hello", body="Body")
    assert send_email(email.pk) is True
    assert send_email(email.pk) is False  # a redelivered task does not send it again
    assert len(mail.outbox) == 1


def test_a_failed_send_is_recorded_and_raised_for_retry(monkeypatch):
    email = OutboundEmail.objects.create(to="a@example.org", subject="Hello", body="Body")

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("SMTP server down")

    monkeypatch.setattr("cpw.core.services.send_mail", broken)
    with pytest.raises(ConnectionRefusedError):
        services.email_send(email_id=email.pk)
    email.refresh_from_db()
    assert email.sent_at is None
    assert email.attempts == 1
    assert "SMTP server down" in email.last_error


def test_unsent_emails_are_requeued(django_capture_on_commit_callbacks):
    from django.utils import timezone

    stale = OutboundEmail.objects.create(to="a@example.org", subject="Old", body="Body")
    OutboundEmail.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - timezone.timedelta(hours=1)
    )
    OutboundEmail.objects.create(to="b@example.org", subject="New", body="Body")
    assert services.email_requeue_unsent() == 1
    stale.refresh_from_db()
    assert stale.sent_at is not None
