"""The personal data the groundbreakers app holds (see cpw.core.personal_data)."""

from datetime import timedelta

from cpw.core.personal_data import Action, Basis, Rule, not_personal, register

from .models import (
    Activity,
    Audience,
    Groundbreaker,
    GroundbreakerStatusChange,
    GroundbreakerUpdate,
    LearningEntry,
    Tag,
    UpdateReminder,
    WorkingGroupMember,
)

KEPT = Rule("Kept for the life of the programme and 6 years after")

for model in (Groundbreaker, Audience, Tag):
    not_personal(model, "name", reason="names an initiative, audience or tag, not a person")
not_personal(GroundbreakerStatusChange, "reason", reason="why an initiative's status changed")
register(
    Groundbreaker,
    fields=["sponsor"],
    names=["sponsor"],
    people=["lead_officer"],
    basis=Basis.PUBLIC_TASK,
    purpose="To know who leads and sponsors each initiative",
    retention=KEPT,
)
register(
    GroundbreakerStatusChange,
    people=["changed_by"],
    basis=Basis.PUBLIC_TASK,
    purpose="To record who changed an initiative's status",
    retention=KEPT,
)
register(
    WorkingGroupMember,
    fields=["name", "organisation_name", "role"],
    names=["name"],
    people=["user"],
    owners=["user"],
    basis=Basis.PUBLIC_TASK,
    purpose="To show who is in each initiative's working group",
    retention=KEPT,
    on_erasure=Action.DELETE,
)
register(
    Activity,
    fields=["notes"],
    people=["recorded_by"],
    basis=Basis.PUBLIC_TASK,
    purpose="To record community activities; notes may mention people who took part",
    retention=Rule(
        "Notes about activities: anonymised 3 years after the activity",
        Action.ANONYMISE,
        anchor="date",
        period=timedelta(days=3 * 365),
    ),
)
register(
    LearningEntry,
    people=["recorded_by"],
    basis=Basis.PUBLIC_TASK,
    purpose="To record who wrote each learning entry",
    retention=KEPT,
)
register(
    GroundbreakerUpdate,
    people=["submitted_by"],
    basis=Basis.PUBLIC_TASK,
    purpose="To record who submitted each quarterly update",
    retention=KEPT,
)
register(
    UpdateReminder,
    fields=["sent_to"],
    basis=Basis.PUBLIC_TASK,
    purpose="To send each update reminder once",
    retention=Rule(
        "Reminders sent: deleted 2 years after sending",
        Action.DELETE,
        anchor="created_at",
        period=timedelta(days=730),
    ),
    on_erasure=Action.DELETE,
)
