"""Who may read and make a programme's quarterly reports, in the report's programme.

A report belongs to its programme: its steering group and managers (and staff admins) read the
published versions; its managers compile, read drafts and publish. Anyone else with a council role
in the programme may know a published report exists (403); nobody else may know of it (404)."""

import rules

from cpw.accounts.rules import council_in_programme, manages_programme, steers_programme


@rules.predicate
def is_published_report(user, report) -> bool:
    return report is not None and report.is_published


# The reports page of a programme, and the published reports on it.
rules.add_perm("reports.view_reports", steers_programme)
# May know the report exists: a published one, anyone with a council role in its programme;
# a draft, only the programme's managers.
rules.add_perm(
    "reports.see_report", council_in_programme & (is_published_report | manages_programme)
)
rules.add_perm("reports.view_report", steers_programme & (is_published_report | manages_programme))
# Compile, follow a compile job, publish (on a programme, period, job or report).
rules.add_perm("reports.manage_reports", manages_programme)
