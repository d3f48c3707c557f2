"""Return-to addresses: a `next` parameter is only followed when it points back into the portal."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next(request, default: str, *, field: str = "next") -> str:
    """The `next` address from the form (or the query string) when it is a page of this site,
    otherwise `default`. Refuses other hosts, scheme-relative (`//evil.example`) and
    backslash (`\\\\evil.example`) addresses and other schemes such as `javascript:`."""
    candidate = request.POST.get(field) or request.GET.get(field) or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


class SafeNextMixin:
    """For Django's sign-in and sign-out views: their return-to address through `safe_next`
    too, so every redirect that takes a `next` parameter follows one rule."""

    def get_redirect_url(self):
        return safe_next(self.request, "", field=self.redirect_field_name)
