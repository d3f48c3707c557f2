"""Who may do what in evaluation. Every object rule asks about the user's roles in the object's
own programme (a framework's, a metric's, a survey wave's or an index's): a manager of one
programme who sits on another's steering group only reads the other's figures.

- `view_evaluation` (portal-wide): the evaluation home page, for council users; it lists only
  the frameworks of the user's own programmes.
- `view_framework`: anyone with a council role in the programme reads its framework, metrics,
  figures, survey results and indexes (and their exports). Everyone else, partners included,
  gets 404.
- `record_observation`: the programme's officers and managers add and import figures.
- `manage_evaluation`: the programme's managers change metrics, recalculate derived figures,
  create survey waves, import responses, issue and download survey links, and weight indexes."""

import rules

from cpw.accounts.rules import (
    council_in_programme,
    is_council_user,
    manages_programme,
    works_in_programme,
)

rules.add_perm("evaluation.view_evaluation", is_council_user)
rules.add_perm("evaluation.view_framework", council_in_programme)
rules.add_perm("evaluation.record_observation", works_in_programme)
rules.add_perm("evaluation.manage_evaluation", manages_programme)
