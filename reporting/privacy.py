"""The personal data the reporting app holds (see cpw.core.personal_data). Published reports
hold figures and officers' words, not residents' data; only who compiled and published them."""

from cpw.core.personal_data import Basis, Rule, register

from .models import QuarterlyReport, ReportCompileJob

register(
    QuarterlyReport,
    fields=["publish_reason"],
    people=["compiled_by", "published_by"],
    basis=Basis.PUBLIC_TASK,
    purpose="To record who compiled and published each report",
    retention=Rule("Kept permanently: the programme's published record"),
)
register(
    ReportCompileJob,
    people=["requested_by"],
    basis=Basis.PUBLIC_TASK,
    purpose="To record who asked for each report to be compiled",
    retention=Rule("Kept with the report"),
)
