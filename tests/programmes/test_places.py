"""Places belong to one council: every form of a council's programme offers only its places and
refuses another council's; councillors represent a ward or a division as their council elects;
a council admin imports the council's places from a file (page and command), all or nothing."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from cpw.accounts.models import Role, RoleAssignment
from cpw.core import tabular
from programmes import places_io, services
from programmes.models import Place, PlaceKind
from tests.programmes.factories import CouncilFactory, PlaceFactory

pytestmark = pytest.mark.django_db

WARWICKSHIRE_PLACES = ["Leamington North", "Lillington", "North Warwickshire"]


@pytest.fixture
def places(world):
    """A district in each council, for the forms that offer districts."""
    PlaceFactory(council=world.council, name="North Warwickshire", kind=PlaceKind.DISTRICT)
    world.other.district = PlaceFactory(
        council=world.other.council, name="Eden", kind=PlaceKind.DISTRICT
    )
    world.lillington = Place.objects.get(name="Lillington")
    world.leamington = Place.objects.get(name="Leamington North")
    return world


def _page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _assert_only_wf_places(html):
    for name in WARWICKSHIRE_PLACES:
        assert name not in html
    assert "Penrith" in html or "Eden" in html


# --- Forms offer only the programme's council's places ------------------------------------------


def test_wf_forms_never_offer_warwickshire_places(places, client_as):
    wf = places.other
    client = client_as(wf.users[Role.PROGRAMME_MANAGER])
    slug = wf.programme.slug
    pages = [
        reverse("groundbreakers:add", kwargs={"programme": slug}),
        reverse("groundbreakers:activity-add", kwargs={"programme": slug}),
        reverse("groundbreakers:change", kwargs={"programme": slug, "slug": wf.groundbreaker.slug}),
        reverse("evaluation:observation-add", kwargs={"slug": slug, "pk": wf.evaluation_metric.pk}),
        reverse("programmes:invite"),
    ]
    for url in pages:
        _assert_only_wf_places(_page(client, url))
    # The public survey (no sign-in) offers W&F's districts only.
    html = _page(
        client_as(None), reverse("evaluation:survey-public", args=[wf.evaluation_link.token])
    )
    assert "Eden" in html and "North Warwickshire" not in html
    # The funds application's places section, as the W&F partner who is filling it in.
    html = _page(
        client_as(wf.users[Role.PARTNER]),
        reverse("funds:application-section", args=[wf.funds.draft.pk, "places"]),
    )
    _assert_only_wf_places(html)


def test_warwickshire_forms_never_offer_wf_places(places, client_as):
    client = client_as(places.users[Role.PROGRAMME_MANAGER])
    html = _page(client, reverse("groundbreakers:add", kwargs={"programme": places.programme.slug}))
    assert "Lillington" in html
    assert "Penrith" not in html and "Eden" not in html


def test_the_invite_form_offers_the_councils_councillor_places_only(places, client_as):
    html = _page(
        client_as(places.other.users[Role.PROGRAMME_MANAGER]), reverse("programmes:invite")
    )
    assert "Eden North" in html  # a W&F ward
    assert "Penrith" not in html  # a neighbourhood: councillors represent wards
    html = _page(client_as(places.users[Role.PROGRAMME_MANAGER]), reverse("programmes:invite"))
    assert "Leamington North" in html and "Eden North" not in html


# --- ...and refuse another council's, with a clear error ---------------------------------------


def test_groundbreaker_form_refuses_another_councils_place(places, client_as):
    wf = places.other
    client = client_as(wf.users[Role.PROGRAMME_MANAGER])
    response = client.post(
        reverse("groundbreakers:add", kwargs={"programme": wf.programme.slug}),
        {"name": "Eden pathfinder", "places": [places.lillington.pk]},
    )
    assert response.status_code == 200
    assert "Select places from the list" in response.content.decode()
    assert not wf.programme.groundbreakers.filter(name="Eden pathfinder").exists()


def test_activity_form_refuses_another_councils_place(places, client_as):
    wf = places.other
    client = client_as(wf.users[Role.PROGRAMME_MANAGER])
    response = client.post(
        reverse("groundbreakers:activity-add", kwargs={"programme": wf.programme.slug}),
        {
            "title": "Drop-in",
            "kind": "event",
            "date_0": "1",
            "date_1": "4",
            "date_2": "2024",
            "places": [places.lillington.pk],
        },
    )
    assert "Choose only places in this programme&#x27;s council" in response.content.decode()


def test_groundbreaker_service_refuses_another_councils_place(places):
    from django.core.exceptions import ValidationError

    from groundbreakers.services import groundbreaker_create

    with pytest.raises(ValidationError, match="Westmorland and Furness Council"):
        groundbreaker_create(
            programme=places.other.programme, name="Eden", places=[places.lillington]
        )


def test_observation_form_refuses_another_councils_place(places, client_as):
    wf = places.other
    client = client_as(wf.users[Role.PROGRAMME_MANAGER])
    response = client.post(
        reverse(
            "evaluation:observation-add",
            kwargs={"slug": wf.programme.slug, "pk": wf.evaluation_metric.pk},
        ),
        {"period": wf.evaluation_periods[0].pk, "place": places.lillington.pk, "value": "3"},
    )
    assert "Choose a place from the list" in response.content.decode()
    assert not wf.evaluation_metric.observations.filter(place=places.lillington).exists()


def test_observation_import_does_not_match_another_councils_place(places):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from evaluation.services import observations_import

    wf = places.other
    upload = SimpleUploadedFile(
        "figures.csv",
        f"metric,period,place,value\n{wf.evaluation_metric.name},2023-Q1,Lillington,3\n".encode(),
    )
    with pytest.raises(tabular.ImportRejected) as caught:
        observations_import(framework=wf.evaluation, uploaded_file=upload, user=None)
    assert caught.value.row_errors[0].message == "'Lillington' is not one of the council's places"


def test_survey_refuses_another_councils_district(places, client_as):
    wf = places.other
    warwickshire_district = Place.objects.get(name="North Warwickshire")
    response = client_as(None).post(
        reverse("evaluation:survey-public", args=[wf.evaluation_link.token]),
        {"place": warwickshire_district.pk},
    )
    assert "Choose a district from the list" in response.content.decode()


def test_application_places_refuse_another_councils_place(places, client_as):
    wf = places.other
    draft = wf.funds.draft
    response = client_as(wf.users[Role.PARTNER]).post(
        reverse("funds:application-section", args=[draft.pk, "places"]),
        {"places": [places.lillington.pk], "beneficiaries": "Everyone", "version": draft.version},
    )
    assert "Select places from the list" in response.content.decode()
    assert not draft.places.exists()


def test_invite_refuses_a_ward_of_another_council(places, client_as):
    wf = places.other
    response = client_as(wf.users[Role.PROGRAMME_MANAGER]).post(
        reverse("programmes:invite"),
        {
            "full_name": "Cllr Jo Fell",
            "email": "jo.fell@westmorlandandfurness.gov.uk",
            "role": Role.COUNCILLOR.value,
            "programme": wf.programme.pk,
            "division": places.leamington.pk,
        },
    )
    assert response.status_code == 200
    assert "Select a ward or division of the programme" in response.content.decode()
    assert not RoleAssignment.objects.filter(user__email__startswith="jo.fell").exists()


def test_invite_service_refuses_a_ward_of_another_council(places):
    from django.core.exceptions import ValidationError

    from cpw.accounts.services import user_invite

    with pytest.raises(ValidationError, match="is not a ward of Westmorland and Furness Council"):
        user_invite(
            invited_by=places.users["staff"],
            full_name="Jo",
            email="jo@example.gov.uk",
            role=Role.COUNCILLOR,
            programme=places.other.programme,
            division=places.leamington,
        )


# --- My ward / My division -----------------------------------------------------------------


def test_a_unitary_councillor_has_my_ward(places, client_as):
    client = client_as(places.other.users[Role.COUNCILLOR])
    html = _page(client, reverse("division"))
    assert '<h1 class="govuk-heading-l">My ward</h1>' in html
    assert ">My ward<" in html  # the navigation item
    assert "My division" not in html
    assert "Eden North" in html and "Penrith" in html


def test_a_county_councillor_has_my_division(places, client_as):
    html = _page(client_as(places.users[Role.COUNCILLOR]), reverse("division"))
    assert '<h1 class="govuk-heading-l">My division</h1>' in html
    assert ">My division<" in html
    assert "My ward" not in html


# --- The council's places page and import --------------------------------------------------


def _csv(text: str, name="places.csv"):
    upload = io.BytesIO(text.encode())
    upload.name = name
    return upload


GOOD = (
    "ons_code,name,kind,parent_ons_code,parent_name\n"
    "E06000064,Westmorland and Furness,County,,\n"
    "E05014001,Eden North,ward,,Eden Locality\n"  # the world's ward: gives it a code
    ",Shap,Parish or town,,Eden North\n"
    "E05014002,Kendal Castle,Ward,E06000064,\n"
)


def test_council_admin_imports_places_from_the_page(places, client_as):
    wf = places.other
    client = client_as(wf.users[Role.COUNCIL_ADMIN])
    url = reverse("programmes:place-import", args=[wf.council.slug])
    before = wf.council.places.count()
    assert "Download the template" in _page(client, url)
    response = client.post(url, {"file": _csv(GOOD)})
    assert response.status_code == 302
    assert response["Location"] == reverse("programmes:place-list", args=[wf.council.slug])
    ward = Place.objects.get(council=wf.council, name="Eden North")
    assert ward.ons_code == "E05014001"
    assert ward.parent.name == "Eden Locality"
    assert Place.objects.get(name="Shap").parent == ward
    assert Place.objects.get(name="Shap").kind == PlaceKind.PARISH
    assert wf.council.places.count() == before + 3
    html = _page(client, reverse("programmes:place-list", args=[wf.council.slug]))
    assert "Places imported: 3 new, 1 changed, 0 unchanged" in html
    assert "Kendal Castle" in html and "Lillington" not in html
    # The same file again changes nothing.
    client.post(url, {"file": _csv(GOOD)})
    assert "0 new, 0 changed, 4 unchanged" in _page(
        client, reverse("programmes:place-list", args=[wf.council.slug])
    )


def test_an_import_with_bad_rows_saves_nothing_and_lists_each_row(places, client_as):
    wf = places.other
    before = set(Place.objects.values_list("pk", "name", "ons_code", "parent_id"))
    client = client_as(wf.users[Role.COUNCIL_ADMIN])
    bad = (
        "ons_code,name,kind,parent_ons_code,parent_name\n"
        "E05014009,Good Ward,ward,,\n"
        ",Nowhere,hamlet,,\n"
        "E05014009,Twice,ward,,\n"
        ",Orphan,parish,E09999999,\n"
        ",,ward,,\n"
        ",Lost,parish,,Lillington\n"  # Warwickshire's: not a place of W&F
    )
    response = client.post(
        reverse("programmes:place-import", args=[wf.council.slug]), {"file": _csv(bad)}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "The file has 5 errors, so nothing was imported" in html
    assert "&#x27;hamlet&#x27; is not a kind of place" in html
    assert "ONS code E05014009 is also on row 2" in html
    assert "no place with ONS code E09999999" in html
    assert "Enter the place&#x27;s name" in html
    assert "has no place called &#x27;Lillington&#x27;" in html
    assert set(Place.objects.values_list("pk", "name", "ons_code", "parent_id")) == before


def test_checking_a_file_saves_nothing(places, client_as):
    wf = places.other
    response = client_as(wf.users[Role.COUNCIL_ADMIN]).post(
        reverse("programmes:place-import", args=[wf.council.slug]),
        {"file": _csv(GOOD), "check_only": "1"},
    )
    assert response.status_code == 200
    assert "It holds 4 rows ready to import" in response.content.decode()
    assert not Place.objects.filter(name="Kendal Castle").exists()


def test_import_refuses_a_file_that_is_not_a_table(places, client_as):
    wf = places.other
    client = client_as(wf.users[Role.COUNCIL_ADMIN])
    url = reverse("programmes:place-import", args=[wf.council.slug])
    pdf = io.BytesIO(b"%PDF-1.4 not places")
    pdf.name = "places.csv"
    response = client.post(url, {"file": pdf})
    assert "The selected file must be a CSV or Excel spreadsheet" in response.content.decode()
    response = client.post(url, {"file": _csv("name,kind\nShap,parish\n", name="places.txt")})
    assert "The selected file must be a CSV or Excel spreadsheet" in response.content.decode()
    response = client.post(url, {"file": _csv("ons_code,title\nE1,Shap\n")})
    assert (
        "The file has no &#x27;name&#x27; or &#x27;kind&#x27; column" in response.content.decode()
    )
    assert not Place.objects.filter(name="Shap").exists()


def test_import_reads_excel(places, client_as):
    wf = places.other
    book = Workbook()
    sheet = book.active
    sheet.append(["ONS code", "Name", "Kind", "Parent name"])
    sheet.append(["E05014003", "Penrith North", "Ward", ""])
    content = io.BytesIO()
    book.save(content)
    content.seek(0)
    content.name = "places.xlsx"
    response = client_as(wf.users[Role.COUNCIL_ADMIN]).post(
        reverse("programmes:place-import", args=[wf.council.slug]), {"file": content}
    )
    assert response.status_code == 302
    assert Place.objects.get(ons_code="E05014003").council == wf.council


def test_another_councils_admin_gets_404(places, client_as):
    client = client_as(places.users[Role.COUNCIL_ADMIN])  # Warwickshire's
    for name in ("place-list", "place-import", "place-import-template"):
        url = reverse(f"programmes:{name}", args=[places.other.council.slug])
        assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("programmes:place-import", args=[places.other.council.slug]),
            {"file": _csv(GOOD)},
        ).status_code
        == 404
    )
    assert not Place.objects.filter(name="Kendal Castle").exists()


def test_the_template_imports_as_it_is(places):
    headers, rows = tabular.read_dicts(places_io.template_csv(), name="places-template.csv")
    assert headers == places_io.COLUMNS
    summary = services.places_import(
        council=places.other.council, rows=places_io.read_rows("t.csv", places_io.template_csv())
    )
    assert summary.created == 3


def test_places_page_lists_by_kind_in_a_fixed_number_of_queries(
    places, client_as, django_assert_max_num_queries
):
    wf = places.other
    client = client_as(wf.users[Role.COUNCIL_ADMIN])
    url = reverse("programmes:place-list", args=[wf.council.slug])
    with django_assert_max_num_queries(10):
        html = _page(client, url)
    assert "Ward (1)" in html and "Neighbourhood (1)" in html
    district = wf.district
    for n in range(30):
        PlaceFactory(council=wf.council, name=f"Ward {n}", kind=PlaceKind.WARD, parent=district)
    with django_assert_max_num_queries(10):
        html = _page(client, url)
    assert "Ward (31)" in html


def test_import_places_command(places, tmp_path):
    wf = places.other
    good = tmp_path / "places.csv"
    good.write_text(GOOD)
    out = io.StringIO()
    call_command("import_places", wf.council.slug, str(good), stdout=out)
    assert "3 new, 1 changed, 0 unchanged" in out.getvalue()
    assert Place.objects.get(name="Kendal Castle").council == wf.council
    bad = tmp_path / "bad.csv"
    bad.write_text("name,kind\nNowhere,hamlet\nStill Nowhere,parish\n")
    with pytest.raises(CommandError, match=r"Row 2, kind: 'hamlet' is not a kind of place"):
        call_command("import_places", wf.council.slug, str(bad))
    assert not Place.objects.filter(name="Still Nowhere").exists()
    with pytest.raises(CommandError, match="no council called 'nowhere'"):
        call_command("import_places", "nowhere", str(good))
    pdf = tmp_path / "places.csv.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    with pytest.raises(CommandError, match="must be a CSV or Excel"):
        call_command("import_places", wf.council.slug, str(pdf))


def test_an_import_cannot_put_a_place_inside_itself(places):
    wf = places.other
    rows = places_io.read_rows(
        "p.csv",
        b"name,kind,parent_name\nEden,district,Penrith\n",  # Penrith is inside Eden North...
    )
    Place.objects.filter(name="Eden North").update(parent=wf.district)
    with pytest.raises(tabular.ImportRejected) as caught:
        services.places_import(council=wf.council, rows=rows)
    assert "cannot be inside itself" in caught.value.row_errors[0].message


def test_the_survey_asks_for_the_councils_own_kind_of_area(places):
    from evaluation.forms import PublicSurveyForm

    wf = places.other
    Place.objects.filter(pk=wf.district.pk).delete()
    PlaceFactory(council=wf.council, name="Furness", kind=PlaceKind.LOCALITY)
    form = PublicSurveyForm(statements=[], places=Place.objects.filter(council=wf.council))
    assert form.fields["place"].label == "Which locality do you live in? (optional)"
    assert [p.name for p in form.fields["place"].queryset] == ["Eden Locality", "Furness"]
    form = PublicSurveyForm(statements=[], places=Place.objects.filter(council=places.council))
    assert form.fields["place"].label == "Which district do you live in? (optional)"


def test_a_place_cannot_be_inside_another_councils_place(places):
    from django.core.exceptions import ValidationError

    place = PlaceFactory.build(council=places.other.council, name="Odd", parent=places.leamington)
    with pytest.raises(ValidationError, match="same council"):
        place.full_clean()


NAMES = ["Eden", "eden", "Shap", "Kendal", " Shap ", ""]
CODES = ["", "E05000001", "E05000002", "e05000001", "123", "E0500000012"]
KINDS = ["ward", "Ward", "parish", "Parish or town", "locality", "district", "hamlet", ""]
row_strategy = st.tuples(
    st.sampled_from(CODES),
    st.sampled_from(NAMES) | st.text(max_size=30),
    st.sampled_from(KINDS),
    st.sampled_from(CODES),
    st.sampled_from(NAMES),
)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(cells=st.lists(row_strategy, min_size=1, max_size=8))
def test_any_file_is_imported_whole_or_refused_whole(db, cells):
    """Generated rows (duplicates, bad codes and kinds, parents that do not exist, names that
    differ only in case): the import either saves every row, each findable afterwards, or
    refuses with row errors and leaves the council's places as they were. Never a crash."""
    council = CouncilFactory(unitary=True)
    PlaceFactory(council=council, name="Kendal", kind=PlaceKind.WARD)
    before = sorted(Place.objects.values_list("pk", "name", "kind", "ons_code", "parent_id"))
    others = sorted(
        Place.objects.exclude(council=council).values_list(
            "pk", "name", "kind", "ons_code", "parent_id"
        )
    )
    rows = [places_io.PlaceRow(number, *row) for number, row in enumerate(cells, start=2)]
    try:
        summary = services.places_import(council=council, rows=rows)
    except tabular.ImportRejected as exc:
        assert exc.row_errors and all(e.row in range(2, len(rows) + 2) for e in exc.row_errors)
        after = sorted(Place.objects.values_list("pk", "name", "kind", "ons_code", "parent_id"))
        assert after == before
        return
    assert summary.total == len(rows)
    for row in rows:
        name = " ".join(row.name.split())
        found = Place.objects.filter(
            council=council, name=name, kind=places_io.parse_kind(row.kind)
        )
        assert found.exists(), row
    # other councils' places (the module's world, earlier examples) are as they were
    assert (
        sorted(
            Place.objects.exclude(council=council).values_list(
                "pk", "name", "kind", "ons_code", "parent_id"
            )
        )
        == others
    )
