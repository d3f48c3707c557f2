from django.contrib import admin
from django.urls import include, path

from cpw.site import views

handler403 = "cpw.site.views.permission_denied"
handler404 = "cpw.site.views.page_not_found"
handler500 = "cpw.site.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("cookies/", views.cookies, name="cookies"),
    path("division/", views.DivisionView.as_view(), name="division"),
    path("", include("cpw.accounts.urls")),
    path("", include("programmes.urls")),
    path("", include("reporting.urls")),
    path("", include("funds.urls")),
    path("", include("groundbreakers.urls")),
    path("", include("evaluation.urls")),
    path("", include("api.urls")),
    path("", include("cpw.privacy.urls")),
    path("admin/", admin.site.urls),
]
