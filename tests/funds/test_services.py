import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from cpw.accounts.models import OrganisationType, Role
from cpw.core.models import OutboundEmail
from funds import scoring, services, workflow
from funds.models import (
    ActivityEvent,
    Application,
    ApplicationStatus,
    AssessorAssignment,
    Award,
    ConflictStatus,
    MonitoringReport,
    PaymentStatus,
    QuestionKind,
    Score,
    Section,
    SectionStatus,
)
from tests.accounts.factories import OrganisationFactory, user_with_role
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

pytestmark = [pytest.mark.django_db, pytest.mark.world_per_test]

PDF = b"%PDF-1.4\n%test\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def partner(organisation=None):
    return user_with_role(Role.PARTNER, organisation=organisation or OrganisationFactory())


def draft_ready(round=None, user=None):
    """A draft with every section completed, ready to submit."""
    user = user or partner()
    application = ApplicationFactory(
        round=round or RoundFactory(),
        organisation=user.organisation,
        created_by=user,
        sections="completed",
    )
    return application, user


# Workflow table ---------------------------------------------------------------------------


def test_the_workflow_table_allows_only_listed_moves():
    assert workflow.transition_for(ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED)
    assert workflow.transition_for(ApplicationStatus.DRAFT, ApplicationStatus.APPROVED) is None
    assert workflow.transition_for(ApplicationStatus.APPROVED, ApplicationStatus.WITHDRAWN) is None


def test_an_officer_cannot_jump_an_application_to_approved(world):
    application = ApplicationFactory(screening=True)
    with pytest.raises(ValidationError, match="cannot be moved to approved"):
        services.application_move(
            application=application, user=world.users["officer"], target="approved"
        )


def test_an_officer_cannot_make_a_managers_move(world):
    application = ApplicationFactory(in_assessment=True)
    with pytest.raises(PermissionDenied):
        services.application_move(
            application=application,
            user=world.users["officer"],
            target=ApplicationStatus.READY_FOR_DECISION,
        )


def test_a_move_records_who_and_when_in_the_timeline(world):
    application = ApplicationFactory(submitted=True, round__fund__programme=world.programme)
    services.application_move(
        application=application, user=world.users["officer"], target=ApplicationStatus.SCREENING
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SCREENING
    assert application.status_changed_by == world.users["officer"]
    event = ActivityEvent.objects.get(application=application)
    assert event.actor == world.users["officer"] and event.action == "Start screening"
    assert application.history.first().history_user == world.users["officer"]


# Starting and eligibility -----------------------------------------------------------------


def test_an_excluded_organisation_type_cannot_start_an_application():
    fund = FundFactory(eligible_organisation_types=[OrganisationType.REGISTERED_CHARITY])
    user = partner(OrganisationFactory(kind=OrganisationType.CIC))
    with pytest.raises(ValidationError, match="open only to: registered charity"):
        services.application_start(round=RoundFactory(fund=fund), user=user)
    assert not Application.objects.exists()


def test_a_partner_starts_an_application_with_every_section_not_started():
    user = partner()
    application = services.application_start(round=RoundFactory(), user=user)
    assert application.organisation == user.organisation
    assert {s.status for s in application.sections.all()} == {SectionStatus.NOT_STARTED}
    assert application.sections.count() == len(Section.values)


def test_a_closed_round_cannot_be_started():
    with pytest.raises(ValidationError, match="not open"):
        services.application_start(round=RoundFactory(closed=True), user=partner())


def test_an_invite_only_round_refuses_uninvited_organisations():
    round = RoundFactory(invite_only=True)
    with pytest.raises(ValidationError, match="invitation only"):
        services.application_start(round=round, user=partner())
    invited = partner()
    round.invited_organisations.add(invited.organisation)
    assert services.application_start(round=round, user=invited)


def test_eligibility_reasons_explain_why_not():
    fund = FundFactory(
        eligible_organisation_types=[OrganisationType.TOWN_OR_PARISH_COUNCIL],
        priority_places_only=True,
    )
    reasons = services.eligibility_reasons(
        fund=fund, organisation_kind="cic", in_priority_place=False, amount=Decimal("50000")
    )
    assert len(reasons) == 3
    assert "largest grant is £20,000" in reasons[2]
    assert not services.eligibility_reasons(
        fund=fund,
        organisation_kind="town_or_parish_council",
        in_priority_place=True,
        amount=Decimal("1000"),
    )


# Saving sections --------------------------------------------------------------------------


def test_saving_a_section_marks_it_in_progress_and_keeps_history():
    user = partner()
    application = services.application_start(round=RoundFactory(), user=user)
    services.application_section_save(
        application=application,
        user=user,
        section=Section.PROJECT,
        data={"project_title": "Pantry", "summary": "Food"},
    )
    application.refresh_from_db()
    assert application.project_title == "Pantry"
    assert application.sections.get(section=Section.PROJECT).status == SectionStatus.IN_PROGRESS
    assert application.history.count() == 2


def test_amount_over_the_maximum_is_refused():
    user = partner()
    application = services.application_start(round=RoundFactory(), user=user)
    with pytest.raises(ValidationError, match="largest grant is £20,000"):
        services.application_section_save(
            application=application,
            user=user,
            section=Section.FUNDING,
            data={"amount_capital": Decimal("25000"), "amount_revenue": Decimal("0")},
        )


def test_revenue_is_refused_when_the_fund_is_capital_only():
    user = partner()
    application = services.application_start(
        round=RoundFactory(fund=FundFactory(allows_revenue=False)), user=user
    )
    with pytest.raises(ValidationError, match="does not fund revenue"):
        services.application_section_save(
            application=application,
            user=user,
            section=Section.FUNDING,
            data={"amount_capital": Decimal("0"), "amount_revenue": Decimal("1000")},
        )


def test_a_section_cannot_be_completed_with_gaps():
    user = partner()
    application = services.application_start(round=RoundFactory(), user=user)
    with pytest.raises(ValidationError, match="Enter a project title"):
        services.application_section_complete(
            application=application, user=user, section=Section.PROJECT, completed=True
        )


def test_budget_lines_must_match_the_amounts_asked_for():
    application, user = draft_ready()
    application.budget_lines.all().delete()
    services.budget_line_add(
        application=application, user=user, description="Fridge", kind="capital", amount=100
    )
    with pytest.raises(ValidationError, match="add up to £100 capital"):
        services.application_section_complete(
            application=application, user=user, section=Section.BUDGET, completed=True
        )


# Uploads ----------------------------------------------------------------------------------


def _file_question(application):
    return QuestionFactory(fund=application.round.fund, kind=QuestionKind.FILE, required=False)


def test_a_pdf_is_stored_under_a_safe_name():
    application, user = draft_ready()
    question = _file_question(application)
    upload = SimpleUploadedFile("../../etc/My plan.pdf", PDF, content_type="application/pdf")
    services.answers_save(
        application=application, user=user, values={}, uploads={question.pk: upload}
    )
    answer = application.answers.get(question=question)
    assert answer.original_filename == "My plan.pdf"
    stored = answer.file.name.rsplit("/", 1)[-1]
    assert stored.endswith(".pdf") and "My plan" not in stored and ".." not in answer.file.name


def test_an_executable_renamed_pdf_is_refused_and_nothing_is_saved():
    application, user = draft_ready()
    question = _file_question(application)
    text_question = QuestionFactory(fund=application.round.fund)
    upload = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")
    with pytest.raises(ValidationError, match="must be a PDF"):
        services.answers_save(
            application=application,
            user=user,
            values={text_question.pk: "An answer"},
            uploads={question.pk: upload},
        )
    assert not application.answers.exists()


def test_a_50_mb_file_is_refused():
    application, user = draft_ready()
    question = _file_question(application)
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * (50 * 1024 * 1024), "application/pdf")
    with pytest.raises(ValidationError, match="smaller than 10 MB"):
        services.answers_save(
            application=application, user=user, values={}, uploads={question.pk: upload}
        )
    assert not application.answers.exists()


# Submitting -------------------------------------------------------------------------------


def test_submitting_gives_a_reference_and_emails_the_organisation(
    django_capture_on_commit_callbacks,
):
    round = RoundFactory(
        fund=FundFactory(reference_prefix="SIF"),
        opens_at=timezone.make_aware(datetime.datetime(2021, 11, 4, 9)),
        closes_at=timezone.now() + datetime.timedelta(days=1),
    )
    application, user = draft_ready(round=round)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application=application, user=user, declaration_name="Jo")
    application.refresh_from_db()
    assert application.reference == "SIF-2021-0001"
    assert application.status == ApplicationStatus.SUBMITTED
    email = OutboundEmail.objects.get(to=user.email)
    assert "SIF-2021-0001" in email.subject and "SIF-2021-0001" in email.body

    second, user2 = draft_ready(round=round)
    services.application_submit(application=second, user=user2, declaration_name="Al")
    second.refresh_from_db()
    assert second.reference == "SIF-2021-0002"


def test_a_late_submission_is_refused_and_the_draft_kept():
    round = RoundFactory(
        opens_at=timezone.make_aware(datetime.datetime(2021, 11, 4, 9)),
        closes_at=timezone.make_aware(datetime.datetime(2021, 12, 30, 23, 59)),
    )
    application, user = draft_ready(round=round)
    with pytest.raises(
        ValidationError, match="You cannot submit after 30 December 2021 at 11:59pm"
    ):
        services.application_submit(application=application, user=user, declaration_name="Jo")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert application.project_title and application.reference == ""


def test_an_incomplete_application_cannot_be_submitted():
    user = partner()
    application = services.application_start(round=RoundFactory(), user=user)
    with pytest.raises(ValidationError, match="Complete the section"):
        services.application_submit(application=application, user=user, declaration_name="Jo")


def test_a_submitted_application_cannot_be_edited():
    application, user = draft_ready()
    services.application_submit(application=application, user=user, declaration_name="Jo")
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.application_section_save(
            application=application, user=user, section=Section.PROJECT, data={}
        )


# Changes requested ------------------------------------------------------------------------


def test_changes_requested_keep_the_earlier_version_and_show_what_changed(world):
    application, user = draft_ready(RoundFactory(fund__programme=world.programme))
    services.application_submit(application=application, user=user, declaration_name="Jo")
    officer = world.users["officer"]
    services.application_move(application=application, user=officer, target="screening")
    services.changes_request(
        application=application, user=officer, reasons={Section.PROJECT: "Say more"}
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CHANGES_REQUESTED
    assert application.sections.get(section=Section.PROJECT).status == (
        SectionStatus.CHANGES_REQUESTED
    )
    with pytest.raises(ValidationError, match="only change the sections"):
        services.application_section_save(
            application=application, user=user, section=Section.BUDGET, data={}
        )
    services.application_section_save(
        application=application,
        user=user,
        section=Section.PROJECT,
        data={"project_title": "Bigger pantry", "summary": "More food"},
    )
    services.application_section_complete(
        application=application, user=user, section=Section.PROJECT, completed=True
    )
    services.application_submit(application=application, user=user, declaration_name="Jo")
    request = application.change_requests.get()
    assert request.before["project_title"] != "Bigger pantry"
    assert request.after["project_title"] == "Bigger pantry"
    assert request.resolved_at


def test_changes_need_at_least_one_reason(world):
    application = ApplicationFactory(screening=True)
    with pytest.raises(ValidationError, match="at least one section"):
        services.changes_request(
            application=application, user=world.users["officer"], reasons={"project": " "}
        )


# Assessment -------------------------------------------------------------------------------


def test_an_assessor_from_the_applying_organisation_cannot_be_assigned(world):
    application = ApplicationFactory(screening=True, round__fund__programme=world.programme)
    insider = user_with_role(Role.ASSESSOR, world.programme, organisation=application.organisation)
    with pytest.raises(ValidationError, match="cannot assess it"):
        services.assessor_assign(
            application=application,
            assessor=insider,
            user=world.users["programme_manager"],
        )


def test_a_conflicted_assessor_is_replaced(world):
    application = ApplicationFactory(in_assessment=True, round__fund__programme=world.programme)
    first = world.users["assessor"]
    spare = user_with_role(Role.ASSESSOR, world.programme)
    assignment = services.assessor_assign(
        application=application, assessor=first, user=world.users["programme_manager"]
    )
    services.conflict_declare(
        assignment=assignment, user=first, conflicted=True, details="I volunteer there"
    )
    assignment.refresh_from_db()
    assert assignment.conflict == ConflictStatus.CONFLICTED
    assert AssessorAssignment.objects.filter(application=application, assessor=spare).exists()
    with pytest.raises(PermissionDenied):
        services.ensure_can_assess(assignment, first)


def test_a_conflict_needs_details(world):
    assignment = AssignmentFactory(assessor=world.users["assessor"])
    with pytest.raises(ValidationError, match="Describe your conflict"):
        services.conflict_declare(
            assignment=assignment, user=world.users["assessor"], conflicted=True
        )


def test_scoring_needs_a_declaration_first(world):
    assignment = AssignmentFactory(assessor=world.users["assessor"])
    with pytest.raises(ValidationError, match="Declare any conflict"):
        services.scores_save(assignment=assignment, user=world.users["assessor"], scores={})


def test_a_score_needs_a_justification_and_abstaining_leaves_the_mean(world):
    assessor = world.users["assessor"]
    assignment = AssignmentFactory(assessor=assessor, declared=True)
    fund = assignment.application.round.fund
    heavy = CriterionFactory(fund=fund, weight=3)
    light = CriterionFactory(fund=fund, weight=1)
    skipped = CriterionFactory(fund=fund, weight=5)
    with pytest.raises(ValidationError, match="Explain your score"):
        services.scores_save(
            assignment=assignment,
            user=assessor,
            scores={heavy.pk: {"score": 5, "justification": ""}},
        )
    services.scores_save(
        assignment=assignment,
        user=assessor,
        scores={
            heavy.pk: {"score": 5, "justification": "Strong"},
            light.pk: {"score": 1, "justification": "Weak"},
            skipped.pk: {"abstain": True},
        },
        finish=True,
    )
    scores = list(Score.objects.filter(assignment=assignment).select_related("criterion"))
    assert scoring.weighted_mean(scores) == Decimal("4.00")  # (5*3 + 1*1) / 4
    assignment.refresh_from_db()
    assert assignment.completed_at


def test_a_score_outside_1_to_5_is_refused_by_the_database():
    assignment = AssignmentFactory(declared=True)
    criterion = CriterionFactory(fund=assignment.application.round.fund)
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(assignment=assignment, criterion=criterion, score=6, justification="x")


def test_flags_are_resolved_with_a_note(world):
    application = ApplicationFactory(screening=True)
    flag = services.flag_raise(
        application=application, user=world.users["officer"], reason="Address differs"
    )
    with pytest.raises(ValidationError, match="how the flag was resolved"):
        services.flag_resolve(flag=flag, user=world.users["officer"], note="")
    services.flag_resolve(flag=flag, user=world.users["officer"], note="Checked: moved office")
    flag.refresh_from_db()
    assert flag.resolved_by == world.users["officer"]


# Decisions and awards ---------------------------------------------------------------------


def test_a_decision_is_recorded_with_who_made_it_and_emailed(world):
    manager = world.users["programme_manager"]
    application = ApplicationFactory(
        ready_for_decision=True, round__fund__programme=world.programme
    )
    partner(application.organisation)
    services.email_template_save(
        fund=application.round.fund,
        kind="approved",
        subject="Good news for {reference}",
        body="You get {amount}.",
        user=manager,
    )
    decision = services.decision_record(
        application=application,
        user=manager,
        outcome="approved",
        amount_capital=Decimal("1000"),
        amount_revenue=Decimal("500"),
    )
    assert decision.decided_by == manager
    application.refresh_from_db()
    assert application.status == ApplicationStatus.APPROVED
    email = OutboundEmail.objects.get(subject=f"Good news for {application.reference}")
    assert email.body == "You get £1,500."


def test_declining_needs_a_reason(world):
    application = ApplicationFactory(ready_for_decision=True)
    with pytest.raises(ValidationError, match="reason"):
        services.decision_record(
            application=application, user=world.users["programme_manager"], outcome="declined"
        )


def test_nobody_decides_on_their_own_organisations_application(world):
    application = ApplicationFactory(ready_for_decision=True)
    insider = user_with_role(
        Role.PROGRAMME_MANAGER, world.programme, organisation=application.organisation
    )
    with pytest.raises(PermissionDenied):
        services.decision_record(
            application=application,
            user=insider,
            outcome="approved",
            amount_capital=Decimal("1"),
        )


def test_an_award_over_the_rounds_remaining_budget_is_refused(world):
    manager = world.users["programme_manager"]
    round = RoundFactory(budget=Decimal("5000"))
    AwardFactory(application__round=round, amount_capital=Decimal("3000"), amount_revenue=0)
    application = ApplicationFactory(round=round, approved=True)
    with pytest.raises(ValidationError, match="more than the £2,000 left in"):
        services.award_create(
            application=application,
            user=manager,
            amount_capital=Decimal("2500"),
            amount_revenue=Decimal("0"),
            awarded_on=timezone.localdate(),
        )
    assert not Award.objects.filter(application=application).exists()
    award = services.award_create(
        application=application,
        user=manager,
        amount_capital=Decimal("2000"),
        amount_revenue=Decimal("0"),
        awarded_on=timezone.localdate(),
        report_due_dates=[timezone.localdate() + datetime.timedelta(days=90)],
    )
    assert award.reports.count() == 1


def test_a_member_award_cannot_take_a_pot_below_zero(world):
    manager = world.users["programme_manager"]
    allocation = AllocationFactory(councillor=world.users["councillor"], amount=Decimal("2500"))
    round = RoundFactory(fund=allocation.fund, budget=Decimal("100000"))
    for _ in range(2):
        AwardFactory(
            application__round=round,
            allocation=allocation,
            amount_capital=Decimal("1000"),
            amount_revenue=0,
        )
    application = ApplicationFactory(round=round, approved=True)
    with pytest.raises(ValidationError, match="more than the £500 left in"):
        services.award_create(
            application=application,
            user=manager,
            amount_capital=Decimal("800"),
            amount_revenue=Decimal("0"),
            awarded_on=timezone.localdate(),
            allocation=allocation,
        )
    with pytest.raises(ValidationError, match="most for one project is £1,000"):
        services.award_create(
            application=application,
            user=manager,
            amount_capital=Decimal("1200"),
            amount_revenue=Decimal("0"),
            awarded_on=timezone.localdate(),
            allocation=allocation,
        )
    services.award_create(
        application=application,
        user=manager,
        amount_capital=Decimal("500"),
        amount_revenue=Decimal("0"),
        awarded_on=timezone.localdate(),
        allocation=allocation,
    )
    assert services.allocation_remaining(allocation) == 0


# Payments and monitoring ------------------------------------------------------------------


def test_a_payment_needs_a_second_person_to_approve_it(world):
    officer, manager = world.users["officer"], world.users["programme_manager"]
    payment = services.payment_plan(
        award=AwardFactory(), user=officer, amount=Decimal("1500"), due_on=timezone.localdate()
    )
    with pytest.raises(ValidationError, match="second person"):
        services.payment_approve(payment=payment, user=officer)
    with pytest.raises(ValidationError, match="must be approved"):
        services.payment_mark_paid(payment=payment, user=officer)
    services.payment_approve(payment=payment, user=manager)
    services.payment_mark_paid(payment=payment, user=officer)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.approved_by == manager


def test_the_database_refuses_self_approval():
    payment = PaymentFactory()
    payment.approved_by = payment.created_by
    with pytest.raises(IntegrityError), transaction.atomic():
        payment.save()


def test_payments_cannot_add_up_to_more_than_the_grant(world):
    award = AwardFactory(amount_capital=Decimal("1000"), amount_revenue=0)
    with pytest.raises(ValidationError, match="more than the grant"):
        services.payment_plan(
            award=award,
            user=world.users["officer"],
            amount=Decimal("1001"),
            due_on=timezone.localdate(),
        )


def test_a_monitoring_report_is_submitted_once():
    report = MonitoringReportFactory()
    user = partner(report.award.application.organisation)
    services.monitoring_report_submit(
        report=report, user=user, progress="Opened", spend_to_date=Decimal("500"), people_reached=40
    )
    with pytest.raises(ValidationError, match="already been submitted"):
        services.monitoring_report_submit(
            report=report, user=user, progress="x", spend_to_date=Decimal("1"), people_reached=1
        )


def test_reminders_are_sent_once_a_week_for_reports_due_soon():
    report = MonitoringReportFactory()
    partner(report.award.application.organisation)
    MonitoringReportFactory(due_on=timezone.localdate() + datetime.timedelta(days=60))
    assert services.monitoring_reminders_send() == 1
    assert services.monitoring_reminders_send() == 0
    report.refresh_from_db()
    assert report.reminder_sent_on == timezone.localdate()
    assert MonitoringReport.objects.filter(reminder_sent_on__isnull=True).count() == 1


def test_a_councillor_recommends_from_their_pot_which_never_goes_below_zero(world):
    councillor = world.users["councillor"]
    allocation = AllocationFactory(councillor=councillor, amount=Decimal("2500"))
    round = RoundFactory(fund=allocation.fund, budget=Decimal("100000"))
    first, second, third = (ApplicationFactory(round=round, submitted=True) for _ in range(3))
    services.member_recommend(application=first, user=councillor, amount=Decimal("1000"))
    services.member_recommend(application=second, user=councillor, amount=Decimal("1000"))
    assert services.allocation_remaining(allocation) == Decimal("500")
    with pytest.raises(ValidationError, match="more than the £500 left in your pot"):
        services.member_recommend(application=third, user=councillor, amount=Decimal("600"))
    with pytest.raises(ValidationError, match="most for one project is £1,000"):
        services.member_recommend(application=third, user=councillor, amount=Decimal("1001"))
    with pytest.raises(PermissionDenied):
        services.member_recommend(
            application=third, user=world.users["officer"], amount=Decimal("100")
        )
    # Awarding a recommended application uses the money already held for it.
    first.status = ApplicationStatus.APPROVED
    first.save()
    services.award_create(
        application=first,
        user=world.users["programme_manager"],
        amount_capital=Decimal("1000"),
        amount_revenue=Decimal("0"),
        awarded_on=timezone.localdate(),
        allocation=allocation,
    )
    assert services.allocation_remaining(allocation) == Decimal("500")


def test_a_manager_declines_an_ineligible_application_at_screening(world):
    manager = world.users["programme_manager"]
    application = ApplicationFactory(screening=True, round__fund__programme=world.programme)
    with pytest.raises(ValidationError, match="can only be declined"):
        services.decision_record(
            application=application, user=manager, outcome="approved", amount_capital=1
        )
    services.decision_record(
        application=application, user=manager, outcome="declined", reason="Not in Warwickshire"
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DECLINED


def test_reminders_run_daily_from_the_beat_schedule(settings):
    from funds.tasks import send_monitoring_reminders

    report = MonitoringReportFactory()
    partner(report.award.application.organisation)
    schedule = settings.CELERY_BEAT_SCHEDULE["funds-monitoring-reminders"]
    assert schedule["task"] == send_monitoring_reminders.name
    assert send_monitoring_reminders.delay().get() == 1
