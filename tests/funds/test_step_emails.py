"""The applicant is emailed at each step, and an assessor when they are given an application
(issue 14), in GOV.UK Notify style: what has happened, then what happens next."""

import pytest

from cpw.accounts.models import Role
from cpw.core.models import OutboundEmail
from funds import services
from funds.models import ApplicationStatus, EmailTemplate, EmailTemplateKind
from tests.accounts.factories import user_with_role
from tests.funds.factories import ApplicationFactory
from tests.programmes.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def _application(**traits):
    programme = ProgrammeFactory()
    application = ApplicationFactory(round__fund__programme=programme, **traits)
    applicant = user_with_role(Role.PARTNER, organisation=application.organisation)
    manager = user_with_role(Role.PROGRAMME_MANAGER, programme)
    return application, applicant, manager


def test_the_applicant_is_emailed_when_screening_starts(django_capture_on_commit_callbacks):
    application, applicant, manager = _application(submitted=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_move(
            application=application, user=manager, target=ApplicationStatus.SCREENING
        )
    email = OutboundEmail.objects.get(to=applicant.email)
    assert email.subject == f"We are checking your application {application.reference}"
    assert application.project_title in email.body
    assert "What happens next" in email.body


def test_the_applicant_is_emailed_when_it_goes_to_assessment():
    application, applicant, manager = _application(screening=True)
    services.application_move(
        application=application, user=manager, target=ApplicationStatus.IN_ASSESSMENT
    )
    email = OutboundEmail.objects.get(to=applicant.email)
    assert email.subject == f"Your application {application.reference} is being assessed"
    assert "We will email you with the decision" in email.body


def test_a_managers_own_wording_is_used_for_a_step():
    application, applicant, manager = _application(submitted=True)
    EmailTemplate.objects.create(
        fund=application.round.fund,
        kind=EmailTemplateKind.SCREENING,
        subject="Checking {reference}",
        body="We are looking at {project_title}.",
    )
    services.application_move(
        application=application, user=manager, target=ApplicationStatus.SCREENING
    )
    email = OutboundEmail.objects.get(to=applicant.email)
    assert email.subject == f"Checking {application.reference}"


def test_the_assessor_is_emailed_when_assigned_with_a_link_to_declare():
    application, _, manager = _application(screening=True)
    assessor = user_with_role(Role.ASSESSOR, application.round.fund.programme)
    assignment = services.assessor_assign(application=application, assessor=assessor, user=manager)
    email = OutboundEmail.objects.get(to=assessor.email)
    assert application.reference in email.subject
    assert "conflict of interest" in email.body
    assert f"/assessments/{assignment.pk}/declare/" in email.body


def test_a_replacement_assessor_is_emailed_too():
    application, _, manager = _application(in_assessment=True)
    programme = application.round.fund.programme
    first = user_with_role(Role.ASSESSOR, programme)
    spare = user_with_role(Role.ASSESSOR, programme)
    assignment = services.assessor_assign(application=application, assessor=first, user=manager)
    services.conflict_declare(
        assignment=assignment, user=first, conflicted=True, details="I volunteer there"
    )
    assert OutboundEmail.objects.filter(to=spare.email).exists()
