from unittest import mock

from programmes.services import reporting_periods_ensure
from reporting.services import report_compile_now, report_publish
from tests.access import PM, STAFF, STEERING, Access

MANAGERS = frozenset({PM, STAFF})


# The access world is built for every matrix row: its reports carry a one-page stand-in PDF
# (tests/reporting render the real ones) so that each row does not lay out four reports.
STAND_IN_PDF = b"%PDF-1.4\n%stand-in for the access matrix\n%%EOF\n"


def extend_world(world):
    q1, q2 = reporting_periods_ensure(programme=world.programme, first="2024-Q1", last="2024-Q2")
    world.report_period = q2
    with mock.patch("reporting.services.render_pdf", return_value=STAND_IN_PDF):
        published = report_compile_now(programme=world.programme, period=q1)
        world.published_report = report_publish(report=published, user=None, reason="Test world")
        world.draft_report = report_compile_now(programme=world.programme, period=q2)
    world.report_job = world.draft_report.job


# A report belongs to its programme: its steering group and managers (and staff) read it; anyone
# else with a council role there gets 403, everyone outside it 404. Compile jobs, drafts and the
# publish step are known only to the programme's managers (404 for everyone else).
READERS = frozenset({STEERING, PM, STAFF})


def _report(name, allowed, kwargs, **extra):
    extra.setdefault("other_ok_status", 405)
    return Access(name, allowed, kwargs=kwargs, scoped=True, hidden_from_partners=True, **extra)


def _published(w):
    return {"pk": w.published_report.pk}


ACCESS = [
    Access(
        "reports:steering",
        frozenset({STEERING, PM, STAFF}),
        scoped=False,
        other_ok_status=405,
        notes="Lists only the programmes the user steers or manages",
    ),
    Access(
        "reports:index",
        frozenset({STEERING, PM, STAFF}),
        scoped=False,
        other_ok_status=405,
        notes="One programme: its reports; several: a list of programmes",
    ),
    _report("reports:list", READERS, lambda w: {"slug": w.programme.slug}),
    _report(
        "reports:compile",
        MANAGERS,
        lambda w: {"slug": w.programme.slug, "label": w.report_period.label},
        method="post",
        ok_status=302,
        html=False,
    ),
    _report("reports:job", MANAGERS, lambda w: {"pk": w.report_job.pk}, denied_status=404),
    _report(
        "reports:job-status",
        MANAGERS,
        lambda w: {"pk": w.report_job.pk},
        denied_status=404,
        html=False,
    ),
    _report("reports:detail", READERS, _published),
    _report("reports:pdf", READERS, _published, html=False),
    _report("reports:xlsx", READERS, _published, html=False),
    _report(
        "reports:publish",
        MANAGERS,
        lambda w: {"pk": w.draft_report.pk},
        denied_status=404,
        other_ok_status=200,
        notes="GET asks are you sure; POST publishes (tests/reporting/test_publishing.py), but "
        "the world's draft has updates missing, so an empty POST asks for the reason",
    ),
]
