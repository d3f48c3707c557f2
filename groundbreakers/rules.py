"""Who may do what with groundbreakers, always in the object's own programme (a programme's, a
groundbreaker's, an activity's or a learning entry's: see `programme_id_of`). Pages check them
through `cpw.core.access`:

- `view_groundbreakers` (portal-wide): the index and the navigation, for council users; the
  index lists only the user's own programmes' groundbreakers. Partners get 403.
- `view_groundbreaker`: anyone with a council role in the object's programme reads its
  groundbreakers, activity log and totals (and their exports), learning log and quarterly
  updates. Everyone else gets 404, as for an object that does not exist.
- `add_groundbreaker` (a programme): the programme's managers.
- `change_groundbreaker` (a groundbreaker): its lead officer, while they work in the programme,
  or the programme's managers change its details, status, key outcomes and working group and
  write its quarterly updates (`write_update`).
- `log_activity` / `add_learning` (a programme, or anything in it): the programme's officers and
  managers log and correct activities and record learning.
- `import_activities` (a programme): its managers import an engagement log from a file.
- `manage_audiences` (a programme): its managers add to its council's list of audiences.
- `manage_groundbreaker` / `lead_groundbreaker` (a groundbreaker): who counts as the manager
  and as the lead in the lifecycle's table of transitions (`workflow.TRANSITIONS`)."""

import rules

from cpw.accounts.rules import (
    council_in_programme,
    is_council_user,
    manages_programme,
    works_in_programme,
)


@rules.predicate
def is_lead_officer(user, groundbreaker):
    return (
        groundbreaker is not None
        and user.is_authenticated
        and groundbreaker.lead_officer_id == user.pk
    )


leads_groundbreaker = is_lead_officer & works_in_programme

rules.add_perm("groundbreakers.view_groundbreakers", is_council_user)
rules.add_perm("groundbreakers.view_groundbreaker", council_in_programme)
rules.add_perm("groundbreakers.add_groundbreaker", manages_programme)
rules.add_perm("groundbreakers.change_groundbreaker", manages_programme | leads_groundbreaker)
rules.add_perm("groundbreakers.write_update", manages_programme | leads_groundbreaker)
rules.add_perm("groundbreakers.log_activity", works_in_programme)
rules.add_perm("groundbreakers.add_learning", works_in_programme)
rules.add_perm("groundbreakers.import_activities", manages_programme)
rules.add_perm("groundbreakers.manage_audiences", manages_programme)
rules.add_perm("groundbreakers.manage_groundbreaker", manages_programme)
rules.add_perm("groundbreakers.lead_groundbreaker", leads_groundbreaker)
