"""Set-up without the Django admin: staff admins add councils (inviting each one's first council
admin); a council admin keeps the council's details, creates programmes blank or with another
of the council's programmes' structure, and sets up phases and stages, ambitions and the
programme's own words."""

import io

import pytest
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from cpw.accounts.models import Role, RoleAssignment, User
from programmes import services
from programmes.models import (
    Ambition,
    Commitment,
    Council,
    DeliveryPlan,
    GovernanceBody,
    Phase,
    Programme,
)
from reporting import services as report_services
from reporting.render import render_xlsx
from tests.accounts.factories import user_with_role
from tests.groundbreakers.factories import GroundbreakerFactory
from tests.programmes.factories import (
    CommitmentFactory,
    CouncilFactory,
    DeliveryPlanFactory,
    GroupFactory,
    ProgrammeFactory,
    ReportingPeriodFactory,
)

pytestmark = pytest.mark.world_per_test

COUNCIL_DATA = {
    "name": "Cumberland Council",
    "short_name": "Cumberland",
    "slug": "",
    "kind": "unitary",
    "org_id_prefix": "gb-lae-cmb",
    "contact_email": "portal@cumberland.gov.uk",
    "dpo_email": "",
    "brand_colour": "#1d70b8",
    "admin_full_name": "Sam Fell",
    "admin_email": "Sam.Fell@cumberland.gov.uk",
}


@pytest.fixture
def staff(db):
    return User.objects.create_superuser(email="staff@example.gov.uk", full_name="Staff Admin")


@pytest.fixture
def council(db):
    return CouncilFactory(unitary=True)


@pytest.fixture
def council_admin(council):
    return user_with_role(Role.COUNCIL_ADMIN, council=council, full_name="Alex Admin")


@pytest.fixture
def source(council):
    """A programme of the council with a full structure, a commitment and a period."""
    programme = ProgrammeFactory(
        council=council,
        slug="wf",
        name="W&F Community Power",
        ambition_label="Route",
        ambition_label_plural="Routes",
        groundbreaker_label="pathfinder",
        groundbreaker_label_plural="pathfinders",
        rag_green="On track",
    )
    one = Phase.objects.create(programme=programme, name="Programme phase 1", order=1)
    Phase.objects.create(programme=programme, name="Programme phase 2", order=2)
    for n in range(1, 4):
        Phase.objects.create(programme=programme, name=f"Stage {n}", order=n, parent=one)
    programme.current_phase = Phase.objects.get(programme=programme, name="Stage 2")
    programme.save()
    route = Ambition.objects.create(programme=programme, name="Community power", order=1)
    route.points.create(text="People lead", order=1)
    route.points.create(text="Councils listen", order=2)
    plan = DeliveryPlanFactory(
        programme=programme, group_label="Workstream", group_label_plural="Workstreams"
    )
    group = GroupFactory(plan=plan, name="Engagement")
    CommitmentFactory(plan=plan, group=group, title="Hold ten events")
    for name in ("Scrutiny Committee", "Cabinet"):
        body = GovernanceBody.objects.create(
            programme=programme, name=name, receives_quarterly_report=True
        )
        body.members.create(name=f"Cllr Lee ({name})", is_chair=True)
    ReportingPeriodFactory(programme=programme, label="2024-Q1")
    return programme


# --- Councils -------------------------------------------------------------------------------


def test_staff_admin_adds_a_council_and_invites_its_first_council_admin(
    client_as, staff, django_capture_on_commit_callbacks
):
    client = client_as(staff)
    assert client.get(reverse("programmes:council-add")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("programmes:council-add"), COUNCIL_DATA)
    assert response.status_code == 302, response.content.decode()
    council = Council.objects.get(name="Cumberland Council")
    assert response["Location"] == reverse("programmes:council-detail", args=["cumberland"])
    assert council.slug == "cumberland"  # made from the short name
    assert council.org_id_prefix == "GB-LAE-CMB"
    admin = User.objects.get(email="sam.fell@cumberland.gov.uk")
    assert not admin.is_active
    assert RoleAssignment.objects.filter(
        user=admin, role=Role.COUNCIL_ADMIN, council=council, programme=None
    ).exists()
    assert "council admin in Cumberland Council" in mail.outbox[-1].body
    listing = client.get(reverse("programmes:council-list")).content.decode()
    assert "Cumberland Council" in listing


def test_adding_a_council_rejects_bad_input_with_clear_messages(client_as, staff, council):
    client = client_as(staff)
    data = {
        **COUNCIL_DATA,
        "name": council.name,
        "org_id_prefix": "WAR",
        "brand_colour": "blue",
        "admin_email": "not an email",
    }
    response = client.post(reverse("programmes:council-add"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "Enter an org-id like GB-LAE-KEN" in page
    assert "Enter a colour as a hash" in page
    assert "Enter an email address in the correct format" in page
    assert not Council.objects.filter(short_name="Cumberland").exists()
    # A name already in the portal is refused by the service.
    response = client.post(
        reverse("programmes:council-add"), {**COUNCIL_DATA, "name": council.name}
    )
    assert "A council with this name is already in the portal" in response.content.decode()
    assert not User.objects.filter(email__iexact=COUNCIL_DATA["admin_email"]).exists()


def test_council_admin_sees_and_changes_their_council_with_an_audit_record(
    client_as, council, council_admin, source
):
    client = client_as(council_admin)
    page = client.get(reverse("programmes:council-detail", args=[council.slug])).content.decode()
    assert council.name in page
    assert "W&amp;F Community Power" in page
    assert reverse("programmes:programme-add", args=[council.slug]) in page
    url = reverse("programmes:council-change", args=[council.slug])
    form = client.get(url).context["form"]
    data = {**form.initial, "contact_email": "help@westmorlandandfurness.gov.uk"}
    response = client.post(url, data)
    assert response.status_code == 302
    council.refresh_from_db()
    assert council.contact_email == "help@westmorlandandfurness.gov.uk"
    record = council.history.first()
    assert record.history_user == council_admin
    assert record.contact_email == "help@westmorlandandfurness.gov.uk"


def test_a_council_change_never_silently_overwrites_a_colleagues(client_as, council, council_admin):
    client = client_as(council_admin)
    url = reverse("programmes:council-change", args=[council.slug])
    data = dict(client.get(url).context["form"].initial)
    services.council_change(
        council=council,
        user=council_admin,
        data={**{f: getattr(council, f) for f in services.COUNCIL_FIELDS}, "dpo_email": "a@b.uk"},
    )
    response = client.post(url, {**data, "short_name": "W and F"})
    assert response.status_code == 409
    assert "Someone else changed these details" in response.content.decode()
    council.refresh_from_db()
    assert council.short_name == "Westmorland and Furness"
    assert council.dpo_email == "a@b.uk"


def test_the_council_page_is_only_for_its_own_admins(client_as, council, council_admin, world):
    other_admin = world.users["council_admin"]  # Warwickshire's
    url = reverse("programmes:council-detail", args=[council.slug])
    assert client_as(other_admin).get(url).status_code == 404
    assert client_as(council_admin).get(url).status_code == 200


def test_council_list_queries_do_not_grow_with_councils(
    client_as, staff, django_assert_max_num_queries
):
    client = client_as(staff)
    for size in (1, 8):
        for n in range(size):
            CouncilFactory(name=f"Council {size}-{n}", slug=f"c-{size}-{n}")
        with django_assert_max_num_queries(8):
            assert client.get(reverse("programmes:council-list")).status_code == 200


# --- Creating programmes ----------------------------------------------------------------------


def _create(client, council, **data):
    return client.post(
        reverse("programmes:programme-add", args=[council.slug]),
        {
            "start_from": "blank",
            "name": "Cumbria Together",
            "short_name": "CT",
            "slug": "",
            "purpose": "",
            **data,
        },
    )


def test_council_admin_creates_a_programme_from_a_blank_form(client_as, council, council_admin):
    client = client_as(council_admin)
    response = _create(client, council, **{"start_0": "1", "start_1": "4", "start_2": "2025"})
    assert response.status_code == 302, response.content.decode()
    programme = Programme.objects.get(slug="cumbria-together")
    assert response["Location"] == reverse("programmes:programme-structure", args=[programme.slug])
    assert programme.council == council
    assert programme.phases.count() == 0
    assert programme.groundbreaker_label == "groundbreaker"
    # The new programme is the council admin's to manage at once.
    council_admin.forget_roles()
    assert council_admin.has_perm("programmes.manage_programme", programme)
    assert client.get(response["Location"]).status_code == 200


def test_copying_a_programme_copies_its_structure_but_not_its_work(
    client_as, council, council_admin, source
):
    client = client_as(council_admin)
    response = _create(client, council, start_from=str(source.pk))
    assert response.status_code == 302, response.content.decode()
    copy = Programme.objects.get(slug="cumbria-together")
    phases = {p.name: p for p in copy.phases.all()}
    assert set(phases) == {
        "Programme phase 1",
        "Programme phase 2",
        "Stage 1",
        "Stage 2",
        "Stage 3",
    }
    assert phases["Stage 2"].parent == phases["Programme phase 1"]
    assert phases["Programme phase 2"].parent is None
    assert copy.current_phase == phases["Stage 2"]
    assert [a.name for a in copy.ambitions.all()] == ["Community power"]
    assert [p.text for p in copy.ambitions.get().points.all()] == ["People lead", "Councils listen"]
    assert (copy.ambition_label, copy.ambition_label_plural) == ("Route", "Routes")
    assert copy.groundbreaker_label_plural == "pathfinders"
    assert copy.rag_green == "On track"
    plan = DeliveryPlan.objects.get(programme=copy)
    assert (plan.group_label, plan.group_label_plural) == ("Workstream", "Workstreams")
    assert [g.name for g in plan.groups.all()] == ["Engagement"]
    bodies = {b.name: b for b in copy.governance_bodies.all()}
    assert set(bodies) == {"Scrutiny Committee", "Cabinet"}
    assert bodies["Cabinet"].receives_quarterly_report
    assert [m.name for m in bodies["Cabinet"].members.all()] == ["Cllr Lee (Cabinet)"]
    # Not the work: commitments and reporting periods stay with the source.
    assert not Commitment.objects.filter(plan__programme=copy).exists()
    assert not copy.reporting_periods.exists()
    assert Commitment.objects.filter(plan__programme=source).count() == 1
    assert source.phases.count() == 5


def test_a_council_admin_cannot_copy_another_councils_programme(
    client_as, council, council_admin, world
):
    client = client_as(council_admin)
    response = _create(client, council, start_from=str(world.programme.pk))
    assert response.status_code == 200
    assert "Select one of this council&#x27;s programmes" in response.content.decode()
    assert not Programme.objects.filter(slug="cumbria-together").exists()
    # Nor can the service be asked to.
    with pytest.raises(services.ValidationError):
        services.programme_create(
            council=council,
            user=council_admin,
            data={"name": "X", "short_name": "X", "slug": "x"},
            copy_from=world.programme,
        )


def test_a_council_admin_cannot_create_a_programme_in_another_council(
    client_as, council_admin, world
):
    response = _create(client_as(council_admin), world.council)
    assert response.status_code == 404
    assert not Programme.objects.filter(slug="cumbria-together").exists()


def test_a_used_web_address_is_refused(client_as, council, council_admin, source):
    response = _create(client_as(council_admin), council, slug=source.slug)
    assert "This web address is already used" in response.content.decode()


# --- Phases, stages and ambitions -------------------------------------------------------------


def test_manager_adds_phases_with_stages_and_sets_the_current_stage(
    client_as, council, council_admin, source
):
    client = client_as(council_admin)
    add = reverse("programmes:phase-add", args=[source.slug])
    phase = Phase.objects.get(programme=source, name="Programme phase 2")
    response = client.post(add, {"name": "Stage A", "parent": phase.pk})
    assert response.status_code == 302
    stage = Phase.objects.get(programme=source, name="Stage A")
    assert stage.parent == phase
    # A stage cannot hold stages, and a stage cannot belong to another programme's phase.
    response = client.post(add, {"name": "Stage B", "parent": stage.pk})
    assert "Select one of this programme&#x27;s phases" in response.content.decode()
    other = Phase.objects.create(programme=ProgrammeFactory(council=council), name="Elsewhere")
    response = client.post(add, {"name": "Stage B", "parent": other.pk})
    assert response.status_code == 200
    assert not Phase.objects.filter(name="Stage B").exists()
    with pytest.raises(services.ValidationError):
        services.phase_save(
            programme=source, user=council_admin, data={"name": "Stage C", "parent": other}
        )
    # The current phase may be a stage.
    response = client.post(
        reverse("programmes:programme-settings", args=[source.slug]), {"current_phase": stage.pk}
    )
    assert response.status_code == 302
    source.refresh_from_db()
    assert source.current_phase == stage
    page = client.get(reverse("programmes:programme-structure", args=[source.slug]))
    assert "Stage A" in page.content.decode()


def test_a_phase_with_stages_cannot_be_deleted_until_they_are(client_as, council_admin, source):
    client = client_as(council_admin)
    phase = Phase.objects.get(programme=source, name="Programme phase 1")
    url = reverse("programmes:phase-delete", args=[source.slug, phase.pk])
    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 400
    assert "Delete or move this phase&#x27;s stages first" in response.content.decode()
    stage = Phase.objects.get(programme=source, name="Stage 3")
    client.post(
        reverse("programmes:phase-delete", args=[source.slug, stage.pk]), {"confirm": "yes"}
    )
    assert not Phase.objects.filter(pk=stage.pk).exists()


def test_ambitions_are_called_what_the_programme_calls_them(client_as, council_admin, source):
    client = client_as(council_admin)
    add = reverse("programmes:ambition-add", args=[source.slug])
    page = client.get(add).content.decode()
    assert "Add a route" in page
    response = client.post(add, {"name": "Places", "points": "Local first\n\nParishes lead\n"})
    assert response.status_code == 302
    route = Ambition.objects.get(programme=source, name="Places")
    assert [p.text for p in route.points.all()] == ["Local first", "Parishes lead"]
    response = client.post(add, {"name": "places"})
    assert "already has a route with this name" in response.content.decode()
    detail = client.get(reverse("programmes:programme-detail", args=[source.slug])).content.decode()
    assert ">Routes</h2>" in detail
    client.post(
        reverse("programmes:ambition-change", args=[source.slug, route.pk]),
        {"name": "Places", "points": "Parishes lead"},
    )
    assert [p.text for p in route.points.all()] == ["Parishes lead"]


# --- The programme's own word for groundbreakers ---------------------------------------------


def test_settings_change_the_programmes_own_words(client_as, council_admin, source):
    client = client_as(council_admin)
    response = client.post(
        reverse("programmes:programme-settings", args=[source.slug]),
        {
            "groundbreaker_label": "pilot",
            "groundbreaker_label_plural": "pilots",
            "group_label": "Pillar",
            "group_label_plural": "Pillars",
        },
    )
    assert response.status_code == 302
    source.refresh_from_db()
    assert (source.groundbreaker_label, source.groundbreaker_label_plural) == ("pilot", "pilots")
    assert source.delivery_plan.group_label_plural == "Pillars"
    assert source.ambition_label == "Route"  # left blank: kept


def test_the_pathfinder_label_is_used_in_navigation_headings_and_the_report(
    client_as, council, source
):
    officer = user_with_role(Role.OFFICER, source)
    gb = GroundbreakerFactory(programme=source, name="Penrith pathfinder", slug="penrith")
    client = client_as(officer)
    index = client.get(reverse("groundbreakers:index")).content.decode()
    assert ">Pathfinders</h1>" in index
    assert 'href="/groundbreakers/"' in index and ">Pathfinders<" in index
    assert "Groundbreakers" not in index
    detail = client.get(
        reverse("groundbreakers:detail", kwargs={"programme": source.slug, "slug": gb.slug})
    ).content.decode()
    assert "Groundbreaker" not in detail
    activity = client.get(reverse("groundbreakers:activity-add", kwargs={"programme": source.slug}))
    assert activity.context["form"].fields["groundbreaker"].label == "Pathfinder"
    assert "Groundbreaker" not in activity.content.decode()
    commitment = Commitment.objects.get(plan__programme=source)
    page = client.get(
        reverse("programmes:commitment-detail", args=[commitment.pk])
    ).content.decode()
    assert "Pathfinders that advance this commitment" in page

    report = report_services.report_compile_now(
        programme=source, period=source.reporting_periods.get()
    )
    titles = [s["title"] for s in report.snapshot["sections"]]
    assert "Pathfinders" in titles and "Groundbreakers" not in titles
    workbook = load_workbook(io.BytesIO(render_xlsx(report.snapshot)))
    assert "Pathfinders" in workbook.sheetnames
    assert workbook["Pathfinders"]["A1"].value == "Pathfinder"


def test_a_programme_with_stages_can_still_be_deleted_whole(council):
    programme = ProgrammeFactory(council=council, slug="short-lived")
    phase = Phase.objects.create(programme=programme, name="Phase")
    Phase.objects.create(programme=programme, name="Stage", parent=phase)
    programme.delete()
    assert not Phase.objects.filter(name__in=["Phase", "Stage"]).exists()
