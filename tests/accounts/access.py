from tests.access import EVERYONE, PARTNER, PM, STAFF, Access


def _reset_kwargs(world):
    return {"uidb64": "MQ", "token": "set-password"}


def _public(name, **extra):
    extra.setdefault("other_ok_status", 405)
    return Access(name, EVERYONE, public=True, scoped=False, **extra)


ACCESS = [
    _public(
        "accounts:sign-in",
        ok_status=302,
        anonymous_ok_status=200,
        other_ok_status=302,
        anonymous_other_ok_status=200,
        notes="Signed-in people are sent home; an empty form is shown again with errors",
    ),
    _public("accounts:sign-out", method="post", ok_status=302, html=False),
    _public("accounts:signed-out"),
    _public("accounts:register", other_ok_status=200),
    _public("accounts:check-email"),
    _public(
        "accounts:verify-email",
        kwargs=lambda w: {"token": "not-a-token"},
        ok_status=400,
        html=False,
    ),
    _public("accounts:password-reset", other_ok_status=200),
    _public("accounts:password-reset-sent"),
    _public("accounts:password-reset-confirm", kwargs=_reset_kwargs, other_ok_status=200),
    _public("accounts:password-reset-complete"),
    _public("accounts:accept-invitation", kwargs=_reset_kwargs, other_ok_status=200),
    # The programmes someone manages: the selector and the form list only those.
    Access("programmes:people", frozenset({PM, STAFF}), scoped=False, other_ok_status=405),
    Access("programmes:invite", frozenset({PM, STAFF}), scoped=False, other_ok_status=200),
    # A partner's own organisation: the URL names none; council staff (even admins) get 403.
    Access("accounts:organisation", frozenset({PARTNER}), scoped=False, other_ok_status=405),
    Access("accounts:organisation-change", frozenset({PARTNER}), scoped=False, other_ok_status=200),
]
