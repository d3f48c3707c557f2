import factory

from cpw.accounts.models import Organisation, OrganisationType, Role, RoleAssignment, User
from tests.programmes.factories import CouncilFactory

TEST_PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Community Group {n}")
    kind = OrganisationType.COMMUNITY_GROUP
    address = "1 High Street\nWarwick"
    postcode = "CV34 4RL"

    class Params:
        charity = factory.Trait(
            kind=OrganisationType.REGISTERED_CHARITY,
            charity_number=factory.Sequence(lambda n: f"{1100000 + n}"),
        )
        parish_council = factory.Trait(kind=OrganisationType.TOWN_OR_PARISH_COUNCIL)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.gov.uk")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    is_active = True
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save(update_fields=["password"])


class RoleAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RoleAssignment

    user = factory.SubFactory(UserFactory)
    role = Role.OFFICER
    programme = factory.SubFactory("tests.programmes.factories.ProgrammeFactory")


def user_with_role(role: str, programme=None, division=None, council=None, **user_fields) -> User:
    """A user holding `role` (in `programme` for council roles, in `council` for council admins
    and data protection officers (a new council when none is given); partners get an
    organisation)."""
    if role == Role.DPO and council is None:
        council = CouncilFactory()
    if role in (Role.COUNCIL_ADMIN, Role.DPO):
        user = UserFactory(**user_fields)
        RoleAssignment.objects.create(user=user, role=role, council=council)
        return user
    if role == Role.PARTNER:
        user_fields.setdefault("organisation", OrganisationFactory())
        user = UserFactory(**user_fields)
        RoleAssignment.objects.create(user=user, role=Role.PARTNER, programme=None)
        return user
    user = UserFactory(**user_fields)
    RoleAssignment.objects.create(user=user, role=role, programme=programme, division=division)
    return user
