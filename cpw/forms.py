from crispy_forms_gds.helper import FormHelper
from django import forms

from cpw.core.bounds import bound_form_fields


class GovUKFormMixin:
    """Gives a form a crispy-forms-gds helper for GOV.UK markup. Templates wrap it in
    includes/form.html, which renders the error summary and the buttons: one primary
    (`submit_label`) and optionally a secondary one (`secondary_label`, e.g. "Save as draft")."""

    submit_label = "Continue"
    secondary_label: str | None = None
    secondary_name = "save_draft"

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
