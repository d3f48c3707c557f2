"""The DPO's pages, the access log's hooks in the exports, and the generated privacy notice."""

import io
import zipfile

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from cpw.accounts.models import Role
from cpw.core.models import OutboundEmail
from cpw.privacy.models import AccessKind, AccessLogEntry, ErasureLogEntry, SubjectAccessRequest
from cpw.privacy.selectors import notice_sections
from cpw.privacy.services import record_access
from tests.accounts.factories import UserFactory, user_with_role
from tests.funds.factories import ApplicationFactory, AwardFactory
from tests.programmes.factories import CouncilFactory, ProgrammeFactory

pytestmark = [pytest.mark.django_db, pytest.mark.world_per_test]


@pytest.fixture
def programme():
    return ProgrammeFactory()


@pytest.fixture
def dpo(programme):
    """The data protection officer of `programme`'s council."""
    return user_with_role(Role.DPO, council=programme.council)


def test_the_register_is_generated_from_the_declarations(client_as, dpo):
    page = client_as(dpo).get(reverse("privacy:register")).content.decode()
    assert "Unsuccessful applications: anonymised 2 years after the decision" in page
    assert "Grants: anonymised 7 years after the last payment" in page
    assert "core.OutboundEmail" in page
    assert "Legal obligation" in page
    # the framework's tables: sessions and the admin log declared, the schedules marked
    assert "sessions.Session" in page and "admin.LogEntry" in page
    assert "Tables that hold no personal data" in page
    assert "django_celery_beat.PeriodicTask" in page


def test_a_dpo_lands_on_the_register_and_sees_it_in_the_navigation(client_as, dpo):
    client = client_as(dpo)
    assert client.get(reverse("home"))["Location"] == reverse("privacy:register")
    page = client.get(reverse("privacy:register")).content.decode()
    assert 'href="/data-protection/"' in page


def test_the_access_log_flags_unusual_volumes(client_as, dpo, settings):
    settings.PRIVACY_UNUSUAL_ROWS = 1000
    settings.PRIVACY_UNUSUAL_ACCESSES_PER_DAY = 3
    council = dpo.role_assignments.get().council
    big, busy, quiet = UserFactory(), UserFactory(), UserFactory()
    record_access(user=big, what="Applications to Big Fund (CSV)", rows=5000, council=council)
    for n in range(4):
        record_access(
            user=busy, what=f"Attachment {n}", rows=1, kind=AccessKind.DOWNLOAD, council=council
        )
    record_access(user=quiet, what="Panel spreadsheet", rows=12, council=council)
    page = client_as(dpo).get(reverse("privacy:access-log")).content.decode()
    assert "5,000 rows in one go" in page
    assert "4 accesses by this person in 24 hours" in page
    assert page.count("govuk-tag--red") == 2  # the big one and the busy person's 4th
    assert "Panel spreadsheet" in page


def test_exports_and_downloads_are_recorded(world, client_as):
    manager = world.users[Role.PROGRAMME_MANAGER.value]
    client = client_as(manager)
    response = client.get(reverse("funds:panel-export", kwargs={"pk": world.funds.round.pk}))
    assert response.status_code == 200
    entry = AccessLogEntry.objects.get(user=manager)
    assert entry.kind == AccessKind.EXPORT
    assert entry.rows == world.funds.round.applications.count()
    assert "Panel spreadsheet" in entry.what

    response = client.get(
        reverse("groundbreakers:activity-export-csv", kwargs={"programme": world.programme.slug})
    )
    body = b"".join(response.streaming_content).decode()
    streamed = AccessLogEntry.objects.get(user=manager, what__startswith="Activity log")
    assert streamed.rows == body.count("\n") - 1  # every row but the headings

    client.get(reverse("programmes:evidence-download", kwargs={"pk": world.evidence.pk}))
    assert AccessLogEntry.objects.filter(
        user=manager, kind=AccessKind.DOWNLOAD, what=f"Evidence file {world.evidence.pk}"
    ).exists()


def test_subject_access_from_search_to_download(
    client_as, dpo, programme, django_capture_on_commit_callbacks
):
    person = UserFactory(email="sam@example.org", full_name="Sam Sample")
    ApplicationFactory(created_by=person, round__fund__programme=programme)
    OutboundEmail.objects.create(to="sam@example.org", subject="Hello", body="Dear Sam")
    client = client_as(dpo)
    # the search is POSTed: the email address never appears in an address or a server log
    page = client.post(reverse("privacy:subject-access"), {"email": "SAM@example.org"})
    text = page.content.decode()
    assert "records found" in text and "Outbound emails" in text and "Applications" in text
    assert 'name="build" value="yes"' in text

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("privacy:subject-access"),
            {"email": "sam@example.org", "name": "", "build": "yes"},
        )
    request = SubjectAccessRequest.objects.get()
    assert response["Location"] == reverse("privacy:subject-access-request", args=[request.pk])
    assert "Download the ZIP" in client.get(response["Location"]).content.decode()
    download = client.get(reverse("privacy:subject-access-download", args=[request.pk]))
    content = b"".join(download.streaming_content)
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert names == ["records.json", "records.html"]
    assert AccessLogEntry.objects.filter(user=dpo, kind=AccessKind.DOWNLOAD).exists()


def test_a_search_needs_an_email_or_a_name(client_as, dpo):
    page = client_as(dpo).post(reverse("privacy:subject-access"), {"email": "", "name": ""})
    assert "Enter an email address or a full name" in page.content.decode()


def test_a_search_from_the_address_is_ignored(client_as, dpo):
    """A search in the query string is not run: the form is not bound to it."""
    UserFactory(email="sam@example.org")
    page = client_as(dpo).get(reverse("privacy:subject-access"), {"email": "sam@example.org"})
    text = page.content.decode()
    assert "records found" not in text and "govuk-error-summary" not in text
    assert '<form method="post"' in text


@pytest.mark.parametrize("url_name", ["privacy:subject-access", "privacy:erasure"])
def test_a_bad_email_address_shows_the_govuk_error_summary(client_as, dpo, url_name):
    response = client_as(dpo).post(reverse(url_name), {"email": "not-an-email", "name": ""})
    assert response.status_code == 200
    text = response.content.decode()
    assert "<title>Error: " in text
    assert 'class="govuk-error-summary"' in text
    assert 'href="#id_email"' in text
    assert "Enter an email address like name@example.com" in text
    assert "records found" not in text


def test_erasure_previews_then_erases_in_one_step(client_as, dpo, programme):
    person = UserFactory(email="kim@example.org", full_name="Kim Keep")
    declined = ApplicationFactory(
        created_by=person, declaration_name="Kim Keep", round__fund__programme=programme
    )
    granted = AwardFactory(
        application__created_by=person, application__round__fund__programme=programme
    ).application
    client = client_as(dpo)
    preview = client.post(reverse("privacy:erasure"), {"email": "kim@example.org"}).content.decode()
    assert "What must be kept" in preview
    assert "Grant records are kept for 7 years" in preview
    assert "Their account is anonymised" in preview
    declined.refresh_from_db()
    assert declined.declaration_name == "Kim Keep"  # a preview changes nothing

    response = client.post(
        reverse("privacy:erasure"), {"email": "kim@example.org", "name": "", "confirm": "yes"}
    )
    assert response["Location"] == reverse("privacy:erasure-log")
    declined.refresh_from_db()
    granted.refresh_from_db()
    assert declined.declaration_name.startswith("Person ")
    assert granted.created_by_id == person.pk
    entry = ErasureLogEntry.objects.get()
    assert entry.erased_by == dpo and entry.council == programme.council
    log = client.get(reverse("privacy:erasure-log")).content.decode()
    assert entry.subject_ref in log and "kim@example.org" not in log


def test_the_privacy_notice_is_generated_from_the_register_and_names_the_dpo_and_ico(client):
    page = client.get(reverse("privacy")).content.decode()
    assert "What we hold, why, and for how long" in page
    assert "Survey responses: anonymised once a report covering the wave has been published" in page
    assert "https://ico.org.uk/make-a-complaint/" in page
    # on a council's pages, the notice names that council's DPO
    council = CouncilFactory(name="Shire Council", dpo_email="dpo@shire.example")
    own = render_to_string(
        "privacy/_notice.html", {"council": council, "notice_sections": notice_sections()}
    )
    assert "The data protection officer of Shire Council" in own
    assert 'href="mailto:dpo@shire.example"' in own


def test_the_privacy_notice_names_the_councils_appointed_dpo(client_as, programme):
    """On a council's pages the notice names the person appointed its data protection officer,
    not another council's."""
    council = programme.council
    user_with_role(Role.DPO, council=council, full_name="Dana Protect", email="dana@shire.example")
    user_with_role(Role.DPO, council=CouncilFactory(unitary=True), full_name="Other Officer")
    officer = user_with_role(Role.OFFICER, programme)
    page = client_as(officer).get(reverse("privacy")).content.decode()
    assert f"The data protection officer of {council.name} is Dana Protect" in page
    assert "Other Officer" not in page
