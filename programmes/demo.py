"""Demo data for Community Powered Warwickshire (facts from the council's published reports;
names marked "illustrative" are made up where the public record is silent)."""

import datetime

from django.utils import timezone

from cpw.accounts.models import Organisation, User
from cpw.core.upsert import save_if_changed, update_or_create_if_changed

from .models import (
    Ambition,
    AmbitionPoint,
    Commitment,
    CommitmentUpdate,
    Council,
    CouncilKind,
    DeliveryPlan,
    GovernanceBody,
    GovernanceBodyMember,
    Group,
    Milestone,
    Phase,
    Place,
    PlaceKind,
    Programme,
    ProgrammeStatus,
    Risk,
    UpdateStatus,
)
from .periods import financial_quarter, label_for
from .services import reporting_period_lock, reporting_periods_ensure

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


def seed_council() -> Council:
    council, _ = update_or_create_if_changed(
        Council.objects,
        slug="warwickshire",
        defaults={
            "name": "Warwickshire County Council",
            "short_name": "Warwickshire",
            "kind": CouncilKind.COUNTY,
            "org_id_prefix": "GB-LAE-WAR",
            "contact_email": "communitypower@warwickshire.gov.uk",
            "dpo_email": "dpo@warwickshire.gov.uk",
        },
    )
    return council


def _place(council, name, kind, parent=None, ons_code=""):
    place, _ = update_or_create_if_changed(
        Place.objects,
        council=council,
        name=name,
        kind=kind,
        parent=parent,
        defaults={"ons_code": ons_code},
    )
    return place


def seed_places() -> dict[str, Place]:
    """Warwickshire County Council and its places."""
    council = seed_council()
    county = _place(council, COUNTY[0], PlaceKind.COUNTY, ons_code=COUNTY[1])
    places = {county.name: county}
    for name, code in DISTRICTS:
        places[name] = _place(council, name, PlaceKind.DISTRICT, county, code)
    for district, divisions in DIVISIONS.items():
        for division_name, neighbourhoods in divisions:
            division = _place(council, division_name, PlaceKind.DIVISION, places[district])
            places[division_name] = division
            for neighbourhood in neighbourhoods:
                places[neighbourhood] = _place(
                    council, neighbourhood, PlaceKind.NEIGHBOURHOOD, division
                )
    for district, count in PRIORITY_LSOAS_PER_DISTRICT.items():
        for n in range(1, count + 1):
            name = f"{district} priority area {n} (illustrative)"
            places[name] = _place(council, name, PlaceKind.LSOA, places[district])
    return places


def seed_programme(places: dict[str, Place]) -> Programme:
    programme, _ = update_or_create_if_changed(
        Programme.objects,
        slug="cpw",
        defaults={
            "council": next(iter(places.values())).council,
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


# --- Phases, ambitions, governance and the delivery plan --------------------------------------

PHASES = [
    ("Analysis", datetime.date(2021, 3, 1), datetime.date(2021, 10, 31)),
    ("Ground breakers", datetime.date(2021, 11, 1), None),
    ("Partner mobilisation", datetime.date(2021, 11, 1), None),
    ("Mainstreaming", datetime.date(2021, 11, 1), None),
]
CURRENT_PHASE = "Mainstreaming"
AMBITIONS = [
    (
        "Involve communities in decision making",
        [
            "bring communities' voices and experiences into the heart of decision making",
            "let communities have a greater say in the big decisions that affect them",
            "involve communities early in the process and let them know what gets agreed",
        ],
    ),
    (
        "Work alongside communities to take practical action",
        [
            "listen to communities' ideas for practical changes that can improve their lives",
            "work with communities to put their ideas into action",
            "be honest, take risks and learn by doing",
        ],
    ),
    (
        "Enable communities to lead",
        [
            "welcome people who choose to step forward in their community",
            "let communities determine the focus of their community leadership role",
            "make it as easy as possible for communities to lead",
        ],
    ),
]
GOVERNANCE = {
    "name": "Community Power Steering Group",
    "chair": "Portfolio Holder for Environment, Climate & Culture",
    "meeting_cadence": "Quarterly",
    "delivery_team": "Community Partnerships Team",
    "receives_quarterly_report": True,
}
RAG_DEFINITIONS = {  # illustrative wording
    "rag_green": "On track: milestones are being met and no help is needed.",
    "rag_amber": "Some slippage or risk: milestones may be missed without action by the lead.",
    "rag_red": "Off track: milestones are being missed and the steering group's help is needed.",
}
PLAN_NAME = "Community Powered Warwickshire Delivery Plan"
# The ten commitments cover five themes; the wording is illustrative (the public record gives
# only the themes and the count). (theme, title, description, lead email, ambition index)
COMMITMENTS = [
    (
        "Organisational development",
        "Build community power into staff induction and training",
        "Every new member of staff learns how to work with communities, not just for them.",
        "officer@demo.cpw.test",
        1,
    ),
    (
        "Organisational development",
        "Run a culture change programme across council services",
        "Services test community powered ways of working and share what changes.",
        "officer2@demo.cpw.test",
        1,
    ),
    (
        "Services and assets",
        "Open council buildings for community use",
        "Community groups can book space in libraries and other council buildings easily.",
        "officer@demo.cpw.test",
        2,
    ),
    (
        "Services and assets",
        "Co-design one service with residents in each district",
        "Residents and staff redesign a local service together in each of the five districts.",
        "officer2@demo.cpw.test",
        1,
    ),
    (
        "Decision making",
        "Involve residents early in decisions about their area",
        "Residents in priority places are asked before plans are drawn up, not after.",
        "officer@demo.cpw.test",
        0,
    ),
    (
        "Decision making",
        "Support councillors to connect communities with council initiatives",
        "Councillors have the tools to link local groups with council, partner and VCSE work.",
        "officer2@demo.cpw.test",
        0,
    ),
    (
        "Relationships",
        "Strengthen partnerships with the voluntary and community sector",
        "Regular joint planning with VCSE partners in every district.",
        "officer@demo.cpw.test",
        1,
    ),
    (
        "Relationships",
        "Share what we learn with partners across Warwickshire",
        "Learning events and a shared log of what has and has not worked.",
        "officer2@demo.cpw.test",
        1,
    ),
    (
        "Empowerment and capacity building",
        "Grow community leadership in the 22 priority places",
        "Support people who step forward to lead in the places that need it most.",
        "officer@demo.cpw.test",
        2,
    ),
    (
        "Empowerment and capacity building",
        "Make it easier for community groups to get funding",
        "Simpler grant processes and help with applications for small groups.",
        "officer2@demo.cpw.test",
        2,
    ),
]
# RAG ratings over the four past quarters, one pattern per commitment (a realistic mix).
RAG_PATTERNS = [
    ["green", "green", "green", "complete"],
    ["amber", "amber", "green", "green"],
    ["green", "amber", "amber", "red"],
    ["red", "amber", "amber", "green"],
    ["green", "green", "amber", "green"],
    ["amber", "red", "red", "amber"],
    ["green", "green", "green", "green"],
    ["amber", "green", "green", "amber"],
    ["green", "amber", "red", "amber"],
    ["amber", "amber", "green", "green"],
]
STATUS_FOR_RAG = {
    "green": "on_track",
    "amber": "at_risk",
    "red": "off_track",
    "complete": "complete",
}


def seed_programme_setup(programme: Programme) -> None:
    """Phases, ambitions with their points, governance and RAG definitions."""
    phases = {}
    for order, (name, start, end) in enumerate(PHASES):
        phases[name], _ = update_or_create_if_changed(
            Phase.objects,
            programme=programme,
            name=name,
            defaults={"order": order, "start": start, "end": end},
        )
    for order, (name, points) in enumerate(AMBITIONS):
        ambition, _ = update_or_create_if_changed(
            Ambition.objects, programme=programme, name=name, defaults={"order": order}
        )
        for point_order, text in enumerate(points):
            update_or_create_if_changed(
                AmbitionPoint.objects, ambition=ambition, order=point_order, defaults={"text": text}
            )
    body, _ = update_or_create_if_changed(
        GovernanceBody.objects,
        programme=programme,
        name=GOVERNANCE["name"],
        defaults={k: v for k, v in GOVERNANCE.items() if k != "name"},
    )
    update_or_create_if_changed(
        GovernanceBodyMember.objects,
        body=body,
        name="Portfolio Holder for Environment, Climate & Culture",
        defaults={"position": "Chair", "is_chair": True},
    )

    member = User.objects.filter(email="steering@demo.cpw.test").first()
    if member:
        update_or_create_if_changed(
            GovernanceBodyMember.objects,
            body=body,
            name=member.full_name,
            defaults={"position": member.job_title, "user": member},
        )
    save_if_changed(programme, current_phase=phases[CURRENT_PHASE], **RAG_DEFINITIONS)


def seed_delivery_plan(programme: Programme, today: datetime.date | None = None) -> None:
    """Five themes, ten illustrative commitments led by the demo officers, and four past
    quarters of updates (locked) plus the current quarter open, with a few drafts."""
    seed_programme_setup(programme)
    today = today or timezone.localdate()
    plan, _ = update_or_create_if_changed(
        DeliveryPlan.objects,
        programme=programme,
        defaults={"name": PLAN_NAME, "group_label": "Theme", "group_label_plural": "Themes"},
    )
    themes = []
    for theme, *_ in COMMITMENTS:
        if theme not in themes:
            themes.append(theme)
    groups = {}
    for order, name in enumerate(themes):
        groups[name], _ = update_or_create_if_changed(
            Group.objects, plan=plan, name=name, defaults={"order": order}
        )
    ambitions = list(Ambition.objects.filter(programme=programme).order_by("order"))
    manager = User.objects.filter(email="manager@demo.cpw.test").first()
    partner_org = Organisation.objects.filter(name="Feed the Hungry UK").first()

    year, quarter = financial_quarter(today)
    labels = []
    for _ in range(5):
        labels.insert(0, label_for(year, quarter))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    periods = reporting_periods_ensure(programme=programme, first=labels[0], last=labels[-1])
    past, current = periods[:4], periods[4]

    for index, (theme, title, description, lead_email, ambition_index) in enumerate(COMMITMENTS):
        lead = User.objects.get(email=lead_email)
        pattern = RAG_PATTERNS[index]
        commitment, _ = update_or_create_if_changed(
            Commitment.objects,
            plan=plan,
            group=groups[theme],
            title=title,
            defaults={
                "order": index,
                "description": description + " (Illustrative wording.)",
                "illustrative": True,
                "start": datetime.date(2022, 4, 1),
                "end": datetime.date(2028, 3, 31) if index % 2 else datetime.date(2027, 3, 31),
                "status": STATUS_FOR_RAG[pattern[-1]],
                "progress": 100 if pattern[-1] == "complete" else 20 + 7 * index,
            },
        )
        commitment.lead_users.set([lead])
        if index == 9 and partner_org:
            commitment.lead_organisations.set([partner_org])
        commitment.ambitions.set([ambitions[ambition_index]] if ambitions else [])
        for order, (milestone, due, done) in enumerate(
            [
                (
                    "Plan agreed with partners",
                    datetime.date(2022, 9, 30),
                    datetime.date(2022, 9, 1),
                ),
                ("First results shared with the steering group", datetime.date(2024, 3, 31), None),
            ]
        ):
            update_or_create_if_changed(
                Milestone.objects,
                commitment=commitment,
                order=order,
                defaults={"title": milestone, "due_date": due, "done_date": done},
            )
        if pattern[-1] in ("red", "amber"):
            update_or_create_if_changed(
                Risk.objects,
                commitment=commitment,
                description="Partners do not have the capacity to take part (illustrative)",
                defaults={
                    "likelihood": 3,
                    "impact": 4 if pattern[-1] == "red" else 2,
                    "owner": lead.full_name,
                    "mitigation": "Agree priorities with partners and offer small grants.",
                },
            )
        for period, rag in zip(past, pattern, strict=True):
            CommitmentUpdate.objects.get_or_create(
                commitment=commitment,
                period=period,
                defaults={
                    "status": UpdateStatus.SUBMITTED,
                    "rag": rag,
                    "what_happened": f"{period.label}: work continued on '{title}' "
                    "(illustrative update).",
                    "whats_next": "Keep going with partners and report back next quarter.",
                    "risks_and_issues": "" if rag == "green" else "Partner capacity is stretched.",
                    "submitted_at": timezone.make_aware(
                        datetime.datetime.combine(period.update_deadline, datetime.time(10))
                    ),
                    "submitted_by": lead,
                },
            )
        if index in (6, 7):  # two already submitted for the current quarter
            CommitmentUpdate.objects.get_or_create(
                commitment=commitment,
                period=current,
                defaults={
                    "status": UpdateStatus.SUBMITTED,
                    "rag": pattern[-1],
                    "what_happened": f"{current.label}: partners met and agreed next steps "
                    "(illustrative update).",
                    "whats_next": "Share the plan with the steering group.",
                    "submitted_at": timezone.now(),
                    "submitted_by": lead,
                },
            )
        if index in (1, 4):  # a couple of drafts for the current quarter
            CommitmentUpdate.objects.get_or_create(
                commitment=commitment,
                period=current,
                defaults={"rag": "green", "what_happened": "Draft: notes so far (illustrative)."},
            )
    for period in past:
        reporting_period_lock(period=period, user=manager)
