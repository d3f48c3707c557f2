import re

from django.core.exceptions import ValidationError

POSTCODE_MESSAGE = "Enter a real postcode, like CV34 4RL"
UK_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?) ?([0-9][A-Z]{2})$")


def normalise_uk_postcode(value: str) -> str:
    """'cv34 4rl' -> 'CV34 4RL'; anything that is not a UK postcode is refused."""
    compact = re.sub(r"\s+", "", (value or "").upper())
    match = UK_POSTCODE.match(compact)
    if not match:
        raise ValidationError(POSTCODE_MESSAGE)
    return f"{match.group(1)} {match.group(2)}"


def normalise_email(value: str | None) -> str:
    """The one form of an email address the portal stores and looks up: no surrounding spaces,
    lower case ('  Jo@Example.ORG ' -> 'jo@example.org'). Sign-in, registration, password reset,
    invitations and the user manager all go through here."""
    return (value or "").strip().lower()
