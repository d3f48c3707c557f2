"""The portal's one permission policy. Views ask `user.has_perm(<name>)` (or use
`PermissionRequiredMixin`); object access goes through `get_<entity>_for_user_or_404` helpers built
on the predicates here. Staff admins (superusers) hold every permission."""

import rules

from cpw.accounts.models import COUNCIL_ROLES, Role


def _has_role(role):
    @rules.predicate(name=f"has_role_{role}")
    def predicate(user):
        return user.is_authenticated and user.has_role(role)

    return predicate


is_programme_manager = _has_role(Role.PROGRAMME_MANAGER)
is_officer = _has_role(Role.OFFICER)
is_steering_group_member = _has_role(Role.STEERING_GROUP)
is_councillor = _has_role(Role.COUNCILLOR)
is_assessor = _has_role(Role.ASSESSOR)


@rules.predicate
def is_partner(user):
    return (
        user.is_authenticated and user.has_role(Role.PARTNER) and user.organisation_id is not None
    )


@rules.predicate
def is_council_user(user):
    return user.is_authenticated and user.is_active and bool(user.roles & COUNCIL_ROLES)


@rules.predicate
def is_staff_admin(user):
    return user.is_authenticated and user.is_active and user.is_staff


# Home pages
rules.add_perm("portal.view_programme_overview", is_programme_manager)
rules.add_perm("portal.view_my_work", is_officer | is_programme_manager)
rules.add_perm("portal.view_steering_dashboard", is_steering_group_member | is_programme_manager)
rules.add_perm("portal.view_division", is_councillor)
rules.add_perm("portal.view_assessments", is_assessor)
rules.add_perm("portal.view_organisation", is_partner)

# Council-only reading of programme information
rules.add_perm("portal.view_programme", is_council_user)

# People
rules.add_perm("accounts.invite_user", is_programme_manager | is_staff_admin)
rules.add_perm("accounts.change_own_organisation", is_partner)
