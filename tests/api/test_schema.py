"""The OpenAPI document: valid OpenAPI 3.1, naming every endpoint of /api/v1/, and every path
in it answers (JSON, CSV and XLSX) without a server error. The docs page runs under the strict
CSP: its scripts and styles are the portal's own static files."""

import re

import pytest
import yaml
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openapi_spec_validator import validate

from tests.access import STAFF
from tests.api.access import ACTIONS, RESOURCES


def _schema(client):
    response = client.get(reverse("api:schema"))
    assert response.status_code == 200
    return yaml.safe_load(response.content)


def _api_routes(patterns=None, prefix=""):
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _api_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.startswith("api/v1/"):
            yield route


def _as_openapi_path(route: str) -> str:
    route = route.replace("^", "").replace("$", "")
    route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)
    route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
    return "/" + route.replace("{pk}", "{id}")


@pytest.mark.django_db
def test_the_schema_is_valid_openapi_3_1_and_names_every_endpoint(client):
    schema = _schema(client)
    assert schema["openapi"].startswith("3.1")
    validate(schema)
    routes = {_as_openapi_path(r) for r in _api_routes()} - {"/api/v1/schema/", "/api/v1/docs/"}
    assert len(routes) == 2 * len(RESOURCES) + len(ACTIONS)
    missing = sorted(routes - set(schema["paths"]))
    assert not missing, f"endpoints missing from the schema: {missing}"
    assert schema["components"]["securitySchemes"]["personalToken"]["scheme"] == "bearer"


def test_every_path_in_the_schema_answers_without_a_server_error(world, client, token_for, api):
    """A client generated from the schema: every path, with a real id for {id}, in every format
    the schema gives it, with a staff token (who sees everything); each answer in a media type
    the schema names."""
    schema = _schema(client)
    key = token_for(world.users[STAFF])
    ids = {
        f"/api/v1/{path}/": getter(world).pk
        for path, getter in [
            ("programmes", lambda w: w.programme),
            ("phases", lambda w: w.phase),
            ("ambitions", lambda w: w.ambition),
            ("plan-groups", lambda w: w.commitment.group),
            ("reporting-periods", lambda w: w.period),
            ("commitments", lambda w: w.commitment),
            ("quarterly-updates", lambda w: w.commitment_update),
            ("risks", lambda w: w.api_risk),
            ("groundbreakers", lambda w: w.groundbreaker),
            ("activities", lambda w: w.activity),
            ("funds", lambda w: w.funds.fund),
            ("rounds", lambda w: w.funds.round),
            ("grants", lambda w: w.funds.award),
            ("metrics", lambda w: w.evaluation_metric),
            ("observations", lambda w: w.api_observation),
            ("indexes", lambda w: w.evaluation_index),
            ("reports", lambda w: w.published_report),
        ]
    }
    answered = 0
    for path, operations in schema["paths"].items():
        assert set(operations) == {"get"}, f"{path} is not read-only"
        url = path
        if "{id}" in path:
            collection = path.split("{id}")[0]
            url = path.replace("{id}", str(ids[collection]))
        get = operations["get"]
        formats = [p["schema"]["enum"] for p in get.get("parameters", []) if p["name"] == "format"]
        media_types = set(get["responses"]["200"]["content"])
        for fmt in formats[0] if formats else [None]:
            response = api(key, url, **({"format": fmt} if fmt else {}))
            assert response.status_code == 200, (url, fmt, response.status_code)
            assert response["Content-Type"].split(";")[0] in media_types, (url, fmt)
            answered += 1
    # lists and objects in JSON, CSV and XLSX; a report's PDF and spreadsheet as they are
    assert answered == 3 * (len(schema["paths"]) - 2) + 2


@pytest.mark.django_db
def test_the_docs_page_uses_only_vendored_assets_under_the_strict_csp(client):
    response = client.get(reverse("api:docs"))
    assert response.status_code == 200
    html = response.text
    csp = response["Content-Security-Policy"]
    assert "'unsafe-inline'" not in csp and "script-src 'self'" in csp
    assert "<style" not in html and "<script>" not in html
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/") for s in sources), sources
    script = [s for s in sources if "script" in s][0]
    loaded = client.get(script)
    assert loaded.status_code == 200 and "SwaggerUIBundle" in loaded.text
