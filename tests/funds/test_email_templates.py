"""A fund's email wording: checked when saved (only the placeholders of that kind of email), and
sent safely whatever is stored — a bad template falls back to the default wording, is logged, and
never stops a decision being recorded or makes a large email."""

import logging

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cpw.accounts.models import Role
from cpw.core.models import OutboundEmail
from funds import services
from funds.emails import (
    EMAIL_BODY_RENDERED_MAX,
    PLACEHOLDERS,
    TEMPLATE_DEFAULTS,
    email_render,
)
from funds.forms import EmailTemplateForm
from funds.models import Decision, EmailTemplate, EmailTemplateKind
from tests.accounts.factories import user_with_role
from tests.funds.factories import ApplicationFactory, FundFactory, RoundFactory

pytestmark = pytest.mark.django_db

ALLOWED_FOR_APPROVED = (
    "{reference}, {project_title}, {organisation}, {fund}, {amount}, {conditions}"
)

# (body, the message a manager sees)
BAD_BODIES = [
    ("Hello {", "Remove the &#x27;{&#x27; that is not part of a placeholder"),
    ("Hello }", "Remove the &#x27;}&#x27; that is not part of a placeholder"),
    (
        "Hello {0}",
        f"Use only these placeholders: {ALLOWED_FOR_APPROVED} — &#x27;{{0}}&#x27; is not one of them",
    ),
    ("Hello {}", "&#x27;{}&#x27; is not one of them"),
    ("Hello {applicant}", "&#x27;{applicant}&#x27; is not one of them"),
    ("Your reason: {reason}", "&#x27;{reason}&#x27; is not one of them"),  # declined only
    (
        "{reference:>3000000}",
        "Write the placeholder {reference} on its own, without anything after the name",
    ),
    ("{reference!r}", "Write the placeholder {reference} on its own"),
    ("{reference.__class__}", "Write the placeholder {reference} on its own"),
    ("{organisation[0]}", "Write the placeholder {organisation} on its own"),
    ("{{reference}}", "Use single curly brackets around a placeholder, like {reference}"),
    ("{ amount }", "Remove the spaces inside the curly brackets: write {amount}"),
    ("x" * 5_001, "Enter a message of 5,000 characters or fewer"),
    ("", "Enter a message"),
]


@pytest.fixture
def fund(world):
    return FundFactory(programme=world.programme, slug="sif")


def url(fund, kind="approved"):
    return reverse("funds:email-template", kwargs={"slug": fund.slug, "kind": kind})


def error_summary(response) -> str:
    html = response.content.decode()
    start = html.find("govuk-error-summary")
    assert start != -1, "no error summary on the page"
    return html[start : start + 3000]


# Saving ------------------------------------------------------------------------------------


@pytest.mark.parametrize("body, message", BAD_BODIES)
def test_the_page_refuses_a_bad_message_says_why_and_saves_nothing(
    world, fund, client_as, body, message
):
    client = client_as(world.users["programme_manager"])
    response = client.post(url(fund), {"subject": "About {reference}", "body": body})
    assert response.status_code == 200
    assert message in error_summary(response)
    assert not EmailTemplate.objects.filter(fund=fund).exists()


@pytest.mark.parametrize(
    "subject, message",
    [
        ("Hello {0}", "&#x27;{0}&#x27; is not one of them"),
        ("{reference:>300}", "Write the placeholder {reference} on its own"),
        ("About {", "Remove the &#x27;{&#x27; that is not part of a placeholder"),
        ("x" * 201, "Enter a subject of 200 characters or fewer"),
        ("", "Enter a subject"),
    ],
)
def test_the_page_refuses_a_bad_subject(world, fund, client_as, subject, message):
    client = client_as(world.users["programme_manager"])
    response = client.post(url(fund), {"subject": subject, "body": "Hello {reference}"})
    assert message in error_summary(response)
    assert not EmailTemplate.objects.filter(fund=fund).exists()


def test_a_bad_change_leaves_the_saved_wording_as_it_was(world, fund, client_as):
    client = client_as(world.users["programme_manager"])
    assert client.post(url(fund), {"subject": "S {reference}", "body": "B {amount}"}).status_code
    client.post(url(fund), {"subject": "S {reference}", "body": "B {0}"})
    template = EmailTemplate.objects.get(fund=fund)
    assert template.body == "B {amount}"


def test_the_page_lists_the_placeholders_of_that_kind_of_email(world, fund, client_as):
    client = client_as(world.users["programme_manager"])
    page = client.get(url(fund, "declined")).content.decode()
    start = page.index('id="placeholders"')
    listed = page[start : page.index("</dl>", start)]
    for name, _ in PLACEHOLDERS[EmailTemplateKind.DECLINED]:
        assert f"<code>{{{name}}}</code>" in listed
    assert "{amount}" not in listed  # approved emails only


def test_good_wording_is_saved(world, fund, client_as):
    client = client_as(world.users["programme_manager"])
    response = client.post(
        url(fund), {"subject": "Good news: {reference}", "body": "You get {amount} from {fund}."}
    )
    assert response.status_code == 302
    assert EmailTemplate.objects.get(fund=fund).body == "You get {amount} from {fund}."


@pytest.mark.parametrize("body, message", BAD_BODIES)
def test_the_form_and_the_service_share_the_rule(fund, body, message):
    form = EmailTemplateForm({"subject": "S", "body": body}, kind="approved")
    assert not form.is_valid()
    assert "body" in form.errors
    if body:  # the service is not asked about an empty message: the form stops it first
        with pytest.raises(ValidationError):
            services.email_template_save(
                fund=fund, kind="approved", subject="S", body=body, user=None
            )
    assert not EmailTemplate.objects.exists()


def test_every_default_wording_passes_its_own_check():
    for kind, (subject, body) in TEMPLATE_DEFAULTS.items():
        form = EmailTemplateForm({"subject": subject, "body": body}, kind=kind)
        assert form.is_valid(), (kind, form.errors)


def test_the_model_caps_the_message(fund):
    template = EmailTemplate(fund=fund, kind="approved", subject="x" * 201, body="x" * 5_001)
    with pytest.raises(ValidationError) as caught:
        template.full_clean()
    assert caught.value.message_dict == {
        "subject": ["Enter a subject of 200 characters or fewer"],
        "body": ["Enter a message of 5,000 characters or fewer"],
    }


# Sending -----------------------------------------------------------------------------------


def context():
    return {
        "reference": "SIF-0001",
        "project_title": "Pantry {0}",
        "organisation": "Org }{",
        "fund": "Fund",
        "amount": "£1,500",
        "conditions": "None",
        "reason": "Too late",
        "due_on": "2026-04-01",
    }


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    kind=st.sampled_from(EmailTemplateKind.values),
    subject=st.text(alphabet=st.sampled_from("{}0:>!.[]reference x\n"), max_size=300),
    # Any text a database can hold (PostgreSQL refuses NUL; forms refuse it before that).
    body=st.text(
        st.characters(blacklist_characters="\x00", blacklist_categories=["Cs"]), max_size=6_000
    )
    | st.text(alphabet=st.sampled_from("{}0:>!.[]amount"), max_size=6_000),
)
def test_any_stored_wording_renders_without_raising_and_bounded(fund, kind, subject, body):
    # Written straight to the database, as wording saved before the checks may be.
    EmailTemplate.objects.update_or_create(
        fund=fund, kind=kind, defaults={"subject": subject[:200], "body": body}
    )
    fund = type(fund).objects.get(pk=fund.pk)
    rendered_subject, rendered_body = email_render(fund=fund, kind=kind, context=context())
    assert len(rendered_subject) <= 200 and "\n" not in rendered_subject
    assert len(rendered_body) <= EMAIL_BODY_RENDERED_MAX


def test_a_format_spec_bomb_stored_in_the_database_sends_the_default_small_email(fund, caplog):
    EmailTemplate.objects.create(
        fund=fund, kind="approved", subject="{reference:>3000000}", body="{reference:>3000000}"
    )
    with caplog.at_level(logging.WARNING, logger="funds.emails"):
        subject, body = email_render(fund=fund, kind="approved", context=context())
    assert subject == "Your application SIF-0001 has been approved"
    assert body.startswith("We are pleased to tell you") and len(body) < 1_000
    assert "is not valid, so the default wording was sent" in caplog.text


def test_a_valid_template_repeating_a_long_value_is_cut_at_the_limit(fund):
    EmailTemplate.objects.create(
        fund=fund, kind="approved", subject="{conditions}" * 16, body="{conditions}" * 400
    )
    values = {**context(), "conditions": "Keep receipts.\n" * 400}
    subject, body = email_render(fund=fund, kind="approved", context=values)
    assert len(subject) <= 200 and "\n" not in subject
    assert len(body) == EMAIL_BODY_RENDERED_MAX and body.endswith("…")


@pytest.mark.parametrize(
    "subject, body",
    [
        ("About {", "Hello {"),
        ("About {0}", "Hello {0}"),
        ("{reference:>3000000}", "{reference:>3000000}"),
        ("{reference.__class__.__mro__}", "{amount[0]}"),
    ],
)
def test_a_decision_is_recorded_and_emailed_when_the_stored_template_is_invalid(
    world, client_as, caplog, subject, body
):
    fund = FundFactory(programme=world.programme, slug="sif")
    application = ApplicationFactory(round=RoundFactory(fund=fund), ready_for_decision=True)
    applicant = user_with_role(Role.PARTNER, organisation=application.organisation)
    EmailTemplate.objects.create(fund=fund, kind="approved", subject=subject, body=body)
    with caplog.at_level(logging.WARNING, logger="funds.emails"):
        response = client_as(world.users["programme_manager"]).post(
            reverse("funds:application-decide", args=[application.pk]),
            {"outcome": "approved", "amount_capital": "1000", "amount_revenue": "500"},
        )
    assert response.status_code == 302
    assert Decision.objects.filter(application=application, outcome="approved").exists()
    email = OutboundEmail.objects.get(to=applicant.email)
    assert email.subject == f"Your application {application.reference} has been approved"
    assert "has been approved for £1,500" in email.body
    assert len(email.body) < 1_000
    assert "default wording was sent" in caplog.text


def test_the_edit_page_warns_when_the_stored_wording_is_not_being_sent(world, fund, client_as):
    EmailTemplate.objects.create(fund=fund, kind="approved", subject="S", body="Hello {0}")
    page = client_as(world.users["programme_manager"]).get(url(fund)).content.decode()
    assert "applicants are sent the default wording" in page


def test_a_good_template_is_filled_in_when_a_decision_is_recorded(world, client_as):
    fund = FundFactory(programme=world.programme, slug="sif")
    application = ApplicationFactory(round=RoundFactory(fund=fund), ready_for_decision=True)
    applicant = user_with_role(Role.PARTNER, organisation=application.organisation)
    services.email_template_save(
        fund=fund, kind="approved", subject="Yes: {reference}", body="You get {amount}.", user=None
    )
    client_as(world.users["programme_manager"]).post(
        reverse("funds:application-decide", args=[application.pk]),
        {"outcome": "approved", "amount_capital": "1000", "amount_revenue": "0"},
    )
    email = OutboundEmail.objects.get(to=applicant.email)
    assert (email.subject, email.body) == (f"Yes: {application.reference}", "You get £1,000.")


def test_a_refusal_from_the_service_shows_on_the_page(world, fund, client_as, monkeypatch):
    def refuse(**kwargs):
        raise ValidationError({"body": "Enter a message the service accepts"})

    monkeypatch.setattr(services, "email_template_save", refuse)
    response = client_as(world.users["programme_manager"]).post(
        url(fund), {"subject": "S {reference}", "body": "B {amount}"}
    )
    assert "Enter a message the service accepts" in error_summary(response)


def test_two_people_changing_the_same_email_at_once_conflict(world, fund, client_as):
    first, second = world.users["programme_manager"], world.users["council_admin"]
    for opened_with in (0, 1):  # first save (nothing saved yet), then a change of saved wording
        saves = [
            client_as(user).post(
                url(fund),
                {
                    "subject": f"Approved {n}",
                    "body": f"You get {{amount}}: {n}",
                    "version": opened_with,
                },
            )
            for n, user in ((f"A{opened_with}", first), (f"B{opened_with}", second))
        ]
        assert saves[0].status_code == 302
        assert saves[1].status_code == 409
        html = saves[1].content.decode()
        assert f"Approved A{opened_with}" in html and f"Approved B{opened_with}" in html
        assert EmailTemplate.objects.get(fund=fund).subject == f"Approved A{opened_with}"
