import pytest

from cpw.accounts.models import User
from cpw.accounts.validators import normalise_email


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  Jo@Example.ORG ", "jo@example.org"),
        ("jo@example.org\n", "jo@example.org"),
        ("", ""),
        (None, ""),
    ],
)
def test_one_form_of_an_address(typed, stored):
    assert normalise_email(typed) == stored


@pytest.mark.django_db
def test_accounts_are_stored_and_found_in_that_form():
    user = User.objects.create_user(email=" Jo@Example.ORG ", full_name="Jo", password=None)
    assert user.email == "jo@example.org"
    assert User.objects.get_by_natural_key("  JO@example.org") == user


def test_an_address_typed_into_the_admin_is_normalised_too():
    user = User(email=" Ann@Example.ORG", full_name="Ann")
    user.clean()
    assert user.email == "ann@example.org"
