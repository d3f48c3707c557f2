from django import forms
from django.core.exceptions import ValidationError

from cpw.forms import GovUKForm


class SubjectForm(GovUKForm):
    """Who to search for: an email address, a name, or both; and, for someone who answers for
    more than one council, whose records (`councils`: the councils they may choose; a staff
    admin may also choose every council's)."""

    submit_label = "Search"
    EVERY_COUNCIL = "all"

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

    def __init__(self, *args, councils=(), every_council=False, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(c.pk), c.name) for c in councils]
        if every_council:
            choices.insert(0, (self.EVERY_COUNCIL, "Every council"))
        self.councils = {str(c.pk): c for c in councils}
        self.single_council = councils[0] if len(choices) == 1 and councils else None
        if len(choices) > 1:
            self.fields["council"] = forms.ChoiceField(
                label="Whose records",
                choices=choices,
                initial=choices[0][0],
                error_messages={
                    "required": "Select whose records to search",
                    "invalid_choice": "Select one of the councils listed",
                },
            )

    @property
    def council(self):
        """The council chosen (None: every council's records, for a staff admin)."""
        if "council" not in self.fields:
            return self.single_council
        return self.councils.get(self.cleaned_data.get("council"))

    def clean(self):
        data = super().clean()
        if not data.get("email") and not data.get("name"):
            raise ValidationError("Enter an email address or a full name")
        return data
