"""The GOV.UK pages where a signed-in user makes, lists and revokes their own API tokens, and
the API's documentation page (Swagger UI, served from the portal's own static files)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe
from drf_spectacular.views import SpectacularSwaggerSplitView

from cpw.core.forms import add_form_errors

from .forms import TokenForm
from .models import ApiToken
from .services import api_token_create, api_token_revoke


def _crumbs():
    return [{"label": "API tokens", "url": reverse("api:tokens")}]


@login_required
@require_safe
def token_list(request):
    tokens = ApiToken.objects.filter(user=request.user)
    return render(
        request,
        "api/token_list.html",
        {"tokens": tokens, "docs_url": reverse("api:docs")},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_create(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            token, key = api_token_create(
                user=request.user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except ValidationError as error:
            add_form_errors(form, error)
        else:
            # Shown once, in the answer to the POST: the key is never stored or sent again.
            # never_cache: the answer is not stored by the browser or a proxy.
            return render(
                request,
                "api/token_created.html",
                {"token": token, "key": key, "breadcrumbs": _crumbs()},
            )
    return render(
        request,
        "api/token_create.html",
        {"form": form, "cancel_url": reverse("api:tokens"), "breadcrumbs": _crumbs()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)  # 404 for anyone else's
    if request.method == "POST":
        api_token_revoke(token=token)
        return redirect("api:tokens")
    return render(request, "api/token_revoke.html", {"token": token, "breadcrumbs": _crumbs()})


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from the vendored bundle (drf-spectacular-sidecar): its start-up script is
    a separate file, and the page has no inline script or style, so the CSP stays strict."""

    template_name = "api/docs.html"
    url_name = "api:schema"
