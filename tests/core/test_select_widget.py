"""The project's select template (templates/django/forms/widgets/select.html) writes each option
in place; what it writes is exactly what Django's own templates write."""

from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates, TemplatesSetting, get_default_renderer

CHOICES = [
    ("", "Any place"),
    ("Divisions", [(1, "Arbury & Stockingford"), (2, 'Bulkington "& Whitestone"')]),
    (3, "<Kenilworth>"),
    (4.5, "Rugby"),
]


class CustomOptionSelect(forms.Select):
    option_template_name = "django/forms/widgets/input.html"


WIDGETS = [
    pytest.param(forms.Select(attrs={"class": "govuk-select", "id": "p"}), 3, id="select"),
    pytest.param(forms.Select(), None, id="nothing chosen"),
    pytest.param(forms.SelectMultiple(attrs={"aria-describedby": "h"}), [1, 3], id="multiple"),
    pytest.param(forms.Select(attrs={"disabled": True, "data-x": False}), 2, id="boolean attrs"),
    pytest.param(CustomOptionSelect(), 1, id="an option template of its own"),
]


@pytest.mark.parametrize(("widget", "value"), WIDGETS)
def test_the_select_is_djangos_own_byte_for_byte(widget, value):
    widget.choices = CHOICES
    ours = widget.render("place", value, renderer=TemplatesSetting())
    djangos = widget.render("place", value, renderer=DjangoTemplates())
    assert ours == djangos
    assert 'value="1"' in ours


def test_forms_render_through_the_project_templates():
    assert isinstance(get_default_renderer(), TemplatesSetting)
    select = get_default_renderer().get_template("django/forms/widgets/select.html")
    assert (
        Path(select.origin.name) == settings.BASE_DIR / "templates/django/forms/widgets/select.html"
    )
    html = forms.Select(choices=CHOICES).render("place", 3)
    assert '<option value="3" selected>&lt;Kenilworth&gt;</option>' in html
