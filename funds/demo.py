"""Demo funds for Community Powered Warwickshire. Dates, budgets, operators and focus are as the
council published them (final report 2024 and press releases); where the public record is silent
the entries are marked "illustrative". Idempotent: update_or_create on natural keys."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

from cpw.accounts.models import Organisation, OrganisationType, Role, RoleAssignment, User
from cpw.core.upsert import update_or_create_if_changed
from programmes.models import PlaceKind

from .models import (
    Application,
    ApplicationSection,
    ApplicationStatus,
    AssessorAssignment,
    Award,
    BudgetLine,
    Criterion,
    Decision,
    Fund,
    FundKind,
    MemberAllocation,
    MonitoringReport,
    Question,
    QuestionKind,
    ReportStatus,
    Round,
    Section,
    SectionStatus,
)
from .participatory.demo import seed_participatory

LONDON = ZoneInfo("Europe/London")
OPERATOR = "Heart of England Community Foundation"
VCSE_AND_COUNCILS = [
    OrganisationType.REGISTERED_CHARITY,
    OrganisationType.CIO,
    OrganisationType.CIC,
    OrganisationType.COMPANY_LIMITED_BY_GUARANTEE,
    OrganisationType.COMMUNITY_GROUP,
    OrganisationType.SOCIAL_ENTERPRISE,
    OrganisationType.TOWN_OR_PARISH_COUNCIL,
]
CRITERIA = [
    ("Need: the project meets a clear local need", 3),
    ("Difference: what will change for people", 3),
    ("Community involvement", 2),
    ("Value for money and deliverability", 2),
]


def _at(year, month, day, hour=0, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=LONDON)


FUNDS = [
    {
        "slug": "social-impact-fund",
        "name": "Social Impact Fund",
        "reference_prefix": "SIF",
        "operator": OPERATOR,
        "description": (
            "Launched at the Big Conversation on 4 November 2021 to support voluntary, community "
            "and social enterprise organisations and town and parish councils to tackle "
            "inequality and social inclusion. Where a council partner is also an applicant, "
            "decision-making roles are kept separate."
        ),
        "focus_areas": "Financial inclusion\nDigital inclusion\nHealth inclusion\nCultural inclusion",
        "eligible_organisation_types": VCSE_AND_COUNCILS,
        # Together with the Social Fabric Fund, 3,500,000 GBP (published); the split is derived.
        "budget_total": Decimal("1000000"),
        "budget_capital": Decimal("400000"),
        "budget_revenue": Decimal("600000"),
        "minimum_grant": Decimal("5000"),
        "maximum_grant": Decimal("100000"),
        "rounds": [
            {
                "name": "2021 round",
                "opens_at": _at(2021, 11, 4, 10),
                "closes_at": _at(2021, 12, 30, 23, 59),
                "award_by": datetime.date(2022, 3, 31),
                "budget": Decimal("1000000"),
            }
        ],
    },
    {
        "slug": "social-fabric-fund",
        "name": "Social Fabric Fund",
        "reference_prefix": "SFF",
        "operator": OPERATOR,
        "description": (
            "A £2.5 million fund for social infrastructure: community buildings, hubs and the "
            "groups that run them, aimed primarily at the 22 priority places. Warwickshire CAVA "
            "helps groups build their capacity to apply."
        ),
        "focus_areas": "Social infrastructure in the 22 priority places\nCommunity hubs and buildings\nCapacity of local groups",
        "eligible_organisation_types": VCSE_AND_COUNCILS,
        "budget_total": Decimal("2500000"),
        "budget_capital": Decimal("1500000"),
        "budget_revenue": Decimal("1000000"),
        "minimum_grant": Decimal("10000"),
        "maximum_grant": Decimal("250000"),
        "rounds": [
            {
                "name": "2023 round (illustrative dates)",
                "opens_at": _at(2023, 6, 1, 9),
                "closes_at": _at(2023, 9, 29, 17),
                "award_by": datetime.date(2023, 12, 15),
                "budget": Decimal("1250000"),
            },
        ],
    },
    {
        "slug": "green-shoots",
        "name": "Green Shoots Community Climate Challenge Fund",
        "reference_prefix": "GSF",
        "operator": "",
        "description": (
            "A £1 million fund launched in February 2021 for community action on climate change "
            "at a hyper-local level. £625,000 had been awarded by November 2021; a second round "
            "followed in early 2022."
        ),
        "focus_areas": "Community action on climate change at a hyper-local level",
        "eligible_organisation_types": VCSE_AND_COUNCILS,
        "budget_total": Decimal("1000000"),
        "budget_capital": Decimal("600000"),
        "budget_revenue": Decimal("400000"),
        "minimum_grant": Decimal("1000"),
        "maximum_grant": Decimal("50000"),
        "rounds": [
            {
                "name": "Round 1 (2021)",
                "opens_at": _at(2021, 2, 1, 9),
                "closes_at": _at(2021, 4, 30, 17),
                "award_by": datetime.date(2021, 11, 30),
                "budget": Decimal("625000"),
            },
            {
                "name": "Round 2 (2022, illustrative dates)",
                "opens_at": _at(2022, 1, 10, 9),
                "closes_at": _at(2022, 3, 31, 17),
                "award_by": datetime.date(2022, 7, 31),
                "budget": Decimal("375000"),
            },
        ],
    },
    {
        "slug": "councillors-climate-fund",
        "name": "Councillors' Community Climate Fund",
        "reference_prefix": "CCF",
        "kind": FundKind.MEMBER,
        "operator": "",
        "description": (
            "A member fund on the Staffordshire model: each county councillor has a pot of "
            "£2,500 a year to recommend grants of up to £1,000 to community climate projects in "
            "their division (illustrative for Warwickshire)."
        ),
        "focus_areas": "Small-scale climate projects within the councillor's division",
        "eligible_organisation_types": VCSE_AND_COUNCILS,
        "budget_total": Decimal("142500"),  # 57 members x 2,500
        "budget_capital": Decimal("0"),
        "budget_revenue": Decimal("0"),
        "minimum_grant": Decimal("100"),
        "maximum_grant": Decimal("1000"),
        "member_allocation": Decimal("2500"),
        "member_project_cap": Decimal("1000"),
        "rounds": [],
    },
]

# The 21 projects funded by the Social Impact Fund; recipients are illustrative.
SIF_RECIPIENTS = [
    (
        "Nuneaton Food Pantry (illustrative)",
        OrganisationType.REGISTERED_CHARITY,
        "Financial inclusion",
        48000,
    ),
    ("Camp Hill Digital Den (illustrative)", OrganisationType.CIC, "Digital inclusion", 36500),
    (
        "Bedworth Wellbeing Walks (illustrative)",
        OrganisationType.COMMUNITY_GROUP,
        "Health inclusion",
        12000,
    ),
    ("Rugby Arts Collective (illustrative)", OrganisationType.CIO, "Cultural inclusion", 41000),
    (
        "Lillington Money Advice (illustrative)",
        OrganisationType.REGISTERED_CHARITY,
        "Financial inclusion",
        55000,
    ),
    (
        "Atherstone Tech Buddies (illustrative)",
        OrganisationType.COMMUNITY_GROUP,
        "Digital inclusion",
        18750,
    ),
    (
        "Stratford Carers Network (illustrative)",
        OrganisationType.REGISTERED_CHARITY,
        "Health inclusion",
        62000,
    ),
    ("Warwick Youth Theatre (illustrative)", OrganisationType.CIO, "Cultural inclusion", 29000),
    (
        "Mancetter Community Larder (illustrative)",
        OrganisationType.COMMUNITY_GROUP,
        "Financial inclusion",
        22500,
    ),
    (
        "Kenilworth Silver Surfers (illustrative)",
        OrganisationType.COMMUNITY_GROUP,
        "Digital inclusion",
        9800,
    ),
    (
        "Polesworth Parish Council (illustrative)",
        OrganisationType.TOWN_OR_PARISH_COUNCIL,
        "Health inclusion",
        30000,
    ),
    (
        "Leamington Refugee Welcome (illustrative)",
        OrganisationType.REGISTERED_CHARITY,
        "Cultural inclusion",
        47500,
    ),
    ("New Arley Community Hub (illustrative)", OrganisationType.CIC, "Financial inclusion", 70000),
    (
        "Bar Pool Youth Project (illustrative)",
        OrganisationType.REGISTERED_CHARITY,
        "Health inclusion",
        58000,
    ),
    (
        "Coleshill Laptop Library (illustrative)",
        OrganisationType.SOCIAL_ENTERPRISE,
        "Digital inclusion",
        15000,
    ),
    ("Alcester Heritage Trust (illustrative)", OrganisationType.CIO, "Cultural inclusion", 21000),
    (
        "Bulkington Men's Shed (illustrative)",
        OrganisationType.COMMUNITY_GROUP,
        "Health inclusion",
        8500,
    ),
    (
        "Whitnash Town Council (illustrative)",
        OrganisationType.TOWN_OR_PARISH_COUNCIL,
        "Financial inclusion",
        26000,
    ),
    ("Hillmorton Digital Skills (illustrative)", OrganisationType.CIC, "Digital inclusion", 33000),
    (
        "Southam Community Choir (illustrative)",
        OrganisationType.COMMUNITY_GROUP,
        "Cultural inclusion",
        6500,
    ),
    (
        "Shipston Home Support (illustrative)",
        OrganisationType.REGISTERED_CHARITY,
        "Health inclusion",
        44000,
    ),
]


def _fund(programme, spec) -> Fund:
    rounds = spec.pop("rounds")
    fund, _ = update_or_create_if_changed(
        Fund.objects,
        slug=spec["slug"],
        defaults={
            **spec,
            "programme": programme,
            "funder_identifier": "GB-LAE-WAR",
            "funder_name": "Warwickshire County Council",
        },
    )
    spec["rounds"] = rounds
    for order, (name, weight) in enumerate(CRITERIA):
        update_or_create_if_changed(
            Criterion.objects, fund=fund, name=name, defaults={"weight": weight, "order": order}
        )
    for round_spec in rounds:
        update_or_create_if_changed(
            Round.objects, fund=fund, name=round_spec["name"], defaults=round_spec
        )
    return fund


def _questions(fund):
    update_or_create_if_changed(
        Question.objects,
        fund=fund,
        text="How will local people be involved in running the project?",
        defaults={"kind": QuestionKind.LONG_TEXT, "required": True, "order": 1},
    )
    update_or_create_if_changed(
        Question.objects,
        fund=fund,
        text="Your constitution or governing document",
        defaults={
            "kind": QuestionKind.FILE,
            "required": False,
            "order": 2,
            "help_text": "If you have one.",
        },
    )


def _sif_awards(fund, places, manager):
    round = fund.rounds.get(name="2021 round")
    place_list = [p for p in places.values() if p.kind in (PlaceKind.NEIGHBOURHOOD, PlaceKind.LSOA)]
    award_date = datetime.date(2022, 3, 24)
    for number, (name, kind, focus, amount) in enumerate(SIF_RECIPIENTS, start=1):
        organisation, _ = update_or_create_if_changed(
            Organisation.objects,
            name=name,
            defaults={
                "kind": kind,
                "charity_number": str(1190000 + number)
                if kind == OrganisationType.REGISTERED_CHARITY
                else "",
                "company_number": f"{13000000 + number}" if kind == OrganisationType.CIC else "",
                "postcode": "CV11 4AA",
            },
        )
        amount = Decimal(amount)
        capital = (amount * Decimal("0.4")).quantize(Decimal("1"))
        revenue = amount - capital
        reference = f"SIF-2021-{number:04d}"
        application, _ = update_or_create_if_changed(
            Application.objects,
            reference=reference,
            defaults={
                "round": round,
                "organisation": organisation,
                "created_by": manager,
                "status": ApplicationStatus.APPROVED,
                "project_title": f"{focus} project by {name.replace(' (illustrative)', '')}",
                "summary": f"An illustrative {focus.lower()} project funded by the Social Impact Fund.",
                "amount_capital": capital,
                "amount_revenue": revenue,
                "start_date": datetime.date(2022, 4, 1),
                "end_date": datetime.date(2023, 3, 31),
                "beneficiaries": "Residents facing inequality and social exclusion",
                "submitted_at": _at(2021, 12, 20, 12),
                "declaration_name": "Demo applicant",
            },
        )
        application.places.set([place_list[number % len(place_list)]])
        for section in Section.values:
            update_or_create_if_changed(
                ApplicationSection.objects,
                application=application,
                section=section,
                defaults={"status": SectionStatus.COMPLETED},
            )
        if not application.budget_lines.exists():
            BudgetLine.objects.create(
                application=application, description="Equipment", kind="capital", amount=capital
            )
            BudgetLine.objects.create(
                application=application,
                description="Activities and staff",
                kind="revenue",
                amount=revenue,
            )
        update_or_create_if_changed(
            Decision.objects,
            application=application,
            defaults={
                "outcome": "approved",
                "amount_capital": capital,
                "amount_revenue": revenue,
                "decided_by": manager,
                "decided_at": _at(2022, 3, 24, 14),
            },
        )
        update_or_create_if_changed(
            Award.objects,
            application=application,
            defaults={
                "amount_capital": capital,
                "amount_revenue": revenue,
                "awarded_on": award_date,
                "planned_start": datetime.date(2022, 4, 1),
                "planned_end": datetime.date(2023, 3, 31),
                "status": "completed",
                "awarded_by": manager,
            },
        )


def _open_round(fund) -> Round:
    """A round open now, so the demo partner can apply (left as it is while it is still open, so
    loading the demo again changes nothing)."""
    now = timezone.now()
    name = "2026 round (demo, open now)"
    existing = Round.objects.filter(fund=fund, name=name).first()
    if existing and existing.opens_at <= now < existing.closes_at - datetime.timedelta(days=7):
        return existing
    round, _ = update_or_create_if_changed(
        Round.objects,
        fund=fund,
        name=name,
        defaults={
            "opens_at": now - datetime.timedelta(days=7),
            "closes_at": (now + datetime.timedelta(days=60)).replace(
                hour=23, minute=59, second=0, microsecond=0
            ),
            "award_by": (now + datetime.timedelta(days=120)).date(),
            "budget": Decimal("1250000"),
        },
    )
    return round


def _story_application(
    *, round, organisation, reference, title, status, capital, revenue, places, created_by
) -> Application:
    """One application of the demo story, with every section completed unless it is a draft."""
    submitted = status != ApplicationStatus.DRAFT
    application, _ = update_or_create_if_changed(
        Application.objects,
        round=round,
        organisation=organisation,
        project_title=title,
        defaults={
            "created_by": created_by,
            "status": status,
            "reference": reference if submitted else "",
            "summary": f"{title}: an illustrative project for the demo.",
            "amount_capital": Decimal(capital),
            "amount_revenue": Decimal(revenue),
            "start_date": datetime.date(2026, 9, 1),
            "end_date": datetime.date(2027, 8, 31),
            "beneficiaries": "Residents on low incomes and older people living alone",
            "submitted_at": _at(2026, 6, 1, 10) if submitted else None,
            "declaration_name": "Demo applicant" if submitted else "",
        },
    )
    application.places.set(places)
    for section in Section.values:
        update_or_create_if_changed(
            ApplicationSection.objects,
            application=application,
            section=section,
            defaults={
                "status": SectionStatus.COMPLETED if submitted else SectionStatus.NOT_STARTED
            },
        )
    if submitted and not application.budget_lines.exists():
        for description, kind, amount in (
            ("Equipment", "capital", Decimal(capital)),
            ("Sessions", "revenue", Decimal(revenue)),
        ):
            if amount > 0:
                BudgetLine.objects.create(
                    application=application, description=description, kind=kind, amount=amount
                )
    return application


def _demo_story(by_slug, places, open_round, manager):
    """Something to do for every role: the partner has a draft, a submitted application and a
    grant with a monitoring report due; the assessor has applications assigned (one still
    needing a conflict declaration); the councillor has an application waiting for their
    recommendation."""
    partner = User.objects.get(email="partner@demo.cpw.test")
    assessor = User.objects.get(email="assessor@demo.cpw.test")
    division = places["Leamington North"]
    organisation = partner.organisation
    _story_application(
        round=open_round,
        organisation=organisation,
        reference="SFF-2026-0001",
        title="Community fridge network",
        status=ApplicationStatus.SUBMITTED,
        capital="12000",
        revenue="8000",
        places=[division],
        created_by=partner,
    )
    _story_application(
        round=open_round,
        organisation=organisation,
        reference="",
        title="Warm spaces this winter",
        status=ApplicationStatus.DRAFT,
        capital="0",
        revenue="0",
        places=[],
        created_by=partner,
    )
    green = by_slug["green-shoots"].rounds.get(name="Round 2 (2022, illustrative dates)")
    granted = _story_application(
        round=green,
        organisation=organisation,
        reference="GSF-2022-0101",
        title="Food waste to compost",
        status=ApplicationStatus.APPROVED,
        capital="30000",
        revenue="18000",
        places=[division],
        created_by=partner,
    )
    award, _ = update_or_create_if_changed(
        Award.objects,
        application=granted,
        defaults={
            "amount_capital": Decimal("30000"),
            "amount_revenue": Decimal("18000"),
            "awarded_on": datetime.date(2026, 3, 2),
            "planned_start": datetime.date(2026, 4, 1),
            "planned_end": datetime.date(2027, 3, 31),
            "status": "active",
            "awarded_by": manager,
        },
    )
    report = award.reports.filter(status=ReportStatus.DUE).first()
    if report is None or report.due_on < timezone.localdate():
        MonitoringReport.objects.create(
            award=award, due_on=timezone.localdate() + datetime.timedelta(days=21)
        )
    # The assessor's work: two applications to the Social Fabric Fund's closed round.
    closed = by_slug["social-fabric-fund"].rounds.get(name="2023 round (illustrative dates)")
    for number, (name, title, declared) in enumerate(
        [
            ("Lillington Community Pantry (illustrative)", "Pantry and cooking club", False),
            ("Whitnash Repair Café (illustrative)", "Repair café and tool library", True),
        ],
        start=1,
    ):
        other, _ = update_or_create_if_changed(
            Organisation.objects,
            name=name,
            defaults={"kind": OrganisationType.COMMUNITY_GROUP, "postcode": "CV32 7AB"},
        )
        application = _story_application(
            round=closed,
            organisation=other,
            reference=f"SFF-2023-{number:04d}",
            title=title,
            status=ApplicationStatus.IN_ASSESSMENT,
            capital="5000",
            revenue="10000",
            places=[division],
            created_by=manager,
        )
        AssessorAssignment.objects.get_or_create(
            application=application,
            assessor=assessor,
            defaults={
                "assigned_by": manager,
                "conflict": "none" if declared else "undeclared",
                "declared_at": _at(2026, 6, 10, 9) if declared else None,
            },
        )
    # The councillor's: an application to their member fund for a place in their division.
    member_round = by_slug["councillors-climate-fund"].rounds.get(name="2026/27")
    allotments, _ = update_or_create_if_changed(
        Organisation.objects,
        name="Leamington Allotment Society (illustrative)",
        defaults={"kind": OrganisationType.COMMUNITY_GROUP, "postcode": "CV32 6EF"},
    )
    _story_application(
        round=member_round,
        organisation=allotments,
        reference="CCF-2026-0001",
        title="Rainwater butts for the allotments",
        status=ApplicationStatus.SUBMITTED,
        capital="800",
        revenue="0",
        places=[division],
        created_by=manager,
    )


def seed_funds(programme, places) -> list[Fund]:
    manager = User.objects.get(email="manager@demo.cpw.test")
    funds = [_fund(programme, dict(spec)) for spec in FUNDS]
    by_slug = {f.slug: f for f in funds}
    for fund in funds:
        _questions(fund)
    _sif_awards(by_slug["social-impact-fund"], places, manager)
    open_round = _open_round(by_slug["social-fabric-fund"])
    member_fund = by_slug["councillors-climate-fund"]
    update_or_create_if_changed(
        Round.objects,
        fund=member_fund,
        name="2026/27",
        defaults={
            "opens_at": _at(2026, 4, 1),
            "closes_at": _at(2027, 3, 31, 23, 59),
            "budget": Decimal("142500"),
        },
    )
    for assignment in RoleAssignment.objects.filter(role=Role.COUNCILLOR, programme=programme):
        update_or_create_if_changed(
            MemberAllocation.objects,
            fund=member_fund,
            councillor=assignment.user,
            year=2026,
            defaults={"amount": member_fund.member_allocation},
        )
    funds.append(seed_participatory(programme, places))
    _demo_story(by_slug, places, open_round, manager)
    return funds
