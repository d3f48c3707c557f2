from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from cpw.accounts.models import Role, User
from cpw.core.services import email_queue
from programmes.periods import period_name
from programmes.selectors import governance_body_list, report_reader_list


def report_recipients(programme) -> list[User]:
    """Who is emailed a published report: the programme's managers, and every member with a
    portal account of the governance bodies that receive the quarterly report (only those who
    may read the report: a link they could not open would help nobody)."""
    members = [
        member.user_id
        for body in governance_body_list(programme, receives_report=True)
        for member in body.members.all()
        if member.user_id is not None
    ]
    managers = Q(
        role_assignments__programme=programme,
        role_assignments__role=Role.PROGRAMME_MANAGER,
    )
    readers = report_reader_list(programme).values("pk")
    return list(
        User.objects.filter(is_active=True)
        .filter(managers | Q(pk__in=members, id__in=readers))
        .distinct()
        .order_by("email")
    )


def notify_report_recipients(*, report) -> int:
    programme = report.programme
    link = settings.PORTAL_BASE_URL.rstrip("/") + reverse("reports:detail", args=[report.pk])
    bodies = [body.name for body in governance_body_list(programme, receives_report=True)]
    goes_to = f"It goes to: {', '.join(bodies)}.\n\n" if bodies else ""
    recipients = report_recipients(programme)
    name = period_name(report.period, programme)
    for user in recipients:
        email_queue(
            to=user.email,
            subject=f"{programme.short_name} quarterly report for {name} is published",
            body=(
                f"Dear {user.full_name},\n\n"
                f"The {programme.name} quarterly report for {name} "
                f"has been published. {goes_to}Read it here: {link}\n"
            ),
        )
    return len(recipients)
