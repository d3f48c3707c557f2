import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from cpw.accounts.models import OrganisationType, Role
from cpw.core.models import OutboundEmail
from funds.models import (
    Answer,
    Application,
    ApplicationStatus,
    Award,
    ExportJob,
    PaymentStatus,
    QuestionKind,
    SectionStatus,
)
from tests.accounts.factories import OrganisationFactory, user_with_role
from tests.core.files import EXECUTABLE, FAKE_XLSX
from tests.funds.factories import (
    ApplicationFactory,
    AssignmentFactory,
    AwardFactory,
    CriterionFactory,
    FundFactory,
    PaymentFactory,
    QuestionFactory,
    RoundFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%test\n%%EOF\n"


def error_summary(response) -> str:
    html = response.content.decode()
    start = html.find("govuk-error-summary")
    assert start != -1, "no error summary on the page"
    return html[start : start + 2000]


@pytest.fixture
def fund(world):
    fund = FundFactory(programme=world.programme, slug="sif", reference_prefix="CPF")
    QuestionFactory(fund=fund, kind=QuestionKind.FILE, text="Your constitution", required=True)
    return fund


@pytest.fixture
def round(fund):
    return RoundFactory(fund=fund, name="Round 1")


# The partner's journey, page by page ------------------------------------------------------


def test_a_partner_applies_through_the_task_list(world, round, client_as, fund):
    partner = world.users["partner"]
    client = client_as(partner)
    page = client.get(reverse("funds:fund-detail", args=[fund.slug]))
    assert "Start an application" in page.content.decode()
    response = client.post(reverse("funds:application-start", args=[fund.slug, round.pk]))
    application = Application.objects.get(round=round)
    assert response["Location"] == reverse("funds:application-tasks", args=[application.pk])
    tasks = client.get(response["Location"]).content.decode()
    assert tasks.count("Not started") == 5

    def section(name, data, files=None):
        url = reverse("funds:application-section", args=[application.pk, name])
        application.refresh_from_db()
        response = client.post(url, {**data, **(files or {}), "version": application.version})
        assert response.status_code == 302, error_summary(response)
        check = reverse("funds:application-section-check", args=[application.pk, name])
        assert response["Location"] == check
        done = client.post(check, {"completed": "yes"})
        assert done.status_code == 302, error_summary(done)

    section("project", {"project_title": "Community pantry", "summary": "Food for families"})
    section(
        "funding",
        {
            "amount_capital": "1000",
            "amount_revenue": "2000",
            "start_date_0": "1",
            "start_date_1": "4",
            "start_date_2": "2026",
            "end_date_0": "31",
            "end_date_1": "3",
            "end_date_2": "2027",
        },
    )
    section("places", {"places": [world.division.children.first().pk], "beneficiaries": "Families"})
    budget = reverse("funds:application-section", args=[application.pk, "budget"])
    for description, kind, amount in [("Fridges", "capital", "1000"), ("Staff", "revenue", "2000")]:
        assert (
            client.post(
                budget, {"description": description, "kind": kind, "amount": amount}
            ).status_code
            == 302
        )
    assert (
        client.post(
            reverse("funds:application-section-check", args=[application.pk, "budget"]),
            {"completed": "yes"},
        ).status_code
        == 302
    )
    question = fund.questions.get()
    section(
        "questions",
        {},
        {f"q{question.pk}": SimpleUploadedFile("constitution.pdf", PDF, "application/pdf")},
    )
    tasks = client.get(reverse("funds:application-tasks", args=[application.pk])).content.decode()
    assert "You have completed 5 of 5 sections" in tasks
    check = client.get(reverse("funds:application-submit", args=[application.pk])).content.decode()
    assert "Community pantry" in check and "constitution.pdf" in check
    response = client.post(
        reverse("funds:application-submit", args=[application.pk]),
        {"confirm": "on", "declaration_name": "Jo Walker"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    year = timezone.localtime(round.opens_at).year
    assert application.reference == f"CPF-{year}-0001"
    confirmation = client.get(response["Location"]).content.decode()
    assert f"CPF-{year}-0001" in confirmation
    assert OutboundEmail.objects.filter(to=partner.email, subject__contains="CPF-").exists()
    # Everyone in the organisation sees it; after submission it cannot be edited.
    colleague = user_with_role(Role.PARTNER, organisation=partner.organisation)
    client = client_as(colleague)
    assert "Community pantry" in client.get(reverse("funds:my-applications")).content.decode()
    edit = client.get(reverse("funds:application-section", args=[application.pk, "project"]))
    assert edit.status_code == 302 and "check" in edit["Location"]


def test_another_organisations_application_is_not_found(world, round, client_as):
    application = ApplicationFactory(round=round, organisation=world.partner_organisation)
    answer = Answer.objects.create(
        application=application,
        question=round.fund.questions.get(),
        original_filename="x.pdf",
    )
    answer.file.save("x.pdf", SimpleUploadedFile("x.pdf", PDF))
    client = client_as(world.other_partner)
    for url in [
        reverse("funds:application-tasks", args=[application.pk]),
        reverse("funds:application-section", args=[application.pk, "project"]),
        reverse("funds:application-section-check", args=[application.pk, "project"]),
        reverse("funds:application-submit", args=[application.pk]),
        reverse("funds:answer-file", args=[application.pk, answer.pk]),
    ]:
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("funds:application-tasks", args=[999999])).status_code == 404
    assert (
        client.post(
            reverse("funds:application-section", args=[application.pk, "project"]),
            {"project_title": "Hijack", "summary": "x"},
        ).status_code
        == 404
    )
    application.refresh_from_db()
    assert application.project_title != "Hijack"


def test_a_late_submission_is_refused_with_a_clear_message_and_the_draft_kept(
    world, fund, client_as
):
    round = RoundFactory(
        fund=fund,
        opens_at=timezone.make_aware(datetime.datetime(2021, 11, 4, 9)),
        closes_at=timezone.make_aware(datetime.datetime(2021, 12, 30, 23, 59)),
    )
    application = ApplicationFactory(
        round=round,
        organisation=world.partner_organisation,
        created_by=world.users["partner"],
        sections="completed",
    )
    response = client_as(world.users["partner"]).post(
        reverse("funds:application-submit", args=[application.pk]),
        {"confirm": "on", "declaration_name": "Jo"},
    )
    assert response.status_code == 200
    assert "You cannot submit after 30 December 2021 at 11:59pm" in error_summary(response)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT and application.project_title


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("big.pdf", PDF + b"0" * (50 * 1024 * 1024), "must be smaller than 10 MB"),
        ("invoice.pdf", b"MZ\x90\x00\x03" + b"\x00" * 500, "must be a PDF"),
        ("budget.xlsx", FAKE_XLSX, "must be a PDF, Word document, Excel spreadsheet, JPG or PNG"),
        ("budget.docx", EXECUTABLE, "must be a PDF, Word document, Excel spreadsheet, JPG or PNG"),
    ],
    ids=["50 MB file", "executable renamed .pdf", "fake xlsx zip", "executable renamed .docx"],
)
def test_bad_files_are_refused_and_nothing_saved(world, round, client_as, name, content, message):
    application = ApplicationFactory(
        round=round, organisation=world.partner_organisation, created_by=world.users["partner"]
    )
    question = round.fund.questions.get()
    response = client_as(world.users["partner"]).post(
        reverse("funds:application-section", args=[application.pk, "questions"]),
        {f"q{question.pk}": SimpleUploadedFile(name, content, "application/pdf")},
    )
    assert response.status_code == 200
    assert message in error_summary(response)
    assert not Answer.objects.filter(application=application).exists()


def test_an_excluded_organisation_type_is_refused(world, client_as):
    fund = FundFactory(
        programme=world.programme,
        eligible_organisation_types=[OrganisationType.TOWN_OR_PARISH_COUNCIL],
    )
    round = RoundFactory(fund=fund)
    response = client_as(world.users["partner"]).post(
        reverse("funds:application-start", args=[fund.slug, round.pk])
    )
    assert response.status_code == 400
    assert "open only to: town or parish council" in error_summary(response)
    assert not Application.objects.filter(round=round).exists()


def test_the_eligibility_checker_says_why_not(world, client):
    fund = FundFactory(
        programme=world.programme,
        eligible_organisation_types=[OrganisationType.REGISTERED_CHARITY],
        maximum_grant=Decimal("5000"),
    )
    url = reverse("funds:eligibility", args=[fund.slug])
    no = client.post(url, {"organisation_kind": "cic", "amount": "9000"}).content.decode()
    assert "You cannot apply" in no and "The largest grant is £5,000." in no
    yes = client.post(url, {"organisation_kind": "registered_charity", "amount": "900"})
    assert "You can apply" in yes.content.decode()
    bad = client.post(url, {"amount": "lots"})
    assert "Select the type of your organisation" in error_summary(bad)


# Council ------------------------------------------------------------------------------------


def test_an_officer_screens_and_asks_for_changes_per_section(world, round, client_as):
    application = ApplicationFactory(round=round, submitted=True)
    client = client_as(world.users["officer"])
    url = reverse("funds:application-move", args=[application.pk])
    assert client.post(url, {"target": "screening"}).status_code == 302
    response = client.post(
        reverse("funds:application-changes", args=[application.pk]),
        {"reason_budget": "Split the staff costs"},
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == ApplicationStatus.CHANGES_REQUESTED
    assert application.sections.get(section="budget").status == SectionStatus.CHANGES_REQUESTED
    partner = user_with_role(Role.PARTNER, organisation=application.organisation)
    tasks = client_as(partner).get(reverse("funds:application-tasks", args=[application.pk]))
    assert "Split the staff costs" in tasks.content.decode()


def test_an_officer_cannot_decide(world, round, client_as):
    application = ApplicationFactory(round=round, ready_for_decision=True)
    client = client_as(world.users["officer"])
    assert client.get(reverse("funds:application-decide", args=[application.pk])).status_code == 403


def test_a_conflicted_assessor_gets_403(world, round, client_as):
    assessor = world.users["assessor"]
    assignment = AssignmentFactory(application__round=round, assessor=assessor)
    user_with_role(Role.ASSESSOR, world.programme)  # a spare assessor to take over
    client = client_as(assessor)
    # Before declaring, the application is not shown.
    response = client.get(reverse("funds:assessment-score", args=[assignment.pk]))
    assert response.status_code == 302 and "declare" in response["Location"]
    declare = client.post(
        reverse("funds:assessment-declare", args=[assignment.pk]),
        {"conflicted": "yes", "details": "I am a trustee"},
    )
    assert declare.status_code == 302
    assert client.get(reverse("funds:assessment-score", args=[assignment.pk])).status_code == 403
    assert client.get(reverse("funds:assessment-declare", args=[assignment.pk])).status_code == 403
    answer_url = reverse("funds:answer-file", args=[assignment.application_id, 1])
    assert client.get(answer_url).status_code == 404
    assert assignment.application.assignments.count() == 2  # replaced


def test_an_assessor_scores_with_justifications(world, round, client_as):
    assessor = world.users["assessor"]
    criterion = CriterionFactory(fund=round.fund, name="Need")
    assignment = AssignmentFactory(application__round=round, assessor=assessor, declared=True)
    client = client_as(assessor)
    url = reverse("funds:assessment-score", args=[assignment.pk])
    bad = client.post(url, {f"score_{criterion.pk}": "4"})
    assert "Explain your score for &#x27;Need&#x27;" in error_summary(bad)
    good = client.post(
        url, {f"score_{criterion.pk}": "4", f"justification_{criterion.pk}": "Clear"}
    )
    assert good.status_code == 302
    assignment.refresh_from_db()
    assert assignment.completed_at and assignment.scores.get().score == 4


def test_an_award_over_the_remaining_budget_is_refused_on_the_page(world, client_as):
    round = RoundFactory(budget=Decimal("1000"), fund__programme=world.programme)
    application = ApplicationFactory(round=round, approved=True)
    response = client_as(world.users["programme_manager"]).post(
        reverse("funds:award-create", args=[application.pk]),
        {
            "amount_capital": "1500",
            "amount_revenue": "0",
            "awarded_on_0": "1",
            "awarded_on_1": "4",
            "awarded_on_2": "2026",
            "first_report_due_0": "1",
            "first_report_due_1": "10",
            "first_report_due_2": "2026",
        },
    )
    assert response.status_code == 200
    assert "more than the £1,000 left in" in error_summary(response)
    assert not Award.objects.filter(application=application).exists()


def test_planning_and_approving_a_payment_needs_two_people(world, client_as):
    award = AwardFactory(application__round__fund__programme=world.programme)
    payment = PaymentFactory(award=award, created_by=world.users["officer"])
    client = client_as(world.users["officer"])
    client.post(reverse("funds:payment-approve", args=[payment.pk]))
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PLANNED
    page = client.get(reverse("funds:grant-detail", args=[award.pk])).content.decode()
    assert "A second person must approve this payment" in page
    client_as(world.users["programme_manager"]).post(
        reverse("funds:payment-approve", args=[payment.pk])
    )
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.APPROVED


def test_a_small_export_downloads_at_once_and_a_large_one_is_queued(
    world, round, client_as, django_capture_on_commit_callbacks
):
    ApplicationFactory(round=round, submitted=True, project_title="Pantry")
    client = client_as(world.users["officer"])
    url = reverse("funds:application-export", args=[round.fund.slug])
    response = client.post(url, {"file_format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert b"Pantry" in response.content
    import funds.exports

    original = funds.exports.INLINE_LIMIT
    funds.exports.INLINE_LIMIT = 0
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"file_format": "xlsx"})
    finally:
        funds.exports.INLINE_LIMIT = original
    job = ExportJob.objects.get(fund=round.fund)
    assert response["Location"] == reverse("funds:export-job", args=[job.pk])
    job.refresh_from_db()
    assert job.status == "ready"  # eager Celery in tests
    assert client.get(reverse("funds:export-download", args=[job.pk])).status_code == 200


def test_a_large_export_is_refused_when_the_queue_is_down(world, round, client_as, broker_down):
    import funds.exports

    client = client_as(world.users["officer"])
    original = funds.exports.INLINE_LIMIT
    funds.exports.INLINE_LIMIT = -1
    try:
        response = client.post(
            reverse("funds:application-export", args=[round.fund.slug]), {"file_format": "csv"}
        )
    finally:
        funds.exports.INLINE_LIMIT = original
    assert "nothing has been saved" in error_summary(response)
    assert not ExportJob.objects.filter(fund=round.fund).exists()


def test_the_panel_export_is_a_spreadsheet(world, round, client_as):
    response = client_as(world.users["officer"]).get(reverse("funds:panel-export", args=[round.pk]))
    assert response.content[:2] == b"PK"


def test_the_partner_navigation(world, client_as):
    html = client_as(world.users["partner"]).get(reverse("funds:my-applications")).content.decode()
    nav = html[html.find("govuk-service-navigation__list") :][:3000]
    labels = ["Your organisation", "Applications", "Grants", "Funds"]
    positions = [nav.find(label) for label in labels]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), nav


def test_another_organisations_grant_is_not_found(world, client_as):
    award = AwardFactory(application__organisation=OrganisationFactory())
    assert (
        client_as(world.users["partner"])
        .get(reverse("funds:grant-detail", args=[award.pk]))
        .status_code
        == 404
    )


def test_a_manager_adds_questions_and_criteria(world, fund, client_as):
    client = client_as(world.users["programme_manager"])
    url = reverse("funds:fund-setup", args=[fund.slug])
    bad = client.post(
        url, {"form": "question", "question-text": "Colour?", "question-kind": "choice"}
    )
    assert bad.status_code == 400
    assert "Enter at least two options" in error_summary(bad)
    ok = client.post(
        url,
        {
            "form": "question",
            "question-text": "Which area?",
            "question-kind": "choice",
            "question-choices": "North\nSouth",
            "question-required": "on",
        },
    )
    assert ok.status_code == 302
    assert fund.questions.get(text="Which area?").choice_list == ["North", "South"]
    bad = client.post(
        url, {"form": "criterion", "criterion-name": "Need", "criterion-weight": "20"}
    )
    assert "from 1 to 10" in error_summary(bad)
    assert (
        client.post(
            url, {"form": "criterion", "criterion-name": "Need", "criterion-weight": "3"}
        ).status_code
        == 302
    )
    assert fund.criteria.get().weight == 3


def test_a_partner_withdraws_an_application(world, round, client_as):
    application = ApplicationFactory(
        round=round, organisation=world.partner_organisation, submitted=True
    )
    client = client_as(world.users["partner"])
    assert (
        client.post(reverse("funds:application-withdraw", args=[application.pk])).status_code == 302
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    again = client.post(reverse("funds:application-withdraw", args=[application.pk]))
    assert again.status_code == 400


def test_a_councillor_recommends_an_application_in_their_division(world, client_as):
    from tests.funds.factories import AllocationFactory

    councillor = world.users["councillor"]
    allocation = AllocationFactory(
        councillor=councillor, amount=Decimal("2500"), fund__programme=world.programme
    )
    round = RoundFactory(fund=allocation.fund)
    here = ApplicationFactory(round=round, submitted=True, project_title="Tree planting")
    here.places.add(world.division.children.first())
    elsewhere = ApplicationFactory(round=round, submitted=True, project_title="Far away")
    client = client_as(councillor)
    page = client.get(reverse("funds:member-pot")).content.decode()
    assert "Tree planting" in page and "Far away" not in page
    url = reverse("funds:member-recommend", args=[here.pk])
    too_much = client.post(url, {f"a{here.pk}-amount": "1500"})
    assert "most for one project is £1,000" in error_summary(too_much)
    assert client.post(url, {f"a{here.pk}-amount": "800"}).status_code == 302
    assert "£1,700" in client.get(reverse("funds:member-pot")).content.decode()
    other = reverse("funds:member-recommend", args=[elsewhere.pk])
    # The councillor may know it exists (it is in their programme) but not recommend it.
    assert client.post(other, {f"a{elsewhere.pk}-amount": "100"}).status_code == 403


def test_every_kind_of_question_saves_and_shows_again(world, client_as):
    fund = FundFactory(programme=world.programme)
    kinds = {
        QuestionKind.SHORT_TEXT: {"": "Pantry"},
        QuestionKind.LONG_TEXT: {"": "A long answer"},
        QuestionKind.NUMBER: {"": "12"},
        QuestionKind.MONEY: {"": "250.50"},
        QuestionKind.DATE: {"_0": "3", "_1": "5", "_2": "2026"},
        QuestionKind.CHOICE: {"": "North"},
    }
    questions = {
        kind: QuestionFactory(
            fund=fund, kind=kind, choices="North\nSouth" if kind == "choice" else ""
        )
        for kind in kinds
    }
    application = ApplicationFactory(
        round=RoundFactory(fund=fund), organisation=world.partner_organisation
    )
    data = {
        f"q{questions[kind].pk}{suffix}": value
        for kind, values in kinds.items()
        for suffix, value in values.items()
    }
    client = client_as(world.users["partner"])
    url = reverse("funds:application-section", args=[application.pk, "questions"])
    assert client.post(url, data).status_code == 302
    answers = {a.question.kind: a.value for a in application.answers.select_related("question")}
    assert answers[QuestionKind.DATE] == "2026-05-03"
    assert answers[QuestionKind.MONEY] == "250.50"
    page = client.get(url).content.decode()
    assert 'value="2026"' in page and "A long answer" in page
    bad = client.post(url, {**data, f"q{questions[QuestionKind.NUMBER].pk}": "lots"})
    assert "must be a whole number" in error_summary(bad)


def test_two_colleagues_editing_the_same_section_see_an_edit_conflict(world, round, client_as):
    partner = world.users["partner"]
    colleague = user_with_role(Role.PARTNER, organisation=partner.organisation)
    application = ApplicationFactory(round=round, organisation=partner.organisation)
    url = reverse("funds:application-section", args=[application.pk, "project"])
    version = application.version
    first = client_as(colleague).post(
        url, {"project_title": "Colleague's title", "summary": "Theirs", "version": version}
    )
    assert first.status_code == 302
    second = client_as(partner).post(
        url, {"project_title": "My title", "summary": "Mine", "version": version}
    )
    assert second.status_code == 409
    page = second.content.decode()
    assert "Someone else changed this while you were editing" in page
    assert "Colleague&#x27;s title" in page and "My title" in page
    application.refresh_from_db()
    assert application.project_title == "Colleague's title"


def test_a_monitoring_report_with_photos(world, client_as):
    from tests.funds.factories import MonitoringReportFactory

    report = MonitoringReportFactory(award__application__organisation=world.partner_organisation)
    client = client_as(world.users["partner"])
    url = reverse("funds:report-submit", args=[report.award.pk, report.pk])
    data = {"progress": "Opened", "spend_to_date": "100", "people_reached": "12"}
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 100
    bad = client.post(
        url,
        {**data, "photos": [SimpleUploadedFile("plan.pdf", PDF), SimpleUploadedFile("a.png", png)]},
    )
    assert "plan.pdf: The selected file must be a JPG or PNG" in error_summary(bad)
    report.refresh_from_db()
    assert report.status == "due" and not report.photos.exists()
    for name, content in [("photo.jpg", EXECUTABLE), ("photo.png", FAKE_XLSX)]:
        refused = client.post(url, {**data, "photos": [SimpleUploadedFile(name, content)]})
        assert f"{name}: The selected file must be a JPG or PNG" in error_summary(refused)
        report.refresh_from_db()
        assert report.status == "due" and not report.photos.exists()
    ok = client.post(
        url,
        {**data, "photos": [SimpleUploadedFile("a.png", png), SimpleUploadedFile("b.png", png)]},
    )
    assert ok.status_code == 302
    report.refresh_from_db()
    assert report.status == "submitted" and report.photos.count() == 2
    assert "Spend cannot be more" in error_summary(
        client.post(
            reverse(
                "funds:report-submit",
                args=[report.award.pk, MonitoringReportFactory(award=report.award).pk],
            ),
            {**data, "spend_to_date": "999999"},
        )
    )


def test_two_people_answering_the_questions_at_once_conflict(world, round, client_as):
    question = QuestionFactory(fund=round.fund, kind=QuestionKind.LONG_TEXT, text="Who benefits?")
    application = ApplicationFactory(round=round, organisation=world.partner_organisation)
    colleague = user_with_role(Role.PARTNER, organisation=world.partner_organisation)
    url = reverse("funds:application-section", args=[application.pk, "questions"])
    opened_at = application.version

    def save(user, text):
        return client_as(user).post(url, {f"q{question.pk}": text, "version": opened_at})

    assert save(world.users["partner"], "Older residents in Lillington").status_code == 302
    response = save(colleague, "Families in Camp Hill")
    assert response.status_code == 409
    html = response.content.decode()
    assert "Older residents in Lillington" in html and "Families in Camp Hill" in html
    answer = Answer.objects.get(application=application, question=question)
    assert answer.value == "Older residents in Lillington"
    # Saving again from the conflict page (it carries the new version) is a deliberate choice.
    application.refresh_from_db()
    again = client_as(colleague).post(
        url, {f"q{question.pk}": "Families in Camp Hill", "version": application.version}
    )
    assert again.status_code == 302
    answer.refresh_from_db()
    assert answer.value == "Families in Camp Hill"
