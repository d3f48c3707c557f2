from decimal import Decimal

from django.core.files.base import ContentFile

from funds.models import Answer, ExportJob, Flag, QuestionKind
from tests.access import (
    ASSESSOR,
    COUNCILLOR,
    EVERYONE,
    OFFICER,
    PARTNER,
    PM,
    STAFF,
    Access,
)
from tests.funds.factories import (
    AllocationFactory,
    ApplicationFactory,
    AssignmentFactory,
    AwardFactory,
    CriterionFactory,
    FundFactory,
    MonitoringReportFactory,
    PaymentFactory,
    QuestionFactory,
    RoundFactory,
)

PDF = b"%PDF-1.4\n%test\n%%EOF\n"


def extend_world(world):
    partner = world.users[PARTNER]
    fund = FundFactory(
        programme=world.programme,
        slug=f"{world.programme.slug}-community-fund",
        name="Community Fund",
    )
    CriterionFactory(fund=fund, name="Need", weight=2)
    round = RoundFactory(fund=fund, name="Round 1")
    question = QuestionFactory(fund=fund, kind=QuestionKind.FILE, text="Your constitution")
    draft = ApplicationFactory(round=round, organisation=partner.organisation, created_by=partner)
    answer = Answer.objects.create(
        application=draft, question=question, original_filename="constitution.pdf"
    )
    answer.file.save("a.pdf", ContentFile(PDF))
    in_assessment = ApplicationFactory(round=round, in_assessment=True)
    declared = AssignmentFactory(
        application=in_assessment, assessor=world.users[ASSESSOR], declared=True
    )
    undeclared = AssignmentFactory(
        application=ApplicationFactory(round=round, in_assessment=True),
        assessor=world.users[ASSESSOR],
    )
    award = AwardFactory(
        application__round=round,
        application__organisation=partner.organisation,
        application__created_by=partner,
    )
    report = MonitoringReportFactory(award=award)
    payment = PaymentFactory(award=award, amount=Decimal("100"))
    flag = Flag.objects.create(
        application=in_assessment, raised_by=world.users[OFFICER], reason="Check the address"
    )
    job = ExportJob.objects.create(
        fund=fund, requested_by=world.users[OFFICER], file_format="csv", status="ready"
    )
    job.file.save("export.csv", ContentFile(b"Reference\n"))
    member = FundFactory(
        programme=world.programme, slug=f"{world.programme.slug}-member-fund", member=True
    )
    AllocationFactory(fund=member, councillor=world.users[COUNCILLOR])
    member_application = ApplicationFactory(
        round=RoundFactory(fund=member, name="Member round"), submitted=True
    )
    member_application.places.add(world.division.children.first())
    world.funds = type(
        "FundsWorld",
        (),
        {
            "fund": fund,
            "round": round,
            "draft": draft,
            "answer": answer,
            "in_assessment": in_assessment,
            "declared": declared,
            "undeclared": undeclared,
            "award": award,
            "report": report,
            "payment": payment,
            "flag": flag,
            "job": job,
            "member_application": member_application,
        },
    )


def _fund(w):
    return {"slug": w.funds.fund.slug}


def _draft(w):
    return {"pk": w.funds.draft.pk}


def _review(w):
    return {"pk": w.funds.in_assessment.pk}


def _award(w):
    return {"pk": w.funds.award.pk}


PARTNERS = frozenset({PARTNER})
COUNCIL_STAFF = frozenset({PM, OFFICER, STAFF})
MANAGERS = frozenset({PM, STAFF})
ASSESSORS = frozenset({ASSESSOR})

ACCESS = [
    # Public
    Access("funds:fund-list", EVERYONE, public=True),
    Access("funds:fund-detail", EVERYONE, kwargs=_fund, public=True),
    Access("funds:eligibility", EVERYONE, kwargs=_fund, public=True),
    Access(
        "funds:open-data",
        EVERYONE,
        kwargs=lambda w: {"slug": w.funds.fund.slug, "fmt": "json"},
        public=True,
        html=False,
    ),
    # Partners
    Access(
        "funds:application-start",
        PARTNERS,
        kwargs=lambda w: {"slug": w.funds.fund.slug, "round_id": w.funds.round.pk},
    ),
    Access("funds:my-applications", PARTNERS),
    Access("funds:application-tasks", PARTNERS, kwargs=_draft),
    Access(
        "funds:application-section",
        PARTNERS,
        kwargs=lambda w: {"pk": w.funds.draft.pk, "section": "funding"},
    ),
    Access(
        "funds:application-section-check",
        PARTNERS,
        kwargs=lambda w: {"pk": w.funds.draft.pk, "section": "budget"},
    ),
    Access("funds:application-submit", PARTNERS, kwargs=_draft),
    Access("funds:application-withdraw", PARTNERS, kwargs=_draft),
    Access(
        "funds:application-submitted",
        PARTNERS,
        kwargs=lambda w: {"pk": w.funds.award.application_id},
    ),
    Access(
        "funds:answer-file",
        frozenset({PARTNER, PM, OFFICER, STAFF}),
        kwargs=lambda w: {"pk": w.funds.draft.pk, "answer_id": w.funds.answer.pk},
        denied_status=404,
        html=False,
        notes="The applicant, council staff, or an assessor assigned without a conflict.",
    ),
    Access(
        "funds:budget-line-remove",
        PARTNERS,
        kwargs=lambda w: {"pk": w.funds.draft.pk, "line_id": 0},
        method="post",
        ok_status=302,
        html=False,
    ),
    Access("funds:my-grants", PARTNERS),
    Access("funds:grant-detail", PARTNERS | COUNCIL_STAFF, kwargs=_award),
    Access(
        "funds:report-submit",
        PARTNERS,
        kwargs=lambda w: {"pk": w.funds.award.pk, "report_id": w.funds.report.pk},
    ),
    # Council
    Access("funds:manage", COUNCIL_STAFF),
    Access("funds:application-list", COUNCIL_STAFF, kwargs=_fund),
    Access("funds:application-export", COUNCIL_STAFF, kwargs=_fund),
    Access("funds:fund-dashboard", COUNCIL_STAFF, kwargs=_fund),
    Access("funds:fund-setup", MANAGERS, kwargs=_fund),
    Access(
        "funds:email-template",
        MANAGERS,
        kwargs=lambda w: {"slug": w.funds.fund.slug, "kind": "approved"},
    ),
    Access("funds:export-job", COUNCIL_STAFF, kwargs=lambda w: {"pk": w.funds.job.pk}),
    Access(
        "funds:export-download",
        COUNCIL_STAFF,
        kwargs=lambda w: {"pk": w.funds.job.pk},
        html=False,
    ),
    Access("funds:application-review", COUNCIL_STAFF, kwargs=_review),
    Access(
        "funds:application-move",
        COUNCIL_STAFF,
        kwargs=_review,
        method="post",
        ok_status=302,
        html=False,
    ),
    Access("funds:application-changes", COUNCIL_STAFF, kwargs=_review),
    Access(
        "funds:application-assign",
        MANAGERS,
        kwargs=_review,
        method="post",
        ok_status=400,
        html=False,
        notes="An empty form: the page comes back with the error summary.",
    ),
    Access(
        "funds:application-comment",
        COUNCIL_STAFF,
        kwargs=_review,
        method="post",
        ok_status=400,
        html=False,
    ),
    Access(
        "funds:application-flag",
        COUNCIL_STAFF,
        kwargs=_review,
        method="post",
        ok_status=400,
        html=False,
    ),
    Access(
        "funds:flag-resolve",
        COUNCIL_STAFF,
        kwargs=lambda w: {"pk": w.funds.flag.pk},
        method="post",
        ok_status=400,
        html=False,
    ),
    Access("funds:application-decide", MANAGERS, kwargs=_review),
    Access("funds:award-create", MANAGERS, kwargs=_review),
    Access("funds:payment-add", COUNCIL_STAFF, kwargs=_award),
    Access("funds:grant-status", MANAGERS, kwargs=_award, method="post", ok_status=302, html=False),
    Access(
        "funds:payment-approve",
        COUNCIL_STAFF,
        kwargs=lambda w: {"pk": w.funds.payment.pk},
        method="post",
        ok_status=302,
        html=False,
    ),
    Access(
        "funds:payment-paid",
        COUNCIL_STAFF,
        kwargs=lambda w: {"pk": w.funds.payment.pk},
        method="post",
        ok_status=302,
        html=False,
    ),
    Access("funds:panel", COUNCIL_STAFF, kwargs=lambda w: {"pk": w.funds.round.pk}),
    Access(
        "funds:panel-export",
        COUNCIL_STAFF,
        kwargs=lambda w: {"pk": w.funds.round.pk},
        html=False,
    ),
    # Assessors
    Access("funds:assessments", frozenset({ASSESSOR, STAFF})),
    Access("funds:assessment-score", ASSESSORS, kwargs=lambda w: {"pk": w.funds.declared.pk}),
    Access("funds:assessment-declare", ASSESSORS, kwargs=lambda w: {"pk": w.funds.undeclared.pk}),
    # Councillors
    Access("funds:member-pot", frozenset({COUNCILLOR, STAFF})),
    Access(
        "funds:member-recommend",
        frozenset({COUNCILLOR}),
        kwargs=lambda w: {"pk": w.funds.member_application.pk},
        method="post",
        ok_status=400,
        html=False,
        notes="An empty form: the pot page comes back with the error summary.",
    ),
]
