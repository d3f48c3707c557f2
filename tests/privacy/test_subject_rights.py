"""Subject access and erasure: a person seeded across every app."""

import io
import json
import zipfile
from types import SimpleNamespace
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from cpw.accounts.models import Role
from cpw.core.models import OutboundEmail
from cpw.privacy.models import AccessKind, AccessLogEntry, ErasureLogEntry, RequestStatus
from cpw.privacy.services import (
    Subject,
    erasure_apply,
    erasure_preview,
    subject_access_request_start,
    subject_find,
)
from funds.models import ApplicationStatus, Comment
from groundbreakers.models import WorkingGroupMember
from programmes.models import Risk
from programmes.services import reporting_periods_ensure
from reporting.services import report_compile_now, report_publish
from tests.accounts.factories import user_with_role
from tests.evaluation.factories import FrameworkFactory, MetricFactory, ObservationFactory
from tests.funds.factories import ApplicationFactory, AwardFactory, PaymentFactory
from tests.groundbreakers.factories import ActivityFactory, GroundbreakerFactory
from tests.programmes.factories import (
    CommitmentFactory,
    CommitmentUpdateFactory,
    GovernanceBodyMemberFactory,
    ProgrammeFactory,
)

pytestmark = pytest.mark.django_db

EMAIL = "pat.person@example.org"
NAME = "Pat Person"


@pytest.fixture
def person():
    """One person with records in every app, and the record ids expected in their ZIP."""
    programme = ProgrammeFactory()
    user = user_with_role(Role.OFFICER, programme, email=EMAIL, full_name=NAME)
    expected = {("accounts.User", user.pk)}
    expected.add(("accounts.RoleAssignment", user.role_assignments.get().pk))
    email = OutboundEmail.objects.create(to=EMAIL, subject="Welcome", body=f"Dear {NAME}")
    expected.add(("core.OutboundEmail", email.pk))
    member = GovernanceBodyMemberFactory(body__programme=programme, name=NAME, user=user)
    expected.add(("programmes.GovernanceBodyMember", member.pk))
    commitment = CommitmentFactory(plan__programme=programme)
    risk = Risk.objects.create(
        commitment=commitment, description="Slippage", likelihood=2, impact=3, owner=NAME
    )
    expected.add(("programmes.Risk", risk.pk))
    update = CommitmentUpdateFactory(commitment=commitment, submitted=True, submitted_by=user)
    expected.add(("programmes.CommitmentUpdate", update.pk))
    groundbreaker = GroundbreakerFactory(programme=programme, lead_officer=user)
    expected.add(("groundbreakers.Groundbreaker", groundbreaker.pk))
    working = WorkingGroupMember.objects.create(groundbreaker=groundbreaker, user=user)
    expected.add(("groundbreakers.WorkingGroupMember", working.pk))
    activity = ActivityFactory(programme=programme, recorded_by=user, notes="Went well")
    expected.add(("groundbreakers.Activity", activity.pk))
    declined = ApplicationFactory(
        created_by=user, declaration_name=NAME, status=ApplicationStatus.DECLINED
    )
    expected.add(("funds.Application", declined.pk))
    comment = Comment.objects.create(application=declined, author=user, text="Chasing")
    expected.add(("funds.Comment", comment.pk))
    award = AwardFactory(application__created_by=user, application__declaration_name=NAME)
    payment = PaymentFactory(award=award)
    expected |= {
        ("funds.Application", award.application.pk),
        ("funds.Award", award.pk),
        ("funds.Payment", payment.pk),
    }
    (q1,) = reporting_periods_ensure(programme=programme, first="2024-Q1", last="2024-Q1")
    framework = FrameworkFactory(programme=programme)
    observation = ObservationFactory(
        metric=MetricFactory(framework=framework), period=q1, recorded_by=user
    )
    expected.add(("evaluation.Observation", observation.pk))
    with mock.patch("reporting.services.render_pdf", return_value=b"%PDF-1.4 stand-in"):
        report = report_publish(
            report=report_compile_now(programme=programme, period=q1), user=user
        )
    expected.add(("reporting.QuarterlyReport", report.pk))
    # someone else, who must not appear
    other = ApplicationFactory(declaration_name="Someone Else")
    return SimpleNamespace(
        user=user,
        expected=expected,
        declined=declined,
        award=award,
        risk=risk,
        other=other,
        email=email,
    )


def _zip_records(content: bytes) -> tuple[set, dict, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        payload = json.loads(archive.read("records.json"))
        html = archive.read("records.html").decode()
    found = {
        (section["model"], record["id"])
        for section in payload["sections"]
        for record in section["records"]
    }
    return found, payload, html


def test_every_app_is_seeded(person):
    apps_seeded = {label.split(".")[0] for label, _ in person.expected}
    assert apps_seeded >= {
        "accounts",
        "core",
        "programmes",
        "groundbreakers",
        "funds",
        "evaluation",
        "reporting",
    }


def test_the_subject_access_zip_holds_every_record_about_the_person(
    person, tmp_path, django_capture_on_commit_callbacks
):
    dpo = user_with_role(Role.DPO)
    with django_capture_on_commit_callbacks(execute=True):
        request = subject_access_request_start(user=dpo, email=EMAIL, name=NAME)
    request.refresh_from_db()  # the task ran (eagerly) once the request was committed
    assert request.status == RequestStatus.SUCCEEDED
    assert request.progress == 100
    found, payload, html = _zip_records(request.file.read())

    assert person.expected <= found
    assert ("funds.Application", person.other.pk) not in found
    # history and the emails sent are in it, readable as well as in JSON
    risk = next(s for s in payload["sections"] if s["model"] == "programmes.Risk")
    assert risk["records"][0]["history"][0]["fields"]["owner"] == NAME
    assert "Dear Pat Person" in html
    assert "password" not in json.dumps(payload)
    assert AccessLogEntry.objects.filter(
        kind=AccessKind.SUBJECT_ACCESS, user=dpo, rows=request.records
    ).exists()

    out = tmp_path / "request.zip"
    stdout = io.StringIO()
    call_command("subject_access", EMAIL, str(out), stdout=stdout)
    by_email = _zip_records(out.read_bytes())[0]
    # the risk names them but is not linked to their account: found by name only
    assert person.expected - by_email == {("programmes.Risk", person.risk.pk)}
    assert f"records written to {out}" in stdout.getvalue()


def test_a_search_by_name_finds_records_that_only_give_the_name(person):
    found = {
        (item.declaration.label, pk)
        for item in subject_find(Subject(name="pat person"))
        for pk in item.pks
    }
    assert ("programmes.Risk", person.risk.pk) in found
    assert ("funds.Application", person.declined.pk) in found


def test_erasure_leaves_nothing_searchable_but_what_the_preview_kept(person):
    subject = Subject(email=EMAIL, name=NAME)
    dpo = user_with_role(Role.DPO)
    preview = erasure_preview(subject)
    kept = preview.kept_keys
    assert ("funds.Application", person.award.application.pk) in kept
    assert ("funds.Award", person.award.pk) in kept
    assert ("funds.Application", person.declined.pk) not in kept

    entry = erasure_apply(subject=subject, user=dpo)

    left = {
        (item.declaration.label, pk)
        for probe in (Subject(email=EMAIL), Subject(name=NAME), subject)
        for item in subject_find(probe)
        for pk in item.pks
    }
    assert left <= kept
    person.user.refresh_from_db()
    assert EMAIL not in person.user.email and NAME not in person.user.full_name
    assert not person.user.has_usable_password() and not person.user.is_active
    person.risk.refresh_from_db()
    assert person.risk.owner.startswith("Person ")
    assert not Risk.history.filter(owner=NAME).exists()
    assert not OutboundEmail.objects.filter(pk=person.email.pk).exists()
    # the kept grant is untouched; someone else's application too
    person.award.application.refresh_from_db()
    assert person.award.application.declaration_name == NAME
    person.other.refresh_from_db()
    assert person.other.declaration_name == "Someone Else"
    # the erasure log names counts, not the person
    logged = json.dumps(entry.counts) + entry.subject_ref
    assert EMAIL not in logged and "Pat" not in logged
    assert ErasureLogEntry.objects.get().erased_at <= timezone.now()
