"""The wording of a fund's emails to applicants: the placeholders each kind of email may use, the
default wording, the checks a manager's own wording must pass, and rendering that cannot fail.

Wording is checked when it is saved (`email_template_errors`, used by the form and the service).
Wording saved before those checks, or written straight to the database, may still be invalid: it
is checked again when an email is sent, and if it fails the default wording for that kind is
sent instead and a warning logged, so a bad template never stops a decision being recorded.
"""

import logging

from cpw.core.placeholders import placeholder_errors, placeholder_fill

from .models import EMAIL_BODY_MAX, EMAIL_SUBJECT_MAX, EmailTemplateKind, Fund

logger = logging.getLogger(__name__)

# A rendered body is cut at this length, however often a placeholder is repeated.
EMAIL_BODY_RENDERED_MAX = 20_000

_COMMON = (
    ("reference", "the application's reference, like CPF-0001"),
    ("project_title", "the project's title"),
    ("organisation", "the applying organisation's name"),
    ("fund", "the fund's name"),
)

PLACEHOLDERS: dict[str, tuple[tuple[str, str], ...]] = {
    EmailTemplateKind.SUBMITTED: _COMMON,
    EmailTemplateKind.SCREENING: _COMMON,
    EmailTemplateKind.ASSESSMENT: _COMMON,
    EmailTemplateKind.APPROVED: (
        *_COMMON,
        ("amount", "the amount approved, like £1,500"),
        ("conditions", "the conditions of the decision"),
    ),
    EmailTemplateKind.DECLINED: (*_COMMON, ("reason", "why the application was declined")),
    EmailTemplateKind.CHANGES: _COMMON,
    EmailTemplateKind.REMINDER: (*_COMMON, ("due_on", "the date the monitoring report is due")),
}

TEMPLATE_DEFAULTS = {
    EmailTemplateKind.SUBMITTED: (
        "We have received your application {reference}",
        "Thank you for applying to {fund}.\n\nYour reference is {reference} for "
        "'{project_title}'. Keep it for your records.\n\n# What happens next\n\nWe will email "
        "you at each step: when we start checking your application, if we need you to change "
        "anything, when it goes to assessment and when a decision has been made.",
    ),
    EmailTemplateKind.SCREENING: (
        "We are checking your application {reference}",
        "We have started checking {organisation}'s application to {fund} for "
        "'{project_title}'.\n\nYour reference is {reference}.\n\n# What happens next\n\nWe "
        "will check that your organisation can apply and that the application is complete. If "
        "we need you to change anything, we will email you to tell you what and why.\n\nIf it "
        "is complete, it goes to assessment and we will email you again.",
    ),
    EmailTemplateKind.ASSESSMENT: (
        "Your application {reference} is being assessed",
        "{organisation}'s application to {fund} for '{project_title}' has passed our checks "
        "and is now being assessed.\n\nYour reference is {reference}.\n\n# What happens "
        "next\n\nAssessors score the application against the fund's criteria, then the "
        "council decides. We will email you with the decision.\n\nYou do not need to do "
        "anything now.",
    ),
    EmailTemplateKind.APPROVED: (
        "Your application {reference} has been approved",
        "We are pleased to tell you that {organisation}'s application '{project_title}' to "
        "{fund} has been approved for {amount}.\n\nConditions: {conditions}",
    ),
    EmailTemplateKind.DECLINED: (
        "Your application {reference} has not been successful",
        "We are sorry to tell you that {organisation}'s application '{project_title}' to {fund} "
        "has not been successful.\n\nReason: {reason}",
    ),
    EmailTemplateKind.CHANGES: (
        "Changes needed to your application {reference}",
        "Please make the changes we have asked for to '{project_title}' and submit it again. "
        "Sign in to see what we need.",
    ),
    EmailTemplateKind.REMINDER: (
        "Monitoring report due for {reference}",
        "Your monitoring report for '{project_title}' is due on {due_on}. Sign in to submit it.",
    ),
}


def placeholder_names(kind: str) -> list[str]:
    return [name for name, _ in PLACEHOLDERS[EmailTemplateKind(kind)]]


def email_template_errors(*, kind: str, subject: str, body: str) -> dict[str, list[str]]:
    """Plain-English problems with a manager's wording, by field (empty: it can be saved)."""
    names = placeholder_names(kind)
    errors: dict[str, list[str]] = {}
    if len(subject) > EMAIL_SUBJECT_MAX:
        errors["subject"] = [f"Enter a subject of {EMAIL_SUBJECT_MAX} characters or fewer"]
    elif "\n" in subject or "\r" in subject:
        errors["subject"] = ["Enter the subject on one line"]
    else:
        errors["subject"] = placeholder_errors(subject, names)
    if len(body) > EMAIL_BODY_MAX:
        errors["body"] = [f"Enter a message of {EMAIL_BODY_MAX:,} characters or fewer"]
    else:
        errors["body"] = placeholder_errors(body, names)
    return {field: messages for field, messages in errors.items() if messages}


def email_render(*, fund: Fund, kind: str, context: dict) -> tuple[str, str]:
    """The subject and body of one email, from the fund's wording (or the default), with the
    placeholders filled in from `context`. Never raises for any stored wording, and the result
    is bounded in size: a subject fits one line of `EMAIL_SUBJECT_MAX` characters."""
    kind = EmailTemplateKind(kind)
    default_subject, default_body = TEMPLATE_DEFAULTS[kind]
    template = next((t for t in fund.email_templates.all() if t.kind == kind), None)
    subject, body = default_subject, default_body
    if template is not None:
        problems = email_template_errors(
            kind=kind, subject=template.subject or "", body=template.body or ""
        )
        if problems:
            logger.warning(
                "Email template %s (%s) of fund %s is not valid, so the default wording was "
                "sent: %s",
                template.pk,
                kind,
                fund.pk,
                problems,
            )
        else:
            subject, body = template.subject, template.body
    values = {name: context.get(name, "") for name in placeholder_names(kind)}
    subject = " ".join(placeholder_fill(subject, values, limit=EMAIL_SUBJECT_MAX * 2).split())
    if len(subject) > EMAIL_SUBJECT_MAX:
        subject = subject[: EMAIL_SUBJECT_MAX - 1] + "…"
    body = placeholder_fill(body, values, limit=EMAIL_BODY_RENDERED_MAX)
    return subject, body
