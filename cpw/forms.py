from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Button
from django import forms


class GovUKFormMixin:
    """Gives a form a crispy-forms-gds helper: GOV.UK markup, one primary button, and optionally a
    secondary one (e.g. "Save as draft"). Templates wrap it in includes/form.html."""

    submit_label = "Continue"
    secondary_label: str | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.add_input(Button.primary("submit", self.submit_label))
        if self.secondary_label:
            self.helper.add_input(Button.secondary("save_draft", self.secondary_label))


class GovUKForm(GovUKFormMixin, forms.Form):
    pass


class GovUKModelForm(GovUKFormMixin, forms.ModelForm):
    pass
