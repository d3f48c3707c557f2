"""The personal data cpw.accounts holds (see cpw.core.personal_data)."""

from datetime import timedelta

from axes.models import AccessAttempt, AccessAttemptExpiration, AccessFailureLog, AccessLog

from cpw.core.personal_data import Action, Basis, Rule, not_personal, register, system

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
    # a programme's role, or a council admin's or data protection officer's in a council
    council=["programme__council", "council"],
    basis=Basis.PUBLIC_TASK,
    purpose="To decide what each person may see and do",
    retention=Rule("Kept while the person holds the role"),
    on_erasure=Action.DELETE,
)

# Sign-in records kept by django-axes (sign-in throttling, cpw/accounts/lockout.py): the email
# address typed and the IP address it came from.
for model, days, what in (
    (AccessAttempt, 30, "Failed sign-ins being counted"),
    (AccessFailureLog, 90, "Failed sign-ins"),
    (AccessLog, 90, "Sign-ins"),
):
    register(
        model,
        fields=["username", "ip_address", "user_agent"],
        emails=["username"],
        basis=Basis.LEGITIMATE_INTERESTS,
        purpose="To slow down password guessing and investigate attacks on accounts",
        retention=Rule(
            f"{what}: deleted after {days} days",
            Action.DELETE,
            anchor="attempt_time",
            period=timedelta(days=days),
        ),
        on_erasure=Action.DELETE,
    )
system(
    AccessAttemptExpiration,
    reason=("only when a counted failed sign-in stops counting; deleted with that record (above)"),
)
