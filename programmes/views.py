from django.urls import reverse
from django.views.generic import TemplateView
from rules.contrib.views import PermissionRequiredMixin

from cpw.accounts.models import Role

from . import selectors


class OverviewView(PermissionRequiredMixin, TemplateView):
    """The programme manager's first screen."""

    permission_required = "portal.view_programme_overview"
    template_name = "programmes/overview.html"

    def get_context_data(self, **kwargs):
        programmes = selectors.programme_list_with_counts(
            selectors.programme_list_managed_by(self.request.user)
        )
        return super().get_context_data(programmes=programmes, **kwargs)


class MyWorkView(PermissionRequiredMixin, TemplateView):
    """An officer's first screen: what they lead in each programme."""

    permission_required = "portal.view_my_work"
    template_name = "programmes/my_work.html"

    def get_context_data(self, **kwargs):
        programmes = selectors.programme_list_for_user(self.request.user)
        return super().get_context_data(programmes=programmes, **kwargs)


class SteeringView(PermissionRequiredMixin, TemplateView):
    """The steering group's first screen."""

    permission_required = "portal.view_steering_dashboard"
    template_name = "programmes/steering.html"

    def get_context_data(self, **kwargs):
        programmes = selectors.programme_list_with_counts(
            selectors.programme_list_for_user(self.request.user)
        )
        return super().get_context_data(programmes=programmes, **kwargs)


class DivisionView(PermissionRequiredMixin, TemplateView):
    """A councillor's first screen: the places in their electoral division."""

    permission_required = "portal.view_division"
    template_name = "programmes/division.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            divisions=selectors.division_places_for_councillor(self.request.user), **kwargs
        )


class ProgrammeListView(PermissionRequiredMixin, TemplateView):
    permission_required = "portal.view_programme"
    template_name = "programmes/programme_list.html"

    def get_context_data(self, **kwargs):
        programmes = selectors.programme_list_with_counts(
            selectors.programme_list_for_user(self.request.user)
        )
        return super().get_context_data(programmes=programmes, **kwargs)


class ProgrammeDetailView(PermissionRequiredMixin, TemplateView):
    permission_required = "portal.view_programme"
    template_name = "programmes/programme_detail.html"

    def get_context_data(self, **kwargs):
        programme = selectors.get_programme_for_user_or_404(self.request.user, self.kwargs["slug"])
        team = [a for a in programme.role_assignments.all() if a.role != Role.PARTNER]
        return super().get_context_data(
            programme=programme,
            team=team,
            priority_places=programme.priority_places.all(),
            breadcrumbs=[{"label": "Programmes", "url": reverse("programmes:programme-list")}],
            **kwargs,
        )
