from tests.access import EVERYONE, PARTNER, PM, STAFF, Access


def _reset_kwargs(world):
    return {"uidb64": "MQ", "token": "set-password"}


ACCESS = [
    Access("accounts:sign-in", EVERYONE, public=True, ok_status=302, anonymous_ok_status=200),
    Access("accounts:sign-out", EVERYONE, method="post", public=True, ok_status=302, html=False),
    Access("accounts:signed-out", EVERYONE, public=True),
    Access("accounts:register", EVERYONE, public=True),
    Access("accounts:check-email", EVERYONE, public=True),
    Access(
        "accounts:verify-email",
        EVERYONE,
        kwargs=lambda w: {"token": "not-a-token"},
        public=True,
        ok_status=400,
        html=False,
    ),
    Access("accounts:password-reset", EVERYONE, public=True),
    Access("accounts:password-reset-sent", EVERYONE, public=True),
    Access("accounts:password-reset-confirm", EVERYONE, kwargs=_reset_kwargs, public=True),
    Access("accounts:password-reset-complete", EVERYONE, public=True),
    Access("accounts:accept-invitation", EVERYONE, kwargs=_reset_kwargs, public=True),
    Access("programmes:people", frozenset({PM, STAFF})),
    Access("programmes:invite", frozenset({PM, STAFF})),
    Access("accounts:organisation", frozenset({PARTNER})),
    Access("accounts:organisation-change", frozenset({PARTNER})),
]
