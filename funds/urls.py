from django.urls import path

from . import views
from .participatory import urls as participatory_urls

app_name = "funds"

urlpatterns = [
    # Public
    path("funds/", views.fund_list, name="fund-list"),
    path("funds/<slug:slug>/", views.fund_detail, name="fund-detail"),
    path("funds/<slug:slug>/eligibility/", views.eligibility, name="eligibility"),
    path("funds/<slug:slug>/360giving.<str:fmt>", views.open_data, name="open-data"),
    # Partners
    path(
        "funds/<slug:slug>/rounds/<int:round_id>/apply/",
        views.application_start,
        name="application-start",
    ),
    path("applications/", views.my_applications, name="my-applications"),
    path("applications/<int:pk>/", views.application_tasks, name="application-tasks"),
    path(
        "applications/<int:pk>/withdraw/", views.application_withdraw, name="application-withdraw"
    ),
    path("applications/<int:pk>/submit/", views.application_submit, name="application-submit"),
    path(
        "applications/<int:pk>/submitted/",
        views.application_submitted,
        name="application-submitted",
    ),
    path("applications/<int:pk>/files/<int:answer_id>/", views.answer_file, name="answer-file"),
    path(
        "applications/<int:pk>/budget/<int:line_id>/remove/",
        views.budget_line_remove,
        name="budget-line-remove",
    ),
    path(
        "applications/<int:pk>/<str:section>/",
        views.application_section,
        name="application-section",
    ),
    path(
        "applications/<int:pk>/<str:section>/check/",
        views.application_section_check,
        name="application-section-check",
    ),
    path("grants/", views.my_grants, name="my-grants"),
    path("grants/<int:pk>/", views.grant_detail, name="grant-detail"),
    path("grants/<int:pk>/reports/<int:report_id>/", views.report_submit, name="report-submit"),
    path(
        "grants/<int:pk>/reports/<int:report_id>/photos/<int:photo_id>/",
        views.monitoring_photo,
        name="monitoring-photo",
    ),
    # Council
    path("manage/funds/", views.manage, name="manage"),
    path(
        "manage/funds/<slug:slug>/applications/",
        views.application_list,
        name="application-list",
    ),
    path(
        "manage/funds/<slug:slug>/applications/export/",
        views.application_export,
        name="application-export",
    ),
    path("manage/funds/<slug:slug>/setup/", views.fund_setup, name="fund-setup"),
    path("manage/funds/<slug:slug>/dashboard/", views.fund_dashboard, name="fund-dashboard"),
    path(
        "manage/funds/<slug:slug>/emails/<str:kind>/",
        views.email_template,
        name="email-template",
    ),
    path("manage/exports/<int:pk>/", views.export_job, name="export-job"),
    path("manage/exports/<int:pk>/download/", views.export_download, name="export-download"),
    path("manage/applications/<int:pk>/", views.application_review, name="application-review"),
    path("manage/applications/<int:pk>/move/", views.application_move, name="application-move"),
    path(
        "manage/applications/<int:pk>/changes/",
        views.application_changes,
        name="application-changes",
    ),
    path(
        "manage/applications/<int:pk>/assign/",
        views.application_assign,
        name="application-assign",
    ),
    path(
        "manage/applications/<int:pk>/comment/",
        views.application_comment,
        name="application-comment",
    ),
    path("manage/applications/<int:pk>/flag/", views.application_flag, name="application-flag"),
    path("manage/flags/<int:pk>/resolve/", views.flag_resolve, name="flag-resolve"),
    path(
        "manage/applications/<int:pk>/decision/",
        views.application_decide,
        name="application-decide",
    ),
    path("manage/applications/<int:pk>/award/", views.award_create, name="award-create"),
    path("manage/grants/<int:pk>/payments/", views.payment_add, name="payment-add"),
    path("manage/grants/<int:pk>/status/", views.grant_status, name="grant-status"),
    path("manage/payments/<int:pk>/approve/", views.payment_approve, name="payment-approve"),
    path("manage/payments/<int:pk>/paid/", views.payment_paid, name="payment-paid"),
    path("manage/rounds/<int:pk>/panel/", views.panel, name="panel"),
    path("manage/rounds/<int:pk>/panel.xlsx", views.panel_export, name="panel-export"),
    # Assessors
    path("assessments/", views.assessments, name="assessments"),
    path("assessments/<int:pk>/", views.assessment_score, name="assessment-score"),
    path("assessments/<int:pk>/declare/", views.assessment_declare, name="assessment-declare"),
    # Councillors
    path("member-fund/", views.member_pot, name="member-pot"),
    path(
        "member-fund/applications/<int:pk>/",
        views.member_application,
        name="member-application",
    ),
    path(
        "member-fund/applications/<int:pk>/recommend/",
        views.member_recommend,
        name="member-recommend",
    ),
]

urlpatterns += participatory_urls.urlpatterns
