import pytest

from cpw.core.models import OutboundEmail
from cpw.core.tasks import send_email
from tests.integration.conftest import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_real_worker_runs_a_task_whose_effect_lands_in_the_database(worker_factory):
    email = OutboundEmail.objects.create(to="steering@example.org", subject="Report", body="Hi")
    worker = worker_factory()
    send_email.apply_async(args=[email.pk], queue=worker_factory.queue)

    def sent():
        email.refresh_from_db()
        return email.sent_at is not None

    try:
        wait_for(sent, timeout=90, describe="the worker to send the email")
    except AssertionError:
        worker.stop()
        raise AssertionError(worker.output()) from None
    assert email.attempts == 1
    print(f"PostgreSQL + Redis + real Celery worker: email {email.pk} sent at {email.sent_at}")
