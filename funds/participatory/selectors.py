"""Reads of participatory budgeting, shaped so query counts do not grow with the data."""

from collections import defaultdict

from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404

from ..models import (
    Application,
    ApplicationStatus,
    Ballot,
    BallotChannel,
    BallotChoice,
    BallotCorrection,
    ParticipatoryRound,
    PostcodePlace,
    ShortlistEntry,
)
from . import count as counting

# The bids that can be shortlisted: submitted and not yet decided.
SHORTLISTABLE = {
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.SCREENING,
    ApplicationStatus.IN_ASSESSMENT,
}


def participatory_get(pk: int) -> ParticipatoryRound:
    return get_object_or_404(
        ParticipatoryRound.objects.select_related("round__fund__programme__council"), pk=pk
    )


def participatory_for_round(round_id: int) -> ParticipatoryRound | None:
    return (
        ParticipatoryRound.objects.select_related("round__fund__programme__council")
        .filter(round_id=round_id)
        .first()
    )


def shortlist(participatory: ParticipatoryRound):
    """The bids on the ballot, with what the public page shows of each."""
    return (
        ShortlistEntry.objects.filter(participatory=participatory, eligible=True)
        .select_related("application__organisation")
        .prefetch_related("application__places")
        .order_by("application__reference", "pk")
    )


def shortlist_all(participatory: ParticipatoryRound):
    return (
        ShortlistEntry.objects.filter(participatory=participatory)
        .select_related("application__organisation")
        .order_by("-eligible", "application__reference", "pk")
    )


def bids_to_shortlist(participatory: ParticipatoryRound):
    return (
        Application.objects.filter(
            round_id=participatory.round_id,
            status__in=SHORTLISTABLE,
            shortlist_entry__isnull=True,
        )
        .select_related("organisation")
        .order_by("reference")
    )


def area_places(participatory: ParticipatoryRound) -> list:
    return list(participatory.places.order_by("name"))


def result_count(participatory: ParticipatoryRound) -> counting.CountResult:
    """The count from the database: three queries whatever the number of ballots."""
    entries = list(
        ShortlistEntry.objects.filter(participatory=participatory, eligible=True)
        .select_related("application__organisation")
        .order_by("pk")
    )
    bids = [
        counting.Bid(
            id=e.pk,
            amount=e.amount,
            submitted_at=e.application.submitted_at,
            application_id=e.application_id,
        )
        for e in entries
    ]
    choices = defaultdict(dict)
    for ballot_id, entry_id, score in BallotChoice.objects.filter(
        ballot__participatory=participatory, ballot__spoilt=False
    ).values_list("ballot_id", "entry_id", "score"):
        choices[ballot_id][entry_id] = score
    ballots = [
        counting.CountedBallot(spoilt=spoilt, channel=channel, choices=choices.get(pk, {}))
        for pk, spoilt, channel in Ballot.objects.filter(participatory=participatory).values_list(
            "pk", "spoilt", "channel"
        )
    ]
    result = counting.count(
        rule=participatory.rule, pot=participatory.pot, bids=bids, ballots=ballots
    )
    by_id = {e.pk: e for e in entries}
    for row in result.rows:
        row.entry = by_id[row.bid.id]
    return result


def turnout(participatory: ParticipatoryRound, result: counting.CountResult):
    """Ballots cast ÷ eligible residents, as a percentage (None without an electorate)."""
    if not participatory.electorate:
        return None
    return round(100 * result.total / participatory.electorate, 1)


def paper_ballots(participatory: ParticipatoryRound):
    return (
        Ballot.objects.filter(participatory=participatory, channel=BallotChannel.PAPER)
        .select_related("entered_by", "checked_by")
        .prefetch_related(Prefetch("choices", queryset=BallotChoice.objects.order_by("entry_id")))
        .order_by("number")
    )


def check_summary(participatory: ParticipatoryRound) -> dict:
    return Ballot.objects.filter(
        participatory=participatory, channel=BallotChannel.PAPER
    ).aggregate(
        entered=Count("pk"),
        checked=Count("pk", filter=Q(check_matches__isnull=False)),
        mismatched=Count("pk", filter=Q(check_matches=False)),
    )


def last_paper_number(participatory: ParticipatoryRound) -> int:
    last = (
        Ballot.objects.filter(participatory=participatory, channel=BallotChannel.PAPER)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return last or 0


def participatory_list_for_fund(fund_id: int):
    return (
        ParticipatoryRound.objects.filter(round__fund_id=fund_id)
        .select_related("round")
        .order_by("voting_opens_at")
    )


def postcode_count(council) -> int:
    return PostcodePlace.objects.filter(council=council).count()


def mismatched_ballots(participatory: ParticipatoryRound) -> list[int]:
    """The numbers of paper ballots whose double-entry check did not match, to correct."""
    return list(
        Ballot.objects.filter(
            participatory=participatory, channel=BallotChannel.PAPER, check_matches=False
        )
        .order_by("number")
        .values_list("number", flat=True)
    )


def corrections(participatory: ParticipatoryRound):
    return (
        BallotCorrection.objects.filter(participatory=participatory)
        .select_related("corrected_by")
        .order_by("corrected_at", "pk")
    )


def entry_with_photo(participatory: ParticipatoryRound, entry_id: int) -> ShortlistEntry:
    """A bid on the vote's ballot that has a photo (404 otherwise): what the public may see."""
    return get_object_or_404(
        ShortlistEntry.objects.exclude(photo=""),
        participatory=participatory,
        eligible=True,
        pk=entry_id,
    )


def entry_get(participatory: ParticipatoryRound, entry_id: int) -> ShortlistEntry:
    return get_object_or_404(
        ShortlistEntry.objects.select_related("application"),
        participatory=participatory,
        pk=entry_id,
    )
