"""Only the data protection officer and staff admins see the register, the logs, and run
subject access and erasure."""

import rules

from cpw.accounts.rules import is_dpo, is_staff_admin

rules.add_perm("privacy.manage", is_dpo | is_staff_admin)
