from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import pages, views

app_name = "api"

router = SimpleRouter()
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("phases", views.PhaseViewSet, basename="phase")
router.register("ambitions", views.AmbitionViewSet, basename="ambition")
router.register("plan-groups", views.GroupViewSet, basename="plan-group")
router.register("reporting-periods", views.ReportingPeriodViewSet, basename="reporting-period")
router.register("commitments", views.CommitmentViewSet, basename="commitment")
router.register("quarterly-updates", views.CommitmentUpdateViewSet, basename="quarterly-update")
router.register("risks", views.RiskViewSet, basename="risk")
router.register("groundbreakers", views.GroundbreakerViewSet, basename="groundbreaker")
router.register("activities", views.ActivityViewSet, basename="activity")
router.register("funds", views.FundViewSet, basename="fund")
router.register("rounds", views.RoundViewSet, basename="round")
router.register("grants", views.GrantViewSet, basename="grant")
router.register("metrics", views.MetricViewSet, basename="metric")
router.register("observations", views.ObservationViewSet, basename="observation")
router.register("indexes", views.CompositeIndexViewSet, basename="index")
router.register("reports", views.ReportViewSet, basename="report")

urlpatterns = [
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/v1/docs/", pages.DocsView.as_view(), name="docs"),
    path("api/v1/", include(router.urls)),
    path("api/tokens/", pages.token_list, name="tokens"),
    path("api/tokens/new/", pages.token_create, name="token-create"),
    path("api/tokens/<int:pk>/revoke/", pages.token_revoke, name="token-revoke"),
]
