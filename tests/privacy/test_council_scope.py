"""Each council has its own data protection officer, who sees only what is about their council's
data: two councils, each with a DPO, a programme and records of one person who works with both
or with one of them."""

import datetime
import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse
from freezegun import freeze_time

from cpw.accounts.models import Role, RoleAssignment
from cpw.core.models import OutboundEmail
from cpw.privacy.models import (
    AccessLogEntry,
    ErasureLogEntry,
    RetentionLogEntry,
    RetentionRun,
    SubjectAccessRequest,
)
from cpw.privacy.services import (
    Subject,
    erasure_apply,
    record_access,
    retention_apply,
    subject_access_request_start,
    subject_find,
)
from funds.models import ApplicationStatus
from tests.accounts.factories import UserFactory, user_with_role
from tests.funds.factories import ApplicationFactory
from tests.groundbreakers.factories import ActivityFactory
from tests.programmes.factories import CouncilFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def two():
    a = ProgrammeFactory(slug="a-prog")
    b = ProgrammeFactory(slug="b-prog", council=CouncilFactory(unitary=True))
    return {
        "a": a,
        "b": b,
        "dpo_a": user_with_role(Role.DPO, council=a.council, full_name="Dana A"),
        "dpo_b": user_with_role(Role.DPO, council=b.council, full_name="Dev B"),
        "staff": UserFactory(is_staff=True, is_superuser=True),
    }


def _found(findings) -> set[tuple[str, int]]:
    return {(item.declaration.label, pk) for item in findings for pk in item.pks}


def test_each_dpo_sees_only_their_own_councils_log_entries(two, client_as):
    a, b = two["a"].council, two["b"].council
    officer = UserFactory()
    record_access(user=officer, what="Export of council A", rows=3, council=a)
    record_access(user=officer, what="Export of council B", rows=4, council=b)
    record_access(user=officer, what="Export of no one council", rows=5)
    run = RetentionRun.objects.create(ran_at=datetime.datetime.now(datetime.UTC))
    RetentionLogEntry.objects.create(
        run=run, model_label="x.A", rule="Rule run on A", action="delete", records=1, council=a
    )
    RetentionLogEntry.objects.create(
        run=run, model_label="x.B", rule="Rule run on B", action="delete", records=2, council=b
    )
    now = datetime.datetime.now(datetime.UTC)
    ErasureLogEntry.objects.create(subject_ref="ref-of-a", erased_at=now, council=a)
    ErasureLogEntry.objects.create(subject_ref="ref-of-b", erased_at=now, council=b)

    def pages(user) -> str:
        client = client_as(user)
        return "".join(
            client.get(reverse(name)).content.decode()
            for name in ("privacy:access-log", "privacy:retention-log", "privacy:erasure-log")
        )

    seen_by_a = pages(two["dpo_a"])
    assert "Export of council A" in seen_by_a and "Rule run on A" in seen_by_a
    assert "ref-of-a" in seen_by_a
    for other in ("Export of council B", "Rule run on B", "ref-of-b", "Export of no one council"):
        assert other not in seen_by_a
    seen_by_b = pages(two["dpo_b"])
    assert "Export of council B" in seen_by_b and "ref-of-b" in seen_by_b
    assert "Export of council A" not in seen_by_b and "Rule run on A" not in seen_by_b
    seen_by_staff = pages(two["staff"])
    for everything in ("Export of council A", "Export of council B", "Export of no one council"):
        assert everything in seen_by_staff


def test_another_councils_dpo_gets_404_on_a_subject_access_request(two, client_as):
    request = subject_access_request_start(
        user=two["dpo_a"], email="x@example.org", council=two["a"].council
    )
    url = reverse("privacy:subject-access-request", args=[request.pk])
    assert client_as(two["dpo_a"]).get(url).status_code == 200
    assert client_as(two["dpo_b"]).get(url).status_code == 404
    listed = client_as(two["dpo_b"]).get(reverse("privacy:subject-access")).content.decode()
    assert url not in listed
    assert url in client_as(two["dpo_a"]).get(reverse("privacy:subject-access")).content.decode()


def test_a_person_with_ties_to_two_councils_is_each_councils_business_only_in_part(two):
    person = UserFactory(email="pat@example.org", full_name="Pat Both")
    in_a = ApplicationFactory(created_by=person, round__fund__programme=two["a"])
    in_b = ApplicationFactory(created_by=person, round__fund__programme=two["b"])
    email = OutboundEmail.objects.create(to="pat@example.org", subject="Hi", body="Dear Pat")
    subject = Subject(email="pat@example.org")

    seen_by_a = subject_find(subject, council_id=two["a"].council_id)
    assert ("funds.Application", in_a.pk) in _found(seen_by_a)
    assert ("funds.Application", in_b.pk) not in _found(seen_by_a)
    # their account and the emails sent belong to no one council: left to staff admins
    assert ("accounts.User", person.pk) not in _found(seen_by_a)
    assert ("core.OutboundEmail", email.pk) not in _found(seen_by_a)
    assert {item.declaration.label for item in seen_by_a.held_back} >= {
        "accounts.User",
        "core.OutboundEmail",
    }
    everything = _found(subject_find(subject))
    assert {("funds.Application", in_b.pk), ("accounts.User", person.pk)} <= everything

    # council A's erasure touches only A's records, and leaves the account open
    entry = erasure_apply(subject=subject, user=two["dpo_a"], council=two["a"].council)
    assert entry.council == two["a"].council
    in_a.refresh_from_db()
    in_b.refresh_from_db()
    person.refresh_from_db()
    assert in_a.created_by_id == person.pk
    assert person.is_active and person.email == "pat@example.org"
    assert OutboundEmail.objects.filter(pk=email.pk).exists()


def test_a_person_tied_to_one_council_only_is_wholly_that_councils_dpos(two):
    person = UserFactory(email="sol@example.org", full_name="Sol One")
    in_a = ApplicationFactory(
        created_by=person,
        round__fund__programme=two["a"],
        declaration_name="Sol One",
        status=ApplicationStatus.DECLINED,
    )
    email = OutboundEmail.objects.create(to="sol@example.org", subject="Hi", body="Dear Sol")
    subject = Subject(email="sol@example.org", name="Sol One")

    seen_by_a = subject_find(subject, council_id=two["a"].council_id)
    assert {
        ("funds.Application", in_a.pk),
        ("accounts.User", person.pk),
        ("core.OutboundEmail", email.pk),
    } <= _found(seen_by_a)
    assert not seen_by_a.held_back
    # council B holds nothing of theirs but the account, which is A's business
    seen_by_b = subject_find(subject, council_id=two["b"].council_id)
    assert not _found(seen_by_b)
    assert seen_by_b.held_back

    erasure_apply(subject=subject, user=two["dpo_a"], council=two["a"].council)
    person.refresh_from_db()
    in_a.refresh_from_db()
    assert not person.is_active and "sol@example.org" not in person.email
    assert in_a.declaration_name.startswith("Person ")
    assert not OutboundEmail.objects.filter(pk=email.pk).exists()


def test_a_dpos_subject_access_zip_holds_only_their_councils_records(
    two, django_capture_on_commit_callbacks
):
    person = UserFactory(email="pat@example.org")
    in_a = ApplicationFactory(created_by=person, round__fund__programme=two["a"])
    ApplicationFactory(created_by=person, round__fund__programme=two["b"])
    with django_capture_on_commit_callbacks(execute=True):
        request = subject_access_request_start(
            user=two["dpo_a"], email="pat@example.org", council=two["a"].council
        )
    request.refresh_from_db()
    with zipfile.ZipFile(io.BytesIO(request.file.read())) as archive:
        payload = json.loads(archive.read("records.json"))
    found = {(s["model"], r["id"]) for s in payload["sections"] for r in s["records"]}
    applications = {pk for model, pk in found if model == "funds.Application"}
    assert applications == {in_a.pk}  # not B's
    assert not any(model == "accounts.User" for model, _ in found)  # not the account
    assert request.records == len(found)
    entry = AccessLogEntry.objects.get(kind="subject_access")
    assert entry.council == two["a"].council
    assert SubjectAccessRequest.objects.get().council == two["a"].council


def test_retention_logs_each_councils_records_separately(two):
    with freeze_time("2024-01-10"):
        ActivityFactory(programme=two["a"], notes="Met Jo", date=datetime.date(2020, 1, 1))
        ActivityFactory(programme=two["a"], notes="Met Al", date=datetime.date(2020, 2, 1))
        ActivityFactory(programme=two["b"], notes="Met Kim", date=datetime.date(2020, 1, 1))
    with freeze_time("2024-06-01"):
        result = retention_apply(dry_run=True)
    activity = {
        e.council_id: e.records
        for e in result.entries
        if e.model_label == "groundbreakers.Activity"
    }
    assert activity == {two["a"].council_id: 2, two["b"].council_id: 1}


def test_a_dpo_of_two_councils_chooses_whose_records_to_search(two, client_as):
    user_with_role(Role.DPO, council=two["b"].council, email="both@example.gov.uk")
    both = RoleAssignment.objects.get(user__email="both@example.gov.uk").user
    RoleAssignment.objects.create(user=both, role=Role.DPO, council=two["a"].council)
    person = UserFactory(email="pat@example.org")
    in_b = ApplicationFactory(created_by=person, round__fund__programme=two["b"])
    client = client_as(both)
    page = client.get(reverse("privacy:subject-access")).content.decode()
    assert 'name="council"' in page and "Every council" not in page
    # council B's records, chosen by its id; another council's id is refused
    page = client.post(
        reverse("privacy:subject-access"),
        {"email": "pat@example.org", "council": str(two["b"].council_id)},
    ).content.decode()
    # B's application, and the account (the person has ties to no other council)
    assert "2 records found" in page and "Applications" in page
    assert f'name="council" value="{two["b"].council_id}"' in page  # the ZIP is B's too
    assert in_b.round.fund.programme.council_id == two["b"].council_id
    stranger = CouncilFactory(slug="elsewhere", name="Elsewhere Council")
    page = client.post(
        reverse("privacy:subject-access"),
        {"email": "pat@example.org", "council": str(stranger.pk)},
    ).content.decode()
    assert "Select one of the councils listed" in page


def test_a_dpo_role_names_a_council_and_holds_no_council_work(two):
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(user=UserFactory(), role=Role.DPO)
    dpo = two["dpo_a"]
    assert dpo.has_role(Role.DPO) and dpo.dpo_council_ids == {two["a"].council_id}
    assert dpo.council_ids == frozenset()  # no council worker: only the privacy pages


def test_a_staff_admin_appoints_a_councils_dpo_in_the_admin_site(two, client_as):
    person = UserFactory()
    page = (
        client_as(two["staff"])
        .get(reverse("admin:accounts_user_change", args=[person.pk]))
        .content.decode()
    )
    assert 'name="role_assignments-__prefix__-council"' in page
    assert 'value="dpo"' in page


def test_the_subject_access_command_can_answer_for_one_council(two, tmp_path):
    person = UserFactory(email="pat@example.org")
    in_a = ApplicationFactory(created_by=person, round__fund__programme=two["a"])
    in_b = ApplicationFactory(created_by=person, round__fund__programme=two["b"])
    out = tmp_path / "a.zip"
    call_command("subject_access", "pat@example.org", str(out), council=two["a"].council.slug)
    with zipfile.ZipFile(out) as archive:
        payload = json.loads(archive.read("records.json"))
    applications = {
        r["id"]
        for s in payload["sections"]
        if s["model"] == "funds.Application"
        for r in s["records"]
    }
    assert applications == {in_a.pk} and in_b.pk not in applications
    assert AccessLogEntry.objects.get(kind="subject_access").council == two["a"].council
    with pytest.raises(CommandError):
        call_command("subject_access", "pat@example.org", str(out), council="nowhere")


def _fill_logs(council, n: int) -> None:
    officer = UserFactory()
    now = datetime.datetime.now(datetime.UTC)
    for i in range(n):
        record_access(user=UserFactory(), what=f"Export {i}", rows=i, council=council)
        run = RetentionRun.objects.create(ran_at=now)
        RetentionLogEntry.objects.create(
            run=run, model_label="x.Y", rule="R", action="delete", records=i, council=council
        )
        ErasureLogEntry.objects.create(
            subject_ref=f"ref{i}", erased_at=now, council=council, erased_by=officer
        )
        SubjectAccessRequest.objects.create(requested_by=officer, email="a@b.c", council=council)


@pytest.mark.parametrize(
    "url_name",
    [
        "privacy:access-log",
        "privacy:retention-log",
        "privacy:erasure-log",
        "privacy:subject-access",
        "privacy:register",
    ],
)
def test_the_dpo_lists_take_the_same_queries_at_two_sizes(
    two, client_as, url_name, django_assert_max_num_queries
):
    client = client_as(two["dpo_a"])
    url = reverse(url_name)
    _fill_logs(two["a"].council, 1)
    _fill_logs(two["b"].council, 1)
    with django_assert_max_num_queries(9):
        assert client.get(url).status_code == 200
    _fill_logs(two["a"].council, 20)
    with django_assert_max_num_queries(9):
        assert client.get(url).status_code == 200
