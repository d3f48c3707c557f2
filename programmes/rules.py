"""Permissions for delivery plans. Object access (is this commitment yours?) is checked by the
get_<entity>_for_user_or_404 selectors."""

import rules

from cpw.accounts.rules import is_council_user, is_officer, is_programme_manager

rules.add_perm("programmes.view_delivery_plan", is_council_user)
rules.add_perm("programmes.update_commitment", is_officer | is_programme_manager)
rules.add_perm("programmes.manage_delivery_plan", is_programme_manager)
