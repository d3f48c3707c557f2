from django.urls import path

from . import views

app_name = "groundbreakers"

P = "groundbreakers/<slug:programme>/"
G = P + "<slug:slug>/"

urlpatterns = [
    path("groundbreakers/", views.IndexView.as_view(), name="index"),
    path(P + "activity/", views.TotalsView.as_view(), name="totals"),
    path(P + "activity/add/", views.ActivityAddView.as_view(), name="activity-add"),
    path(P + "activity/import/", views.ActivityImportView.as_view(), name="activity-import"),
    path(
        P + "activity/import/template.csv",
        views.ActivityImportTemplateView.as_view(),
        name="activity-import-template",
    ),
    path(P + "activity/audiences/", views.AudienceListView.as_view(), name="audiences"),
    path(
        P + "activity/<int:pk>/change/",
        views.ActivityChangeView.as_view(),
        name="activity-change",
    ),
    path(
        P + "activity/export.csv",
        views.ActivityExportView.as_view(file_format="csv"),
        name="activity-export-csv",
    ),
    path(
        P + "activity/export.xlsx",
        views.ActivityExportView.as_view(file_format="xlsx"),
        name="activity-export-xlsx",
    ),
    path(P + "learning/", views.LearningLogView.as_view(), name="learning"),
    path(P + "learning/add/", views.LearningAddView.as_view(), name="learning-add"),
    path(P + "updates/", views.PeriodUpdatesView.as_view(), name="updates"),
    path(P + "new/", views.GroundbreakerCreateView.as_view(), name="add"),
    path(G, views.DetailView.as_view(), name="detail"),
    path(G + "change/", views.GroundbreakerChangeView.as_view(), name="change"),
    path(G + "status/", views.StatusChangeView.as_view(), name="status"),
    path(G + "key-outcomes/", views.KeyOutcomesView.as_view(), name="outcomes"),
    path(G + "working-group/add/", views.WorkingGroupAddView.as_view(), name="member-add"),
    path(G + "updates/<str:period>/", views.UpdateView.as_view(), name="update"),
]
