from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("overview/", views.OverviewView.as_view(), name="overview"),
    path("my-work/", views.MyWorkView.as_view(), name="my-work"),
    path("steering/", views.SteeringView.as_view(), name="steering"),
    path("division/", views.DivisionView.as_view(), name="division"),
    path("programmes/", views.ProgrammeListView.as_view(), name="programme-list"),
    path("programmes/<slug:slug>/", views.ProgrammeDetailView.as_view(), name="programme-detail"),
]
