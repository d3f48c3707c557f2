"""Participatory budgeting pages.

Residents (no account): the vote's page, confirming who they are (an emailed link, or a polling
card code, and a postcode in the area), the ballot with its running total, check your answers,
confirmation and the published result. Who they are is kept in their session only as keyed
hashes (`services.VoterPass`).

Council staff: the vote's settings and shortlist (programme managers), paper ballot entry and
its double-entry check, the count, its CSV, polling cards, and confirming the result
(programme managers)."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from cpw.accounts.lockout import client_ip
from cpw.core import tabular
from cpw.core.access import access_required
from cpw.core.forms import add_form_errors
from programmes import selectors as programme_selectors
from programmes.models import Place

from .. import opendata
from .. import selectors as fund_selectors
from ..models import VoterMethod, VotingRule
from ..services import london, money, portal_url
from . import count as counting
from . import forms, selectors, services


def _crumbs(*pairs):
    return [{"label": label, "url": url} for label, url in pairs]


def _voter_key(pk):
    return f"pb_voter_{pk}"


def _choices_key(pk):
    return f"pb_choices_{pk}"


def _public(pk):
    return selectors.participatory_get(pk)


def _public_crumbs(participatory):
    fund = participatory.round.fund
    return _crumbs(
        ("Funds", reverse("funds:fund-list")),
        (fund.name, reverse("funds:fund-detail", args=[fund.slug])),
        (participatory.round.name, reverse("funds:vote", args=[participatory.pk])),
    )


def _voter(request, participatory):
    voter = services.VoterPass.from_session(request.session.get(_voter_key(participatory.pk)))
    if voter is None or voter.participatory_id != participatory.pk:
        return None
    return voter


def _session_choices(request, participatory) -> dict[int, int | None]:
    raw = request.session.get(_choices_key(participatory.pk)) or {}
    try:
        return {int(k): (int(v) if v is not None else None) for k, v in raw.items()}
    except (AttributeError, TypeError, ValueError):
        return {}


def _running_total(participatory, entries, choices: dict) -> dict:
    """What the ballot page shows beside the choices, worked out on the server."""
    chosen = [e for e in entries if e.pk in choices]
    total = sum((e.amount for e in chosen), start=participatory.pot * 0)
    if participatory.rule == VotingRule.KNAPSACK:
        left = participatory.pot - total
        text = f"You have chosen {money(total)} of the {money(participatory.pot)} pot. "
        text += f"{money(left)} is left." if left >= 0 else f"That is {money(-left)} too much."
        return {"text": text, "over": left < 0}
    if participatory.rule == VotingRule.CHOOSE_N:
        return {
            "text": f"You have chosen {len(chosen)} of {participatory.choose_n} bids.",
            "over": len(chosen) > participatory.choose_n,
        }
    return {"text": f"You have scored {len(chosen)} of {len(entries)} bids.", "over": False}


def _state(participatory, now) -> str:
    if participatory.result_confirmed_at:
        return "confirmed"
    if participatory.voting_closed(now):
        return "closed"
    if participatory.voting_open(now):
        return "open"
    return "upcoming"


# Residents -------------------------------------------------------------------------------------


@require_safe
def vote(request, pk):
    participatory = _public(pk)
    request.access_object = participatory.round.fund
    now = timezone.now()
    return render(
        request,
        "funds/vote.html",
        {
            "participatory": participatory,
            "entries": selectors.shortlist(participatory),
            "places": selectors.area_places(participatory),
            "state": _state(participatory, now),
            "tie_breaks": counting.TIE_BREAKS,
            "breadcrumbs": _public_crumbs(participatory)[:-1],
        },
    )


def _closed_page(request, participatory, status=200):
    return render(
        request,
        "funds/vote_closed.html",
        {
            "participatory": participatory,
            "state": _state(participatory, timezone.now()),
            "breadcrumbs": _public_crumbs(participatory),
        },
        status=status,
    )


def vote_start(request, pk):
    participatory = _public(pk)
    request.access_object = participatory.round.fund
    if not participatory.voting_open(timezone.now()) or participatory.result_confirmed_at:
        return _closed_page(request, participatory)
    form = forms.IdentifyForm(request.POST or None)
    limited = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        # Links by email are limited per IP address and per address (the answer is the same
        # whether or not the address has voted); polling cards are not emailed.
        limited = data["method"] == VoterMethod.EMAIL and services.vote_link_rate_limited(
            participatory=participatory, email=data["email"], ip=client_ip(request)
        )
        if limited:
            form.add_error(None, services.LINKS_REFUSED)
        elif data["method"] == VoterMethod.CARD:
            try:
                voter = services.voter_identify_card(
                    participatory=participatory, code=data["code"], postcode=data["postcode"]
                )
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                request.session[_voter_key(pk)] = voter.as_session()
                return redirect("funds:vote-ballot", pk=pk)
        else:
            try:
                services.voter_verification_send(
                    participatory=participatory,
                    email=data["email"],
                    postcode=data["postcode"],
                    verify_url=lambda token: portal_url(
                        reverse("funds:vote-verify", args=[participatory.pk, token])
                    ),
                )
            except ValidationError as exc:
                add_form_errors(form, exc)
            else:
                return render(
                    request,
                    "funds/vote_email_sent.html",
                    {
                        "participatory": participatory,
                        "email": data["email"],
                        "breadcrumbs": _public_crumbs(participatory),
                    },
                )
    return render(
        request,
        "funds/vote_start.html",
        {
            "participatory": participatory,
            "form": form,
            "breadcrumbs": _public_crumbs(participatory),
        },
        status=429 if limited else (400 if form.errors else 200),
    )


@require_safe
def vote_verify(request, pk, token):
    participatory = _public(pk)
    request.access_object = participatory.round.fund
    try:
        voter = services.voter_verify_email(participatory=participatory, token=token)
    except ValidationError as exc:
        return render(
            request,
            "funds/vote_link_problem.html",
            {
                "participatory": participatory,
                "problem": " ".join(exc.messages),
                "breadcrumbs": _public_crumbs(participatory),
            },
            status=400,
        )
    request.session[_voter_key(pk)] = voter.as_session()
    return redirect("funds:vote-ballot", pk=pk)


def vote_ballot(request, pk):
    participatory = _public(pk)
    request.access_object = participatory.round.fund
    if not participatory.voting_open(timezone.now()) or participatory.result_confirmed_at:
        return _closed_page(request, participatory)
    if _voter(request, participatory) is None:
        return redirect("funds:vote-start", pk=pk)
    entries = list(selectors.shortlist(participatory))
    chosen = _session_choices(request, participatory)
    form = forms.BallotForm(
        request.POST or None,
        participatory=participatory,
        entries=entries,
        initial=forms.BallotForm.initial_from(participatory, chosen),
    )
    if request.method == "POST" and form.is_valid():
        chosen = form.choices()
        request.session[_choices_key(pk)] = {str(k): v for k, v in chosen.items()}
        if "update" not in request.POST:
            problems = services.ballot_problems(participatory, chosen)
            if not problems:
                return redirect("funds:vote-check", pk=pk)
            form.add_error(None, problems)
    return render(
        request,
        "funds/vote_ballot.html",
        {
            "participatory": participatory,
            "form": form,
            "entries": entries,
            "photos": [e for e in entries if e.photo],
            "total": _running_total(participatory, entries, chosen),
            "breadcrumbs": _public_crumbs(participatory),
        },
        status=400 if form.errors else 200,
    )


def vote_check(request, pk):
    participatory = _public(pk)
    request.access_object = participatory.round.fund
    if not participatory.voting_open(timezone.now()) or participatory.result_confirmed_at:
        return _closed_page(request, participatory)
    voter = _voter(request, participatory)
    if voter is None:
        return redirect("funds:vote-start", pk=pk)
    chosen = _session_choices(request, participatory)
    if not chosen:
        return redirect("funds:vote-ballot", pk=pk)
    form = forms.CastForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _, replaced = services.ballot_cast(
                participatory=participatory, voter=voter, choices=chosen
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            request.session.pop(_choices_key(pk), None)
            request.session[f"pb_replaced_{pk}"] = replaced
            return redirect("funds:vote-done", pk=pk)
    entries = [e for e in selectors.shortlist(participatory) if e.pk in chosen]
    rows = [{"entry": e, "score": chosen[e.pk]} for e in entries]
    return render(
        request,
        "funds/vote_check.html",
        {
            "participatory": participatory,
            "form": form,
            "rows": rows,
            "total": sum((e.amount for e in entries), start=participatory.pot * 0),
            "breadcrumbs": _public_crumbs(participatory),
        },
        status=400 if form.errors else 200,
    )


@require_safe
def vote_done(request, pk):
    participatory = _public(pk)
    request.access_object = participatory.round.fund
    if _voter(request, participatory) is None:
        return redirect("funds:vote", pk=pk)
    return render(
        request,
        "funds/vote_done.html",
        {
            "participatory": participatory,
            "replaced": request.session.get(f"pb_replaced_{pk}", False),
            "closes": london(participatory.voting_closes_at),
            "breadcrumbs": _public_crumbs(participatory),
        },
    )


@require_safe
def vote_photo(request, pk, entry_id):
    """A shortlisted bid's photo: public, as the vote's page that shows it is."""
    participatory = _public(pk)
    request.access_object = participatory.round.fund
    entry = selectors.entry_with_photo(participatory, entry_id)
    try:
        file = entry.photo.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(file, content_type=PHOTO_TYPES.get(entry.photo.name.rsplit(".")[-1]))
    response["Cache-Control"] = "public, max-age=3600"
    return response


PHOTO_TYPES = {"jpg": "image/jpeg", "png": "image/png"}


@require_safe
def vote_results(request, pk):
    participatory = _public(pk)
    request.access_object = participatory.round.fund
    result = selectors.result_count(participatory) if participatory.result_confirmed_at else None
    return render(
        request,
        "funds/vote_results.html",
        {
            "participatory": participatory,
            "result": result,
            "turnout": selectors.turnout(participatory, result) if result else None,
            "tie_breaks": counting.TIE_BREAKS,
            "breadcrumbs": _public_crumbs(participatory),
        },
    )


def _result_rows(participatory, result):
    for row in result.rows:
        application = row.entry.application
        yield [
            row.rank,
            application.reference,
            application.project_title,
            application.organisation.name,
            row.entry.amount,
            row.votes,
            "Funded" if row.funded else "Not funded",
            row.note,
        ]


RESULT_HEADERS = [
    "Rank",
    "Reference",
    "Bid",
    "Organisation",
    "Amount",
    "Votes",
    "Result",
    "Note",
]


def _result_csv(participatory, result):
    rows = list(_result_rows(participatory, result))
    rows.append([])
    rows.append(["Ballots online", result.online])
    rows.append(["Ballots on paper", result.paper])
    rows.append(["Spoilt ballots", result.spoilt])
    rows.append(["Pot", participatory.pot])
    rows.append(["Funded", result.funded_total])
    return tabular.csv_response(f"vote-{participatory.pk}-results.csv", RESULT_HEADERS, rows)


@require_safe
def vote_results_csv(request, pk):
    participatory = _public(pk)
    if not participatory.result_confirmed_at:
        raise Http404
    return _result_csv(participatory, selectors.result_count(participatory))


@require_safe
def vote_open_data(request, pk):
    """The grants the vote decided as a 360Giving JSON file, once the result is confirmed."""
    participatory = _public(pk)
    if not participatory.result_confirmed_at:
        raise Http404
    response = HttpResponse(opendata.vote_json(participatory), content_type="application/json")
    response["Content-Disposition"] = (
        f'attachment; filename="vote-{participatory.pk}-360giving.json"'
    )
    return response


# Council staff ---------------------------------------------------------------------------------


def _load(request, pk, **kwargs):
    return selectors.participatory_get(pk)


def _load_round(request, pk, **kwargs):
    return fund_selectors.round_get(pk)


def _staff_crumbs(participatory, *more):
    fund = participatory.round.fund
    return _crumbs(
        ("Funds", reverse("funds:manage")),
        (fund.name, reverse("funds:application-list", args=[fund.slug])),
        *more,
    )


def _manage_crumbs(participatory):
    return _staff_crumbs(
        participatory,
        (
            f"Vote: {participatory.round.name}",
            reverse("funds:vote-manage", args=[participatory.pk]),
        ),
    )


@access_required("funds.manage_vote", load=_load_round, visible="funds.view_fund")
def vote_setup(request, round, pk):
    existing = selectors.participatory_for_round(round.pk)
    council_places = Place.objects.filter(council_id=round.fund.programme.council_id).order_by(
        "kind", "name"
    )
    initial = {}
    if existing:
        initial = {
            "rule": existing.rule,
            "choose_n": existing.choose_n,
            "places": list(existing.places.all()),
            "electorate": existing.electorate,
            "introduction": existing.introduction,
            "voting_opens_on": timezone.localtime(existing.voting_opens_at).date(),
            "voting_closes_on": timezone.localtime(existing.voting_closes_at).date(),
        }
    form = forms.SetupForm(request.POST or None, places=council_places, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        tz = timezone.get_current_timezone()
        try:
            participatory = services.participatory_set(
                round=round,
                user=request.user,
                rule=data["rule"],
                choose_n=data.get("choose_n"),
                voting_opens_at=datetime.datetime.combine(
                    data["voting_opens_on"], datetime.time(0, 0), tzinfo=tz
                ),
                voting_closes_at=datetime.datetime.combine(
                    data["voting_closes_on"], datetime.time(23, 59, 59), tzinfo=tz
                ),
                places=list(data["places"]),
                electorate=data.get("electorate"),
                introduction=data.get("introduction", ""),
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, "The vote's settings have been saved")
            return redirect("funds:vote-manage", pk=participatory.pk)
    return render(
        request,
        "funds/vote_setup.html",
        {
            "round": round,
            "form": form,
            "existing": existing,
            "breadcrumbs": _crumbs(
                ("Funds", reverse("funds:manage")),
                (round.fund.name, reverse("funds:fund-setup", args=[round.fund.slug])),
            ),
        },
        status=400 if form.errors else 200,
    )


@access_required("funds.run_vote", load=_load, visible="funds.view_participatory")
@require_safe
def vote_manage(request, participatory, pk):
    now = timezone.now()
    return render(
        request,
        "funds/vote_manage.html",
        {
            "participatory": participatory,
            "state": _state(participatory, now),
            "entries": selectors.shortlist_all(participatory),
            "places": selectors.area_places(participatory),
            "checks": selectors.check_summary(participatory),
            "can_manage": request.user.has_perm("funds.manage_vote", participatory),
            "breadcrumbs": _staff_crumbs(participatory),
        },
    )


@access_required("funds.manage_vote", load=_load, visible="funds.view_participatory")
def vote_shortlist(request, participatory, pk):
    form = forms.ShortlistForm(
        request.POST or None, applications=selectors.bids_to_shortlist(participatory)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entry = services.bid_shortlist(
                participatory=participatory,
                application=data["application"],
                user=request.user,
                eligible=data["eligible"] == "yes",
                notes=data["notes"],
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            verdict = "shortlisted" if entry.eligible else "declined as not eligible"
            messages.success(request, f"{entry.application} has been {verdict}")
            return redirect("funds:vote-shortlist", pk=pk)
    return render(
        request,
        "funds/vote_shortlist.html",
        {
            "participatory": participatory,
            "form": form,
            "entries": selectors.shortlist_all(participatory),
            "breadcrumbs": _manage_crumbs(participatory),
        },
        status=400 if form.errors else 200,
    )


@access_required("funds.manage_vote", load=_load, visible="funds.view_participatory")
def vote_bid_photo(request, participatory, pk, entry_id):
    """A programme manager adds, replaces or removes the photo beside a shortlisted bid."""
    entry = selectors.entry_get(participatory, entry_id)
    form = forms.BidPhotoForm(
        request.POST or None, request.FILES or None, initial={"alt": entry.photo_alt}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.bid_photo_set(
                entry=entry,
                user=request.user,
                photo=data.get("photo"),
                alt=data.get("alt", ""),
                remove=data.get("remove", False),
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, f"The photo of {entry.application.project_title} is saved")
            return redirect("funds:vote-shortlist", pk=pk)
    return render(
        request,
        "funds/vote_bid_photo.html",
        {
            "participatory": participatory,
            "entry": entry,
            "form": form,
            "breadcrumbs": _manage_crumbs(participatory),
        },
        status=400 if form.errors else 200,
    )


@access_required("funds.run_vote", load=_load, visible="funds.view_participatory")
def vote_paper(request, participatory, pk):
    entries = list(selectors.shortlist(participatory))
    form = forms.PaperBallotForm(
        request.POST or None,
        participatory=participatory,
        entries=entries,
        initial={"number": selectors.last_paper_number(participatory) + 1},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ballot = services.paper_ballot_enter(
                participatory=participatory,
                user=request.user,
                number=data["number"],
                choices=form.choices(),
                spoilt=data["spoilt"],
                reason=data["spoilt_reason"],
                replace=data["replace"],
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            done = "spoilt" if ballot.spoilt else "saved"
            messages.success(request, f"Ballot {ballot.number} {done}")
            return redirect("funds:vote-paper", pk=pk)
    return render(
        request,
        "funds/vote_paper.html",
        {
            "participatory": participatory,
            "form": form,
            "checks": selectors.check_summary(participatory),
            "breadcrumbs": _manage_crumbs(participatory),
        },
        status=400 if form.errors else 200,
    )


@access_required("funds.run_vote", load=_load, visible="funds.view_participatory")
def vote_paper_check(request, participatory, pk):
    entries = list(selectors.shortlist(participatory))
    form = forms.PaperCheckForm(request.POST or None, participatory=participatory, entries=entries)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ballot = services.paper_ballot_check(
                participatory=participatory,
                user=request.user,
                number=data["number"],
                choices=form.choices(),
                spoilt=data["spoilt"],
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            if ballot.check_matches:
                messages.success(request, f"Ballot {ballot.number} matches the first entry")
            else:
                messages.warning(
                    request,
                    f"Ballot {ballot.number} does not match the first entry: a programme "
                    "manager who did not enter it looks at the paper and corrects it",
                )
            return redirect("funds:vote-paper-check", pk=pk)
    sample = services.check_sample(participatory)
    checked = set(
        selectors.paper_ballots(participatory)
        .filter(check_matches__isnull=False)
        .values_list("number", flat=True)
    )
    return render(
        request,
        "funds/vote_paper_check.html",
        {
            "participatory": participatory,
            "form": form,
            "to_check": [n for n in sample if n not in checked],
            "sample": sample,
            "checks": selectors.check_summary(participatory),
            "mismatched": selectors.mismatched_ballots(participatory),
            "corrections": selectors.corrections(participatory),
            "can_correct": not participatory.result_confirmed_at
            and request.user.has_perm("funds.manage_vote", participatory),
            "breadcrumbs": _manage_crumbs(participatory),
        },
        status=400 if form.errors else 200,
    )


@access_required("funds.manage_vote", load=_load, visible="funds.view_participatory")
def vote_paper_correct(request, participatory, pk, number):
    """A programme manager corrects a paper ballot whose double-entry check did not match (also
    after voting closes, until the result is confirmed), saying why."""
    ballot = selectors.paper_ballots(participatory).filter(number=number).first()
    if ballot is None:
        raise Http404
    entries = list(selectors.shortlist(participatory))
    stored = {c.entry_id: c.score for c in ballot.choices.all()}
    form = forms.CorrectionForm(
        request.POST or None,
        participatory=participatory,
        entries=entries,
        initial={
            **forms.BallotForm.initial_from(participatory, stored),
            "spoilt": ballot.spoilt,
            "spoilt_reason": ballot.spoilt_reason,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.paper_ballot_correct(
                participatory=participatory,
                user=request.user,
                number=number,
                choices=form.choices(),
                reason=data["reason"],
                spoilt=data["spoilt"],
                spoilt_reason=data["spoilt_reason"],
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Ballot {number} corrected")
            return redirect("funds:vote-paper-check", pk=pk)
    return render(
        request,
        "funds/vote_paper_correct.html",
        {
            "participatory": participatory,
            "ballot": ballot,
            "as_entered": services.ballot_summary(ballot),
            "form": form,
            "breadcrumbs": _manage_crumbs(participatory),
        },
        status=400 if form.errors else 200,
    )


def _count_context(request, participatory, form=None):
    result = selectors.result_count(participatory)
    now = timezone.now()
    state = _state(participatory, now)
    can_confirm = state == "closed" and request.user.has_perm("funds.manage_vote", participatory)
    if form is None and can_confirm:
        today = timezone.localdate()
        form = forms.ConfirmForm(
            initial={"awarded_on": today, "first_report_due": today + datetime.timedelta(days=91)}
        )
    return {
        "participatory": participatory,
        "result": result,
        "state": state,
        "turnout": selectors.turnout(participatory, result),
        "checks": selectors.check_summary(participatory),
        "corrected": selectors.corrections(participatory).count(),
        "form": form if can_confirm else None,
        "form_action": reverse("funds:vote-confirm", args=[participatory.pk]),
        "tie_breaks": counting.TIE_BREAKS,
        "breadcrumbs": _manage_crumbs(participatory),
    }


@access_required("funds.run_vote", load=_load, visible="funds.view_participatory")
@require_safe
def vote_count(request, participatory, pk):
    return render(request, "funds/vote_count.html", _count_context(request, participatory))


@access_required("funds.run_vote", load=_load, visible="funds.view_participatory")
@require_safe
def vote_count_csv(request, participatory, pk):
    return _result_csv(participatory, selectors.result_count(participatory))


@access_required("funds.manage_vote", load=_load, visible="funds.view_participatory")
@require_POST
def vote_confirm(request, participatory, pk):
    form = forms.ConfirmForm(request.POST)
    if form.is_valid():
        try:
            awards = services.result_confirm(
                participatory=participatory,
                user=request.user,
                awarded_on=form.cleaned_data["awarded_on"],
                first_report_due=form.cleaned_data["first_report_due"],
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(
                request,
                f"The result is confirmed: {len(awards)} grant{'s' if len(awards) != 1 else ''} "
                "awarded",
            )
            return redirect("funds:fund-dashboard", slug=participatory.round.fund.slug)
    context = _count_context(request, participatory, form=form)
    if context["form"] is None:  # voting is still open, or the result is already confirmed
        context["form"] = form
    return render(request, "funds/vote_count.html", context, status=400)


@access_required("funds.manage_vote", load=_load, visible="funds.view_participatory")
def vote_cards(request, participatory, pk):
    form = forms.CardsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = services.polling_cards_issue(
                participatory=participatory, count=form.cleaned_data["count"]
            )
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            return tabular.csv_response(
                f"vote-{participatory.pk}-polling-card-codes.csv",
                ["Code", "Vote at"],
                ([code, portal_url(reverse("funds:vote", args=[pk]))] for code in codes),
            )
    return render(
        request,
        "funds/vote_cards.html",
        {
            "participatory": participatory,
            "form": form,
            "issued": participatory.cards.count(),
            "breadcrumbs": _manage_crumbs(participatory),
        },
        status=400 if form.errors else 200,
    )


def _council(request, slug, **kwargs):
    return programme_selectors.council_get(slug)


@access_required("programmes.change_council", load=_council, visible="programmes.know_council")
def postcodes(request, council, slug):
    """A council admin loads the postcode → place lookup that residents' votes check postcodes
    against (all or nothing, errors listed by row)."""
    form = forms.PostcodesForm(request.POST or None, request.FILES or None)
    context = {
        "council": council,
        "form": form,
        "count": selectors.postcode_count(council),
        "breadcrumbs": _crumbs(
            (council.name, reverse("programmes:council-detail", args=[council.slug])),
            ("Places", reverse("programmes:place-list", args=[council.slug])),
        ),
    }
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            _, rows = tabular.read_dicts(
                upload, name=upload.name, normalise_header=lambda h: h.strip().lower()
            )
            summary = services.postcodes_import(council=council, rows=rows)
        except tabular.ImportRejected as exc:
            form.add_error("file", exc.messages[0])
            context.update(
                row_errors=exc.row_errors,
                more_errors=exc.more_message,
                error_total=f"{exc.total:,}",
            )
        except ValidationError as exc:
            form.add_error("file", exc.messages)
        else:
            messages.success(
                request, f"Postcodes loaded: {summary.created} new, {summary.updated} changed"
            )
            return redirect("funds:postcodes", slug=council.slug)
    return render(request, "funds/postcodes.html", context, status=400 if form.errors else 200)
