"""Who may do what in evaluation. Object access (which programme) goes through the
`get_<entity>_for_user_or_404` selectors: only programmes the user has a role in."""

import rules

from cpw.accounts.rules import is_council_user, is_officer, is_programme_manager

rules.add_perm("evaluation.view_evaluation", is_council_user)
rules.add_perm("evaluation.record_observation", is_officer | is_programme_manager)
rules.add_perm("evaluation.manage_evaluation", is_programme_manager)
