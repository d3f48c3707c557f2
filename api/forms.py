from django import forms

from cpw.forms import GovUKForm

from .services import MAX_DAYS


class TokenForm(GovUKForm):
    submit_label = "Create token"

    name = forms.CharField(
        label="Name",
        max_length=100,
        help_text="What the token is for, so you can tell your tokens apart. For example: "
        "Power BI dashboard",
        error_messages={"required": "Enter a name for the token"},
    )
    days = forms.IntegerField(
        label="Days until it expires",
        min_value=1,
        max_value=MAX_DAYS,
        initial=90,
        help_text=f"From 1 to {MAX_DAYS} days",
        error_messages={
            "required": "Enter the number of days until the token expires",
            "invalid": "Enter the number of days as a whole number, like 90",
            "min_value": f"Enter a number of days from 1 to {MAX_DAYS}",
            "max_value": f"Enter a number of days from 1 to {MAX_DAYS}",
        },
    )
