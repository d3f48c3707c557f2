from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cpw.core.concurrency import save_if_unchanged
from cpw.core.queueing import require_queue
from cpw.core.services import email_queue

from .models import COUNCIL_ROLES, Organisation, Role, RoleAssignment, User
from .tokens import (
    TokenState,
    invitation_tokens,
    uid_for,
    user_pk_from,
    verification_tokens,
)
from .validators import normalise_email


class VerificationLinkInvalid(Exception):
    pass


LINK_NOT_VALID = "This link is not valid. Check you copied all of it."
LINK_EXPIRED = (
    "This link has expired. Links to confirm your email address work for 3 days. "
    "Register again or contact the programme team."
)
LINK_USED = (
    "This link has already been used. Sign in with your email address and password, or "
    "reset your password if you have forgotten it."
)


def _absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def _send(*, to: str, template: str, context: dict) -> None:
    body = render_to_string(f"accounts/email/{template}.txt", context)
    subject, _, text = body.partition("\n")
    email_queue(to=to, subject=subject.strip(), body=text.strip() + "\n")


def verification_link(user: User) -> str:
    token = f"{uid_for(user)}.{verification_tokens.make_token(user)}"
    return _absolute(reverse("accounts:verify-email", args=[token]))


def invitation_link(user: User) -> str:
    return _absolute(
        reverse(
            "accounts:accept-invitation", args=[uid_for(user), invitation_tokens.make_token(user)]
        )
    )


def _is_pending_registration(user: User) -> bool:
    """A partner's own registration whose email address nobody has confirmed yet: it proves
    nothing, so it never stands in the way of the address's real owner."""
    return (
        user.organisation_id is not None
        and user.email_verified_at is None
        and not user.is_active
        and user.last_login is None
        and user.invited_by_id is None
        and not user.is_staff
    )


def _discard_pending_registration(user: User) -> None:
    """Remove an unconfirmed registration and its organisation if nobody else is in it (an
    organisation that something else already refers to is kept)."""
    organisation_id = user.organisation_id
    user.delete()
    if organisation_id is None:
        return
    organisation = Organisation.objects.filter(pk=organisation_id).first()
    if organisation is not None and not organisation.members.exists():
        try:
            with transaction.atomic():
                organisation.delete()
        except ProtectedError:
            pass


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
) -> User | None:
    """Register a partner organisation and its first user, inactive until the email address is
    confirmed. Whatever the outcome, the page says "check your email" and one email goes to the
    address, so the page tells a visitor nothing about who is registered:
    - a new address and organisation: the account is made and the email has the link;
    - an address that already has an account: nothing is made; the owner is told that someone
      tried to register with it, and how to sign in or reset their password;
    - an address with only an unconfirmed registration: that registration is replaced (it
      proved nothing), so a stranger cannot hold an address hostage;
    - an organisation name already registered: nothing is made; the email says so and how to
      join it (only someone who can read that address learns the name is taken).
    Returns the new user, or None when nothing was made."""
    require_queue()
    email = normalise_email(email)
    organisation_name = organisation_name.strip()
    context = {"service_name": settings.SERVICE_NAME, "full_name": full_name}
    existing = User.objects.select_for_update().filter(email__iexact=email).first()
    if existing is not None and _is_pending_registration(existing):
        _discard_pending_registration(existing)
        existing = None
    if existing is not None:
        make_password(password)  # the same hashing work as a registration, so the same time
        _send(
            to=email,
            template="registration_attempt",
            context={
                **context,
                "user": existing,
                "sign_in": _absolute(reverse("accounts:sign-in")),
                "reset": _absolute(reverse("accounts:password-reset")),
            },
        )
        return None
    if Organisation.objects.filter(name__iexact=organisation_name).exists():
        make_password(password)
        _send(
            to=email,
            template="organisation_taken",
            context={
                **context,
                "organisation_name": organisation_name,
                "register": _absolute(reverse("accounts:register")),
            },
        )
        return None
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
    _send(
        to=user.email,
        template="verify_email",
        context={**context, "user": user, "link": verification_link(user)},
    )
    return user


@transaction.atomic
def email_verify(*, token: str) -> User:
    """Confirm an address from the link in the email: works once, for 3 days."""
    uidb64, _, user_token = token.partition(".")
    pk = user_pk_from(uidb64)
    user = User.objects.select_for_update().filter(pk=pk).first() if pk else None
    if user is None:
        raise VerificationLinkInvalid(LINK_NOT_VALID)
    state = verification_tokens.state(user, user_token)
    if state is TokenState.EXPIRED:
        raise VerificationLinkInvalid(LINK_EXPIRED)
    if state is not TokenState.VALID:
        raise VerificationLinkInvalid(
            LINK_USED if user.email_verified_at is not None else LINK_NOT_VALID
        )
    if user.email_verified_at is not None:  # a token made after verification: still only once
        raise VerificationLinkInvalid(LINK_USED)
    user.email_verified_at = timezone.now()
    user.is_active = True
    user.save(update_fields=["email_verified_at", "is_active"])
    return user


def _check_invitation(
    *, invited_by: User, role: str, programme, council, division
) -> tuple[object, object, object]:
    """Whether `invited_by` may give `role` there: a council admin (or a staff admin) makes
    council admins of their own council and gives any other council role in their council's
    programmes; a programme manager gives council roles other than council admin in the
    programmes they manage. A councillor represents a ward or division of the programme's
    council. Returns the (programme, council, division) the role is held in."""
    if role not in COUNCIL_ROLES:
        raise ValidationError({"role": "Select a council role"})
    if role == Role.COUNCIL_ADMIN:
        if council is None:
            raise ValidationError({"council": "Select the council they will administer"})
        if not (invited_by.is_superuser or council.pk in invited_by.administers_council_ids):
            raise ValidationError(
                {
                    "role": f"Only a council admin of {council} can make someone a council "
                    "admin. Choose another role, or ask your council admin."
                }
            )
        if division is not None:
            raise ValidationError({"division": "Only councillors have a ward or division"})
        return None, council, None
    if programme is None:
        raise ValidationError({"programme": "Select a programme"})
    if not (
        invited_by.is_superuser or invited_by.has_role_in(programme.pk, Role.PROGRAMME_MANAGER)
    ):
        raise ValidationError(
            {"programme": f"You can only invite people to programmes you manage, not {programme}"}
        )
    place_council = programme.council
    label = place_council.councillor_place_label
    if role == Role.COUNCILLOR:
        if division is None:
            raise ValidationError({"division": f"Select the councillor's {label}"})
        if (
            division.council_id != place_council.pk
            or division.kind != place_council.councillor_place_kind
        ):
            raise ValidationError(
                {"division": f"{division} is not a {label} of {place_council}. Select one that is."}
            )
    elif division is not None:
        raise ValidationError({"division": f"Only councillors have a {label}"})
    return programme, None, division


@transaction.atomic
def user_invite(
    *,
    invited_by: User,
    full_name: str,
    email: str,
    role: str,
    programme=None,
    council=None,
    division=None,
    job_title: str = "",
) -> User:
    """Give a council colleague a role: in a programme, or (council admins) in a council. New
    people get an email with a link to set a password; people who already have an account are
    given the role and told by email. An unconfirmed self-registration with the address (anyone
    can make one) is replaced by the invitation."""
    programme, council, division = _check_invitation(
        invited_by=invited_by, role=role, programme=programme, council=council, division=division
    )
    require_queue()
    email = normalise_email(email)
    user = User.objects.select_for_update().filter(email__iexact=email).first()
    if user is not None and _is_pending_registration(user):
        _discard_pending_registration(user)
        user = None
    if user is None:
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
    where = programme or council
    # Someone who has not yet set a password (a new or earlier invitation) gets a link to set one.
    needs_password = not user.is_active and not user.has_usable_password()
    assignment, created = RoleAssignment.objects.get_or_create(
        user=user,
        role=role,
        programme=programme,
        council=council,
        defaults={"division": division},
    )
    if not created:
        raise ValidationError(
            {"role": f"{user} is already a {assignment.get_role_display().lower()} in {where}"}
        )
    user.forget_roles()
    link = invitation_link(user) if needs_password else _absolute(reverse("accounts:sign-in"))
    _send(
        to=user.email,
        template="invitation" if needs_password else "role_added",
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


def password_reset_request(*, email: str) -> None:
    """Email a link to choose a new password, or, when no active account has the address, a
    note saying so. Both ways do the same work (one look-up, one token, one email), so neither
    the page nor its timing tells a visitor whether the address has an account."""
    email = normalise_email(email)
    user = User.objects.filter(email__iexact=email, is_active=True).first()
    context = {"service_name": settings.SERVICE_NAME}
    if user is not None and user.has_usable_password():
        token = default_token_generator.make_token(user)
        link = _absolute(reverse("accounts:password-reset-confirm", args=[uid_for(user), token]))
        _send(
            to=user.email,
            template="password_reset",
            context={**context, "user": user, "link": link},
        )
        return
    default_token_generator.make_token(User(email=email))  # the same work as for an account
    _send(
        to=email,
        template="password_reset_no_account",
        context={**context, "register": _absolute(reverse("accounts:register"))},
    )


@transaction.atomic
def unverified_accounts_remove(*, now=None) -> int:
    """Remove self-registrations whose email address nobody confirmed within
    UNVERIFIED_ACCOUNT_DAYS, and the organisations they leave with no members. Idempotent.
    Invited council staff who have not yet set a password are kept (their invitation works
    for 14 days and can be sent again). Returns how many accounts were removed."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.UNVERIFIED_ACCOUNT_DAYS)
    stale = User.objects.select_for_update().filter(
        email_verified_at__isnull=True,
        is_active=False,
        last_login__isnull=True,
        invited_by__isnull=True,
        is_staff=False,
        organisation__isnull=False,
        date_joined__lt=cutoff,
    )
    removed = 0
    for user in stale:
        _discard_pending_registration(user)
        removed += 1
    return removed


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
