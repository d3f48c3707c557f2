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


class GovUKDateField(DateInputField):
    """The GOV.UK date input (day, month, year boxes) with a plain-English message for a date
    that does not exist, like 31 2 2025, instead of Python's 'day is out of range for month'."""

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except ValidationError as exc:
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
