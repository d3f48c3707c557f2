"""The application workflow as data: every allowed transition and who may make it.

Actors: "applicant" (a partner user of the applying organisation), "officer" (screens
applications), "manager" (programme manager: assigns assessors and decides)."""

from dataclasses import dataclass

from .models import ApplicationStatus as S

APPLICANT = "applicant"
OFFICER = "officer"
MANAGER = "manager"


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    actors: frozenset
    label: str


TRANSITIONS = [
    Transition(S.DRAFT, S.SUBMITTED, frozenset({APPLICANT}), "Submit the application"),
    Transition(S.SUBMITTED, S.SCREENING, frozenset({OFFICER, MANAGER}), "Start screening"),
    Transition(S.SCREENING, S.CHANGES_REQUESTED, frozenset({OFFICER, MANAGER}), "Ask for changes"),
    Transition(S.CHANGES_REQUESTED, S.SUBMITTED, frozenset({APPLICANT}), "Resubmit"),
    Transition(
        S.SCREENING, S.IN_ASSESSMENT, frozenset({OFFICER, MANAGER}), "Eligible: send to assessment"
    ),
    Transition(S.SCREENING, S.DECLINED, frozenset({MANAGER}), "Not eligible: decline"),
    Transition(S.IN_ASSESSMENT, S.READY_FOR_DECISION, frozenset({MANAGER}), "Ready for a decision"),
    Transition(S.READY_FOR_DECISION, S.APPROVED, frozenset({MANAGER}), "Approve"),
    Transition(S.READY_FOR_DECISION, S.DECLINED, frozenset({MANAGER}), "Decline"),
    *[
        Transition(source, S.WITHDRAWN, frozenset({APPLICANT}), "Withdraw the application")
        for source in (
            S.DRAFT,
            S.SUBMITTED,
            S.SCREENING,
            S.CHANGES_REQUESTED,
            S.IN_ASSESSMENT,
            S.READY_FOR_DECISION,
        )
    ],
]

_BY_PAIR = {(t.source, t.target): t for t in TRANSITIONS}


def transition_for(source: str, target: str) -> Transition | None:
    return _BY_PAIR.get((source, target))


def transitions_from(source: str, actors: set[str]) -> list[Transition]:
    return [t for t in TRANSITIONS if t.source == source and t.actors & actors]


# What an officer sees as buttons on the review page (decisions and submissions have their own
# pages with their own forms).
REVIEW_BUTTON_TARGETS = {S.SCREENING, S.IN_ASSESSMENT, S.READY_FOR_DECISION}
EDITABLE_BY_APPLICANT = {S.DRAFT, S.CHANGES_REQUESTED}
OPEN_STATES = {S.SUBMITTED, S.SCREENING, S.CHANGES_REQUESTED, S.IN_ASSESSMENT}

# What the person who made a move is told afterwards, in plain English.
MOVE_CONFIRMATIONS = {
    S.SCREENING: "Screening has started. The applicant has been emailed.",
    S.IN_ASSESSMENT: "The application has been sent to assessment. The applicant has been emailed.",
    S.READY_FOR_DECISION: "The application is ready for a decision",
}
