from django.urls import path

from . import views

app_name = "evaluation"

E = "evaluation/<slug:slug>/"

urlpatterns = [
    path("evaluation/", views.EvaluationHomeView.as_view(), name="home"),
    path(E, views.DashboardView.as_view(), name="dashboard"),
    path(E + "framework/", views.FrameworkView.as_view(), name="framework"),
    path(E + "metrics/add/", views.MetricEditView.as_view(), name="metric-create"),
    path(E + "metrics/<int:pk>/", views.MetricDetailView.as_view(), name="metric"),
    path(E + "metrics/<int:pk>/change/", views.MetricEditView.as_view(), name="metric-change"),
    path(
        E + "metrics/<int:pk>/add-figure/",
        views.ObservationAddView.as_view(),
        name="observation-add",
    ),
    path(
        E + "metrics/<int:pk>/recalculate/",
        views.MetricRecalculateView.as_view(),
        name="metric-recalculate",
    ),
    path(E + "import-figures/", views.ObservationImportView.as_view(), name="observation-import"),
    path(E + "figures.<str:fmt>", views.ObservationExportView.as_view(), name="observation-export"),
    path(E + "surveys/", views.SurveyListView.as_view(), name="survey-list"),
    path(E + "surveys/add/", views.SurveyWaveCreateView.as_view(), name="survey-create"),
    path(E + "surveys/<int:pk>/", views.SurveyResultsView.as_view(), name="survey-results"),
    path(
        E + "surveys/<int:pk>/results.<str:fmt>",
        views.SurveyResultsExportView.as_view(),
        name="survey-export",
    ),
    path(E + "surveys/<int:pk>/import/", views.SurveyImportView.as_view(), name="survey-import"),
    path(E + "surveys/<int:pk>/links/", views.SurveyLinksView.as_view(), name="survey-links"),
    path(
        E + "surveys/<int:pk>/links.csv",
        views.SurveyLinksExportView.as_view(),
        name="survey-links-export",
    ),
    path(E + "indexes/<int:pk>/", views.IndexDetailView.as_view(), name="index"),
    path(E + "indexes/<int:pk>/weights/", views.IndexWeightsView.as_view(), name="index-weights"),
    path("survey/thank-you/", views.public_survey_thanks, name="survey-thanks"),
    path("survey/<str:token>/", views.public_survey, name="survey-public"),
]
