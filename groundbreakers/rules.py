"""Who may do what with groundbreakers. Views first check the global permission (council users),
then load the object through a selector that 404s outside the user's programmes, then check
the object permission."""

import rules

from cpw.accounts.models import Role
from cpw.accounts.rules import is_council_user, is_staff_admin


def _programme_of(obj):
    return getattr(obj, "programme", obj)


def _role_in_programme(*roles):
    @rules.predicate
    def predicate(user, obj):
        if obj is None or not user.is_authenticated:
            return False
        return user.has_role_in(_programme_of(obj).pk, *roles)

    return predicate


manages_programme = _role_in_programme(Role.PROGRAMME_MANAGER)
records_in_programme = _role_in_programme(Role.PROGRAMME_MANAGER, Role.OFFICER)


@rules.predicate
def leads_groundbreaker(user, groundbreaker):
    return groundbreaker is not None and groundbreaker.lead_officer_id == user.pk


rules.add_perm("groundbreakers.view_groundbreakers", is_council_user | is_staff_admin)
# obj: a programme
rules.add_perm("groundbreakers.add_groundbreaker", manages_programme)
# obj: a groundbreaker
rules.add_perm("groundbreakers.change_groundbreaker", manages_programme | leads_groundbreaker)
rules.add_perm("groundbreakers.write_update", manages_programme | leads_groundbreaker)
# obj: a programme (or a groundbreaker, whose programme is used)
rules.add_perm("groundbreakers.log_activity", records_in_programme)
rules.add_perm("groundbreakers.add_learning", records_in_programme)
