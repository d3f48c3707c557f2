"""A double submit makes one row: the same "Plan payment" form sent twice at once (a double
click, a retried request) plans one payment, on SQLite and on PostgreSQL with real concurrent
transactions."""

import threading
import uuid
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from funds.models import Payment
from tests.funds.factories import AwardFactory


def _post_payment(award, user, key):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client.post(
        reverse("funds:payment-add", args=[award.pk]),
        {"amount": "250", **_due_on_fields(), "submission_key": str(key)},
    )


def _due_on_fields():
    today = timezone.localdate()
    return {"due_on_0": today.day, "due_on_1": today.month, "due_on_2": today.year}


def test_the_payment_form_carries_a_fresh_key_each_time(world, client_as):
    award = AwardFactory(application__round__fund__programme=world.programme)
    client = client_as(world.users["officer"])
    url = reverse("funds:payment-add", args=[award.pk])
    keys = [
        client.get(url).content.decode().split('name="submission_key" value="')[1][:36]
        for _ in range(2)
    ]
    assert all(uuid.UUID(key) for key in keys)
    assert keys[0] != keys[1]


def test_submitting_the_same_payment_form_twice_plans_one_payment(world):
    award = AwardFactory(application__round__fund__programme=world.programme)
    key = uuid.uuid4()
    first = _post_payment(award, world.users["officer"], key)
    second = _post_payment(award, world.users["officer"], key)
    assert first.status_code == second.status_code == 302
    assert Payment.objects.filter(award=award).count() == 1
    # A new form (a new key) plans another payment.
    _post_payment(award, world.users["officer"], uuid.uuid4())
    assert Payment.objects.filter(award=award).count() == 2


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrent transactions: PostgreSQL pass"
)
@pytest.mark.django_db(transaction=True)
def test_parallel_submits_of_one_payment_form_plan_one_payment(world):
    award = AwardFactory(
        application__round__fund__programme=world.programme,
        amount_capital=Decimal("10000"),
        amount_revenue=0,
    )
    key = uuid.uuid4()
    start = threading.Barrier(4)
    statuses = []

    def submit():
        try:
            start.wait()
            statuses.append(_post_payment(award, world.users["officer"], key).status_code)
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [302, 302, 302, 302]
    assert Payment.objects.filter(award=award).count() == 1


def _race(n: int, action) -> list:
    """Run `action()` in n threads released together; returns each outcome (a result or the
    exception it raised)."""
    start = threading.Barrier(n)
    outcomes = []

    def run():
        try:
            start.wait()
            outcomes.append(action())
        except Exception as exc:  # noqa: BLE001 - the outcome is what the test checks
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="real concurrent transactions: PostgreSQL pass"
)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_decisions_on_one_application_record_one(world):
    from django.core.exceptions import ValidationError

    from funds import services
    from funds.models import Decision
    from tests.funds.factories import ApplicationFactory

    application = ApplicationFactory(
        ready_for_decision=True, round__fund__programme=world.programme
    )
    outcomes = _race(
        3,
        lambda: services.decision_record(
            application=application,
            user=world.users["programme_manager"],
            outcome="approved",
            amount_capital=Decimal("1000"),
        ),
    )
    assert Decision.objects.filter(application=application).count() == 1
    refused = [o for o in outcomes if isinstance(o, ValidationError)]
    assert len(refused) == 2, outcomes


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_awards_of_one_application_make_one_grant(world):
    from django.core.exceptions import ValidationError

    from funds import services
    from funds.models import Award
    from tests.funds.factories import ApplicationFactory

    application = ApplicationFactory(approved=True, round__fund__programme=world.programme)
    outcomes = _race(
        3,
        lambda: services.award_create(
            application=application,
            user=world.users["programme_manager"],
            amount_capital=Decimal("1000"),
            amount_revenue=Decimal("0"),
            awarded_on=timezone.localdate(),
        ),
    )
    assert Award.objects.filter(application=application).count() == 1
    assert sum(isinstance(o, ValidationError) for o in outcomes) == 2, outcomes
