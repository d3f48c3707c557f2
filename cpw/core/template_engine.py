"""Django's template engine, with each rendered page's data freed as soon as the page is written.

Django's `make_context` pushes the view's context onto the template context as a `ContextDict`,
which keeps a reference back to the context that holds it: a reference cycle. Everything the page
was given (querysets, model instances, rows) therefore outlived the request until the cycle
collector's next full collection, which freed a dozen requests' worth at once, tens of
milliseconds that landed on whichever request was running then. Emptying the context's stack once
the template is written breaks the cycle, so reference counting frees the page's data as the
response goes.
"""

from django.template import TemplateDoesNotExist
from django.template.backends import django as django_backend
from django.template.context import make_context


class Template(django_backend.Template):
    def render(self, context=None, request=None):
        context = make_context(context, request, autoescape=self.backend.engine.autoescape)
        try:
            return self.template.render(context)
        except TemplateDoesNotExist as exc:
            django_backend.reraise(exc, self.backend)
        finally:
            context.dicts.clear()


class DjangoTemplates(django_backend.DjangoTemplates):
    def from_string(self, template_code):
        return Template(self.engine.from_string(template_code), self)

    def get_template(self, template_name):
        try:
            return Template(self.engine.get_template(template_name), self)
        except TemplateDoesNotExist as exc:
            django_backend.reraise(exc, self)
