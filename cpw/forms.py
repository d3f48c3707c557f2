from crispy_forms_gds.helper import FormHelper
from django import forms
from django.forms.boundfield import BoundField

from cpw.core.bounds import bound_form_fields

DJANGO_BLANK = "---------"


def _is_optional(form, name: str, field: forms.Field) -> bool:
    """A field to label "(optional)": not required, not a single checkbox (ticking it is the
    answer), not hidden, not required only in some cases, and not already saying so."""
    if field.required or isinstance(field.widget, forms.HiddenInput | forms.CheckboxInput):
        return False
    if not getattr(form, "mark_optional", True) or name in getattr(
        form, "conditionally_required", ()
    ):
        return False
    label = str(field.label or "")
    # A label in brackets already says when to answer ("(if you have one)", "(if approved)").
    return bool(label) and "optional" not in label.lower() and "(" not in label


class GovUKBoundField(BoundField):
    """A field as the GOV.UK Design System shows it: "(optional)" after the label of an optional
    question, and a select's blank choice in words instead of Django's "---------"."""

    def __init__(self, form, field, name):
        blank = getattr(form, "empty_labels", {}).get(name, "Choose one")
        if isinstance(field, forms.ModelChoiceField):
            if field.empty_label == DJANGO_BLANK:
                field.empty_label = blank
        elif isinstance(field, forms.ChoiceField) and (
            ("", DJANGO_BLANK) in [tuple(choice) for choice in field.choices]
        ):
            field.choices = [
                (value, blank if (value, label) == ("", DJANGO_BLANK) else label)
                for value, label in field.choices
            ]
        super().__init__(form, field, name)
        if _is_optional(form, name, field):
            self.label = f"{self.label} (optional)"


class GovUKFormMixin:
    """Gives a form a crispy-forms-gds helper for GOV.UK markup. Templates wrap it in
    includes/form.html, which renders the error summary and the buttons: one primary
    (`submit_label`) and optionally a secondary one (`secondary_label`, e.g. "Save as draft").

    Optional questions are labelled "(optional)" for you. A form whose blank answers are not
    optional says so: `conditionally_required` names fields required only in some cases (one of
    two amounts, "if yes, describe"), and `mark_optional = False` turns it off for the whole
    form (filters, drafts that are checked when submitted)."""

    submit_label = "Continue"
    secondary_label: str | None = None
    secondary_name = "save_draft"
    mark_optional = True
    conditionally_required: tuple[str, ...] = ()
    bound_field_class = GovUKBoundField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        # Subclasses add fields in their own __init__ after this; `full_clean` bounds those.
        bound_form_fields(self)

    def full_clean(self):
        bound_form_fields(self)
        super().full_clean()


class GovUKForm(GovUKFormMixin, forms.Form):
    pass


class GovUKModelForm(GovUKFormMixin, forms.ModelForm):
    pass


class GovUKFilterForm(GovUKForm):
    """A filter's form: every field is blank for "any", so none is labelled "(optional)"."""

    mark_optional = False
