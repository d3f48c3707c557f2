import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cpw.accounts.demo import DEMO_PASSWORD
from cpw.accounts.models import User
from programmes.models import (
    Ambition,
    Commitment,
    CommitmentUpdate,
    Group,
    Phase,
    Programme,
    ReportingPeriod,
    UpdateStatus,
)
from programmes.periods import period_current

# Runs in the SQLite pass too (SQLite is `make run`'s database): `make test`.
pytestmark = pytest.mark.sqlite_smoke

WRITE = re.compile(r"^\s*(INSERT INTO|UPDATE|DELETE FROM|REPLACE INTO)\s+\"?(\w+)", re.IGNORECASE)


def _row_counts() -> dict[str, int]:
    """Rows in every table of the database, historical tables included."""
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            quoted = connection.ops.quote_name(table)  # a name from the database itself
            cursor.execute(f"SELECT COUNT(*) FROM {quoted}")  # noqa: S608
            counts[table] = cursor.fetchone()[0]
    return counts


def test_load_demo_builds_warwickshires_plan_and_a_second_run_writes_nothing(db, settings):
    """One test for both (load_demo takes most of its time): the first run builds the demo; the
    second adds or removes no row in any table (no history row either) and sends not one INSERT,
    UPDATE or DELETE, as unchanged rows are not saved again."""
    settings.SETTINGS_MODULE = "cpw.settings.test"  # None under pytest; load_demo reads it
    call_command("load_demo")
    before = _row_counts()
    assert before["programmes_historicalcommitment"] > 0 and before["funds_historicalaward"] > 0

    with CaptureQueriesContext(connection) as queries:
        call_command("load_demo")

    writes = [m for q in queries.captured_queries if (m := WRITE.match(q["sql"]))]
    assert not writes, "A second load_demo wrote: " + ", ".join(
        sorted({f"{m.group(1).split()[0]} {m.group(2)}" for m in writes})
    )
    after = _row_counts()
    assert {t: (n, after[t]) for t, n in before.items() if after[t] != n} == {}

    programme = Programme.objects.get(slug="cpw")
    assert list(Phase.objects.filter(programme=programme).values_list("name", flat=True)) == [
        "Analysis",
        "Ground breakers",
        "Partner mobilisation",
        "Mainstreaming",
    ]
    assert programme.current_phase.name == "Mainstreaming"
    assert Ambition.objects.filter(programme=programme).count() == 3
    assert all(a.points.count() == 3 for a in Ambition.objects.all())
    (body,) = programme.governance_bodies.all()
    assert body.meeting_cadence == "Quarterly" and body.receives_quarterly_report
    assert body.members.filter(is_chair=True).count() == 1
    assert body.members.filter(user__email="steering@demo.cpw.test").exists()
    assert Group.objects.filter(plan__programme=programme).count() == 5
    commitments = Commitment.objects.filter(plan__programme=programme)
    assert commitments.count() == 10
    assert all(c.illustrative for c in commitments)
    assert all(g.commitments.count() == 2 for g in Group.objects.all())
    leads = {u.email for c in commitments for u in c.lead_users.all()}
    assert leads == {"officer@demo.cpw.test", "officer2@demo.cpw.test"}
    submitted = CommitmentUpdate.objects.filter(status=UpdateStatus.SUBMITTED)
    past = submitted.filter(period__status="locked")
    assert past.count() == 40
    assert len({u.period_id for u in past}) == 4
    assert set(submitted.values_list("rag", flat=True)) == {"green", "amber", "red", "complete"}
    current = period_current(programme)
    assert current is not None and not current.is_locked
    assert ReportingPeriod.objects.filter(programme=programme, status="locked").count() == 4
    this_quarter = CommitmentUpdate.objects.filter(period=current)
    assert this_quarter.filter(status=UpdateStatus.SUBMITTED).count() == 2
    assert this_quarter.filter(status=UpdateStatus.DRAFT).count() == 2
    # the demo council's own data protection officer, with the demo password
    from_demo = User.objects.get(email="dpo@demo.cpw.test")
    assert from_demo.check_password(DEMO_PASSWORD)
    assert from_demo.dpo_council_ids == {programme.council_id}
