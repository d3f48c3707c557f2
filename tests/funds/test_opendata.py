import csv
import datetime
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from funds import opendata
from tests.accounts.factories import OrganisationFactory
from tests.funds.factories import AwardFactory, FundFactory, RoundFactory
from tests.programmes.factories import PlaceFactory

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parent / "schemas"


def _format_checker() -> FormatChecker:
    """jsonschema's own checker, plus "date-time" (RFC 3339), which it checks only when an extra
    package is installed. 360Giving's awardDate is oneOf date-time or a plain date, so without
    this check a plain date would match both and fail."""
    checker = FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def is_date_time(value):
        if not isinstance(value, str):
            return True
        if "T" not in value.upper():
            raise ValueError("no time")
        parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        return parsed.tzinfo is not None

    return checker


def validator():
    grant = json.loads((SCHEMAS / "360-giving-schema.json").read_text())
    package = json.loads((SCHEMAS / "360-giving-package-schema.json").read_text())
    # The schemas name their dialect with http://, which `referencing` does not recognise.
    resource = DRAFT202012.create_resource(grant)
    # The 1.4.3 package schema refers to the grant schema by its 1.4.2 address: register both.
    referenced = package["properties"]["grants"]["items"]["$ref"]
    registry = Registry().with_resources([(grant["$id"], resource), (referenced, resource)])
    return Draft202012Validator(package, registry=registry, format_checker=_format_checker())


@pytest.fixture
def fund():
    fund = FundFactory(slug="social-impact-fund", reference_prefix="SIF", open_data_prefix="wcc")
    round = RoundFactory(fund=fund)
    ward = PlaceFactory(name="Camp Hill", ons_code="E05007478")
    charity = OrganisationFactory(name="Food Bank", charity_number="1105849")
    company = OrganisationFactory(name="Green CIC", kind="cic", company_number="9876543")
    group = OrganisationFactory(name="Friends of the Park")
    for organisation, reference in [
        (charity, "SIF-2021-0001"),
        (company, "SIF-2021-0002"),
        (group, "SIF-2021-0003"),
    ]:
        award = AwardFactory(
            application__round=round,
            application__organisation=organisation,
            application__reference=reference,
            amount_capital=Decimal("1000.50"),
            amount_revenue=Decimal("2000"),
        )
        award.application.places.add(ward)
    return fund


def test_the_json_validates_against_the_360giving_schema(fund):
    data = json.loads(opendata.as_json(fund))
    errors = list(validator().iter_errors(data))
    assert not errors, [e.message for e in errors]
    assert len(data["grants"]) == 3


def test_the_schema_check_can_fail():
    errors = list(validator().iter_errors({"grants": [{"id": "x", "currency": "GBP"}]}))
    assert errors


def test_identifiers_follow_360giving_and_org_id(fund):
    grants = {g["id"]: g for g in json.loads(opendata.as_json(fund))["grants"]}
    assert set(grants) == {
        "360G-wcc-SIF-2021-0001",
        "360G-wcc-SIF-2021-0002",
        "360G-wcc-SIF-2021-0003",
    }
    orgs = [
        grants[f"360G-wcc-SIF-2021-000{n}"]["recipientOrganization"][0]["id"] for n in (1, 2, 3)
    ]
    assert orgs[0] == "GB-CHC-1105849"
    assert orgs[1] == "GB-COH-09876543"
    assert orgs[2].startswith("360G-wcc-org-")
    location = grants["360G-wcc-SIF-2021-0001"]["beneficiaryLocation"][0]
    assert location == {
        "name": "Camp Hill",
        "countryCode": "GB",
        "geoCode": "E05007478",
        "geoCodeType": "WD",
    }
    assert grants["360G-wcc-SIF-2021-0001"]["amountAwarded"] == 3000.5


def test_scottish_and_northern_irish_charities():
    assert (
        opendata.organisation_identifier(OrganisationFactory.build(charity_number="SC012345"), "x")
        == "GB-SC-SC012345"
    )
    assert (
        opendata.organisation_identifier(OrganisationFactory.build(charity_number="NIC100001"), "x")
        == "GB-NIC-100001"
    )


def test_the_csv_uses_the_standards_column_titles(fund):
    rows = list(csv.reader(io.StringIO(opendata.as_csv(fund).decode("utf-8-sig"))))
    header = rows[0]
    for title in [
        "Identifier",
        "Title",
        "Description",
        "Currency",
        "Amount Awarded",
        "Award Date",
        "Recipient Org:Identifier",
        "Recipient Org:Name",
        "Funding Org:Identifier",
        "Funding Org:Name",
        "Beneficiary Location:Geographic Code",
    ]:
        assert title in header
    assert len(rows) == 4
    assert rows[1][header.index("Recipient Org:Identifier")] == "GB-CHC-1105849"


def test_withdrawn_grants_are_not_published(fund):
    award = opendata.awards_for(fund).first()
    award.status = "withdrawn"
    award.save()
    assert len(json.loads(opendata.as_json(fund))["grants"]) == 2


def test_the_command_writes_json_and_csv(fund, tmp_path):
    call_command("export_360giving", "social-impact-fund", str(tmp_path / "grants.json"))
    data = json.loads((tmp_path / "grants.json").read_text())
    assert not list(validator().iter_errors(data))
    call_command("export_360giving", "social-impact-fund", str(tmp_path / "grants.csv"))
    assert (tmp_path / "grants.csv").read_text().startswith("Identifier,Title")
    with pytest.raises(CommandError, match="no fund called"):
        call_command("export_360giving", "nope", str(tmp_path / "x.json"))
    with pytest.raises(CommandError, match="must end in"):
        call_command("export_360giving", "social-impact-fund", str(tmp_path / "x.txt"))


def test_the_public_open_data_download(fund, client):
    response = client.get("/funds/social-impact-fund/360giving.json")
    assert response.status_code == 200
    assert not list(validator().iter_errors(json.loads(response.content)))
    assert client.get("/funds/social-impact-fund/360giving.xlsx").status_code == 200
    assert client.get("/funds/social-impact-fund/360giving.pdf").status_code == 404
