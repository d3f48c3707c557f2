from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_safe
from django.views.generic import FormView, TemplateView

from cpw.core.access import ObjectAccessMixin
from cpw.core.concurrency import EditConflict
from cpw.core.conflicts import EditConflictMixin
from cpw.core.queueing import QueueUnavailable, require_queue
from cpw.core.redirects import SafeNextMixin

from . import lockout, selectors, services
from .forms import (
    AcceptInvitationForm,
    ChooseNewPasswordForm,
    OrganisationForm,
    PartnerRegistrationForm,
    ResetPasswordRequestForm,
    SignInForm,
)
from .tokens import invitation_tokens

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


class SignInView(SafeNextMixin, auth_views.LoginView):
    """Too many wrong passwords for one email address from one IP address make that pair wait
    (lockout.py); the password is not even checked while it waits."""

    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def _wait(self):
        return lockout.sign_in_wait(
            email=self.request.POST.get("username", ""),
            ip_address=lockout.client_ip(self.request),
        )

    def _wait_response(self, wait):
        response = render(
            self.request,
            "accounts/locked_out.html",
            {"wait": lockout.describe_wait(wait)},
            status=429,
        )
        response["Retry-After"] = str(max(1, int(wait.total_seconds())))
        return response

    def post(self, request, *args, **kwargs):
        if wait := self._wait():
            return self._wait_response(wait)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        # The wrong password that starts a wait says so at once.
        if wait := self._wait():
            return self._wait_response(wait)
        return super().form_invalid(form)


class SignOutView(SafeNextMixin, auth_views.LogoutView):
    pass


@require_safe
def signed_out(request):
    return render(request, "accounts/signed_out.html")


class RegisterView(FormView):
    template_name = "accounts/register.html"
    form_class = PartnerRegistrationForm
    success_url = reverse_lazy("accounts:check-email")

    def form_valid(self, form):
        data = form.cleaned_data
        if lockout.rate_limit_hit(
            action="register",
            key=lockout.client_ip(self.request),
            limit=settings.REGISTRATIONS_PER_HOUR,
            period=timedelta(hours=1),
        ):
            form.add_error(
                None,
                "Too many accounts have been registered from your network in the last hour. "
                "Wait an hour and try again, or contact the programme team.",
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        try:
            services.partner_register(
                full_name=data["full_name"],
                email=data["email"],
                password=data["password1"],
                organisation_name=data["organisation_name"],
                organisation_kind=data["organisation_kind"],
                charity_number=data["charity_number"],
                company_number=data["company_number"],
                address=data["address"],
                postcode=data["postcode"],
            )
        except QueueUnavailable as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        # The same page whether or not the address or organisation is already registered.
        self.request.session["registered_email"] = data["email"]
        return super().form_valid(form)


@require_safe
def check_email(request):
    return render(
        request, "accounts/check_email.html", {"email": request.session.get("registered_email")}
    )


@require_safe
def verify_email(request, token):
    try:
        user = services.email_verify(token=token)
    except services.VerificationLinkInvalid as exc:
        return render(request, "accounts/verify_failed.html", {"reason": str(exc)}, status=400)
    login(request, user, backend=MODEL_BACKEND)
    messages.success(request, "Your email address is confirmed and your account is ready")
    return redirect("home")


class PasswordResetRequestView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    form_class = ResetPasswordRequestForm
    success_url = reverse_lazy("accounts:password-reset-sent")

    def form_valid(self, form):
        if lockout.rate_limit_hit(
            action="password-reset",
            key=lockout.client_ip(self.request),
            limit=settings.PASSWORD_RESETS_PER_HOUR,
            period=timedelta(hours=1),
        ):
            form.add_error(
                None,
                "Too many password resets have been asked for from your network in the last "
                "hour. Wait an hour and try again.",
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        try:
            require_queue()
        except QueueUnavailable as exc:
            form.add_error(None, str(exc))
            return self.form_invalid(form)
        services.password_reset_request(email=form.cleaned_data["email"])
        return redirect(self.get_success_url())


@require_safe
def password_reset_sent(request):
    return render(request, "accounts/password_reset_sent.html")


class PasswordResetChooseView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_choose.html"
    form_class = ChooseNewPasswordForm
    success_url = reverse_lazy("accounts:password-reset-complete")


@require_safe
def password_reset_complete(request):
    return render(request, "accounts/password_reset_complete.html")


class AcceptInvitationView(auth_views.PasswordResetConfirmView):
    """The link in an invitation: works once (setting the password spends it), for 14 days."""

    template_name = "accounts/accept_invitation.html"
    form_class = AcceptInvitationForm
    post_reset_login = False
    token_generator = invitation_tokens

    def form_valid(self, form):
        user = services.invitation_accept(
            user=form.user, password=form.cleaned_data["new_password1"]
        )
        del self.request.session[auth_views.INTERNAL_RESET_SESSION_TOKEN]
        login(self.request, user, backend=MODEL_BACKEND)
        messages.success(self.request, "Your password is set. Welcome to the portal")
        return redirect("home")


class OwnOrganisationMixin(ObjectAccessMixin):
    """A partner's own organisation: council staff (even admins) have none, and get 403."""

    def get_access_object(self):
        organisation = selectors.organisation_of(self.request.user)
        if organisation is None:
            raise PermissionDenied("Only people from a partner organisation can see this page")
        return organisation


class OrganisationView(OwnOrganisationMixin, TemplateView):
    permission_required = "accounts.view_organisation"
    template_name = "accounts/organisation.html"

    def get_context_data(self, **kwargs):
        organisation = self.object
        return super().get_context_data(
            organisation=organisation,
            members=selectors.organisation_member_list(organisation),
            change_url=reverse("accounts:organisation-change"),
            **kwargs,
        )


class OrganisationChangeView(OwnOrganisationMixin, EditConflictMixin, FormView):
    permission_required = "accounts.change_organisation"
    template_name = "accounts/organisation_change.html"
    form_class = OrganisationForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.object}

    def form_valid(self, form):
        try:
            services.organisation_update(
                organisation=form.instance,
                data=form.cleaned_data,
                expected_version=form.cleaned_data["version"],
                user=self.request.user,
            )
        except EditConflict as conflict:
            current = conflict.current
            return self.edit_conflict_response(
                conflict, form, lambda data: self.form_class(data, instance=current)
            )
        messages.success(self.request, "Your organisation's details are saved")
        return redirect("accounts:organisation")
