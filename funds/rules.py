"""Permissions for funds, built from the portal's predicates in cpw/accounts/rules.py."""

import rules

from cpw.accounts.rules import (
    is_assessor,
    is_officer,
    is_partner,
    is_programme_manager,
    is_staff_admin,
)

# Partners
rules.add_perm("funds.apply", is_partner)
rules.add_perm("funds.view_own_applications", is_partner)
rules.add_perm("funds.view_own_grants", is_partner)

# Council
rules.add_perm("funds.view_applications", is_officer | is_programme_manager | is_staff_admin)
rules.add_perm("funds.screen_application", is_officer | is_programme_manager | is_staff_admin)
rules.add_perm("funds.assign_assessors", is_programme_manager | is_staff_admin)
rules.add_perm("funds.decide", is_programme_manager | is_staff_admin)
rules.add_perm("funds.award", is_programme_manager | is_staff_admin)
rules.add_perm("funds.manage_payments", is_officer | is_programme_manager | is_staff_admin)
rules.add_perm("funds.manage_fund", is_programme_manager | is_staff_admin)
rules.add_perm("funds.view_fund_dashboard", is_officer | is_programme_manager | is_staff_admin)
rules.add_perm("funds.assess", is_assessor)
