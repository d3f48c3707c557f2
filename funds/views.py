from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from programmes.selectors import programme_list_for_user


class AssessmentsView(PermissionRequiredMixin, TemplateView):
    """An assessor's first screen: the programmes they assess for and, once funds open,
    the applications assigned to them."""

    permission_required = "portal.view_assessments"
    template_name = "funds/assessments.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            programmes=programme_list_for_user(self.request.user), **kwargs
        )
