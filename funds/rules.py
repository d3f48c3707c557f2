"""Who may do what in funds, asked of one object in its programme (cpw/accounts/rules.py has the
predicates). Views check these through cpw.core.access:

- "view_*" permissions say who may know an object exists (404 for everyone else): anyone with a
  council role in the object's programme, and for an application or a grant the applying
  organisation's own partners (for a fund's pages: partners whose organisation applied to it).
- the other permissions say who may do what the page does (403 for those who may see it).

Staff admins pass every permission. A few pages are someone's own work, which a staff admin
does not have: an organisation's application or report, an assessor's assignment, a councillor's
pot. Those are *rules* (`rules.test_rule`), which no one passes by being a superuser."""

import rules
from django.db.models import Q

from cpw.accounts.models import Role, RoleAssignment
from cpw.accounts.rules import (
    assesses_in_programme,
    belongs_to_own_organisation,
    council_in_programme,
    councillor_in_programme,
    is_officer,
    is_partner,
    is_programme_manager,
    manages_programme,
    works_in_programme,
)

from .models import Application, AssessorAssignment, ConflictStatus, MemberAllocation


@rules.predicate
def is_own_assignment(user, assignment):
    return assignment is not None and assignment.assessor_id == user.pk


@rules.predicate
def assignment_not_conflicted(user, assignment):
    return assignment is not None and assignment.conflict != ConflictStatus.CONFLICTED


@rules.predicate
def assesses_without_conflict(user, obj):
    """The user is assigned to assess the object's application and has declared no conflict."""
    application_id = getattr(obj, "application_id", None)
    return (
        application_id is not None
        and AssessorAssignment.objects.filter(
            application_id=application_id, assessor_id=user.pk, conflict=ConflictStatus.NONE
        ).exists()
    )


def councillor_divisions(user, programme_id) -> list[int]:
    """The divisions the user represents as a councillor in one programme."""
    if not user.is_authenticated or programme_id is None:
        return []
    return list(
        RoleAssignment.objects.filter(
            user_id=user.pk,
            role=Role.COUNCILLOR,
            programme_id=programme_id,
            division__isnull=False,
        ).values_list("division_id", flat=True)
    )


def _fund_id(obj) -> int | None:
    """A fund's id, for a fund or anything with a `fund_id` (a round, an export)."""
    meta = getattr(obj, "_meta", None)
    if meta is not None and meta.label == "funds.Fund":
        return obj.pk
    return getattr(obj, "fund_id", None)


@rules.predicate
def applied_to_fund(user, obj):
    """The partner's organisation has applied to the object's fund."""
    fund_id = _fund_id(obj)
    return (
        fund_id is not None
        and is_partner(user)
        and Application.objects.filter(
            round__fund_id=fund_id, organisation_id=user.organisation_id
        ).exists()
    )


@rules.predicate
def has_pot_in_fund(user, application):
    """The councillor has a pot in the application's member fund."""
    return MemberAllocation.objects.filter(
        fund_id=application.round.fund_id, councillor_id=user.pk
    ).exists()


@rules.predicate
def benefits_own_division(user, application):
    """The application benefits a place in the division the councillor represents in the
    application's programme."""
    divisions = councillor_divisions(user, application.programme_id)
    return bool(divisions) and (
        application.places.filter(Q(pk__in=divisions) | Q(parent_id__in=divisions)).exists()
    )


@rules.predicate
def has_scored_in_round(user, round):
    """The assessor has finished scoring, without a conflict, an application in the round."""
    return (
        round is not None
        and AssessorAssignment.objects.filter(
            application__round_id=round.pk,
            assessor_id=user.pk,
            conflict=ConflictStatus.NONE,
            completed_at__isnull=False,
        ).exists()
    )


# Who may know an object exists (404 otherwise)
rules.add_perm("funds.view_fund", council_in_programme | applied_to_fund)
rules.add_perm("funds.view_application", council_in_programme | belongs_to_own_organisation)
rules.add_perm("funds.view_grant", council_in_programme | belongs_to_own_organisation)
rules.add_perm("funds.view_assignment", is_own_assignment)

# Council: a fund's applications and money
rules.add_perm("funds.list_applications", works_in_programme)
rules.add_perm("funds.export_applications", works_in_programme)
rules.add_perm("funds.view_fund_dashboard", works_in_programme)
rules.add_perm("funds.manage_fund", manages_programme)

# Council: one application
rules.add_perm("funds.review_application", works_in_programme)
rules.add_perm("funds.screen_application", works_in_programme)
rules.add_perm("funds.assign_assessors", manages_programme)
rules.add_perm("funds.decide", manages_programme)
rules.add_perm("funds.award", manages_programme)
rules.add_perm(
    "funds.download_answer",
    works_in_programme | belongs_to_own_organisation | assesses_without_conflict,
)

# Grants and payments
rules.add_perm("funds.view_grant_detail", works_in_programme | belongs_to_own_organisation)
rules.add_perm("funds.manage_payments", works_in_programme)
rules.add_perm("funds.set_grant_status", manages_programme)

# Partners: their organisation's own applications and reports
rules.add_perm("funds.edit_application", belongs_to_own_organisation)
rules.add_perm("funds.submit_report", belongs_to_own_organisation)
rules.add_rule("funds.act_for_organisation", belongs_to_own_organisation)

# The panel view of a round: the council's staff; an assessor once they have scored in the
# round (they then see only the applications they assessed without a conflict).
rules.add_perm(
    "funds.view_panel", works_in_programme | (assesses_in_programme & has_scored_in_round)
)

# Assessors: their own assignments, without a conflict for scoring
rules.add_perm("funds.declare_conflict", is_own_assignment & assesses_in_programme)
rules.add_perm(
    "funds.assess", is_own_assignment & assignment_not_conflicted & assesses_in_programme
)
rules.add_rule("funds.act_as_assessor", is_own_assignment)

# Councillors: member fund applications for places in their own division, in their programme
rules.add_perm("funds.recommend", councillor_in_programme & benefits_own_division)
rules.add_rule("funds.recommend_from_pot", has_pot_in_fund)

# Participatory budgeting: the council runs the vote; ballots and who voted are never shown to
# partners or residents (the public pages show only the published result).
rules.add_perm("funds.view_participatory", council_in_programme)
rules.add_perm("funds.run_vote", works_in_programme)
rules.add_perm("funds.manage_vote", manages_programme)

# Pages that list the user's own things (their selectors scope the lists)
rules.add_rule("funds.apply", is_partner)
rules.add_perm("funds.apply", is_partner)
rules.add_perm("funds.view_own_applications", is_partner)
rules.add_perm("funds.view_own_grants", is_partner)
rules.add_perm("funds.view_applications", is_officer | is_programme_manager)
