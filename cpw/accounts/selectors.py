from django.db.models import QuerySet

from .models import Organisation, RoleAssignment, User


def role_assignment_list_for_manager(user: User) -> QuerySet[RoleAssignment]:
    """Council role assignments in the programmes this user manages (all of them for staff)."""
    from programmes.selectors import programme_list_managed_by

    return (
        RoleAssignment.objects.filter(programme__in=programme_list_managed_by(user))
        .select_related("user", "programme", "division")
        .order_by("programme__name", "user__full_name", "role")
    )


def organisation_member_list(organisation: Organisation) -> QuerySet[User]:
    return organisation.members.order_by("full_name")


def organisation_of(user: User) -> Organisation | None:
    """The partner organisation the user belongs to (None for council staff)."""
    return user.organisation if user.organisation_id else None
