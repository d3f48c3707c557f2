"""The data protection pages in the access matrix: each council's data protection officer and
staff admins. The lists answer 200 to both councils' DPOs (their rows are scoped to the DPO's
council: tests/privacy/test_council_scope.py checks which rows each sees); a subject-access
request belongs to one council, and the other council's DPO gets 404 on it."""

from tests.access import STAFF, Access

DPO = "dpo"
ALLOWED = frozenset({DPO, STAFF})


def _request(world):
    return {"pk": world.subject_access_request.pk}


def extend_world(world) -> None:
    """Each council's DPO asks for a subject-access ZIP of their council's records: a DPO may
    open their own council's request, and gets 404 on the other council's."""
    from cpw.privacy.services import subject_access_request_build, subject_access_request_start

    if not hasattr(world, "subject_access_request"):
        # the task would run once the test's transaction commits, which it never does
        request = subject_access_request_start(
            user=world.users[DPO], email=world.users["officer"].email, council=world.council
        )
        world.subject_access_request = subject_access_request_build(request_id=request.pk)


ACCESS = [
    Access("privacy:register", ALLOWED, scoped=False, other_ok_status=405),
    Access("privacy:access-log", ALLOWED, scoped=False, other_ok_status=405),
    Access("privacy:retention-log", ALLOWED, scoped=False, other_ok_status=405),
    Access("privacy:erasure-log", ALLOWED, scoped=False, other_ok_status=405),
    # POST without a subject shows the form again with an error.
    Access("privacy:subject-access", ALLOWED, scoped=False, other_ok_status=200),
    Access("privacy:erasure", ALLOWED, scoped=False, other_ok_status=200),
    Access(
        "privacy:subject-access-request",
        ALLOWED,
        kwargs=_request,
        scoped=True,
        denied_status=404,
        other_ok_status=405,
        notes="One council's request: 404 for everyone else, the other council's DPO too",
    ),
    Access(
        "privacy:subject-access-download",
        ALLOWED,
        kwargs=_request,
        scoped=True,
        denied_status=404,
        html=False,
        other_ok_status=405,
        notes="One council's request: 404 for everyone else, the other council's DPO too",
    ),
]
