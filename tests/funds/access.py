import datetime
from decimal import Decimal
from types import SimpleNamespace

from django.core.files.base import ContentFile
from django.utils import timezone

from funds.models import (
    Answer,
    Ballot,
    BallotChoice,
    ExportJob,
    Flag,
    MonitoringPhoto,
    ParticipatoryRound,
    QuestionKind,
    ShortlistEntry,
    VotingRule,
)
from tests.access import (
    ASSESSOR,
    COUNCIL_ADMIN,
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
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


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
    # The partner's own organisation applied: a partner may know it exists (403 on the council's
    # pages, as for the programme's other council roles), an outsider may not (404).
    in_assessment = ApplicationFactory(
        round=round, organisation=partner.organisation, in_assessment=True
    )
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
    photo = MonitoringPhoto(report=report, original_filename="opening-day.png")
    photo.file.save("opening-day.png", ContentFile(PNG))
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
        round=RoundFactory(fund=member, name="Member round"),
        organisation=partner.organisation,
        submitted=True,
    )
    member_application.places.add(world.division.children.first())
    open_vote, confirmed_vote = _participatory(world, partner)
    world.funds = SimpleNamespace(
        **{
            "fund": fund,
            "round": round,
            "draft": draft,
            "answer": answer,
            "in_assessment": in_assessment,
            "declared": declared,
            "undeclared": undeclared,
            "award": award,
            "report": report,
            "photo": photo,
            "payment": payment,
            "flag": flag,
            "job": job,
            "member_application": member_application,
            "open_vote": open_vote,
            "confirmed_vote": confirmed_vote,
        },
    )


def _participatory(world, partner):
    """Two residents' votes (built directly, for speed): one open, with the partner's bid on
    the ballot; one whose result is confirmed, with one paper ballot."""
    now = timezone.now()
    fund = FundFactory(
        programme=world.programme,
        slug=f"{world.programme.slug}-residents-decide",
        name="Residents Decide",
    )
    votes = []
    for name, opens, closes, confirmed in (
        ("Open vote", now - datetime.timedelta(days=1), now + datetime.timedelta(days=6), None),
        ("Closed vote", now - datetime.timedelta(days=9), now - datetime.timedelta(days=2), now),
    ):
        round = RoundFactory(
            fund=fund,
            name=name,
            budget=Decimal("5000"),
            opens_at=opens - datetime.timedelta(days=30),
            closes_at=opens - datetime.timedelta(days=5),
        )
        vote = ParticipatoryRound.objects.create(
            round=round,
            rule=VotingRule.KNAPSACK,
            voting_opens_at=opens,
            voting_closes_at=closes,
            result_confirmed_at=confirmed,
        )
        vote.places.add(world.division)
        bid = ApplicationFactory(
            round=round,
            organisation=partner.organisation,
            created_by=partner,
            ready_for_decision=True,
            amount_capital=Decimal("1500"),
            amount_revenue=Decimal("500"),
        )
        entry = ShortlistEntry.objects.create(
            participatory=vote,
            application=bid,
            eligible=True,
            feasibility_notes="Feasible",
            amount=Decimal("2000"),
            decided_by=world.users[PM],
            photo_alt="The community garden",
        )
        entry.photo.save("garden.png", ContentFile(PNG))
        ballot = Ballot.objects.create(
            participatory=vote, channel="paper", number=1, entered_by=world.users[OFFICER]
        )
        BallotChoice.objects.create(ballot=ballot, entry=entry)
        votes.append(vote)
    return votes


def _fund(w):
    return {"slug": w.funds.fund.slug}


def _draft(w):
    return {"pk": w.funds.draft.pk}


def _review(w):
    return {"pk": w.funds.in_assessment.pk}


def _award(w):
    return {"pk": w.funds.award.pk}


def _open_vote(w):
    return {"pk": w.funds.open_vote.pk}


def _confirmed_vote(w):
    return {"pk": w.funds.confirmed_vote.pk}


PARTNERS = frozenset({PARTNER})
COUNCIL_STAFF = frozenset({PM, OFFICER, STAFF})
MANAGERS = frozenset({PM, STAFF})
ASSESSORS = frozenset({ASSESSOR})

ACCESS = [
    # Public
    Access(
        "funds:fund-list",
        EVERYONE,
        public=True,
        scoped=False,
        other_ok_status=405,
    ),
    Access(
        "funds:fund-detail",
        EVERYONE,
        kwargs=_fund,
        public=True,
        scoped=False,
        other_ok_status=405,
    ),
    Access(
        "funds:eligibility",
        EVERYONE,
        kwargs=_fund,
        public=True,
        scoped=False,
        other_ok_status=200,
    ),
    Access(
        "funds:open-data",
        EVERYONE,
        kwargs=lambda w: {"slug": w.funds.fund.slug, "fmt": "json"},
        public=True,
        html=False,
        scoped=False,
        other_ok_status=405,
    ),
    # Partners
    Access(
        "funds:application-start",
        PARTNERS,
        kwargs=lambda w: {"slug": w.funds.fund.slug, "round_id": w.funds.round.pk},
        scoped=False,
        other_ok_status=302,
    ),
    Access(
        "funds:my-applications",
        PARTNERS,
        scoped=False,
        other_ok_status=405,
    ),
    Access(
        "funds:application-tasks",
        PARTNERS,
        kwargs=_draft,
        scoped=True,
        other_ok_status=405,
    ),
    Access(
        "funds:application-section",
        PARTNERS,
        kwargs=lambda w: {"pk": w.funds.draft.pk, "section": "funding"},
        scoped=True,
        other_ok_status=200,
    ),
    Access(
        "funds:application-section-check",
        PARTNERS,
        kwargs=lambda w: {"pk": w.funds.draft.pk, "section": "budget"},
        scoped=True,
        other_ok_status=200,
    ),
    Access(
        "funds:application-submit",
        PARTNERS,
        kwargs=_draft,
        scoped=True,
        other_ok_status=200,
    ),
    Access(
        "funds:application-withdraw",
        PARTNERS,
        kwargs=_draft,
        scoped=True,
        other_ok_status=302,
    ),
    Access(
        "funds:application-submitted",
        PARTNERS,
        kwargs=lambda w: {"pk": w.funds.award.application_id},
        scoped=True,
        other_ok_status=405,
    ),
    Access(
        "funds:answer-file",
        frozenset({PARTNER, PM, OFFICER, STAFF}),
        kwargs=lambda w: {"pk": w.funds.draft.pk, "answer_id": w.funds.answer.pk},
        denied_status=404,
        html=False,
        notes="The applicant, council staff, or an assessor assigned without a conflict.",
        scoped=True,
        other_ok_status=405,
    ),
    Access(
        "funds:budget-line-remove",
        PARTNERS,
        kwargs=lambda w: {"pk": w.funds.draft.pk, "line_id": 0},
        method="post",
        ok_status=302,
        html=False,
        scoped=True,
        other_ok_status=405,
    ),
    Access(
        "funds:my-grants",
        PARTNERS,
        scoped=False,
        other_ok_status=405,
    ),
    Access(
        "funds:grant-detail",
        PARTNERS | COUNCIL_STAFF,
        kwargs=_award,
        scoped=True,
        other_ok_status=405,
    ),
    Access(
        "funds:monitoring-photo",
        PARTNERS | COUNCIL_STAFF,
        kwargs=lambda w: {
            "pk": w.funds.award.pk,
            "report_id": w.funds.report.pk,
            "photo_id": w.funds.photo.pk,
        },
        scoped=True,
        other_ok_status=405,
        html=False,
    ),
    Access(
        "funds:report-submit",
        PARTNERS,
        kwargs=lambda w: {"pk": w.funds.award.pk, "report_id": w.funds.report.pk},
        scoped=True,
        other_ok_status=200,
    ),
    # Council
    Access(
        "funds:manage",
        COUNCIL_STAFF,
        scoped=False,
        other_ok_status=405,
    ),
    Access(
        "funds:application-list",
        COUNCIL_STAFF,
        kwargs=_fund,
        scoped=True,
        other_ok_status=405,
    ),
    Access(
        "funds:application-export",
        COUNCIL_STAFF,
        kwargs=_fund,
        scoped=True,
        other_ok_status=200,
    ),
    Access(
        "funds:fund-dashboard",
        COUNCIL_STAFF,
        kwargs=_fund,
        scoped=True,
        other_ok_status=405,
    ),
    Access(
        "funds:fund-setup",
        MANAGERS,
        kwargs=_fund,
        scoped=True,
        other_ok_status=200,
    ),
    Access(
        "funds:email-template",
        MANAGERS,
        kwargs=lambda w: {"slug": w.funds.fund.slug, "kind": "approved"},
        scoped=True,
        other_ok_status=200,
    ),
    Access(
        "funds:export-job",
        COUNCIL_STAFF,
        kwargs=lambda w: {"pk": w.funds.job.pk},
        scoped=True,
        other_ok_status=405,
    ),
    Access(
        "funds:export-download",
        COUNCIL_STAFF,
        kwargs=lambda w: {"pk": w.funds.job.pk},
        html=False,
        scoped=True,
        other_ok_status=405,
    ),
    Access(
        "funds:application-review",
        COUNCIL_STAFF,
        kwargs=_review,
        scoped=True,
        other_ok_status=405,
    ),
    Access(
        "funds:application-move",
        COUNCIL_STAFF,
        kwargs=_review,
        method="post",
        ok_status=302,
        html=False,
        scoped=True,
        other_ok_status=405,
    ),
    Access(
        "funds:application-changes",
        COUNCIL_STAFF,
        kwargs=_review,
        scoped=True,
        other_ok_status=200,
    ),
    Access(
        "funds:application-assign",
        MANAGERS,
        kwargs=_review,
        method="post",
        ok_status=400,
        html=False,
        notes="An empty form: the page comes back with the error summary.",
        scoped=True,
        other_ok_status=405,
    ),
    Access(
        "funds:application-comment",
        COUNCIL_STAFF,
        kwargs=_review,
        method="post",
        ok_status=400,
        html=False,
        scoped=True,
        other_ok_status=405,
    ),
    Access(
        "funds:application-flag",
        COUNCIL_STAFF,
        kwargs=_review,
        method="post",
        ok_status=400,
        html=False,
        scoped=True,
        other_ok_status=405,
    ),
    Access(
        "funds:flag-resolve",
        COUNCIL_STAFF,
        kwargs=lambda w: {"pk": w.funds.flag.pk},
        method="post",
        ok_status=400,
        html=False,
        scoped=True,
        other_ok_status=405,
    ),
    Access(
        "funds:application-decide",
        MANAGERS,
        kwargs=_review,
        scoped=True,
        other_ok_status=200,
    ),
    Access(
        "funds:award-create",
        MANAGERS,
        kwargs=_review,
        scoped=True,
        other_ok_status=200,
    ),
    Access(
        "funds:payment-add",
        COUNCIL_STAFF,
        kwargs=_award,
        scoped=True,
        other_ok_status=200,
    ),
    Access(
        "funds:grant-status",
        MANAGERS,
        kwargs=_award,
        method="post",
        ok_status=302,
        html=False,
        scoped=True,
        other_ok_status=405,
    ),
    Access(
        "funds:payment-approve",
        COUNCIL_STAFF,
        kwargs=lambda w: {"pk": w.funds.payment.pk},
        method="post",
        ok_status=302,
        html=False,
        scoped=True,
        other_ok_status=405,
    ),
    Access(
        "funds:payment-paid",
        COUNCIL_STAFF,
        kwargs=lambda w: {"pk": w.funds.payment.pk},
        method="post",
        ok_status=302,
        html=False,
        scoped=True,
        other_ok_status=405,
    ),
    Access(
        "funds:panel",
        COUNCIL_STAFF,
        kwargs=lambda w: {"pk": w.funds.round.pk},
        scoped=True,
        other_ok_status=405,
    ),
    Access(
        "funds:panel-export",
        COUNCIL_STAFF,
        kwargs=lambda w: {"pk": w.funds.round.pk},
        html=False,
        scoped=True,
        other_ok_status=405,
    ),
    # Residents' votes: public pages
    Access(
        "funds:vote", EVERYONE, kwargs=_open_vote, public=True, scoped=False, other_ok_status=405
    ),
    Access(
        "funds:vote-start",
        EVERYONE,
        kwargs=_open_vote,
        public=True,
        scoped=False,
        other_ok_status=200,
        notes="An empty POST shows the form again, as a GET does.",
    ),
    Access(
        "funds:vote-verify",
        EVERYONE,
        kwargs=lambda w: {"pk": w.funds.open_vote.pk, "token": "not-a-token"},
        public=True,
        ok_status=400,
        scoped=False,
        other_ok_status=405,
        notes="A link that is not right: the page says so.",
    ),
    Access(
        "funds:vote-ballot",
        EVERYONE,
        kwargs=_open_vote,
        public=True,
        ok_status=302,
        scoped=False,
        other_ok_status=302,
        notes="Without confirming who you are first: sent to do that.",
    ),
    Access(
        "funds:vote-check",
        EVERYONE,
        kwargs=_open_vote,
        public=True,
        ok_status=302,
        scoped=False,
        other_ok_status=302,
    ),
    Access(
        "funds:vote-done",
        EVERYONE,
        kwargs=_open_vote,
        public=True,
        ok_status=302,
        scoped=False,
        other_ok_status=405,
    ),
    Access(
        "funds:vote-photo",
        EVERYONE,
        kwargs=lambda w: {
            "pk": w.funds.open_vote.pk,
            "entry_id": w.funds.open_vote.entries.get().pk,
        },
        public=True,
        html=False,
        scoped=False,
        other_ok_status=405,
        notes="A shortlisted bid's photo, public as the vote's page that shows it.",
    ),
    Access(
        "funds:vote-results",
        EVERYONE,
        kwargs=_confirmed_vote,
        public=True,
        scoped=False,
        other_ok_status=405,
    ),
    Access(
        "funds:vote-results-csv",
        EVERYONE,
        kwargs=_confirmed_vote,
        public=True,
        html=False,
        scoped=False,
        other_ok_status=405,
    ),
    Access(
        "funds:vote-open-data",
        EVERYONE,
        kwargs=_confirmed_vote,
        public=True,
        html=False,
        scoped=False,
        other_ok_status=405,
        notes="The grants a confirmed vote decided, as 360Giving JSON.",
    ),
    # Residents' votes: the council's pages. Nobody else may know a vote's ballots exist.
    Access(
        "funds:vote-setup",
        MANAGERS,
        kwargs=lambda w: {"pk": w.funds.open_vote.round_id},
        scoped=True,
        other_ok_status=200,
        notes="About the round: a partner whose organisation bid may know the round exists.",
    ),
    Access(
        "funds:vote-manage",
        COUNCIL_STAFF,
        kwargs=_open_vote,
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=405,
    ),
    Access(
        "funds:vote-shortlist",
        MANAGERS,
        kwargs=_open_vote,
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=200,
    ),
    Access(
        "funds:vote-bid-photo",
        MANAGERS,
        kwargs=lambda w: {
            "pk": w.funds.open_vote.pk,
            "entry_id": w.funds.open_vote.entries.get().pk,
        },
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=200,
        notes="An empty POST shows the form again, as a GET does.",
    ),
    Access(
        "funds:vote-paper",
        COUNCIL_STAFF,
        kwargs=_open_vote,
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=200,
    ),
    Access(
        "funds:vote-paper-check",
        COUNCIL_STAFF,
        kwargs=_open_vote,
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=200,
    ),
    Access(
        "funds:vote-paper-correct",
        MANAGERS,
        kwargs=lambda w: {"pk": w.funds.open_vote.pk, "number": 1},
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=200,
        notes="An empty POST shows the form again, as a GET does.",
    ),
    Access(
        "funds:vote-count",
        COUNCIL_STAFF,
        kwargs=_open_vote,
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=405,
    ),
    Access(
        "funds:vote-count-csv",
        COUNCIL_STAFF,
        kwargs=_open_vote,
        html=False,
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=405,
    ),
    Access(
        "funds:vote-confirm",
        MANAGERS,
        kwargs=_open_vote,
        method="post",
        ok_status=400,
        html=False,
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=405,
        notes="An empty form (and voting still open): the count page comes back with errors.",
    ),
    Access(
        "funds:vote-cards",
        MANAGERS,
        kwargs=_open_vote,
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=200,
    ),
    Access(
        "funds:postcodes",
        frozenset({COUNCIL_ADMIN, STAFF}),
        kwargs=lambda w: {"slug": w.council.slug},
        scoped=True,
        hidden_from_partners=True,
        other_ok_status=200,
        notes="The council's postcode lookup: its council admins, as for its places.",
    ),
    # Assessors
    Access(
        "funds:assessments",
        frozenset({ASSESSOR, STAFF}),
        scoped=False,
        other_ok_status=405,
    ),
    Access(
        "funds:assessment-score",
        ASSESSORS,
        kwargs=lambda w: {"pk": w.funds.declared.pk},
        denied_status=404,
        notes="The assessor's own assignment: nobody else may know it exists.",
        scoped=True,
        other_ok_status=200,
    ),
    Access(
        "funds:assessment-declare",
        ASSESSORS,
        kwargs=lambda w: {"pk": w.funds.undeclared.pk},
        denied_status=404,
        notes="The assessor's own assignment: nobody else may know it exists.",
        scoped=True,
        other_ok_status=200,
    ),
    # Councillors
    Access(
        "funds:member-pot",
        frozenset({COUNCILLOR, STAFF}),
        scoped=False,
        other_ok_status=405,
    ),
    Access(
        "funds:member-application",
        frozenset({COUNCILLOR, STAFF}),
        kwargs=lambda w: {"pk": w.funds.member_application.pk},
        scoped=True,
        other_ok_status=405,
    ),
    Access(
        "funds:member-recommend",
        frozenset({COUNCILLOR}),
        kwargs=lambda w: {"pk": w.funds.member_application.pk},
        method="post",
        ok_status=400,
        html=False,
        notes="An empty form: the application page comes back with the error summary.",
        scoped=True,
        other_ok_status=405,
    ),
]
