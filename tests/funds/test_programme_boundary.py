"""The programme is a boundary in funds. Reverting the funds rules to the old "has this role in
any programme" test makes the access matrix fail, and the actions a reviewer saw an officer and
a manager of programme B take on programme A's fund, application and grant are refused with
real form data, leaving nothing changed and nobody emailed."""

from decimal import Decimal

import pytest
import rules
from django.core import mail
from django.urls import reverse
from rules.permissions import permissions

from cpw.accounts.models import Role, RoleAssignment
from cpw.accounts.rules import (
    belongs_to_own_organisation,
    council_in_programme,
    is_officer,
    is_programme_manager,
)
from funds.models import (
    ApplicationStatus,
    AssessorAssignment,
    ConflictStatus,
    Decision,
    EmailTemplate,
    MemberRecommendation,
    Payment,
    PaymentStatus,
)
from funds.rules import applied_to_fund
from tests.access import all_access_rows
from tests.funds.factories import (
    AllocationFactory,
    ApplicationFactory,
    AssignmentFactory,
    PaymentFactory,
)
from tests.test_access_matrix import MatrixClient, walk

BOUNDARY_ROWS = [
    "funds:application-review",
    "funds:fund-dashboard",
    "funds:payment-add",
    "funds:payment-approve",
    "funds:payment-paid",
]
ROWS = {row.url_name: row for row in all_access_rows() if row.url_name in BOUNDARY_ROWS}

any_council_staff = is_officer | is_programme_manager
# The rules as they were: a role in any programme let a user into every programme's funds.
ANY_PROGRAMME = {
    "funds.view_fund": council_in_programme | applied_to_fund | any_council_staff,
    "funds.view_application": (
        council_in_programme | belongs_to_own_organisation | any_council_staff
    ),
    "funds.view_grant": council_in_programme | belongs_to_own_organisation | any_council_staff,
    "funds.review_application": any_council_staff,
    "funds.view_fund_dashboard": any_council_staff,
    "funds.manage_payments": any_council_staff,
}


@pytest.fixture
def any_programme_rules():
    originals = {name: permissions[name] for name in ANY_PROGRAMME}
    for name, predicate in ANY_PROGRAMME.items():
        rules.set_perm(name, predicate)
    try:
        yield
    finally:
        for name, predicate in originals.items():
            rules.set_perm(name, predicate)


@pytest.mark.parametrize("url_name", BOUNDARY_ROWS)
def test_the_matrix_fails_when_funds_access_is_any_programme(url_name, world, any_programme_rules):
    failures = walk(ROWS[url_name], world, MatrixClient())
    assert failures, f"{url_name}: the matrix did not notice the any-programme rule"
    # The failing cells are the outsider's, on the first programme's objects.
    assert any(line.startswith("outsider ") for line in failures), failures


@pytest.mark.parametrize("url_name", BOUNDARY_ROWS)
def test_the_matrix_passes_with_the_real_rules(url_name, world):
    assert walk(ROWS[url_name], world, MatrixClient()) == []


def test_the_any_programme_rules_are_restored_afterwards(world, any_programme_rules):
    assert permissions["funds.manage_payments"] is ANY_PROGRAMME["funds.manage_payments"]


def test_the_real_rules_are_back(world):
    assert permissions["funds.manage_payments"] is not ANY_PROGRAMME["funds.manage_payments"]


# What the reviewer saw, each with a valid form ----------------------------------------------


def _b(world, role):
    return world.other.users[role]


def test_an_officer_of_b_cannot_plan_a_payment_on_as_grant(world, client_as):
    award = world.funds.award
    before = Payment.objects.filter(award=award).count()
    response = client_as(_b(world, "officer")).post(
        reverse("funds:payment-add", args=[award.pk]),
        {"amount": "50", "due_on_0": "1", "due_on_1": "6", "due_on_2": "2026"},
    )
    assert response.status_code == 404
    assert Payment.objects.filter(award=award).count() == before


def test_a_manager_of_b_cannot_approve_as_payment(world, client_as):
    payment = world.funds.payment
    response = client_as(_b(world, "programme_manager")).post(
        reverse("funds:payment-approve", args=[payment.pk])
    )
    assert response.status_code == 404
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PLANNED and payment.approved_by is None


def test_an_officer_of_b_cannot_mark_as_payment_paid(world, client_as):
    payment = PaymentFactory(
        award=world.funds.award,
        amount=Decimal("10"),
        status=PaymentStatus.APPROVED,
        approved_by=world.users["programme_manager"],
    )
    response = client_as(_b(world, "officer")).post(
        reverse("funds:payment-paid", args=[payment.pk])
    )
    assert response.status_code == 404
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.APPROVED and payment.paid_at is None


DECISION = {"outcome": "approved", "amount_capital": "1000", "amount_revenue": "0"}


def test_a_manager_of_b_cannot_decide_on_as_application(world, client_as):
    application = ApplicationFactory(round=world.funds.round, ready_for_decision=True)
    mail.outbox.clear()
    response = client_as(_b(world, "programme_manager")).post(
        reverse("funds:application-decide", args=[application.pk]), DECISION
    )
    assert response.status_code == 404
    application.refresh_from_db()
    assert application.status == ApplicationStatus.READY_FOR_DECISION
    assert not Decision.objects.filter(application=application).exists()
    assert mail.outbox == []


def test_as_own_manager_can_decide_on_it(world, client_as, django_capture_on_commit_callbacks):
    application = ApplicationFactory(round=world.funds.round, ready_for_decision=True)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(world.users["programme_manager"]).post(
            reverse("funds:application-decide", args=[application.pk]), DECISION
        )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED


def test_a_manager_of_b_cannot_rewrite_as_approval_email(world, client_as):
    fund = world.funds.fund
    response = client_as(_b(world, "programme_manager")).post(
        reverse("funds:email-template", args=[fund.slug, "approved"]),
        {"subject": "Send your bank details to this address", "body": "Reply with them."},
    )
    assert response.status_code == 404
    assert not EmailTemplate.objects.filter(fund=fund, subject__contains="bank details").exists()


def test_b_cannot_see_as_fund_pages_but_as_own_staff_can(world, client_as):
    fund = world.funds.fund
    for name in ("funds:fund-dashboard", "funds:application-list", "funds:fund-setup"):
        url = reverse(name, args=[fund.slug])
        assert client_as(_b(world, "programme_manager")).get(url).status_code == 404, name
    assert (
        client_as(world.users["programme_manager"])
        .get(reverse("funds:fund-dashboard", args=[fund.slug]))
        .status_code
        == 200
    )


def test_the_manage_page_lists_only_the_users_programmes_funds(world, client_as):
    page = client_as(_b(world, "officer")).get(reverse("funds:manage")).content.decode()
    assert world.other.funds.fund.slug in page
    assert world.funds.fund.slug not in page


# Assessors: only applications assigned to them, and not declared conflicted -----------------


def test_an_assessor_cannot_open_an_assignment_that_is_not_theirs(world, client_as):
    colleague = AssignmentFactory(
        application=world.funds.in_assessment,
        assessor=world.other.users["assessor"],
        declared=True,
    )
    client = client_as(world.users["assessor"])
    assert client.get(reverse("funds:assessment-score", args=[colleague.pk])).status_code == 404


def test_a_conflicted_assessor_cannot_score_or_download_the_files(world, client_as):
    assignment = world.funds.declared
    assignment.conflict = ConflictStatus.CONFLICTED
    assignment.conflict_details = "I volunteer there"
    assignment.save()
    client = client_as(world.users["assessor"])
    assert client.get(reverse("funds:assessment-score", args=[assignment.pk])).status_code == 403
    answer = world.funds.answer
    answer.application = assignment.application
    answer.save()
    url = reverse("funds:answer-file", args=[assignment.application_id, answer.pk])
    assert client.get(url).status_code == 404
    listed = client.get(reverse("funds:assessments")).context["assignments"]
    assert assignment not in list(listed)


def test_an_assessor_downloads_files_only_of_applications_assigned_without_conflict(
    world, client_as
):
    answer = world.funds.answer  # on the draft: nobody is assigned to it
    url = reverse("funds:answer-file", args=[answer.application_id, answer.pk])
    client = client_as(world.users["assessor"])
    assert client.get(url).status_code == 404
    AssessorAssignment.objects.create(
        application=answer.application,
        assessor=world.users["assessor"],
        assigned_by=world.users["programme_manager"],
        conflict=ConflictStatus.NONE,
    )
    assert client.get(url).status_code == 200


# Councillors: member fund pages only for their own division in their programme ---------------


def test_a_councillor_sees_and_recommends_only_their_own_divisions_applications(world, client_as):
    own = world.funds.member_application  # benefits a place in the councillor's division
    elsewhere = ApplicationFactory(round=own.round, submitted=True)
    elsewhere.places.add(world.other.division)
    client = client_as(world.users["councillor"])
    waiting = list(client.get(reverse("funds:member-pot")).context["waiting"])
    assert own in waiting and elsewhere not in waiting
    refused = client.post(
        reverse("funds:member-recommend", args=[elsewhere.pk]), {f"a{elsewhere.pk}-amount": "100"}
    )
    assert refused.status_code == 403
    accepted = client.post(
        reverse("funds:member-recommend", args=[own.pk]), {f"a{own.pk}-amount": "100"}
    )
    assert accepted.status_code == 302
    assert MemberRecommendation.objects.filter(application=own).exists()
    assert not MemberRecommendation.objects.filter(application=elsewhere).exists()


def test_a_councillor_of_b_cannot_recommend_on_as_member_fund(world, client_as):
    application = world.funds.member_application
    response = client_as(world.other.users["councillor"]).post(
        reverse("funds:member-recommend", args=[application.pk]),
        {f"a{application.pk}-amount": "100"},
    )
    assert response.status_code == 404
    assert not MemberRecommendation.objects.filter(application=application).exists()


def test_a_councillor_with_a_division_in_another_programme_sees_none_of_this_one(world, client_as):
    councillor = world.other.users["councillor"]
    # A pot in A's member fund, but their division is in B: A's applications are not theirs.
    member_fund = world.funds.member_application.round.fund
    AllocationFactory(fund=member_fund, councillor=councillor)
    assert RoleAssignment.objects.filter(user=councillor, role=Role.COUNCILLOR).count() == 1
    waiting = client_as(councillor).get(reverse("funds:member-pot")).context["waiting"]
    assert world.funds.member_application not in waiting
    assert world.other.funds.member_application in waiting
