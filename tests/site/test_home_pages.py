"""What each role sees first (issue 14): residents are led to open funds and the eligibility
checker; a partner's home starts with their drafts and deadlines."""

import datetime

from django.urls import reverse
from django.utils import timezone

from tests.funds.factories import (
    ApplicationFactory,
    FundFactory,
    MonitoringReportFactory,
    RoundFactory,
)


def _open_round(world, name="Community Fund", **extra):
    now = timezone.now()
    return RoundFactory(
        fund=FundFactory(programme=world.programme, name=name, slug=name.lower().replace(" ", "-")),
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=30),
        **extra,
    )


def test_a_resident_can_reach_open_funds_and_the_eligibility_checker(world, client):
    round = _open_round(world)
    closed = _open_round(world, name="Closed Fund")
    closed.closes_at = timezone.now() - datetime.timedelta(hours=1)
    closed.opens_at = closed.closes_at - datetime.timedelta(days=10)
    closed.save()
    page = client.get(reverse("home")).content.decode()
    assert reverse("funds:fund-detail", args=[round.fund.slug]) in page
    assert reverse("funds:eligibility", args=[round.fund.slug]) in page
    assert reverse("funds:fund-list") in page
    assert "Closed Fund" not in page


def test_a_partner_lands_on_their_drafts_and_deadlines_first(world, client_as):
    round = _open_round(world)
    draft = ApplicationFactory(
        round=round, organisation=world.partner_organisation, project_title="Pantry fridges"
    )
    report = MonitoringReportFactory(
        award__application__organisation=world.partner_organisation,
        award__application__project_title="Lunch club",
    )
    client = client_as(world.users["partner"])
    home = client.get(reverse("home"))
    assert home.status_code == 302
    page = client.get(home["Location"]).content.decode()
    draft_url = reverse("funds:application-tasks", args=[draft.pk])
    report_url = reverse("funds:report-submit", args=[report.award_id, report.pk])
    assert draft_url in page and report_url in page
    # ... before the list of every application
    assert page.index(draft_url) < page.index("Your organisation&#x27;s applications")
    assert "Submit by" in page
    local_close = timezone.localtime(round.closes_at)
    assert f"{local_close.day} {local_close:%B} {local_close.year}" in page
