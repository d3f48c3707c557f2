from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("signed-out/", views.signed_out, name="signed-out"),
    path("register/", views.RegisterView.as_view(), name="register"),
    path("register/check-your-email/", views.check_email, name="check-email"),
    path("register/verify/<str:token>/", views.verify_email, name="verify-email"),
    path("password-reset/", views.PasswordResetRequestView.as_view(), name="password-reset"),
    path("password-reset/sent/", views.password_reset_sent, name="password-reset-sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.PasswordResetChooseView.as_view(),
        name="password-reset-confirm",
    ),
    path("password-reset/done/", views.password_reset_complete, name="password-reset-complete"),
    path(
        "invitation/<uidb64>/<token>/",
        views.AcceptInvitationView.as_view(),
        name="accept-invitation",
    ),
    path("organisation/", views.OrganisationView.as_view(), name="organisation"),
    path(
        "organisation/change/", views.OrganisationChangeView.as_view(), name="organisation-change"
    ),
]
