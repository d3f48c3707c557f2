from django import forms
from django.core.exceptions import ValidationError

from cpw.forms import GovUKForm


class SubjectForm(GovUKForm):
    """Who to search for: an email address, a name, or both."""

    submit_label = "Search"

    email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address like name@example.com"},
    )
    name = forms.CharField(
        label="Full name",
        required=False,
        max_length=150,
        help_text="Matches records that give exactly this name",
    )

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("name"):
            raise ValidationError("Enter an email address or a full name")
        return data
