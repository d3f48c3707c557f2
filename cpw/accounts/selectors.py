from django.db.models import QuerySet

from .models import Organisation, User


def organisation_member_list(organisation: Organisation) -> QuerySet[User]:
    return organisation.members.order_by("full_name")


def organisation_of(user: User) -> Organisation | None:
    """The partner organisation the user belongs to (None for council staff)."""
    return user.organisation if user.organisation_id else None
