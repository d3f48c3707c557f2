from django.urls import path

from . import views

app_name = "programmes"

urlpatterns = [
    path("overview/", views.OverviewView.as_view(), name="overview"),
    path("my-work/", views.MyWorkView.as_view(), name="my-work"),
    path("people/", views.PeopleView.as_view(), name="people"),
    path("people/invite/", views.InviteView.as_view(), name="invite"),
    path("programmes/", views.ProgrammeListView.as_view(), name="programme-list"),
    path("programmes/<slug:slug>/", views.ProgrammeDetailView.as_view(), name="programme-detail"),
    path(
        "programmes/<slug:slug>/settings/",
        views.ProgrammeSettingsView.as_view(),
        name="programme-settings",
    ),
    path("delivery-plan/", views.PlanHomeView.as_view(), name="plan-home"),
    path("programmes/<slug:slug>/plan/", views.PlanView.as_view(), name="plan"),
    path(
        "programmes/<slug:slug>/plan/export.<str:fmt>",
        views.PlanExportView.as_view(),
        name="plan-export",
    ),
    path("programmes/<slug:slug>/plan/import/", views.PlanImportView.as_view(), name="plan-import"),
    path(
        "programmes/<slug:slug>/plan/import/check/",
        views.PlanImportCheckView.as_view(),
        name="plan-import-check",
    ),
    path(
        "programmes/<slug:slug>/plan/import/template.csv",
        views.PlanImportTemplateView.as_view(),
        name="plan-import-template",
    ),
    path(
        "programmes/<slug:slug>/periods/", views.ReportingPeriodsView.as_view(), name="period-list"
    ),
    path(
        "programmes/<slug:slug>/periods/<str:label>/lock/",
        views.PeriodLockView.as_view(),
        name="period-lock",
    ),
    path(
        "programmes/<slug:slug>/periods/<str:label>/chase/",
        views.PeriodChaseView.as_view(),
        name="period-chase",
    ),
    path(
        "programmes/<slug:slug>/governance/",
        views.GovernanceListView.as_view(),
        name="governance-list",
    ),
    path(
        "programmes/<slug:slug>/governance/add/",
        views.GovernanceBodyAddView.as_view(),
        name="governance-add",
    ),
    path(
        "programmes/<slug:slug>/governance/<int:body>/",
        views.GovernanceBodyChangeView.as_view(),
        name="governance-change",
    ),
    path(
        "programmes/<slug:slug>/governance/<int:body>/remove/",
        views.GovernanceBodyRemoveView.as_view(),
        name="governance-remove",
    ),
    path(
        "programmes/<slug:slug>/governance/<int:body>/members/add/",
        views.GovernanceMemberAddView.as_view(),
        name="governance-member-add",
    ),
    path(
        "programmes/<slug:slug>/governance/<int:body>/members/<int:member>/",
        views.GovernanceMemberChangeView.as_view(),
        name="governance-member-change",
    ),
    path(
        "programmes/<slug:slug>/governance/<int:body>/members/<int:member>/remove/",
        views.GovernanceMemberRemoveView.as_view(),
        name="governance-member-remove",
    ),
    path("commitments/<int:pk>/", views.CommitmentDetailView.as_view(), name="commitment-detail"),
    path(
        "commitments/<int:pk>/change/",
        views.CommitmentChangeView.as_view(),
        name="commitment-change",
    ),
    path(
        "commitments/<int:pk>/milestones/add/",
        views.MilestoneAddView.as_view(),
        name="milestone-add",
    ),
    path(
        "commitments/<int:pk>/milestones/<int:milestone>/",
        views.MilestoneChangeView.as_view(),
        name="milestone-change",
    ),
    path("commitments/<int:pk>/risks/add/", views.RiskAddView.as_view(), name="risk-add"),
    path(
        "commitments/<int:pk>/updates/<str:label>/",
        views.CommitmentUpdateView.as_view(),
        name="commitment-update",
    ),
    path(
        "commitments/<int:pk>/updates/<str:label>/submitted/",
        views.CommitmentUpdateDoneView.as_view(),
        name="commitment-update-done",
    ),
    path("councils/<slug:slug>/places/", views.PlaceListView.as_view(), name="place-list"),
    path(
        "councils/<slug:slug>/places/import/",
        views.PlaceImportView.as_view(),
        name="place-import",
    ),
    path(
        "councils/<slug:slug>/places/import/template.csv",
        views.PlaceImportTemplateView.as_view(),
        name="place-import-template",
    ),
    # Set-up: councils, new programmes, a programme's structure
    path("councils/", views.CouncilListView.as_view(), name="council-list"),
    path("councils/add/", views.CouncilAddView.as_view(), name="council-add"),
    path("councils/<slug:slug>/", views.CouncilDetailView.as_view(), name="council-detail"),
    path("councils/<slug:slug>/change/", views.CouncilChangeView.as_view(), name="council-change"),
    path(
        "councils/<slug:slug>/programmes/add/",
        views.ProgrammeCreateView.as_view(),
        name="programme-add",
    ),
    path(
        "programmes/<slug:slug>/structure/",
        views.ProgrammeStructureView.as_view(),
        name="programme-structure",
    ),
    path("programmes/<slug:slug>/phases/add/", views.PhaseAddView.as_view(), name="phase-add"),
    path(
        "programmes/<slug:slug>/phases/<int:pk>/",
        views.PhaseChangeView.as_view(),
        name="phase-change",
    ),
    path(
        "programmes/<slug:slug>/phases/<int:pk>/delete/",
        views.PhaseDeleteView.as_view(),
        name="phase-delete",
    ),
    path(
        "programmes/<slug:slug>/ambitions/add/",
        views.AmbitionAddView.as_view(),
        name="ambition-add",
    ),
    path(
        "programmes/<slug:slug>/ambitions/<int:pk>/",
        views.AmbitionChangeView.as_view(),
        name="ambition-change",
    ),
    path(
        "programmes/<slug:slug>/ambitions/<int:pk>/delete/",
        views.AmbitionDeleteView.as_view(),
        name="ambition-delete",
    ),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence-download"),
]
