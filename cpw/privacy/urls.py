from django.urls import path

from . import views

app_name = "privacy"

P = "data-protection/"

urlpatterns = [
    path(P, views.register, name="register"),
    path(P + "access-log/", views.access_log, name="access-log"),
    path(P + "retention/", views.retention_log, name="retention-log"),
    path(P + "subject-access/", views.subject_access, name="subject-access"),
    path(
        P + "subject-access/<int:pk>/",
        views.subject_access_request,
        name="subject-access-request",
    ),
    path(
        P + "subject-access/<int:pk>/download/",
        views.subject_access_download,
        name="subject-access-download",
    ),
    path(P + "erasure/", views.erasure, name="erasure"),
    path(P + "erasure/log/", views.erasure_log, name="erasure-log"),
]
