from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from cpw.core.concurrency import save_if_unchanged
from cpw.core.queueing import require_queue
from cpw.core.services import email_queue

from .models import Organisation, Role, RoleAssignment, User

VERIFICATION_SALT = "cpw.accounts.email-verification"
VERIFICATION_MAX_AGE = 60 * 60 * 24 * 3


class VerificationLinkInvalid(Exception):
    pass


def _absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def _send(*, to: str, template: str, context: dict) -> None:
    body = render_to_string(f"accounts/email/{template}.txt", context)
    subject, _, text = body.partition("\n")
    email_queue(to=to, subject=subject.strip(), body=text.strip() + "\n")


@transaction.atomic
def partner_register(
    *,
    full_name: str,
    email: str,
    password: str,
    organisation_name: str,
    organisation_kind: str,
    charity_number: str = "",
    company_number: str = "",
    address: str = "",
    postcode: str = "",
) -> User:
    """Create a partner organisation and its first user, inactive until the email is verified."""
    require_queue()
    organisation = Organisation.objects.create(
        name=organisation_name,
        kind=organisation_kind,
        charity_number=charity_number,
        company_number=company_number,
        address=address,
        postcode=postcode,
    )
    user = User.objects.create_user(
        email=email,
        password=password,
        full_name=full_name,
        organisation=organisation,
        is_active=False,
    )
    RoleAssignment.objects.create(user=user, role=Role.PARTNER)
    token = signing.dumps({"user": user.pk, "email": user.email}, salt=VERIFICATION_SALT)
    _send(
        to=user.email,
        template="verify_email",
        context={
            "user": user,
            "link": _absolute(reverse("accounts:verify-email", args=[token])),
            "service_name": settings.SERVICE_NAME,
        },
    )
    return user


@transaction.atomic
def email_verify(*, token: str) -> User:
    try:
        data = signing.loads(token, salt=VERIFICATION_SALT, max_age=VERIFICATION_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise VerificationLinkInvalid(
            "This link has expired. Links to confirm your email address work for 3 days. "
            "Register again or contact the programme team."
        ) from exc
    except signing.BadSignature as exc:
        raise VerificationLinkInvalid(
            "This link is not valid. Check you copied all of it."
        ) from exc
    user = User.objects.select_for_update().filter(pk=data["user"], email=data["email"]).first()
    if user is None:
        raise VerificationLinkInvalid("This link is not valid. Check you copied all of it.")
    if user.email_verified_at is None:
        user.email_verified_at = timezone.now()
        user.is_active = True
        user.save(update_fields=["email_verified_at", "is_active"])
    return user


@transaction.atomic
def user_invite(
    *,
    invited_by: User,
    full_name: str,
    email: str,
    role: str,
    programme=None,
    division=None,
    job_title: str = "",
    council=None,
) -> User:
    """Give a council colleague a role: in a programme, or (a council admin) in a council. New
    people get an email with a link to set a password; people who already have an account are
    given the role and told by email."""
    if role == Role.COUNCIL_ADMIN:
        if council is None or programme is not None:
            raise ValidationError({"role": "A council admin is invited to a council"})
    elif programme is None or council is not None:
        raise ValidationError({"programme": "Select a programme"})
    require_queue()
    user = User.objects.filter(email__iexact=email).first()
    is_new = user is None
    if is_new:
        user = User.objects.create_user(
            email=email,
            password=None,
            full_name=full_name,
            job_title=job_title,
            is_active=False,
            invited_by=invited_by,
        )
    elif user.organisation_id is not None:
        raise ValidationError(
            {
                "email": "This email address belongs to a partner organisation's account. "
                "Council roles need a council email address."
            }
        )
    where = programme if programme is not None else council
    if role == Role.COUNCIL_ADMIN:
        assignment, created = RoleAssignment.objects.get_or_create(
            user=user, role=role, council=council
        )
    else:
        assignment, created = RoleAssignment.objects.get_or_create(
            user=user, role=role, programme=programme, defaults={"division": division}
        )
    if not created:
        raise ValidationError(
            {"role": f"{user} is already a {assignment.get_role_display().lower()} in {where}"}
        )
    if is_new:
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        token = default_token_generator.make_token(user)
        link = _absolute(reverse("accounts:accept-invitation", args=[uid, token]))
    else:
        link = _absolute(reverse("accounts:sign-in"))
    _send(
        to=user.email,
        template="invitation" if is_new else "role_added",
        context={
            "user": user,
            "link": link,
            "role": assignment.get_role_display(),
            "programme": where,
            "invited_by": invited_by,
            "service_name": settings.SERVICE_NAME,
        },
    )
    return user


@transaction.atomic
def invitation_accept(*, user: User, password: str) -> User:
    user.set_password(password)
    user.is_active = True
    user.email_verified_at = user.email_verified_at or timezone.now()
    user.save(update_fields=["password", "is_active", "email_verified_at"])
    return user


ORGANISATION_FIELDS = ["name", "kind", "charity_number", "company_number", "address", "postcode"]


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, data: dict, expected_version: int, user: User
) -> Organisation:
    """Save a partner's changes to their organisation; raises EditConflict if a colleague saved
    in between."""
    changes = {field: data[field] for field in ORGANISATION_FIELDS if field in data}
    return save_if_unchanged(
        organisation, expected_version=expected_version, changes=changes, user=user
    )
