"""One demo account per role. The password is printed with a warning: demo use only."""

from cpw.accounts.models import Organisation, OrganisationType, Role, RoleAssignment, User
from cpw.core.upsert import update_or_create_if_changed

DEMO_PASSWORD = "demo-password-2024"  # noqa: S105 - demo accounts only, refused in production

DEMO_ACCOUNTS = [
    # email, name, job title, role, division
    (
        "manager@demo.cpw.test",
        "Priya Shah",
        "Community Partnerships Manager",
        Role.PROGRAMME_MANAGER,
        None,
    ),
    ("officer@demo.cpw.test", "Tom Evans", "Community Development Officer", Role.OFFICER, None),
    ("officer2@demo.cpw.test", "Aisha Khan", "Locality Officer", Role.OFFICER, None),
    (
        "steering@demo.cpw.test",
        "Cllr Helen Carter",
        "Chair of the Community Power Steering Group",
        Role.STEERING_GROUP,
        None,
    ),
    (
        "councillor@demo.cpw.test",
        "Cllr Mark Jones",
        "County councillor",
        Role.COUNCILLOR,
        "Leamington North",
    ),
    ("assessor@demo.cpw.test", "Sam Patel", "Grants assessor", Role.ASSESSOR, None),
]
DEMO_PARTNER = (
    "partner@demo.cpw.test",
    "Jo Walker",
    "Volunteer coordinator",
    {
        "name": "Feed the Hungry UK",
        "kind": OrganisationType.REGISTERED_CHARITY,
        "charity_number": "1105849",
        "address": "Demo address (illustrative)\nNuneaton",
        "postcode": "CV11 4AA",
    },
)
DEMO_COUNCIL_ADMIN = ("council-admin@demo.cpw.test", "Ruth Okafor", "Head of Communities")
DEMO_DPO = ("dpo@demo.cpw.test", "Grace Mensah", "Data Protection Officer")
DEMO_ADMIN = ("admin@demo.cpw.test", "Portal Administrator")


def _user(email, full_name, job_title="", organisation=None, **extra):
    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "full_name": full_name,
            "job_title": job_title,
            "organisation": organisation,
            **extra,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    return user


def seed_people(programme, places) -> list[tuple[str, str]]:
    """Create the demo accounts; returns (role label, email) pairs to print."""
    accounts = []
    email, name, job_title = DEMO_COUNCIL_ADMIN
    RoleAssignment.objects.get_or_create(
        user=_user(email, name, job_title), role=Role.COUNCIL_ADMIN, council=programme.council
    )
    accounts.append((Role.COUNCIL_ADMIN.label, email))
    for email, name, job_title, role, division in DEMO_ACCOUNTS:
        user = _user(email, name, job_title)
        update_or_create_if_changed(
            RoleAssignment.objects,
            user=user,
            role=role,
            programme=programme,
            defaults={"division": places[division] if division else None},
        )
        accounts.append((role.label, email))
    email, name, job_title, org = DEMO_PARTNER
    organisation, _ = update_or_create_if_changed(
        Organisation.objects, name=org["name"], defaults=org
    )
    partner = _user(email, name, job_title, organisation=organisation)
    RoleAssignment.objects.get_or_create(user=partner, role=Role.PARTNER, programme=None)
    accounts.append((Role.PARTNER.label, email))
    # the demo council's own data protection officer (the data protection pages)
    email, name, job_title = DEMO_DPO
    RoleAssignment.objects.get_or_create(
        user=_user(email, name, job_title), role=Role.DPO, council=programme.council
    )
    accounts.append((f"{Role.DPO.label} ({programme.council.name})", email))
    admin_email, admin_name = DEMO_ADMIN
    _user(admin_email, admin_name, is_staff=True, is_superuser=True)
    accounts.append(("Staff admin", admin_email))
    return accounts
