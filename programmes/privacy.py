"""The personal data the programmes app holds (see cpw.core.personal_data)."""

from cpw.core.personal_data import Action, Basis, Rule, not_personal, register

from .models import (
    Ambition,
    AmbitionPoint,
    CommitmentUpdate,
    Council,
    DeliveryPlan,
    EvidenceFile,
    GovernanceBody,
    GovernanceBodyMember,
    Group,
    Phase,
    Place,
    Programme,
    ReminderSent,
    ReportingPeriod,
    Risk,
)

NAMES_A_THING = "names a place, programme or part of a plan, not a person"
not_personal(Council, "name", "short_name", reason="the council's name")
not_personal(
    Council, "contact_email", "dpo_email", reason="a council's team mailbox, not a person's"
)
for model in (Place, Programme, Phase, Ambition, DeliveryPlan, Group):
    not_personal(model, "name", reason=NAMES_A_THING)
not_personal(Programme, "short_name", reason=NAMES_A_THING)
not_personal(AmbitionPoint, "text", reason="a point of the programme's ambition")
not_personal(GovernanceBody, "name", reason="the name of a board or group")
not_personal(EvidenceFile, "name", reason="the title of an evidence file")

KEPT_WITH_THE_PROGRAMME = Rule(
    "Kept for the life of the programme and 6 years after, as the audit trail of its delivery"
)

register(
    ReportingPeriod,
    fields=["lock_reason"],
    people=["locked_by"],
    basis=Basis.PUBLIC_TASK,
    purpose="To record who locked each reporting period",
    retention=KEPT_WITH_THE_PROGRAMME,
)
register(
    GovernanceBody,
    fields=["chair"],
    names=["chair"],
    basis=Basis.PUBLIC_TASK,
    purpose="To show who chairs each governance body",
    retention=Rule("Kept while the body exists"),
)
register(
    GovernanceBodyMember,
    fields=["name", "position"],
    names=["name"],
    people=["user"],
    owners=["user"],
    basis=Basis.PUBLIC_TASK,
    purpose="To show who sits on each governance body",
    retention=Rule("Kept while the person is a member"),
    on_erasure=Action.DELETE,
)
register(
    Risk,
    fields=["owner"],
    names=["owner"],
    basis=Basis.PUBLIC_TASK,
    purpose="To know who owns each risk to a commitment",
    retention=KEPT_WITH_THE_PROGRAMME,
)
register(
    CommitmentUpdate,
    people=["submitted_by"],
    basis=Basis.PUBLIC_TASK,
    purpose="To record who submitted each quarterly update",
    retention=KEPT_WITH_THE_PROGRAMME,
)
register(
    EvidenceFile,
    fields=["file"],
    people=["uploaded_by"],
    basis=Basis.PUBLIC_TASK,
    purpose="To keep the evidence behind progress updates, which may show people",
    retention=KEPT_WITH_THE_PROGRAMME,
)
register(
    ReminderSent,
    people=["user"],
    owners=["user"],
    basis=Basis.PUBLIC_TASK,
    purpose="To send each update reminder once",
    retention=KEPT_WITH_THE_PROGRAMME,
    on_erasure=Action.DELETE,
)
