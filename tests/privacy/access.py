from tests.access import STAFF, Access

DPO = "dpo"
ALLOWED = frozenset({DPO, STAFF})


def _request(world):
    return {"pk": world.subject_access_request.pk}


def extend_world(world) -> None:
    from cpw.privacy.services import subject_access_request_build, subject_access_request_start

    if not hasattr(world, "subject_access_request"):
        # the task would run once the test's transaction commits, which it never does
        request = subject_access_request_start(
            user=world.users[DPO], email=world.users["officer"].email
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
        scoped=False,
        other_ok_status=405,
    ),
    Access(
        "privacy:subject-access-download",
        ALLOWED,
        kwargs=_request,
        scoped=False,
        html=False,
        other_ok_status=405,
    ),
]
