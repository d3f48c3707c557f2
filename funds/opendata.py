"""Awarded grants in the 360Giving Data Standard (1.4): a JSON package and the flat CSV/XLSX
form whose column titles follow the standard ("Recipient Org:Identifier" and so on)."""

import json
import re

from django.utils import timezone

from cpw.core import tabular
from programmes.models import PlaceKind

from .models import Award, Fund, GrantStatus, ParticipatoryRound

# ONS geography code types from 360Giving's geoCodeType codelist.
GEO_CODE_TYPES = {
    PlaceKind.COUNTY: "CTY",
    PlaceKind.DISTRICT: "LAD",
    PlaceKind.DIVISION: "CED",
    PlaceKind.WARD: "WD",
    PlaceKind.LSOA: "LSOA",
    PlaceKind.PARISH: "PAR",
}


def _clean(number: str) -> str:
    return re.sub(r"\s+", "", number or "").upper()


def organisation_identifier(organisation, prefix: str) -> str:
    """An org-id.guide identifier: GB-CHC- (England and Wales charities), GB-SC- (Scotland),
    GB-NIC- (Northern Ireland), GB-COH- (Companies House, 8 characters with leading zeros), or a
    360G- identifier of our own for unregistered groups."""
    charity = _clean(organisation.charity_number)
    company = _clean(organisation.company_number)
    if charity:
        if charity.startswith("SC"):
            return f"GB-SC-{charity}"
        if charity.startswith("NIC"):
            return f"GB-NIC-{charity[3:]}"
        if charity.isdigit():
            return f"GB-CHC-{charity}"
    if company:
        if company.isdigit():
            company = company.zfill(8)
        return f"GB-COH-{company}"
    return f"360G-{prefix}-org-{organisation.pk}"


def grant_identifier(award: Award) -> str:
    fund = award.application.round.fund
    return f"360G-{fund.open_data_prefix}-{award.application.reference}"


def awards_for(fund: Fund):
    return (
        Award.objects.filter(application__round__fund=fund)
        .exclude(status=GrantStatus.WITHDRAWN)
        .select_related("application__round__fund__programme__council", "application__organisation")
        .prefetch_related("application__places")
        .order_by("application__reference")
    )


def grant_record(award: Award) -> dict:
    application = award.application
    fund = application.round.fund
    organisation = application.organisation
    recipient = {
        "id": organisation_identifier(organisation, fund.open_data_prefix),
        "name": organisation.name,
    }
    if organisation.charity_number:
        recipient["charityNumber"] = organisation.charity_number
    if organisation.company_number:
        recipient["companyNumber"] = organisation.company_number
    if organisation.postcode:
        recipient["postalCode"] = organisation.postcode
    record = {
        "id": grant_identifier(award),
        "title": application.project_title,
        "description": application.summary or application.project_title,
        "currency": "GBP",
        "amountAppliedFor": float(application.amount_requested),
        "amountAwarded": float(award.amount),
        "awardDate": award.awarded_on.isoformat(),
        "recipientOrganization": [recipient],
        "fundingOrganization": [
            {
                "id": fund.funder_identifier or fund.programme.council.org_id_prefix,
                "name": fund.funder_name or fund.programme.council.name,
            }
        ],
        "grantProgramme": [{"code": fund.slug, "title": fund.name}],
        "fromOpenCall": "No" if application.round.invite_only else "Yes",
        "dateModified": timezone.localtime(award.updated_at).isoformat(timespec="seconds"),
    }
    if award.planned_start and award.planned_end:
        record["plannedDates"] = [
            {
                "startDate": award.planned_start.isoformat(),
                "endDate": award.planned_end.isoformat(),
            }
        ]
    locations = []
    for place in application.places.all():
        location = {"name": place.name, "countryCode": "GB"}
        if place.ons_code:
            location["geoCode"] = place.ons_code
            location["geoCodeType"] = GEO_CODE_TYPES.get(place.kind)
        locations.append(location)
    if locations:
        record["beneficiaryLocation"] = locations
    return record


def _package(awards, title: str) -> dict:
    return {
        "grants": [grant_record(award) for award in awards],
        "version": "1.4",
        "title": title,
        "license": "https://creativecommons.org/licenses/by/4.0/",
    }


def package(fund: Fund) -> dict:
    return _package(awards_for(fund), f"{fund.name}: grants awarded")


def as_json(fund: Fund) -> str:
    return json.dumps(package(fund), indent=2)


def vote_package(participatory: ParticipatoryRound) -> dict:
    """The grants a residents' vote decided (its round's awards, withdrawn ones left out), as
    the fund's own file publishes them: the same records and identifiers. Empty until the
    result is confirmed, since the grants are made then."""
    round = participatory.round
    awards = awards_for(round.fund).filter(application__round=round)
    if not participatory.result_confirmed_at:
        awards = awards.none()
    return _package(awards, f"{round.fund.name}: {round.name}: grants decided by residents")


def vote_json(participatory: ParticipatoryRound) -> str:
    return json.dumps(vote_package(participatory), indent=2)


# The flat form: nested objects become "<title>:<sub title>" columns.
COLUMNS = [
    ("Identifier", lambda g: g["id"]),
    ("Title", lambda g: g["title"]),
    ("Description", lambda g: g["description"]),
    ("Currency", lambda g: g["currency"]),
    ("Amount Applied For", lambda g: g["amountAppliedFor"]),
    ("Amount Awarded", lambda g: g["amountAwarded"]),
    ("Award Date", lambda g: g["awardDate"]),
    ("Planned Dates:Start Date", lambda g: (g.get("plannedDates") or [{}])[0].get("startDate", "")),
    ("Planned Dates:End Date", lambda g: (g.get("plannedDates") or [{}])[0].get("endDate", "")),
    ("Recipient Org:Identifier", lambda g: g["recipientOrganization"][0]["id"]),
    ("Recipient Org:Name", lambda g: g["recipientOrganization"][0]["name"]),
    (
        "Recipient Org:Charity Number",
        lambda g: g["recipientOrganization"][0].get("charityNumber", ""),
    ),
    (
        "Recipient Org:Company Number",
        lambda g: g["recipientOrganization"][0].get("companyNumber", ""),
    ),
    ("Recipient Org:Postal Code", lambda g: g["recipientOrganization"][0].get("postalCode", "")),
    ("Beneficiary Location:Name", lambda g: _loc(g, "name")),
    ("Beneficiary Location:Country Code", lambda g: _loc(g, "countryCode")),
    ("Beneficiary Location:Geographic Code", lambda g: _loc(g, "geoCode")),
    ("Beneficiary Location:Geographic Code Type", lambda g: _loc(g, "geoCodeType")),
    ("Funding Org:Identifier", lambda g: g["fundingOrganization"][0]["id"]),
    ("Funding Org:Name", lambda g: g["fundingOrganization"][0]["name"]),
    ("Grant Programme:Code", lambda g: g["grantProgramme"][0]["code"]),
    ("Grant Programme:Title", lambda g: g["grantProgramme"][0]["title"]),
    ("From An Open Call?", lambda g: g["fromOpenCall"]),
    ("Last Modified", lambda g: g["dateModified"]),
]


def _loc(grant: dict, key: str) -> str:
    return (grant.get("beneficiaryLocation") or [{}])[0].get(key) or ""


def rows(fund: Fund) -> list[list]:
    grants = package(fund)["grants"]
    return [[title for title, _ in COLUMNS]] + [[get(g) for _, get in COLUMNS] for g in grants]


def as_csv(fund: Fund) -> bytes:
    """UTF-8 without a byte-order mark: this file is published for 360Giving's tools."""
    table = rows(fund)
    return tabular.write_csv(table[0], table[1:], bom=False)


def as_xlsx(fund: Fund) -> bytes:
    table = rows(fund)
    return tabular.write_xlsx(tabular.Sheet(title="grants", headers=table[0], rows=table[1:]))
