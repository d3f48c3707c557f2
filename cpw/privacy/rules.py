"""Only data protection officers and staff admins see the register, the logs, and run subject
access and erasure. A data protection officer is appointed for one council and sees only what
is about that council's data (the selectors scope the lists; a record of another council's,
such as its subject-access request, answers 404)."""

import rules

from cpw.accounts.rules import is_dpo, is_dpo_of_council, is_staff_admin

rules.add_perm("privacy.manage", is_dpo | is_staff_admin)
rules.add_perm("privacy.view_record", is_dpo_of_council | is_staff_admin)
