from crispy_forms_gds.fields import DateInputField
from django import forms
from django.core.exceptions import ValidationError


class VersionField(forms.IntegerField):
    """The version of the record the editor started from, sent back with the form."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", True)
        kwargs.setdefault("min_value", 1)
        super().__init__(**kwargs)


class VersionedModelFormMixin:
    """For a model form of a VersionedModel: a hidden `version`, the record's version when the
    form was shown, and `attempted_changes`, what the editor changed (for the conflict page)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
        if self.instance.pk is not None:
            self.initial.setdefault("version", self.instance.version)

    @property
    def attempted_changes(self) -> dict:
        many_to_many = {field.name for field in self.instance._meta.many_to_many}
        return {
            name: self.cleaned_data.get(name)
            for name in self.changed_data
            if name != "version" and name not in many_to_many
        }


class GovUKDateField(DateInputField):
    """The GOV.UK date input (day, month, year boxes) with a plain-English message for a date
    that does not exist, like 31 2 2025, instead of Python's 'day is out of range for month'."""

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except (ValidationError, OverflowError, ValueError) as exc:  # a year like 3000000000
            message = self.error_messages.get("invalid")
            if not message or message == forms.MultiValueField.default_error_messages["invalid"]:
                message = f"{self.label or 'The date'} must be a real date"
            raise ValidationError(message, code="invalid") from exc


def add_form_errors(form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: field errors beside their fields, the rest
    at the top of the error summary."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)
