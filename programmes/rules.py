"""Who may do what with programmes, delivery plans and commitments, in the object's programme.

Every object page checks two permissions through `cpw.core.access`: `programmes.view_programme`
(may the user know the object exists? any council role in its programme; 404 otherwise) and the
page's own permission (403 otherwise). Pages about no one object check the portal-wide ones at the
end, and their selectors list only the user's own programmes."""

import rules

from cpw.accounts.rules import (
    council_in_programme,
    is_council_user,
    is_staff_admin,
    manages_programme,
    works_for_council,
    works_in_programme,
)


@rules.predicate
def leads_commitment(user, commitment) -> bool:
    """The user is one of the commitment's lead officers (uses a prefetched `lead_users`)."""
    if commitment is None or not user.is_authenticated:
        return False
    return any(lead.pk == user.pk for lead in commitment.lead_users.all())


# Objects: a programme, its reporting periods, its commitments and their updates and evidence.
rules.add_perm("programmes.view_programme", council_in_programme)
rules.add_perm("programmes.manage_programme", manages_programme)
rules.add_perm("programmes.view_commitment", council_in_programme)
rules.add_perm("programmes.change_commitment", manages_programme)
# A commitment's milestones, risks and quarterly updates: its leads and the programme's managers.
rules.add_perm(
    "programmes.edit_commitment", manages_programme | (works_in_programme & leads_commitment)
)
# Evidence is shown with the update on the commitment's page: whoever may read that page.
rules.add_perm("programmes.view_evidence", council_in_programme)

# Portal-wide: the navigation, and the page that finds the user's own programmes' plan.
rules.add_perm("programmes.view_delivery_plan", is_council_user)

# A council's own pages: its staff may know it exists (403 on its set-up pages unless they
# administer it); everyone else gets 404.
rules.add_perm("programmes.know_council", works_for_council | is_staff_admin)
