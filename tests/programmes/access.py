from tests.access import COUNCIL, COUNCILLOR, OFFICER, PM, STAFF, STEERING, Access

ACCESS = [
    Access("programmes:overview", frozenset({PM, STAFF})),
    Access("programmes:my-work", frozenset({OFFICER, PM, STAFF})),
    Access("programmes:steering", frozenset({STEERING, PM, STAFF})),
    Access("programmes:division", frozenset({COUNCILLOR, STAFF})),
    Access("programmes:programme-list", COUNCIL),
    Access("programmes:programme-detail", COUNCIL, kwargs=lambda w: {"slug": w.programme.slug}),
]
