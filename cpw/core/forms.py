import re
from decimal import Decimal

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


def govuk_date_field(
    label: str, required: bool = True, *, error_messages: dict | None = None, **kwargs
) -> GovUKDateField:
    """A GOV.UK date input (day, month, year) with messages that name the date."""
    field = GovUKDateField(label=label, required=required, **kwargs)
    name = f"{label[0].lower()}{label[1:]}"
    field.error_messages.update(
        {
            "invalid": f"{label} must be a real date",
            "required": f"Enter {name}",
            "incomplete": f"Enter {name} as a day, month and year",
            **(error_messages or {}),
        }
    )
    return field


# Money ----------------------------------------------------------------------------------------

MONEY_MAX = Decimal("9999999999.99")  # a DecimalField of 12 digits, 2 after the point
_MONEY_TYPED = re.compile(r"^-?\d+(\.\d{1,})?$")


class AffixedTextInput(forms.TextInput):
    """A GOV.UK text input with a prefix (like £) or a suffix (like %) beside it."""

    template_name = "core/widgets/affixed_input.html"

    def __init__(self, attrs=None, *, prefix: str = "", suffix: str = ""):
        super().__init__(attrs)
        self.prefix, self.suffix = prefix, suffix

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(prefix=self.prefix, suffix=self.suffix)
        # crispy-forms-gds marks only its own widget classes as in error; it does describe the
        # input by its error messages, which is how this one knows.
        widget_attrs = context["widget"]["attrs"]
        if "_error" in widget_attrs.get("aria-describedby", ""):
            classes = widget_attrs.get("class", "").split()
            if "govuk-input--error" not in classes:
                widget_attrs["class"] = " ".join([*classes, "govuk-input--error"])
        return context


def money_text(amount: Decimal) -> str:
    """How a saved amount reads back in a money input: 15000.00 -> '15,000'; 150.5 -> '150.50'."""
    if amount == amount.to_integral_value():
        return f"{amount:,.0f}"
    return f"{amount:,.2f}"


class MoneyInput(AffixedTextInput):
    def __init__(self, attrs=None):
        attrs = {
            "class": "govuk-input govuk-input--width-10",
            "inputmode": "decimal",
            **(attrs or {}),
        }
        attrs.setdefault("spellcheck", "false")
        super().__init__(attrs, prefix="£")

    def format_value(self, value):
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return money_text(Decimal(str(value)))
        if isinstance(value, str) and _MONEY_TYPED.match(value.strip()):
            # A stored answer like "15000.00" reopens as the editor would type it.
            return money_text(Decimal(value.strip()))
        return super().format_value(value)


class MoneyField(forms.DecimalField):
    """An amount in pounds, typed as people write it: "£20,000.50", "20000", "20,000",
    " £ 1,000 ". Shown with a £ prefix; a saved 15000.00 reopens as "15,000".

    `noun` names the amount in messages ("the amount you want to ask for"); without one, it is
    made from the label."""

    widget = MoneyInput

    def __init__(self, *, noun: str | None = None, allow_zero: bool = True, **kwargs):
        label = kwargs.get("label") or "Amount"
        noun = noun or _money_noun(label)
        kwargs.setdefault("min_value", Decimal("0") if allow_zero else Decimal("0.01"))
        kwargs.setdefault("max_value", MONEY_MAX)
        kwargs.setdefault("decimal_places", 2)
        kwargs.pop("max_digits", None)  # the max_value says it in pounds
        messages = {
            "required": f"Enter {noun}",
            "invalid": f"Enter {noun} as an amount of money, like £20,000 or £150.50",
            "min_value": (
                f"{_sentence(noun)} must be £0 or more"
                if allow_zero
                else f"{_sentence(noun)} must be more than £0"
            ),
            "max_value": f"{_sentence(noun)} must be £{MONEY_MAX:,.2f} or less",
            "max_decimal_places": f"Enter {noun} in pounds and pence, like £150.50",
        }
        messages.update(kwargs.pop("error_messages", None) or {})
        super().__init__(error_messages=messages, **kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("£", "").replace(",", "").replace(" ", "").strip()
            if value.lower().endswith("gbp"):
                value = value[:-3]
        return super().to_python(value)


def _money_noun(label: str) -> str:
    text = re.sub(r",?\s*in pounds\??$", "", label.strip()).rstrip("?").strip()
    if text.lower().startswith(("how much", "what")):
        return "the amount"
    return f"the {text[0].lower()}{text[1:]}" if text else "the amount"


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:] if text else text


# The error summary ----------------------------------------------------------------------------


def first_input_id(bound_field) -> str:
    """The id of the first input of a field, where its error-summary link goes (GOV.UK: the
    first radio or checkbox of a group, the day of a date). crispy-forms-gds numbers radios and
    checkboxes from 1 after the field's name; a multi-part input's parts from 0."""
    widget = bound_field.field.widget
    if isinstance(widget, forms.RadioSelect):  # radios, and CheckboxSelectMultiple
        return f"id_{bound_field.html_name}_1"
    if isinstance(widget, forms.MultiWidget):
        return f"{bound_field.auto_id}_0"
    return bound_field.id_for_label or bound_field.auto_id


def error_summary_links(form) -> list[tuple[str, str]]:
    """(element id, message) for every error of `form`, in the order of the page: errors about
    the whole form first, linked to the first question."""
    visible = form.visible_fields()
    first = first_input_id(visible[0]) if visible else ""
    links = [(first, str(error)) for error in form.non_field_errors()]
    for bound_field in visible:
        if not bound_field.errors:
            continue
        target = first_input_id(bound_field)
        part_errors = {}
        if isinstance(bound_field.field, forms.MultiValueField):
            # A date whose month is wrong links to the month box (crispy-forms-gds keeps each
            # part's messages on its widget).
            for index, part in enumerate(bound_field.field.fields):
                for message in getattr(part.widget, "errors", []):
                    part_errors.setdefault(str(message), f"{bound_field.auto_id}_{index}")
        for error in bound_field.errors:
            links.append((part_errors.get(str(error), target), str(error)))
    # A hidden field's error (a stale version, a tampered key) has nothing to link to.
    for bound_field in form.hidden_fields():
        links.extend((first, str(error)) for error in bound_field.errors)
    return links


def percent_field(label: str, *, noun: str, required: bool = True, **kwargs) -> forms.IntegerField:
    """A whole percentage from 0 to 100: a text input with a % suffix and a number keypad
    (GOV.UK: inputmode="numeric", not type="number", which changes on a scroll and mangles
    what is typed)."""
    sentence = noun[0].upper() + noun[1:]
    return forms.IntegerField(
        label=label,
        required=required,
        min_value=0,
        max_value=100,
        widget=AffixedTextInput(
            attrs={
                "class": "govuk-input govuk-input--width-3",
                "inputmode": "numeric",
                "spellcheck": "false",
            },
            suffix="%",
        ),
        error_messages={
            "required": f"Enter {noun}",
            "invalid": f"{sentence} must be a whole number, like 40",
            "min_value": f"{sentence} must be 0%% or more",
            "max_value": f"{sentence} must be 100%% or less",
        },
        **kwargs,
    )
