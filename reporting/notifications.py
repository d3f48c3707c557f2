from django.conf import settings
from django.urls import reverse

from cpw.accounts.models import Role, User
from cpw.core.services import email_queue
from programmes.periods import period_name


def steering_group_recipients(programme) -> list[User]:
    return list(
        User.objects.filter(
            is_active=True,
            role_assignments__programme=programme,
            role_assignments__role__in=[Role.STEERING_GROUP, Role.PROGRAMME_MANAGER],
        )
        .distinct()
        .order_by("email")
    )


def notify_steering_group(*, report) -> int:
    link = settings.PORTAL_BASE_URL.rstrip("/") + reverse("reports:detail", args=[report.pk])
    recipients = steering_group_recipients(report.programme)
    name = period_name(report.period, report.programme)
    for user in recipients:
        email_queue(
            to=user.email,
            subject=f"{report.programme.short_name} steering group report for {name} is published",
            body=(
                f"Dear {user.full_name},\n\n"
                f"The {report.programme.name} steering group report for {name} "
                f"has been published.\n\nRead it here: {link}\n"
            ),
        )
    return len(recipients)
