"""Every write of participatory budgeting. The decision and the grants go through the fund's
own services (`decision_record`, `award_create`), so payments, monitoring, the dashboard and
360Giving work for the funded bids as for any grant."""

import datetime
import io
import random
import re
import secrets
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from PIL import Image, ImageOps, UnidentifiedImageError

from cpw.accounts.lockout import rate_limit_hit
from cpw.core import tabular
from cpw.core.services import email_queue
from cpw.core.uploads import IMAGES, check_upload, safe_name
from programmes.models import Council, Place

from .. import services as fund_services
from ..models import (
    ApplicationStatus,
    Ballot,
    BallotChannel,
    BallotChoice,
    BallotCorrection,
    DecisionOutcome,
    ParticipatoryRound,
    PollingCard,
    PostcodePlace,
    Round,
    ShortlistEntry,
    VoterMethod,
    VoterRecord,
    VotingRule,
)
from . import count as counting
from .selectors import SHORTLISTABLE, result_count

VERIFY_SALT = "funds.participatory.verify-email"
VERIFY_MAX_AGE = 60 * 60 * 24  # a day
CARD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I
POSTCODE_RE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")


def _closed_message(participatory: ParticipatoryRound) -> str:
    return f"Voting closed on {fund_services.london(participatory.voting_closes_at)}"


def _refuse_after_close(participatory: ParticipatoryRound, now: datetime.datetime) -> None:
    if participatory.voting_closed(now) or participatory.result_confirmed_at:
        raise ValidationError(f"{_closed_message(participatory)}. Nothing can be changed now")


# Set-up ----------------------------------------------------------------------------------------


@transaction.atomic
def participatory_set(
    *,
    round: Round,
    user,
    rule: str,
    voting_opens_at: datetime.datetime,
    voting_closes_at: datetime.datetime,
    places: list[Place],
    choose_n: int | None = None,
    electorate: int | None = None,
    introduction: str = "",
    now: datetime.datetime | None = None,
) -> ParticipatoryRound:
    """Make a round participatory, or change its settings until voting opens."""
    now = now or timezone.now()
    round = Round.objects.select_for_update().select_related("fund__programme").get(pk=round.pk)
    existing = ParticipatoryRound.objects.filter(round=round).first()
    errors = {}
    if existing and existing.voting_opens_at <= now:
        raise ValidationError("Voting has opened, so the vote's settings cannot be changed")
    if voting_closes_at <= voting_opens_at:
        errors["voting_closes_on"] = "Voting must close after it opens"
    if voting_opens_at < round.closes_at:
        errors["voting_opens_on"] = (
            f"Voting must open after bids close on {fund_services.london(round.closes_at)}"
        )
    if rule == VotingRule.CHOOSE_N:
        if not choose_n or choose_n < 1:
            errors["choose_n"] = "Enter how many bids each voter chooses"
    else:
        choose_n = None
    if not places:
        errors["places"] = "Choose the places whose residents may vote"
    elif any(place.council_id != round.fund.programme.council_id for place in places):
        errors["places"] = "Choose places of the fund's council"
    if round.budget <= 0:
        errors["rule"] = "Give the round a budget first: it is the pot residents decide on"
    if errors:
        raise ValidationError(errors)
    participatory = existing or ParticipatoryRound(round=round)
    participatory.rule = rule
    participatory.choose_n = choose_n
    participatory.voting_opens_at = voting_opens_at
    participatory.voting_closes_at = voting_closes_at
    participatory.electorate = electorate
    participatory.introduction = introduction.strip()
    participatory._history_user = user
    participatory.save()
    participatory.places.set(places)
    return participatory


def _advance_to_decision(application, user) -> None:
    """Move a submitted bid to 'ready for a decision' through the workflow's own transitions:
    the residents' vote is its assessment."""
    path = {
        ApplicationStatus.SUBMITTED: ApplicationStatus.SCREENING,
        ApplicationStatus.SCREENING: ApplicationStatus.IN_ASSESSMENT,
        ApplicationStatus.IN_ASSESSMENT: ApplicationStatus.READY_FOR_DECISION,
    }
    while application.status in path:
        fund_services._transition(
            application=application, user=user, target=path[application.status]
        )


@transaction.atomic
def bid_shortlist(
    *,
    participatory: ParticipatoryRound,
    application,
    user,
    eligible: bool,
    notes: str,
    now: datetime.datetime | None = None,
) -> ShortlistEntry:
    """Shortlist a bid for the ballot (eligible) or decline it as not eligible, with notes the
    public see. Only until voting opens."""
    now = now or timezone.now()
    participatory = ParticipatoryRound.objects.select_for_update().get(pk=participatory.pk)
    if participatory.voting_opens_at <= now:
        raise ValidationError("Voting has opened, so the shortlist cannot be changed")
    application = fund_services._lock(application)
    if application.round_id != participatory.round_id:
        raise ValidationError({"application": "Choose a bid made to this round"})
    if application.status not in SHORTLISTABLE:
        raise ValidationError(
            {
                "application": f"{application} is {application.get_status_display().lower()}: "
                "only a submitted bid can be shortlisted"
            }
        )
    if not notes.strip():
        raise ValidationError({"notes": "Enter the feasibility notes residents will see"})
    if application.amount_requested <= 0:
        raise ValidationError({"application": "The bid does not ask for any money"})
    entry = ShortlistEntry(
        participatory=participatory,
        application=application,
        eligible=eligible,
        feasibility_notes=notes.strip(),
        amount=application.amount_requested,
        decided_by=user,
    )
    entry._history_user = user
    entry.save()
    if eligible:
        _advance_to_decision(application, user)
        fund_services._event(application, user, "Shortlisted for the residents' vote")
    else:
        if application.status == ApplicationStatus.SUBMITTED:
            fund_services._transition(
                application=application, user=user, target=ApplicationStatus.SCREENING
            )
        elif application.status == ApplicationStatus.IN_ASSESSMENT:
            fund_services._transition(
                application=application, user=user, target=ApplicationStatus.READY_FOR_DECISION
            )
        fund_services.decision_record(
            application=application,
            user=user,
            outcome=DecisionOutcome.DECLINED,
            reason=f"Not shortlisted for the residents' vote: {notes.strip()}",
        )
    return entry


PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_MAX_PIXELS = 30_000_000  # about 6,000 by 5,000: any camera's photo, no decompression bomb
PHOTO_LONGEST_SIDE = 1600  # what the public pages are sent
PIL_FORMATS = {"jpg": "JPEG", "png": "PNG"}


def _photo_reencoded(upload) -> tuple[bytes, str]:
    """Check a bid's photo (the portal's upload check, then Pillow reads it whole) and return it
    re-encoded: turned upright, at most PHOTO_LONGEST_SIDE pixels on its longest side, without
    its metadata (camera, place it was taken). The kind stays JPEG or PNG."""
    try:
        kind = check_upload(upload, kinds=IMAGES, max_bytes=PHOTO_MAX_BYTES, match_name=False)
    except ValidationError as exc:
        raise ValidationError({"photo": exc.messages}) from None
    unreadable = ValidationError({"photo": "The selected file could not be read as a photo"})
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            if image.format != PIL_FORMATS[kind]:
                raise unreadable
            width, height = image.size
            if width * height > PHOTO_MAX_PIXELS:
                raise ValidationError(
                    {
                        "photo": f"The selected photo is {width:,} by {height:,} pixels: it must "
                        "be smaller than 30 million pixels"
                    }
                )
            image.load()
            image = ImageOps.exif_transpose(image)
            image.thumbnail((PHOTO_LONGEST_SIDE, PHOTO_LONGEST_SIDE))
            out = io.BytesIO()
            if kind == "jpg":
                image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
            else:
                if image.mode not in ("RGB", "RGBA", "L", "LA", "P"):
                    image = image.convert("RGBA")
                image.save(out, format="PNG", optimize=True)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise unreadable from None
    finally:
        upload.seek(0)
    return out.getvalue(), kind


@transaction.atomic
def bid_photo_set(
    *,
    entry: ShortlistEntry,
    user,
    photo=None,
    alt: str = "",
    remove: bool = False,
    now: datetime.datetime | None = None,
) -> ShortlistEntry:
    """Add, replace or remove the photo shown beside a shortlisted bid, or change its
    description (alt text, required with a photo). Until voting closes; recorded in the entry's
    history. The file replaced or removed is deleted: a photo may show people."""
    now = now or timezone.now()
    entry = (
        ShortlistEntry.objects.select_for_update().select_related("participatory").get(pk=entry.pk)
    )
    if entry.participatory.voting_closed(now) or entry.participatory.result_confirmed_at:
        raise ValidationError(
            f"{_closed_message(entry.participatory)}, so the bid's photo cannot be changed"
        )
    if not entry.eligible:
        raise ValidationError("Only a bid on the ballot has a photo")
    old_name = entry.photo.name
    if remove:
        entry.photo = ""
        entry.photo_alt = ""
    else:
        alt = " ".join((alt or "").split())
        errors = {}
        if not photo and not entry.photo:
            errors["photo"] = "Select a photo"
        if not alt:
            errors["alt"] = "Describe the photo for people who cannot see it"
        if errors:
            raise ValidationError(errors)
        entry.photo_alt = alt[:250]
        if photo:
            content, kind = _photo_reencoded(photo)
            entry.photo.save(safe_name(kind), ContentFile(content), save=False)
    entry._history_user = user
    entry.save()
    if old_name and old_name != entry.photo.name:
        storage = entry.photo.storage
        transaction.on_commit(lambda: storage.delete(old_name))
    return entry


# Postcodes -------------------------------------------------------------------------------------


def postcode_normalise(text: str) -> str:
    return re.sub(r"\s+", "", text or "").upper()


def postcode_display(postcode: str) -> str:
    return f"{postcode[:-3]} {postcode[-3:]}" if len(postcode) > 3 else postcode


def postcode_in_area(participatory: ParticipatoryRound, postcode: str) -> bool:
    """Is the postcode in one of the vote's places, or in a place inside one of them?"""
    code = postcode_normalise(postcode)
    found = (
        PostcodePlace.objects.filter(
            council_id=participatory.round.fund.programme.council_id, postcode=code
        )
        .select_related("place")
        .first()
    )
    if found is None:
        return False
    area = set(participatory.places.values_list("pk", flat=True))
    place, depth = found.place, 0
    while place is not None and depth < 8:
        if place.pk in area:
            return True
        place, depth = place.parent, depth + 1
    return False


@dataclass(frozen=True)
class PostcodesImportSummary:
    created: int
    updated: int


@transaction.atomic
def postcodes_import(*, council: Council, rows: list[tuple[int, dict]]) -> PostcodesImportSummary:
    """Load a council's postcode → place lookup from the rows of a file with the columns
    `postcode` and `place` (a place's ONS code or name), all or nothing."""
    places = list(Place.objects.filter(council=council))
    by_code = {p.ons_code.upper(): p for p in places if p.ons_code}
    by_name: dict[str, list[Place]] = {}
    for place in places:
        by_name.setdefault(place.name.casefold(), []).append(place)
    errors = tabular.RowErrors()
    found: dict[str, Place] = {}
    for number, row in rows:
        code = postcode_normalise(row.get("postcode", ""))
        if not POSTCODE_RE.match(code):
            errors.append(
                tabular.RowError(number, "postcode", "Enter a real postcode, like CV34 4RL")
            )
            continue
        key = (row.get("place") or "").strip()
        place = by_code.get(key.upper())
        if place is None:
            named = by_name.get(key.casefold(), [])
            if len(named) == 1:
                place = named[0]
            elif len(named) > 1:
                errors.append(
                    tabular.RowError(
                        number, "place", f"More than one place is called {key}: use its ONS code"
                    )
                )
                continue
        if place is None:
            errors.append(
                tabular.RowError(number, "place", f"{council} has no place {key or '(blank)'}")
            )
            continue
        found[code] = place
    if errors:
        raise tabular.ImportRejected(errors)
    existing = {
        p.postcode: p for p in PostcodePlace.objects.filter(council=council, postcode__in=found)
    }
    created = updated = 0
    new = []
    for code, place in found.items():
        if code in existing:
            if existing[code].place_id != place.pk:
                existing[code].place = place
                existing[code].save(update_fields=["place"])
                updated += 1
        else:
            new.append(PostcodePlace(council=council, postcode=code, place=place))
            created += 1
    PostcodePlace.objects.bulk_create(new, batch_size=2000)
    return PostcodesImportSummary(created=created, updated=updated)


# Identity --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VoterPass:
    """Who is voting, as kept in their session: keyed hashes only, never the email or code."""

    participatory_id: int
    method: str
    voter_key: str
    replace_key: str
    card_hash: str = ""

    def as_session(self) -> dict:
        return {
            "p": self.participatory_id,
            "m": self.method,
            "v": self.voter_key,
            "r": self.replace_key,
            "c": self.card_hash,
        }

    @classmethod
    def from_session(cls, data) -> "VoterPass | None":
        if not isinstance(data, dict):
            return None
        try:
            return cls(
                participatory_id=int(data["p"]),
                method=str(data["m"]),
                voter_key=str(data["v"]),
                replace_key=str(data["r"]),
                card_hash=str(data.get("c", "")),
            )
        except (KeyError, TypeError, ValueError):
            return None


def _hash(purpose: str, participatory_id: int, value: str) -> str:
    return salted_hmac(f"funds.participatory.{purpose}", f"{participatory_id}:{value}").hexdigest()


def voter_pass(participatory: ParticipatoryRound, *, method: str, identity: str) -> VoterPass:
    identity = identity.strip().lower() if method == VoterMethod.EMAIL else identity
    return VoterPass(
        participatory_id=participatory.pk,
        method=method,
        voter_key=_hash("voter", participatory.pk, f"{method}:{identity}"),
        replace_key=_hash("ballot", participatory.pk, f"{method}:{identity}"),
        card_hash=_hash("card", participatory.pk, identity) if method == VoterMethod.CARD else "",
    )


def card_code_normalise(code: str) -> str:
    return re.sub(r"[\s-]+", "", code or "").upper()


@transaction.atomic
def polling_cards_issue(*, participatory: ParticipatoryRound, count: int) -> list[str]:
    """New single-use codes for polling cards, returned once to be printed (only their hashes
    are kept)."""
    if not 1 <= count <= 100_000:
        raise ValidationError({"count": "Enter a number of cards from 1 to 100,000"})
    codes = set()
    while len(codes) < count:
        raw = "".join(secrets.choice(CARD_ALPHABET) for _ in range(10))
        codes.add(raw)
    PollingCard.objects.bulk_create(
        [
            PollingCard(participatory=participatory, code_hash=_hash("card", participatory.pk, c))
            for c in codes
        ],
        batch_size=2000,
    )
    return sorted(f"{c[:5]}-{c[5:]}" for c in codes)


def _check_voting_open(participatory: ParticipatoryRound, now: datetime.datetime) -> None:
    if participatory.result_confirmed_at or participatory.voting_closed(now):
        raise ValidationError(_closed_message(participatory))
    if now < participatory.voting_opens_at:
        raise ValidationError(
            f"Voting opens on {fund_services.london(participatory.voting_opens_at)}"
        )


def voter_identify_card(
    *, participatory: ParticipatoryRound, code: str, postcode: str, now=None
) -> VoterPass:
    now = now or timezone.now()
    _check_voting_open(participatory, now)
    errors = {}
    code = card_code_normalise(code)
    voter = voter_pass(participatory, method=VoterMethod.CARD, identity=code)
    if (
        not code
        or not PollingCard.objects.filter(
            participatory=participatory, code_hash=voter.card_hash
        ).exists()
    ):
        errors["code"] = "Enter the code exactly as it is printed on your polling card"
    if not postcode_in_area(participatory, postcode):
        errors["postcode"] = "Enter a postcode in the area of this vote"
    if errors:
        raise ValidationError(errors)
    return voter


LINKS_REFUSED = (
    "Too many links to vote have been asked for in the last hour. Wait an hour and try again, "
    "or vote with the code on your polling card"
)


def vote_link_rate_limited(*, participatory: ParticipatoryRound, email: str, ip: str) -> bool:
    """Count one request for an emailed link to vote, per IP address and per email address (an
    hour each, see settings.VOTE_LINKS_PER_HOUR_*); True when either limit is already reached, so
    no email should be sent. The address is counted as a keyed hash, and whether it has voted
    plays no part: the answer is the same for an address that has voted and one that has not."""
    period = datetime.timedelta(hours=1)
    if rate_limit_hit(
        action=f"vote-link-ip:{participatory.pk}",
        key=ip or "unknown",
        limit=settings.VOTE_LINKS_PER_HOUR_PER_IP,
        period=period,
    ):
        return True
    return rate_limit_hit(
        action=f"vote-link-email:{participatory.pk}",
        key=_hash("link", participatory.pk, email.strip().lower()),
        limit=settings.VOTE_LINKS_PER_HOUR_PER_EMAIL,
        period=period,
    )


def voter_verification_send(
    *, participatory: ParticipatoryRound, email: str, postcode: str, verify_url, now=None
) -> None:
    """Email a link that lets the holder of the address vote. `verify_url(token)` is the link's
    address."""
    now = now or timezone.now()
    _check_voting_open(participatory, now)
    if not postcode_in_area(participatory, postcode):
        raise ValidationError({"postcode": "Enter a postcode in the area of this vote"})
    token = signing.dumps(
        {"p": participatory.pk, "e": email.strip().lower()}, salt=VERIFY_SALT, compress=True
    )
    email_queue(
        to=email.strip(),
        subject=f"Your link to vote: {participatory.round.name}",
        body=(
            f"Use this link to vote in {participatory.round.name} "
            f"({participatory.round.fund.name}):\n\n{verify_url(token)}\n\n"
            "The link works for 24 hours. If you did not ask to vote, ignore this email.\n"
        ),
    )


def voter_verify_email(*, participatory: ParticipatoryRound, token: str, now=None) -> VoterPass:
    now = now or timezone.now()
    _check_voting_open(participatory, now)
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=VERIFY_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError("This link has expired. Ask for a new one") from None
    except signing.BadSignature:
        raise ValidationError("This link is not right. Ask for a new one") from None
    if not isinstance(data, dict) or data.get("p") != participatory.pk or not data.get("e"):
        raise ValidationError("This link is for another vote")
    return voter_pass(participatory, method=VoterMethod.EMAIL, identity=data["e"])


# Ballots ---------------------------------------------------------------------------------------


def _amounts(participatory: ParticipatoryRound) -> dict[int, Decimal]:
    return dict(
        ShortlistEntry.objects.filter(participatory=participatory, eligible=True).values_list(
            "pk", "amount"
        )
    )


def ballot_problems(participatory: ParticipatoryRound, choices: dict[int, int | None]) -> list[str]:
    return counting.ballot_problems(
        rule=participatory.rule,
        pot=participatory.pot,
        choose_n=participatory.choose_n,
        amounts=_amounts(participatory),
        choices=choices,
    )


def _save_choices(ballot: Ballot, choices: dict[int, int | None]) -> None:
    BallotChoice.objects.bulk_create(
        [
            BallotChoice(ballot=ballot, entry_id=entry_id, score=score)
            for entry_id, score in choices.items()
        ]
    )


def _cast(participatory, voter: VoterPass, choices, now) -> tuple[Ballot, bool]:
    with transaction.atomic():
        participatory = ParticipatoryRound.objects.select_related("round").get(pk=participatory.pk)
        _check_voting_open(participatory, now)
        problems = ballot_problems(participatory, choices)
        if problems:
            raise ValidationError(problems)
        if voter.method == VoterMethod.CARD:
            card = (
                PollingCard.objects.select_for_update()
                .filter(participatory=participatory, code_hash=voter.card_hash)
                .first()
            )
            if card is None:
                raise PermissionDenied("This polling card code is not valid")
            if card.used_at is None:
                card.used_at = now
                card.save(update_fields=["used_at"])
        record, created = VoterRecord.objects.get_or_create(
            participatory=participatory,
            voter_key=voter.voter_key,
            defaults={"method": voter.method},
        )
        if not created:
            VoterRecord.objects.filter(pk=record.pk).update(last_voted_at=now)
        replaced = (
            Ballot.objects.filter(
                participatory=participatory, replace_key=voter.replace_key
            ).delete()[0]
            > 0
        )
        ballot = Ballot.objects.create(
            participatory=participatory,
            channel=BallotChannel.ONLINE,
            replace_key=voter.replace_key,
        )
        _save_choices(ballot, choices)
    return ballot, replaced or not created


def ballot_cast(
    *, participatory: ParticipatoryRound, voter: VoterPass, choices: dict[int, int | None], now=None
) -> tuple[Ballot, bool]:
    """Cast (or, voting again, replace) one resident's online ballot. Returns the ballot and
    whether it replaced an earlier one. One record per voter and one ballot per voter are
    unique in the database, so two submits at once make one ballot: the loser of the race
    retries once and replaces the winner's ballot with the same choices."""
    now = now or timezone.now()
    if voter.participatory_id != participatory.pk:
        raise PermissionDenied("You have not confirmed who you are for this vote")
    try:
        return _cast(participatory, voter, choices, now)
    except IntegrityError:
        return _cast(participatory, voter, choices, now)


@transaction.atomic
def paper_ballot_enter(
    *,
    participatory: ParticipatoryRound,
    user,
    number: int,
    choices: dict[int, int | None],
    spoilt: bool = False,
    reason: str = "",
    replace: bool = False,
    now=None,
) -> Ballot:
    """Enter one numbered paper ballot from the voting day. A ballot that breaks the rule is
    refused: record it as spoilt, with the reason. `replace` corrects a ballot already entered
    (its double-entry check is then cleared)."""
    now = now or timezone.now()
    participatory = (
        ParticipatoryRound.objects.select_for_update()
        .select_related("round")
        .get(pk=participatory.pk)
    )
    _refuse_after_close(participatory, now)
    if now < participatory.voting_opens_at:
        raise ValidationError(
            f"Voting opens on {fund_services.london(participatory.voting_opens_at)}"
        )
    if number is None or number < 1:
        raise ValidationError({"number": "Enter the ballot's number"})
    existing = Ballot.objects.filter(participatory=participatory, number=number).first()
    if existing and not replace:
        raise ValidationError(
            {"number": f"Ballot {number} has already been entered. Check the number"}
        )
    if spoilt:
        if not reason.strip():
            raise ValidationError({"spoilt_reason": "Enter why the ballot is spoilt"})
        choices = {}
    else:
        reason = ""
        problems = ballot_problems(participatory, choices)
        if problems:
            raise ValidationError(
                [*problems, "If that is what the paper says, record the ballot as spoilt"]
            )
    if existing:
        existing.delete()
    ballot = Ballot.objects.create(
        participatory=participatory,
        channel=BallotChannel.PAPER,
        number=number,
        spoilt=spoilt,
        spoilt_reason=reason.strip()[:200],
        entered_by=user,
    )
    _save_choices(ballot, choices)
    return ballot


def check_sample(participatory: ParticipatoryRound, *, share: float = 0.1) -> list[int]:
    """The paper ballot numbers to enter a second time: one in ten (at least one), chosen by a
    generator seeded with the vote's id, so the same ballots give the same sample."""
    numbers = sorted(
        Ballot.objects.filter(participatory=participatory, channel=BallotChannel.PAPER).values_list(
            "number", flat=True
        )
    )
    if not numbers:
        return []
    size = max(1, round(len(numbers) * share))
    return sorted(random.Random(participatory.pk).sample(numbers, size))


@transaction.atomic
def paper_ballot_check(
    *,
    participatory: ParticipatoryRound,
    user,
    number: int,
    choices: dict[int, int | None],
    spoilt: bool = False,
) -> Ballot:
    """A second person enters a paper ballot again; the result records whether both entries
    agree. Allowed until the result is confirmed."""
    if participatory.result_confirmed_at:
        raise ValidationError("The result has been confirmed. Nothing can be changed now")
    ballot = (
        Ballot.objects.select_for_update()
        .filter(participatory=participatory, channel=BallotChannel.PAPER, number=number)
        .first()
    )
    if ballot is None:
        raise ValidationError({"number": f"No paper ballot {number} has been entered"})
    if ballot.entered_by_id == user.pk:
        raise PermissionDenied("Someone other than the person who entered the ballot must check it")
    stored = dict(ballot.choices.values_list("entry_id", "score"))
    matches = ballot.spoilt == spoilt and (spoilt or stored == choices)
    ballot.checked_by = user
    ballot.check_matches = matches
    ballot.save(update_fields=["checked_by", "check_matches"])
    return ballot


def ballot_summary(ballot: Ballot) -> str:
    """A paper ballot as the correction history shows it: its bids' references (with scores)."""
    if ballot.spoilt:
        return f"Spoilt: {ballot.spoilt_reason}"
    picks = sorted(
        (choice.entry.application.reference, choice.score)
        for choice in ballot.choices.select_related("entry__application")
    )
    if not picks:
        return "No bids chosen"
    return ", ".join(ref if score is None else f"{ref} scored {score}" for ref, score in picks)


@transaction.atomic
def paper_ballot_correct(
    *,
    participatory: ParticipatoryRound,
    user,
    number: int,
    choices: dict[int, int | None],
    reason: str,
    spoilt: bool = False,
    spoilt_reason: str = "",
) -> BallotCorrection:
    """A programme manager corrects a paper ballot whose double-entry check did not match, from
    the paper, after voting has closed as well as before: the ballot's choices are replaced, it
    counts as checked (the paper has been read again), and a `BallotCorrection` records who, when
    and why, with the ballot before and after. Whoever entered the ballot may not correct it.
    Nothing can be corrected once the result is confirmed; the count reads the corrected ballot."""
    participatory = (
        ParticipatoryRound.objects.select_for_update()
        .select_related("round")
        .get(pk=participatory.pk)
    )
    if participatory.result_confirmed_at:
        raise ValidationError("The result has been confirmed. Nothing can be changed now")
    ballot = (
        Ballot.objects.select_for_update()
        .filter(participatory=participatory, channel=BallotChannel.PAPER, number=number)
        .first()
    )
    if ballot is None:
        raise ValidationError(f"No paper ballot {number} has been entered")
    if ballot.check_matches is not False:
        raise ValidationError(
            f"Ballot {number} has no double-entry check that disagrees with it, so it cannot be "
            "corrected here"
        )
    if ballot.entered_by_id == user.pk:
        raise PermissionDenied(
            "Someone other than the person who entered the ballot must correct it"
        )
    errors = {}
    if not reason.strip():
        errors["reason"] = "Enter why the ballot is corrected"
    if spoilt:
        if not spoilt_reason.strip():
            errors["spoilt_reason"] = "Enter why the ballot is spoilt"
        choices = {}
    else:
        spoilt_reason = ""
        problems = ballot_problems(participatory, choices)
        if problems:
            errors["__all__"] = [
                *problems,
                "If that is what the paper says, record the ballot as spoilt",
            ]
    if errors:
        raise ValidationError(errors)
    before = ballot_summary(ballot)
    ballot.choices.all().delete()
    _save_choices(ballot, choices)
    ballot.spoilt = spoilt
    ballot.spoilt_reason = spoilt_reason.strip()[:200]
    ballot.check_matches = True
    ballot.save(update_fields=["spoilt", "spoilt_reason", "check_matches"])
    return BallotCorrection.objects.create(
        participatory=participatory,
        number=number,
        before=before[:1000],
        after=ballot_summary(ballot)[:1000],
        reason=reason.strip(),
        corrected_by=user,
    )


# The result ------------------------------------------------------------------------------------


@transaction.atomic
def result_confirm(
    *,
    participatory: ParticipatoryRound,
    user,
    awarded_on: datetime.date,
    first_report_due: datetime.date,
    now=None,
) -> list:
    """The council confirms the count: the funded bids are approved and awarded their amounts
    (through the fund's decision and award services), the others declined, and every ballot's
    replace key blanked so no ballot can be tied to a voter any more. Once only, after voting
    closes."""
    now = now or timezone.now()
    participatory = (
        ParticipatoryRound.objects.select_for_update()
        .select_related("round__fund__programme")
        .get(pk=participatory.pk)
    )
    if participatory.result_confirmed_at:
        raise ValidationError("The result has already been confirmed")
    if not participatory.voting_closed(now):
        raise ValidationError(
            f"Voting closes on {fund_services.london(participatory.voting_closes_at)}: "
            "confirm the result after that"
        )
    if first_report_due <= awarded_on:
        raise ValidationError({"first_report_due": "The first report must be due after the award"})
    result = result_count(participatory)
    if not result.funded:
        raise ValidationError("No bid has any votes, so there is nothing to confirm")
    awards = []
    for row in result.rows:
        entry = ShortlistEntry.objects.select_related("application").get(pk=row.bid.id)
        application = entry.application
        if row.funded:
            fund_services.decision_record(
                application=application,
                user=user,
                outcome=DecisionOutcome.APPROVED,
                amount_capital=application.amount_capital,
                amount_revenue=application.amount_revenue,
                conditions="Chosen by residents in the participatory vote",
            )
            awards.append(
                fund_services.award_create(
                    application=application,
                    user=user,
                    amount_capital=application.amount_capital,
                    amount_revenue=application.amount_revenue,
                    awarded_on=awarded_on,
                    conditions="Chosen by residents in the participatory vote",
                    report_due_dates=[first_report_due],
                )
            )
        else:
            fund_services.decision_record(
                application=application,
                user=user,
                outcome=DecisionOutcome.DECLINED,
                reason=f"Not funded in the residents' vote ({row.votes} votes, ranked "
                f"{row.rank}): {row.note.lower() or 'not funded'}",
            )
    Ballot.objects.filter(participatory=participatory).exclude(replace_key="").update(
        replace_key=""
    )
    participatory.result_confirmed_at = now
    participatory.result_confirmed_by = user
    participatory._history_user = user
    participatory.save(update_fields=["result_confirmed_at", "result_confirmed_by", "updated_at"])
    return awards
