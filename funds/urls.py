from django.urls import path

from . import views

app_name = "funds"

urlpatterns = [
    path("assessments/", views.AssessmentsView.as_view(), name="assessments"),
]
