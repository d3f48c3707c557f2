"""Links sent by email: confirming a registration, accepting an invitation.

Each token is Django's password-reset kind (an HMAC of the user's state and a timestamp, nothing
stored): it stops working once it has been used, because using it changes what it was made
from (the password, the sign-in time, the verified time, whether the account is active), and
after its own time limit."""

from datetime import timedelta
from enum import Enum

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes, force_str
from django.utils.http import base36_to_int, urlsafe_base64_decode, urlsafe_base64_encode

VERIFICATION_VALID_FOR = timedelta(days=3)
INVITATION_VALID_FOR = timedelta(days=14)


class TokenState(Enum):
    VALID = "valid"
    EXPIRED = "expired"
    INVALID = "invalid"


class SingleUseTokenGenerator(PasswordResetTokenGenerator):
    valid_for: timedelta

    def _make_hash_value(self, user, timestamp):
        last_login = user.last_login.replace(microsecond=0, tzinfo=None) if user.last_login else ""
        verified = (
            user.email_verified_at.replace(microsecond=0, tzinfo=None)
            if user.email_verified_at
            else ""
        )
        return (
            f"{user.pk}{user.password}{last_login}{verified}{user.is_active}{user.email}{timestamp}"
        )

    def state(self, user, token: str) -> TokenState:
        """Whether the token is good, too old (but genuine), or not one of ours."""
        if not (user and token):
            return TokenState.INVALID
        try:
            ts_b36, _ = token.split("-")
            timestamp = base36_to_int(ts_b36)
        except ValueError:
            return TokenState.INVALID
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return TokenState.INVALID
        if self._num_seconds(self._now()) - timestamp > self.valid_for.total_seconds():
            return TokenState.EXPIRED
        return TokenState.VALID

    def check_token(self, user, token):
        return self.state(user, token) is TokenState.VALID


class EmailVerificationTokenGenerator(SingleUseTokenGenerator):
    key_salt = "cpw.accounts.tokens.EmailVerificationTokenGenerator"
    valid_for = VERIFICATION_VALID_FOR


class InvitationTokenGenerator(SingleUseTokenGenerator):
    key_salt = "cpw.accounts.tokens.InvitationTokenGenerator"
    valid_for = INVITATION_VALID_FOR


verification_tokens = EmailVerificationTokenGenerator()
invitation_tokens = InvitationTokenGenerator()


def uid_for(user) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def user_pk_from(uidb64: str) -> int | None:
    try:
        return int(force_str(urlsafe_base64_decode(uidb64)))
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError):
        return None
