"""A rendered page's data is freed as the page is written, not by the cycle collector later."""

import gc
import weakref

import pytest
from django.template import TemplateDoesNotExist, engines
from django.template.loader import get_template, render_to_string
from django.test import RequestFactory

from cpw.core.template_engine import DjangoTemplates


class Row:
    title = "A commitment"


@pytest.fixture
def collector_off():
    gc.collect()
    gc.disable()
    yield
    gc.enable()


@pytest.mark.parametrize("with_request", [True, False], ids=["page", "email"])
def test_what_a_template_was_given_is_freed_when_it_is_written(collector_off, with_request):
    row = Row()
    alive = weakref.ref(row)
    request = RequestFactory().get("/") if with_request else None
    html = render_to_string("pages/cookies.html", {"row": row}, request=request)
    assert "Cookies" in html
    del row
    assert alive() is None, "the context kept the page's data alive in a reference cycle"


def test_the_engine_is_djangos_with_the_same_templates_and_errors():
    template = get_template("pages/cookies.html")
    assert isinstance(template.backend, DjangoTemplates)
    assert engines["django"] is template.backend  # the alias libraries ask for
    assert template.origin.template_name == "pages/cookies.html"
    with pytest.raises(TemplateDoesNotExist):
        get_template("pages/no-such-page.html")
    string_template = template.backend.from_string("{{ row.title }}")
    assert string_template.render({"row": Row()}) == "A commitment"
