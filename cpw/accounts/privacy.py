"""The personal data cpw.accounts holds (see cpw.core.personal_data)."""

from cpw.core.personal_data import Action, Basis, Rule, not_personal, register

from .models import Organisation, RoleAssignment, User

register(
    User,
    fields=["email", "full_name", "job_title"],
    people=["pk", "invited_by"],
    owners=["pk"],
    names=["full_name"],
    basis=Basis.PUBLIC_TASK,
    purpose="To give council staff and partners an account and know who did what",
    retention=[
        Rule(
            "Self-registrations never confirmed: deleted after 7 days",
            Action.DELETE,
            applied_by="cpw.accounts.tasks.remove_unverified_accounts",
        ),
        Rule("Other accounts: kept while the person works with the programme"),
    ],
)
not_personal(Organisation, "name", reason="an organisation's name")
register(
    Organisation,
    fields=["address", "postcode"],
    people=["members"],
    basis=Basis.PUBLIC_TASK,
    purpose="To know which organisations apply for and receive grants, and where they are",
    retention=Rule("Kept while the organisation has an account or grant records are kept"),
    on_erasure=Action.KEEP,
    keep_reason="The organisation's record belongs to the organisation, not to one member",
)
register(
    RoleAssignment,
    people=["user"],
    owners=["user"],
    basis=Basis.PUBLIC_TASK,
    purpose="To decide what each person may see and do",
    retention=Rule("Kept while the person holds the role"),
    on_erasure=Action.DELETE,
)
