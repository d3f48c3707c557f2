"""Navigation and wording a user meets (issue 14): the manager's navigation fits on one line and
leads to reports, the right tab is highlighted, locked periods read as locked, and the compile
page only talks about progress while there is some."""

import re

from django.urls import reverse

from funds.models import ApplicationStatus
from programmes.services import reporting_period_lock
from reporting.models import JobStatus
from tests.funds.factories import ApplicationFactory
from tests.programmes.factories import CommitmentFactory

NAV_ITEM = re.compile(
    r'<li class="govuk-service-navigation__item(?P<active> govuk-service-navigation__item--active)?">'
    r'\s*<a class="govuk-service-navigation__link" href="(?P<url>[^"]+)"[^>]*>\s*(?P<label>.*?)\s*</a>',
    re.S,
)


def _nav(page: str) -> list[tuple[str, str, bool]]:
    return [
        (re.sub(r"<[^>]+>", "", m["label"]).strip(), m["url"], bool(m["active"]))
        for m in NAV_ITEM.finditer(page)
    ]


def _active(page: str) -> list[str]:
    return [label for label, _, active in _nav(page) if active]


def test_the_managers_navigation_fits_one_line_and_leads_to_reports(world, client_as):
    client = client_as(world.users["programme_manager"])
    nav = _nav(client.get(reverse("programmes:overview")).content.decode())
    labels = [label for label, _, _ in nav]
    # GOV.UK service navigation in a 960px container beside the service name: at most seven
    # short items, or it wraps at 1280px.
    assert len(labels) <= 7, labels
    assert sum(len(label) for label in labels) <= 70, labels
    assert ("Reports", reverse("reports:index"), False) in nav
    # Reports: one page from any page to the programme's reports, with the published one linked
    page = client.get(reverse("reports:index")).content.decode()
    assert "Steering group reports" in page
    assert reverse("reports:detail", args=[world.published_report.pk]) in page
    assert _active(page) == ["Reports"]
    # The delivery plan is the highlighted tab on the plan page, not "Programmes"/"Admin"
    page = client.get(reverse("programmes:plan", args=[world.programme.slug])).content.decode()
    assert _active(page) == ["Delivery plan"]
    page = client.get(reverse("reports:list", args=[world.programme.slug])).content.decode()
    assert _active(page) == ["Reports"]
    # What left the navigation is one link away: My work and people from the overview
    page = client.get(reverse("programmes:overview")).content.decode()
    assert reverse("programmes:my-work") in page
    assert reverse("reports:list", args=[world.programme.slug]) in page


def test_a_locked_period_reads_as_locked(world, client_as):
    CommitmentFactory(plan=world.commitment.plan, leads=[world.users["officer"]])
    officer = client_as(world.users["officer"])
    page = officer.get(reverse("programmes:my-work")).content.decode()
    assert re.search(r"You have \d+ updates? still to submit", page), re.findall(
        r"<p class=\"govuk-body\">.*?</p>", page
    )
    # The quarter that ended and the one running now are both locked: the one shown is locked
    for period in (world.previous_period, world.period):
        reporting_period_lock(
            period=period, user=world.users["programme_manager"], reason="Closing the quarter"
        )
    page = officer.get(reverse("programmes:my-work")).content.decode()
    assert "still to submit" not in page
    assert "Locked on" in page
    page = client_as(world.users["programme_manager"]).get(reverse("programmes:overview"))
    page = page.content.decode()
    assert "(locked)" not in page
    assert "locked on" in page


def test_the_compile_page_asks_for_a_refresh_only_while_compiling(world, client_as):
    client = client_as(world.users["programme_manager"])
    job = world.report_job
    assert job.status == JobStatus.SUCCEEDED
    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert "Refresh this page" not in page
    job.status = JobStatus.RUNNING
    job.save(update_fields=["status"])
    page = client.get(reverse("reports:job", args=[job.pk])).content.decode()
    assert "Refresh this page" in page


def test_moving_an_application_confirms_in_plain_english(world, client_as):
    application = ApplicationFactory(submitted=True, round__fund__programme=world.programme)
    client = client_as(world.users["officer"])
    response = client.post(
        reverse("funds:application-move", args=[application.pk]),
        {"target": ApplicationStatus.SCREENING},
        follow=True,
    )
    page = response.content.decode()
    assert "The application is now screening" not in page
    assert "Screening has started" in page
