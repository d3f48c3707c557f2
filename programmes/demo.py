"""Demo data for Community Powered Warwickshire (facts from the council's published reports;
names marked "illustrative" are made up where the public record is silent)."""

import datetime

from .models import Place, PlaceKind, Programme, ProgrammeStatus

COUNTY = ("Warwickshire", "E10000031")
DISTRICTS = [
    ("North Warwickshire", "E07000218"),
    ("Nuneaton and Bedworth", "E07000219"),
    ("Rugby", "E07000220"),
    ("Stratford-on-Avon", "E07000221"),
    ("Warwick", "E07000222"),
]
# Electoral divisions (illustrative selection) and the neighbourhoods the programme worked in.
DIVISIONS = {
    "Warwick": [("Leamington North", ["Lillington", "Lillington East"])],
    "Nuneaton and Bedworth": [
        ("Nuneaton Camp Hill", ["Camp Hill", "Bar Pool North and Crescents"])
    ],
    "North Warwickshire": [
        ("Baddesley and Dordon", ["New Arley", "Mancetter South and Ridge Lane"])
    ],
}
# The 22 priority places are LSOAs; the demo spreads them across the districts.
PRIORITY_LSOAS_PER_DISTRICT = {
    "Nuneaton and Bedworth": 8,
    "North Warwickshire": 4,
    "Warwick": 4,
    "Rugby": 4,
    "Stratford-on-Avon": 2,
}


def _place(name, kind, parent=None, ons_code=""):
    place, _ = Place.objects.update_or_create(
        name=name, kind=kind, parent=parent, defaults={"ons_code": ons_code}
    )
    return place


def seed_places() -> dict[str, Place]:
    county = _place(COUNTY[0], PlaceKind.COUNTY, ons_code=COUNTY[1])
    places = {county.name: county}
    for name, code in DISTRICTS:
        places[name] = _place(name, PlaceKind.DISTRICT, county, code)
    for district, divisions in DIVISIONS.items():
        for division_name, neighbourhoods in divisions:
            division = _place(division_name, PlaceKind.DIVISION, places[district])
            places[division_name] = division
            for neighbourhood in neighbourhoods:
                places[neighbourhood] = _place(neighbourhood, PlaceKind.NEIGHBOURHOOD, division)
    for district, count in PRIORITY_LSOAS_PER_DISTRICT.items():
        for n in range(1, count + 1):
            name = f"{district} priority area {n} (illustrative)"
            places[name] = _place(name, PlaceKind.LSOA, places[district])
    return places


def seed_programme(places: dict[str, Place]) -> Programme:
    programme, _ = Programme.objects.update_or_create(
        slug="cpw",
        defaults={
            "council": "Warwickshire County Council",
            "name": "Community Powered Warwickshire",
            "short_name": "CPW",
            "purpose": (
                "Support delivery of the Council's COVID Recovery Plan, Priority 4: harness the "
                "power of communities to tackle inequality and social inclusion."
            ),
            "start": datetime.date(2021, 3, 1),
            "end": None,
            "status": ProgrammeStatus.ACTIVE,
        },
    )
    priority = [p for p in places.values() if p.kind == PlaceKind.LSOA]
    programme.priority_places.set(priority)
    return programme
