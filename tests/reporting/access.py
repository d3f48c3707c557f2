from programmes.services import reporting_periods_ensure
from reporting.services import report_compile_now, report_publish
from tests.access import COUNCIL, PM, STAFF, STEERING, Access

MANAGERS = frozenset({PM, STAFF})


def extend_world(world):
    q1, q2 = reporting_periods_ensure(programme=world.programme, first="2024-Q1", last="2024-Q2")
    world.report_period = q2
    published = report_compile_now(programme=world.programme, period=q1)
    world.published_report = report_publish(report=published, user=None)
    world.draft_report = report_compile_now(programme=world.programme, period=q2)
    world.report_job = world.draft_report.job


ACCESS = [
    Access("reports:steering", frozenset({STEERING, PM, STAFF})),
    Access("reports:list", COUNCIL, kwargs=lambda w: {"slug": w.programme.slug}),
    Access(
        "reports:compile",
        MANAGERS,
        kwargs=lambda w: {"slug": w.programme.slug, "label": w.report_period.label},
        method="post",
        ok_status=302,
        html=False,
    ),
    Access("reports:job", MANAGERS, kwargs=lambda w: {"pk": w.report_job.pk}, denied_status=404),
    Access(
        "reports:job-status",
        MANAGERS,
        kwargs=lambda w: {"pk": w.report_job.pk},
        denied_status=404,
        html=False,
    ),
    Access(
        "reports:detail", COUNCIL, kwargs=lambda w: {"pk": w.published_report.pk}, denied_status=404
    ),
    Access(
        "reports:pdf",
        COUNCIL,
        kwargs=lambda w: {"pk": w.published_report.pk},
        denied_status=404,
        html=False,
    ),
    Access(
        "reports:xlsx",
        COUNCIL,
        kwargs=lambda w: {"pk": w.published_report.pk},
        denied_status=404,
        html=False,
    ),
    Access(
        "reports:publish", MANAGERS, kwargs=lambda w: {"pk": w.draft_report.pk}, denied_status=404
    ),
]
