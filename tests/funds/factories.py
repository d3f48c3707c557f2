import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from funds.models import (
    Application,
    ApplicationSection,
    ApplicationStatus,
    AssessorAssignment,
    Award,
    BudgetLine,
    ConflictStatus,
    Criterion,
    Fund,
    FundKind,
    MemberAllocation,
    MonitoringReport,
    Payment,
    Question,
    QuestionKind,
    Round,
    Section,
    SectionStatus,
)
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.programmes.factories import ProgrammeFactory


class FundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Fund
        django_get_or_create = ["slug"]

    programme = factory.SubFactory(ProgrammeFactory)
    name = factory.Sequence(lambda n: f"Community Fund {n}")
    slug = factory.Sequence(lambda n: f"fund-{n}")
    description = "Grants for community projects."
    focus_areas = "Financial inclusion\nDigital inclusion"
    reference_prefix = "SIF"
    minimum_grant = Decimal("500")
    maximum_grant = Decimal("20000")
    budget_total = Decimal("100000")
    budget_capital = Decimal("50000")
    budget_revenue = Decimal("50000")

    class Params:
        member = factory.Trait(
            kind=FundKind.MEMBER,
            member_allocation=Decimal("2500"),
            member_project_cap=Decimal("1000"),
            minimum_grant=Decimal("0"),
            maximum_grant=Decimal("1000"),
            reference_prefix="MCF",
        )


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Round

    fund = factory.SubFactory(FundFactory)
    name = factory.Sequence(lambda n: f"Round {n}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=20))
    award_by = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=60))
    budget = Decimal("50000")

    class Params:
        closed = factory.Trait(
            opens_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=40)),
            closes_at=factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1)),
        )


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    fund = factory.SubFactory(FundFactory)
    text = factory.Sequence(lambda n: f"Question {n}")
    kind = QuestionKind.LONG_TEXT
    required = True


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    fund = factory.SubFactory(FundFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    weight = 1


class ApplicationFactory(factory.django.DjangoModelFactory):
    """An application with every standard section filled in (and completed when submitted)."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    round = factory.SubFactory(RoundFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    created_by = factory.SubFactory(UserFactory)
    project_title = factory.Sequence(lambda n: f"Project {n}")
    summary = "A community pantry."
    amount_capital = Decimal("1000")
    amount_revenue = Decimal("2000")
    start_date = datetime.date(2026, 4, 1)
    end_date = datetime.date(2027, 3, 31)
    beneficiaries = "Families on low incomes"
    status = ApplicationStatus.DRAFT

    class Params:
        submitted = factory.Trait(
            status=ApplicationStatus.SUBMITTED,
            reference=factory.Sequence(lambda n: f"SIF-2026-{n + 1:04d}"),
            submitted_at=factory.LazyFunction(timezone.now),
        )
        screening = factory.Trait(
            submitted=True,
            status=ApplicationStatus.SCREENING,
        )
        in_assessment = factory.Trait(submitted=True, status=ApplicationStatus.IN_ASSESSMENT)
        ready_for_decision = factory.Trait(
            submitted=True, status=ApplicationStatus.READY_FOR_DECISION
        )
        approved = factory.Trait(submitted=True, status=ApplicationStatus.APPROVED)

    @factory.post_generation
    def sections(obj, create, extracted, **kwargs):
        if not create:
            return
        done = obj.status != ApplicationStatus.DRAFT or extracted == "completed"
        ApplicationSection.objects.bulk_create(
            [
                ApplicationSection(
                    application=obj,
                    section=s,
                    status=SectionStatus.COMPLETED if done else SectionStatus.NOT_STARTED,
                )
                for s in Section.values
            ]
        )
        BudgetLine.objects.create(
            application=obj, description="Fridges", kind="capital", amount=obj.amount_capital
        )
        BudgetLine.objects.create(
            application=obj, description="Coordinator", kind="revenue", amount=obj.amount_revenue
        )


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessorAssignment

    application = factory.SubFactory(ApplicationFactory, in_assessment=True)
    assessor = factory.SubFactory(UserFactory)
    assigned_by = factory.SubFactory(UserFactory)

    class Params:
        declared = factory.Trait(
            conflict=ConflictStatus.NONE, declared_at=factory.LazyFunction(timezone.now)
        )
        conflicted = factory.Trait(
            conflict=ConflictStatus.CONFLICTED,
            conflict_details="My sister runs it",
            declared_at=factory.LazyFunction(timezone.now),
        )


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Award

    application = factory.SubFactory(ApplicationFactory, approved=True)
    amount_capital = Decimal("1000")
    amount_revenue = Decimal("2000")
    awarded_on = factory.LazyFunction(timezone.localdate)
    awarded_by = factory.SubFactory(UserFactory)


class PaymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Payment

    award = factory.SubFactory(AwardFactory)
    amount = Decimal("1500")
    due_on = factory.LazyFunction(timezone.localdate)
    created_by = factory.SubFactory(UserFactory)


class MonitoringReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonitoringReport

    award = factory.SubFactory(AwardFactory)
    due_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=7))


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MemberAllocation

    fund = factory.SubFactory(FundFactory, member=True)
    councillor = factory.SubFactory(UserFactory)
    year = 2026
    amount = Decimal("2500")
