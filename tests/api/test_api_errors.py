"""What the API answers to requests it cannot serve: a JSON error, with the status code the
schema names, never a server error and never an HTML page or a spreadsheet. (Schemathesis
searches for more: test_schemathesis.py.)"""

import base64

import pytest
import yaml
from django.urls import reverse

from tests.accounts.factories import UserFactory


@pytest.fixture
def key(db, token_for):
    return token_for(UserFactory(is_staff=True, is_superuser=True))


def _cursor(**tokens) -> str:
    query = "&".join(f"{name}={value}" for name, value in tokens.items())
    return base64.b64encode(query.encode()).decode()


def _json_error(response, status: int) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"] == "application/json", response["Content-Type"]
    return response.json()


@pytest.mark.parametrize(
    ("url_name", "params", "parameter"),
    [
        ("commitment-list", {"rag": "purple"}, "rag"),
        ("commitment-list", {"status": "sideways"}, "status"),
        ("commitment-list", {"group": "abc"}, "group"),
        ("commitment-list", {"group": "2.5"}, "group"),
        ("commitment-list", {"group": "0"}, "group"),
        ("commitment-list", {"group": "9" * 30}, "group"),  # no bigger than a 64-bit id
        ("activity-list", {"groundbreaker": "-4.8e16"}, "groundbreaker"),
        ("activity-list", {"date_from": "30 February"}, "date_from"),
        ("grant-list", {"place": "1e400"}, "place"),
        ("programme-list", {"programme": "not a slug"}, "programme"),
        ("programme-list", {"programme": "\u00b2"}, "programme"),  # a digit to isdigit()
        ("programme-list", {"programme": "cpw\x00"}, "programme"),
        ("quarterly-update-list", {"period": "x" * 21}, "period"),
        ("quarterly-update-list", {"period": "2024\x00Q1"}, "period"),
        ("phase-list", {"updated_since": "yesterday"}, "updated_since"),
        ("phase-list", {"updated_since": "0001-01-01T00:00:00+05:00"}, "updated_since"),
        ("commitment-list", {"status": ""}, "status"),  # given, but empty
        ("commitment-list", {"group": ""}, "group"),
        ("programme-list", {"programme": ""}, "programme"),
        ("phase-list", {"page_size": "0"}, "page_size"),
        ("phase-list", {"page_size": "501"}, "page_size"),
        ("phase-list", {"page_size": "ten"}, "page_size"),
        ("phase-list", {"page_size": "ten", "format": "csv"}, "page_size"),
        ("phase-list", {"cursor": "not a cursor"}, "cursor"),
        ("phase-list", {"cursor": _cursor(p="x")}, "cursor"),  # ordered by id: not a number
        ("phase-list", {"cursor": _cursor(p=2**70)}, "cursor"),  # a number no id column holds
        ("phase-list", {"ordering": "updated_at", "cursor": _cursor(p="then")}, "cursor"),
        ("phase-list", {"format": "pdf"}, "format"),
        ("phase-list", {"format": ""}, "format"),
    ],
)
def test_a_parameter_that_is_not_valid_is_a_400_naming_it(key, api, url_name, params, parameter):
    errors = _json_error(api(key, reverse(f"api:{url_name}"), **params), 400)
    assert list(errors) == [parameter]
    assert all(isinstance(message, str) and message for message in errors[parameter])


def test_a_time_with_any_offset_iso_8601_allows_is_read_as_utc(key, api):
    # PostgreSQL holds offsets up to 15:59 only: the filter turns the time into UTC first.
    for since in ("2000-01-01T00:00:00-23:58", "2000-01-01T00:00:00+23:59", "2000-01-01"):
        response = api(key, reverse("api:phase-list"), updated_since=since)
        assert response.status_code == 200, (since, response.content[:200])


def test_a_huge_programme_id_names_no_programme(key, api):
    response = api(key, reverse("api:programme-list"), programme="9" * 30)
    assert response.status_code == 200 and response.json()["results"] == []


def test_errors_are_json_whatever_format_was_asked_for(db, key, api):
    for fmt in ("csv", "xlsx"):
        missing = api(key, reverse("api:phase-detail", args=[999999]), format=fmt)
        assert _json_error(missing, 404)["detail"]
        assert "Content-Disposition" not in missing
        assert _json_error(api("nonsense", reverse("api:phase-list"), format=fmt), 401)
        bad = _json_error(
            api(key, reverse("api:phase-list"), format=fmt, rag="x", page_size=0), 400
        )
        assert "page_size" in bad
    pdf = api(key, reverse("api:report-pdf", args=[999999]))
    assert _json_error(pdf, 404)["detail"]


@pytest.mark.parametrize("path", ["/api/v1/programmes/2.5/", "/api/v1/nothing/", "/api/v1/x%2Fy/"])
def test_an_address_the_api_does_not_have_is_a_json_404(db, key, api, path):
    assert "docs" in _json_error(api(key, path), 404)["detail"]


def test_pages_outside_the_api_still_get_the_html_404(db, client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


def test_the_schema_names_every_error_and_the_feeds_as_files(db, client):
    schema = yaml.safe_load(client.get(reverse("api:schema")).content)
    for path, operations in schema["paths"].items():
        get = operations["get"]
        codes = set(get["responses"])
        expected = {"200", "400", "401", "406", "429"} | ({"404"} if "{id}" in path else set())
        assert codes == expected, (path, codes)
        for code in expected - {"200"}:
            assert set(get["responses"][code]["content"]) == {"application/json"}, (path, code)
        ok = get["responses"]["200"]["content"]
        if "text/csv" in ok:
            assert ok["text/csv"]["schema"]["type"] == "string", path
    pdf = schema["paths"]["/api/v1/reports/{id}/pdf/"]["get"]
    assert set(pdf["responses"]["200"]["content"]) == {"application/pdf"}
    assert "format" not in {p["name"] for p in pdf.get("parameters", [])}
    # Published reports, grants and open data answer without a token too; the rest need one.
    public = {"/api/v1/grants/", "/api/v1/reports/", "/api/v1/funds/{id}/360giving/"}
    for path in public:
        assert {} in schema["paths"][path]["get"]["security"], path
    assert {} not in schema["paths"]["/api/v1/commitments/"]["get"]["security"]
