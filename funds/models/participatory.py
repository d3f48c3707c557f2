"""Participatory budgeting: a round whose decision residents make by voting.

Integrity by design:
- a `Ballot` carries no voter identity. Who has voted is a separate table (`VoterRecord`) that
  holds only a keyed hash of the voter's email address or polling-card code;
- an online ballot carries `replace_key`, another keyed hash of the same identity (with a
  different salt), so that voting again replaces the earlier ballot while the window is open.
  Confirming the result blanks every `replace_key`, after which no ballot can be tied to anyone;
- one `VoterRecord` per voter and one online ballot per `replace_key` are unique constraints, so
  two submits at once make one ballot.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from cpw.core.history import HistoricalRecords
from cpw.core.models import TimeStampedModel

from .applications import Application
from .base import MONEY
from .funds import Round


class VotingRule(models.TextChoices):
    KNAPSACK = "knapsack", "Choose bids up to the pot"
    CHOOSE_N = "choose_n", "Choose a set number of bids"
    SCORE = "score", "Score every bid from 1 to 5"


class ParticipatoryRound(TimeStampedModel):
    """A round of a fund decided by residents: the pot is the round's budget, the bid window is
    the round's opening and closing; here are the voting window, the rule and the area."""

    round = models.OneToOneField(Round, on_delete=models.CASCADE, related_name="participatory")
    rule = models.CharField(max_length=10, choices=VotingRule.choices)
    choose_n = models.PositiveSmallIntegerField(
        "number of bids each voter chooses", null=True, blank=True
    )
    voting_opens_at = models.DateTimeField()
    voting_closes_at = models.DateTimeField()
    places = models.ManyToManyField(
        "programmes.Place",
        related_name="participatory_rounds",
        help_text="Residents of these places (and the places inside them) may vote.",
    )
    electorate = models.PositiveIntegerField(
        "eligible residents",
        null=True,
        blank=True,
        help_text="How many residents may vote, for the turnout. Leave blank if not known.",
    )
    introduction = models.TextField(blank=True)
    result_confirmed_at = models.DateTimeField(null=True, blank=True)
    result_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"], m2m_fields=[])

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(voting_closes_at__gt=F("voting_opens_at")),
                name="pb_voting_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=(Q(rule="choose_n") & Q(choose_n__gte=1))
                | (~Q(rule="choose_n") & Q(choose_n__isnull=True)),
                name="pb_choose_n_only_for_choose_n",
            ),
        ]

    def __str__(self):
        return f"Residents' vote: {self.round}"

    @property
    def programme_id(self) -> int:
        return self.round.fund.programme_id

    @property
    def fund_id(self) -> int:
        return self.round.fund_id

    @property
    def pot(self):
        return self.round.budget

    def voting_open(self, now) -> bool:
        return self.voting_opens_at <= now < self.voting_closes_at

    def voting_closed(self, now) -> bool:
        return now >= self.voting_closes_at


class ShortlistEntry(TimeStampedModel):
    """The council's or community planning group's shortlisting of one bid: eligible or not,
    with feasibility notes that the public see beside the bid. The amount is the bid's request
    when shortlisted; the count uses it."""

    participatory = models.ForeignKey(
        ParticipatoryRound, on_delete=models.CASCADE, related_name="entries"
    )
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="shortlist_entry"
    )
    eligible = models.BooleanField()
    feasibility_notes = models.TextField(blank=True)
    amount = models.DecimalField(**MONEY)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # An optional photo shown beside the bid on the public pages: checked and re-encoded by
    # `services.bid_photo_set` (no camera metadata kept), served by the `vote-photo` view only.
    photo = models.FileField(upload_to="participatory/%Y/%m/", blank=True)
    photo_alt = models.CharField("description of the photo", max_length=250, blank=True)
    history = HistoricalRecords(excluded_fields=["created_at", "updated_at"])

    class Meta:
        ordering = ["application__reference", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="pb_entry_amount_positive"),
            models.CheckConstraint(
                condition=Q(photo="") | ~Q(photo_alt=""), name="pb_entry_photo_has_alt"
            ),
        ]

    def __str__(self):
        return str(self.application)

    @property
    def programme_id(self) -> int:
        return self.participatory.programme_id


class BallotChannel(models.TextChoices):
    ONLINE = "online", "Online"
    PAPER = "paper", "Paper"


class Ballot(models.Model):
    """One vote. No voter identity: see the module's docstring."""

    participatory = models.ForeignKey(
        ParticipatoryRound, on_delete=models.PROTECT, related_name="ballots"
    )
    channel = models.CharField(max_length=6, choices=BallotChannel.choices)
    number = models.PositiveIntegerField(null=True, blank=True, help_text="Paper ballots")
    spoilt = models.BooleanField(default=False)
    spoilt_reason = models.CharField(max_length=200, blank=True)
    replace_key = models.CharField(max_length=64, blank=True, editable=False)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cast_at = models.DateTimeField(auto_now_add=True)
    # Double-entry check of paper ballots: a second person enters a sample again.
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    check_matches = models.BooleanField(null=True, blank=True)

    class Meta:
        ordering = ["participatory", "number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["participatory", "number"],
                condition=Q(number__isnull=False),
                name="pb_ballot_number_unique",
            ),
            models.UniqueConstraint(
                fields=["participatory", "replace_key"],
                condition=~Q(replace_key=""),
                name="pb_one_online_ballot_per_voter",
            ),
            models.CheckConstraint(
                condition=(Q(channel="paper") & Q(number__isnull=False) & Q(replace_key=""))
                | (Q(channel="online") & Q(number__isnull=True)),
                name="pb_paper_ballots_numbered",
            ),
            models.CheckConstraint(
                condition=Q(spoilt=False, spoilt_reason="")
                | (Q(spoilt=True) & ~Q(spoilt_reason="")),
                name="pb_spoilt_with_reason",
            ),
        ]

    def __str__(self):
        if self.number is not None:
            return f"Paper ballot {self.number}"
        return f"Online ballot {self.pk}"

    @property
    def programme_id(self) -> int:
        return self.participatory.programme_id


class BallotChoice(models.Model):
    """A bid picked on a ballot (knapsack, choose N) or the score given to it (1 to 5)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    entry = models.ForeignKey(ShortlistEntry, on_delete=models.PROTECT, related_name="choices")
    score = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "entry"], name="pb_choice_unique"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=1, score__lte=5),
                name="pb_score_one_to_five",
            ),
        ]

    def __str__(self):
        return f"{self.entry}: {self.score or 'picked'}"


class BallotCorrection(models.Model):
    """A paper ballot corrected by a programme manager after its double-entry check found the
    two entries disagree: who, when and why, with the ballot as first entered and as corrected
    (bid references, or "Spoilt: reason"). Kept by number, so it outlives any re-entry of the
    ballot; never edited. No correction is possible once the result is confirmed."""

    participatory = models.ForeignKey(
        ParticipatoryRound, on_delete=models.PROTECT, related_name="corrections"
    )
    number = models.PositiveIntegerField()
    before = models.CharField(max_length=1000)
    after = models.CharField(max_length=1000)
    reason = models.TextField()
    corrected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    corrected_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["participatory", "corrected_at", "pk"]

    def __str__(self):
        return f"Correction of paper ballot {self.number}"

    @property
    def programme_id(self) -> int:
        return self.participatory.programme_id


class VoterMethod(models.TextChoices):
    EMAIL = "email", "Email address"
    CARD = "card", "Polling card code"


class VoterRecord(models.Model):
    """Who has voted (as a keyed hash of their email address or card code), for one vote per
    person. Never linked to a ballot."""

    participatory = models.ForeignKey(
        ParticipatoryRound, on_delete=models.PROTECT, related_name="voters"
    )
    method = models.CharField(max_length=5, choices=VoterMethod.choices)
    voter_key = models.CharField(max_length=64)
    first_voted_at = models.DateTimeField(auto_now_add=True)
    last_voted_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participatory", "voter_key"], name="pb_one_record_per_voter"
            )
        ]

    def __str__(self):
        return f"A voter by {self.get_method_display().lower()}"


class PollingCard(models.Model):
    """A single-use code printed on a polling card (kept as a keyed hash). The code lets one
    resident vote; voting again with it replaces their ballot while the window is open."""

    participatory = models.ForeignKey(
        ParticipatoryRound, on_delete=models.CASCADE, related_name="cards"
    )
    code_hash = models.CharField(max_length=64)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["participatory", "code_hash"], name="pb_card_code_unique"
            )
        ]

    def __str__(self):
        return "A used polling card" if self.used_at else "An unused polling card"


class PostcodePlace(models.Model):
    """Which of a council's places a postcode is in, loaded from the council's CSV (no outside
    service). Postcodes are kept upper case without spaces."""

    council = models.ForeignKey(
        "programmes.Council", on_delete=models.CASCADE, related_name="postcode_places"
    )
    postcode = models.CharField(max_length=8)
    place = models.ForeignKey("programmes.Place", on_delete=models.CASCADE, related_name="+")

    class Meta:
        ordering = ["postcode"]
        constraints = [
            models.UniqueConstraint(fields=["council", "postcode"], name="postcode_unique")
        ]

    def __str__(self):
        return f"{self.postcode}: {self.place}"
