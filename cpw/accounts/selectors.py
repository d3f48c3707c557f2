from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from .models import Organisation, User


def organisation_member_list(organisation: Organisation) -> QuerySet[User]:
    return organisation.members.order_by("full_name")


def organisation_for_partner_or_403(user: User) -> Organisation:
    """The signed-in partner's own organisation. Council staff (even admins) have none here."""
    if not user.is_authenticated or user.organisation_id is None:
        raise PermissionDenied("Only people from a partner organisation can see this page")
    return user.organisation
