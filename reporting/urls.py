from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("steering/", views.SteeringView.as_view(), name="steering"),
    path("reports/", views.ReportIndexView.as_view(), name="index"),
    path("programmes/<slug:slug>/reports/", views.ReportListView.as_view(), name="list"),
    path(
        "programmes/<slug:slug>/reports/<str:label>/compile/",
        views.CompileView.as_view(),
        name="compile",
    ),
    path("reports/jobs/<int:pk>/", views.JobView.as_view(), name="job"),
    path("reports/jobs/<int:pk>/status/", views.job_status, name="job-status"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="detail"),
    path("reports/<int:pk>/pdf/", views.report_pdf, name="pdf"),
    path("reports/<int:pk>/xlsx/", views.report_xlsx, name="xlsx"),
    path("reports/<int:pk>/publish/", views.PublishView.as_view(), name="publish"),
]
