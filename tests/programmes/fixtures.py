import datetime

import pytest

from cpw.accounts.models import Role
from programmes.periods import financial_quarter, label_for
from tests.accounts.factories import user_with_role
from tests.programmes.factories import (
    CommitmentFactory,
    DeliveryPlanFactory,
    GroupFactory,
    ReportingPeriodFactory,
)


def current_labels(today=None):
    """(previous quarter's label, this quarter's label)."""
    today = today or datetime.date.today()
    year, quarter = financial_quarter(today)
    previous = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return label_for(*previous), label_for(year, quarter)


@pytest.fixture
def plan_world(db, programme):
    """A plan with one commitment led by an officer; last quarter locked, this quarter open."""
    previous_label, current_label = current_labels()
    previous = ReportingPeriodFactory(programme=programme, label=previous_label, locked=True)
    current = ReportingPeriodFactory(programme=programme, label=current_label)
    plan = DeliveryPlanFactory(programme=programme)
    group = GroupFactory(plan=plan, name="Decision making")
    officer = user_with_role(Role.OFFICER, programme, full_name="Tom Evans")
    other_officer = user_with_role(Role.OFFICER, programme, full_name="Aisha Khan")
    manager = user_with_role(Role.PROGRAMME_MANAGER, programme, full_name="Priya Shah")
    commitment = CommitmentFactory(
        plan=plan, group=group, title="Involve residents early", leads=[officer]
    )
    return type(
        "PlanWorld",
        (),
        {
            "programme": programme,
            "plan": plan,
            "group": group,
            "previous": previous,
            "current": current,
            "officer": officer,
            "other_officer": other_officer,
            "manager": manager,
            "commitment": commitment,
        },
    )
