"""Demo groundbreakers for Community Powered Warwickshire, from the council's published reports
(copied from shared/domain/warwickshire.yaml). Anything marked "illustrative" is made up where
the public record is silent. Idempotent: update_or_create on natural keys."""

import datetime

from django.utils import timezone

from cpw.accounts.models import Organisation, OrganisationType, User
from cpw.core.upsert import update_or_create_if_changed
from funds.models import Award
from programmes.models import Ambition, Commitment, Place, PlaceKind, Programme
from programmes.periods import financial_quarter, label_for
from programmes.services import reporting_periods_ensure

from .models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Groundbreaker,
    GroundbreakerSettings,
    GroundbreakerStatus,
    GroundbreakerStatusChange,
    KeyOutcome,
    LearningEntry,
    LearningOutcome,
    Tag,
    WorkingGroupMember,
)
from .services import audiences_resolve

S = GroundbreakerStatus
CHOSEN_ON = datetime.date(2021, 11, 25)  # cabinet report, 25 Nov 2021
CHOSEN_REASON = "One of five chosen from about fifty suggestions gathered through interviews, workshops and research"

PILOTS_FROM = datetime.date(2024, 1, 8)  # illustrative
PILOTS_LIVE = datetime.date(2024, 2, 1)  # illustrative
PILOT_REASON = "One of the three Creating Opportunities community power pilots (illustrative date)"

GROUNDBREAKERS = [
    # slug, name, summary, service area, status, lead email, places, partners
    (
        "community-powered-place-shaping",
        "Community Powered Place-Shaping",
        "Joined-up place-shaping that builds on community assets; includes Transforming "
        "Nuneaton (a Town Fund locality).",
        "Communities",
        S.LIVE,
        "officer2@demo.cpw.test",
        [],
        [],
    ),
    (
        "stepping-forward-starts-here",
        "Stepping Forward Starts Here",
        "Unlock the time and skills of council staff for communities: a Community of Practice, "
        "CPW Directorate Anchors and Learning at Work sessions.",
        "Communities",
        S.LIVE,
        "officer2@demo.cpw.test",
        [],
        [],
    ),
    (
        "highways-to-help",
        "Highways to Help",
        "Unified, co-produced working across transport, highways and road safety: community "
        "signposting packs, safe and active travel champions, co-designed low traffic schemes, "
        "community adoption of verges, wildflower planting and community orchards.",
        "Transport",
        S.LIVE,
        "officer@demo.cpw.test",
        [],
        [],
    ),
    (
        "wellbeing-neighbourhoods",
        "Wellbeing Neighbourhoods",
        "Conditions for better place-based wellbeing using community assets.",
        "Public Health",
        S.DID_NOT_PROCEED,
        None,
        [],
        [],
    ),
    (
        "community-supermarkets",
        "Community Supermarkets",
        "Affordable food to tackle inequality and cost-of-living pressures.",
        "Communities",
        S.LIVE,
        "officer@demo.cpw.test",
        ["Lillington", "Camp Hill", "New Arley"],
        ["Feed the Hungry UK"],
    ),
    # The three Creating Opportunities community power pilots (2024)
    (
        "pilot-mancetter-south-and-ridge-lane",
        "Creating Opportunities pilot: Mancetter South and Ridge Lane",
        "A place-based community power pilot: door-knocking and a questionnaire to hear from "
        "households.",
        "Communities",
        S.LIVE,
        "officer2@demo.cpw.test",
        ["Mancetter South and Ridge Lane"],
        [],
    ),
    (
        "pilot-lillington-east",
        "Creating Opportunities pilot: Lillington East",
        "A place-based community power pilot built on over 60 hours of community conversations.",
        "Communities",
        S.LIVE,
        "officer@demo.cpw.test",
        ["Lillington East"],
        [],
    ),
    (
        "pilot-bar-pool-north-and-crescents",
        "Creating Opportunities pilot: Bar Pool North and Crescents",
        "A community hub with Saints Nuneaton, funded by the Social Fabric Fund, launched in 2024.",
        "Communities",
        S.LIVE,
        "officer2@demo.cpw.test",
        ["Bar Pool North and Crescents"],
        ["Saints Nuneaton"],
    ),
]

SUPERMARKET_OUTCOMES = [  # illustrative: the public record names no key outcomes
    (
        "More households in the three places can buy affordable food (illustrative)",
        "Stores open regularly in Lillington, Camp Hill and New Arley",
        "Members registered; visits a month",
    ),
    (
        "Members get help beyond food (illustrative)",
        "Advice partners attend store sessions",
        "Referrals to money and debt advice",
    ),
    (
        "Local people run the stores (illustrative)",
        "Volunteers from each community",
        "Number of local volunteers",
    ),
]

# name, date, end date, kind, attendees, sessions, notes  (programme-level engagement events)
ENGAGEMENT_EVENTS = [
    (
        "Big Conversation",
        datetime.date(2021, 11, 4),
        None,
        ActivityKind.EVENT,
        100,
        None,
        "Supported by four preparatory workshops.",
    ),
    (
        "Big Conversation (online)",
        datetime.date(2022, 9, 1),
        None,
        ActivityKind.ONLINE_EVENT,
        65,
        None,
        "Published as September 2022; the day is illustrative.",
    ),
    (
        "Councillor peer learning exchange",
        datetime.date(2022, 11, 1),
        None,
        ActivityKind.ONLINE_EVENT,
        None,
        None,
        "An online session. Published as November 2022; the day is illustrative.",
    ),
    (
        "Staff Community of Practice",
        datetime.date(2022, 12, 1),
        datetime.date(2023, 7, 31),
        ActivityKind.LEARNING_PROGRAMME,
        16,
        4,
        "Four sessions, December 2022 to July 2023.",
    ),
    (
        "Thriving Communities Partnership workshop",
        datetime.date(2023, 2, 1),
        None,
        ActivityKind.ONLINE_WORKSHOP,
        16,
        None,
        "Published as February 2023; the day is illustrative.",
    ),
    (
        "Warwickshire Towns Network conference workshop",
        datetime.date(2023, 3, 1),
        None,
        ActivityKind.WORKSHOP,
        60,
        None,
        "In person. Published as March 2023; the day is illustrative.",
    ),
    (
        "Community Powered Libraries workshop",
        datetime.date(2023, 5, 1),
        None,
        ActivityKind.WORKSHOP,
        None,
        None,
        "In person. Published as May 2023; the day is illustrative.",
    ),
]

# Illustrative council-led groundbreaker events (the public record gives no dates or numbers),
# so every quarter the evaluation demo covers has people attending council-led events:
# groundbreaker slug, title, date, kind, place, attendees
GROUNDBREAKER_EVENTS = [
    (
        "community-supermarkets",
        "Community Supermarket opening, Camp Hill",
        datetime.date(2022, 5, 12),
        ActivityKind.EVENT,
        "Camp Hill",
        45,
    ),
    (
        "highways-to-help",
        "Safe and active travel champions briefing",
        datetime.date(2022, 6, 16),
        ActivityKind.WORKSHOP,
        None,
        24,
    ),
    (
        "stepping-forward-starts-here",
        "Learning at Work session: what community power means for us",
        datetime.date(2023, 6, 15),
        ActivityKind.ONLINE_WORKSHOP,
        None,
        38,
    ),
    (
        "community-supermarkets",
        "Community Supermarket open day, New Arley",
        datetime.date(2023, 9, 14),
        ActivityKind.EVENT,
        "New Arley",
        52,
    ),
    (
        "community-powered-place-shaping",
        "Transforming Nuneaton community workshop",
        datetime.date(2023, 11, 9),
        ActivityKind.WORKSHOP,
        None,
        70,
    ),
    (
        "highways-to-help",
        "Community orchard planting day",
        datetime.date(2024, 2, 22),
        ActivityKind.EVENT,
        None,
        34,
    ),
]

# The delivery-plan commitments each groundbreaker advances (programmes/demo.py titles), chosen
# by theme: slug -> commitment titles. Linked only where the delivery plan has been seeded.
COMMITMENT_LINKS = {
    "community-supermarkets": [
        "Open council buildings for community use",  # Services and assets
        "Strengthen partnerships with the voluntary and community sector",  # Relationships
    ],
    "stepping-forward-starts-here": [
        "Build community power into staff induction and training",  # Organisational development
        "Run a culture change programme across council services",
    ],
    "community-powered-place-shaping": [
        "Involve residents early in decisions about their area",  # Decision making
        "Co-design one service with residents in each district",  # Services and assets
    ],
    "highways-to-help": ["Co-design one service with residents in each district"],
    "pilot-mancetter-south-and-ridge-lane": ["Grow community leadership in the 22 priority places"],
    "pilot-lillington-east": ["Grow community leadership in the 22 priority places"],
    "pilot-bar-pool-north-and-crescents": ["Grow community leadership in the 22 priority places"],
}

# The grants that fund a groundbreaker (funds/demo.py recipients): slug -> recipient name.
# The Bar Pool North and Crescents hub was funded by the Social Fabric Fund, but the funds demo
# has no Social Fabric Fund grants (its round is open), so the pilot is linked to the Social
# Impact Fund's grant to the illustrative Bar Pool Youth Project instead: an illustrative link.
# Linked only where the funds demo has been seeded.
GRANT_LINKS = {
    "pilot-bar-pool-north-and-crescents": "Bar Pool Youth Project (illustrative)",
}

# Learning entries: title, groundbreaker slug, recorded on, tried, happened, differently,
# outcome, free themes, the programme's ambitions (programmes/demo.py names)
LEARNING = [
    (
        "Wellbeing Neighbourhoods did not go ahead",
        "wellbeing-neighbourhoods",
        CHOSEN_ON,
        "Scoping a place-based wellbeing groundbreaker led by Public Health.",
        "It did not proceed; the final report lists four groundbreakers that went ahead.",
        "Agree the lead service's capacity before announcing a groundbreaker (illustrative).",
        LearningOutcome.DID_NOT_WORK,
        ["Enable communities to lead"],
        ["Enable communities to lead"],
    ),
    (
        "Community conversations reached people a survey would miss (illustrative)",
        "pilot-lillington-east",
        datetime.date(2024, 3, 15),
        "Over 60 hours of community conversations in Lillington East instead of a survey.",
        "Residents who do not usually answer council surveys shared what matters to them "
        "(illustrative).",
        "Plan the time to write up each conversation from the start (illustrative).",
        LearningOutcome.WORKED,
        ["Community conversations"],
        ["Involve communities in decision making", "Enable communities to lead"],
    ),
]


def _place(name: str) -> Place:
    return Place.objects.exclude(kind=PlaceKind.LSOA).get(name=name)


def _organisation(name: str) -> Organisation:
    organisation = Organisation.objects.filter(name__iexact=name).first()
    if organisation is None:
        organisation = Organisation.objects.create(
            name=name, kind=OrganisationType.OTHER, address="Nuneaton (illustrative)"
        )
    return organisation


def _activity(
    programme, groundbreaker, title, date, *, places=(), audiences=(), **fields
) -> Activity:
    activity, _ = update_or_create_if_changed(
        Activity.objects,
        programme=programme,
        title=title,
        date=date,
        defaults={"groundbreaker": groundbreaker, **fields},
    )
    activity.places.set([p for p in places if p is not None])
    activity.audiences.set(audiences_resolve(council=programme.council, names=list(audiences)))
    return activity


# Who the programme-level events were for (titles as in ENGAGEMENT_EVENTS).
EVENT_AUDIENCES = {
    "Big Conversation": ["Residents", "Partners", "Voluntary and community groups"],
    "Big Conversation (online)": ["Residents", "Partners"],
    "Councillor peer learning exchange": ["Councillors"],
    "Staff Community of Practice": ["Council staff"],
    "Thriving Communities Partnership workshop": ["Partners"],
    "Warwickshire Towns Network conference workshop": ["Town and parish councils"],
    "Community Powered Libraries workshop": ["Council staff", "Residents"],
}


def seed_groundbreakers(programme: Programme) -> list[Groundbreaker]:
    update_or_create_if_changed(
        GroundbreakerSettings.objects,
        programme=programme,
        defaults={
            "groundbreaker_label": "groundbreaker",
            "groundbreaker_label_plural": "groundbreakers",
        },
    )
    manager = User.objects.filter(email="manager@demo.cpw.test").first()
    saved = []
    for slug, name, summary, area, status, lead, places, partners in GROUNDBREAKERS:
        lead_user = User.objects.filter(email=lead).first() if lead else None
        changed_on = CHOSEN_ON if status == S.DID_NOT_PROCEED else datetime.date(2022, 4, 1)
        if slug.startswith("pilot-"):
            changed_on = PILOTS_LIVE
        groundbreaker, _ = update_or_create_if_changed(
            Groundbreaker.objects,
            programme=programme,
            slug=slug,
            defaults={
                "name": name,
                "summary": summary,
                "lead_service_area": area,
                "lead_officer": lead_user,
                "sponsor": f"Director responsible for {area} (illustrative)",
                "status": status,
                "status_changed_on": changed_on,
            },
        )
        groundbreaker.places.set([_place(p) for p in places])
        groundbreaker.partners.set([_organisation(o) for o in partners])
        if status == S.DID_NOT_PROCEED:
            history = [
                (
                    S.PROPOSED,
                    S.DID_NOT_PROCEED,
                    CHOSEN_ON,
                    "Did not proceed: the programme's final report lists four groundbreakers that "
                    "went ahead.",
                )
            ]
        elif slug.startswith("pilot-"):
            history = [
                (S.PROPOSED, S.SETTING_UP, PILOTS_FROM, PILOT_REASON),
                (S.SETTING_UP, S.LIVE, PILOTS_LIVE, "Pilot under way (illustrative date)"),
            ]
        else:
            history = [
                (S.PROPOSED, S.SETTING_UP, CHOSEN_ON, CHOSEN_REASON),
                (S.SETTING_UP, S.LIVE, changed_on, "Working group formed (illustrative date)"),
            ]
        for from_status, to_status, on, reason in history:
            update_or_create_if_changed(
                GroundbreakerStatusChange.objects,
                groundbreaker=groundbreaker,
                to_status=to_status,
                defaults={
                    "from_status": from_status,
                    "changed_on": on,
                    "reason": reason,
                    "changed_by": manager,
                },
            )
        if lead_user:
            update_or_create_if_changed(
                WorkingGroupMember.objects,
                groundbreaker=groundbreaker,
                user=lead_user,
                defaults={"role": "Lead officer"},
            )
        saved.append(groundbreaker)
    by_slug = {g.slug: g for g in saved}

    supermarkets = by_slug["community-supermarkets"]
    for position, (title, success, indicators) in enumerate(SUPERMARKET_OUTCOMES, start=1):
        update_or_create_if_changed(
            KeyOutcome.objects,
            groundbreaker=supermarkets,
            position=position,
            defaults={"title": title, "success_factors": success, "indicators": indicators},
        )
    partner_contact = User.objects.filter(email="partner@demo.cpw.test").first()
    if partner_contact:
        update_or_create_if_changed(
            WorkingGroupMember.objects,
            groundbreaker=supermarkets,
            user=partner_contact,
            defaults={"role": "Partner representative (illustrative)"},
        )

    # The Creating Opportunities pilots' published figures (dates illustrative: 2024).
    _activity(
        programme,
        by_slug["pilot-mancetter-south-and-ridge-lane"],
        "Door-knocking and household questionnaire",
        datetime.date(2024, 3, 1),
        kind=ActivityKind.DOOR_KNOCKING,
        places=[_place("Mancetter South and Ridge Lane")],
        audiences=["Residents"],
        households_approached=448,
        questionnaires_completed=167,
        notes="Published figures: 448 households approached, 167 questionnaires completed. "
        "The date is illustrative.",
    )
    _activity(
        programme,
        by_slug["pilot-lillington-east"],
        "Community conversations",
        datetime.date(2024, 3, 1),
        kind=ActivityKind.COMMUNITY_CONVERSATION,
        places=[_place("Lillington East")],
        audiences=["Residents"],
        hours_of_conversation=60,
        notes="Published figure: over 60 hours of community conversations. The date is "
        "illustrative.",
    )
    hub = _activity(
        programme,
        by_slug["pilot-bar-pool-north-and-crescents"],
        "Saints Nuneaton community hub launch",
        datetime.date(2024, 9, 1),
        kind=ActivityKind.EVENT,
        places=[_place("Bar Pool North and Crescents")],
        audiences=["Residents", "Young people"],
        notes="The community hub launched in 2024, funded by the Social Fabric Fund. The date "
        "is illustrative.",
    )
    hub.partners.set([_organisation("Saints Nuneaton")])

    for title, date, end_date, kind, attendees, sessions, notes in ENGAGEMENT_EVENTS:
        _activity(
            programme,
            None,
            title,
            date,
            end_date=end_date,
            kind=kind,
            attendees=attendees,
            sessions=sessions,
            notes=notes,
            audiences=EVENT_AUDIENCES.get(title, []),
        )

    for slug, title, date, kind, place, attendees in GROUNDBREAKER_EVENTS:
        _activity(
            programme,
            by_slug[slug],
            title,
            date,
            kind=kind,
            places=[_place(place)] if place else [],
            attendees=attendees,
            notes="Illustrative: the public record gives no date or attendance.",
        )

    # A planned event, still to come: it counts towards no totals until it is recorded as held.
    planned, _ = update_or_create_if_changed(
        Activity.objects,
        programme=programme,
        title="Big Conversation: town and parish councils (planned)",
        defaults={
            "groundbreaker": None,
            "date": timezone.localdate() + datetime.timedelta(days=45),
            "kind": ActivityKind.EVENT,
            "status": ActivityStatus.PLANNED,
            "notes": "Illustrative: a planned event, to be recorded as held afterwards.",
        },
    )
    planned.audiences.set(
        audiences_resolve(
            council=programme.council, names=["Town and parish councils", "Councillors"]
        )
    )

    for slug, organisation_name in GRANT_LINKS.items():
        by_slug[slug].grants.set(
            Award.objects.filter(
                application__round__fund__programme=programme,
                application__organisation__name=organisation_name,
            )
        )

    for slug, titles in COMMITMENT_LINKS.items():
        by_slug[slug].commitments.set(
            Commitment.objects.filter(plan__programme=programme, title__in=titles)
        )

    for title, slug, on, tried, happened, differently, outcome, themes, ambitions in LEARNING:
        entry, _ = update_or_create_if_changed(
            LearningEntry.objects,
            programme=programme,
            title=title,
            defaults={
                "groundbreaker": by_slug[slug],
                "recorded_on": on,
                "what_we_tried": tried,
                "what_happened": happened,
                "what_we_would_do_differently": differently,
                "outcome": outcome,
                "recorded_by": manager,
            },
        )
        entry.tags.set(
            [Tag.objects.get_or_create(programme=programme, name=name)[0] for name in themes]
        )
        entry.ambitions.set(Ambition.objects.filter(programme=programme, name__in=ambitions))

    year, quarter = financial_quarter(timezone.localdate())
    reporting_periods_ensure(programme=programme, first="2024-Q1", last=label_for(year, quarter))
    return saved
