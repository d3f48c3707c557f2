"""The personal data the funds app holds (see cpw.core.personal_data). Grant records are kept
for 7 years after the last payment (the council's financial records); unsuccessful
applications are anonymised 2 years after the decision."""

from datetime import timedelta

from django.db.models import Q

from cpw.core.personal_data import Action, Basis, Rule, not_personal, register

from .models import (
    ActivityEvent,
    Answer,
    Application,
    ApplicationStatus,
    AssessorAssignment,
    Award,
    Ballot,
    BallotCorrection,
    ChangeRequest,
    Comment,
    Criterion,
    Decision,
    ExportJob,
    Flag,
    Fund,
    MemberAllocation,
    MemberRecommendation,
    MonitoringPhoto,
    MonitoringReport,
    ParticipatoryRound,
    Payment,
    PostcodePlace,
    Question,
    Round,
    Score,
    ShortlistEntry,
)

TWO_YEARS = timedelta(days=2 * 365)
SEVEN_YEARS = timedelta(days=7 * 365)
GRANT_KEPT = (
    "Grant records are kept for 7 years after the last payment: the council must keep its "
    "financial records (legal obligation)"
)

not_personal(Fund, "name", "funder_name", reason="names a fund or the council that runs it")
not_personal(Round, "name", reason="names a funding round")
not_personal(Criterion, "name", reason="names an assessment criterion")
not_personal(Question, "text", "help_text", reason="the wording of a fund's question")


def application_rules(to_application: str = "") -> list[Rule]:
    """The retention of an application and of what hangs off it (`to_application` is the
    lookup from the record to its application, with a trailing `__`)."""
    a = to_application
    return [
        Rule(
            "Unsuccessful applications: anonymised 2 years after the decision",
            Action.ANONYMISE,
            anchor=f"{a}decision__decided_at" if a else "decision__decided_at",
            period=TWO_YEARS,
            where=Q(**{f"{a}status": ApplicationStatus.DECLINED}),
        ),
        Rule(
            "Withdrawn applications: anonymised 2 years after they were withdrawn",
            Action.ANONYMISE,
            anchor=f"{a}status_changed_at",
            period=TWO_YEARS,
            where=Q(**{f"{a}status": ApplicationStatus.WITHDRAWN}),
        ),
        Rule(
            "Grants: anonymised 7 years after the last payment",
            Action.ANONYMISE,
            anchor=f"{a}award__payments__paid_at",
            period=SEVEN_YEARS,
            where=Q(**{f"{a}award__isnull": False}),
        ),
    ]


def _application_part(model, *, fields=(), people=(), owners=(), purpose, names=()):
    register(
        model,
        fields=fields,
        people=[*people, "application__created_by"],
        owners=[*owners, "application__created_by"],
        names=names,
        basis=Basis.PUBLIC_TASK,
        purpose=purpose,
        retention=application_rules("application__"),
        keep_when=Q(application__award__isnull=False),
        keep_reason=GRANT_KEPT,
    )


register(
    Application,
    fields=["declaration_name"],
    names=["declaration_name"],
    people=["created_by", "submitted_by", "status_changed_by"],
    owners=["created_by", "submitted_by"],
    basis=Basis.PUBLIC_TASK,
    purpose="To assess grant applications and decide them",
    retention=application_rules(),
    keep_when=Q(award__isnull=False),
    keep_reason=GRANT_KEPT,
)
_application_part(
    Answer,
    fields=["value", "file", "original_filename"],
    purpose="An applicant's answers to a fund's questions, which may be about people",
)
_application_part(
    ChangeRequest,
    fields=["reason", "before", "after"],
    people=["requested_by"],
    purpose="To record the changes asked of an applicant",
)
_application_part(
    ActivityEvent,
    fields=["detail"],
    people=["actor"],
    owners=["actor"],
    purpose="The history of an application: who did what, when",
)
_application_part(
    Comment,
    fields=["text"],
    people=["author"],
    owners=["author"],
    purpose="Officers' comments on an application",
)
_application_part(
    Flag,
    fields=["reason", "resolution_note"],
    people=["raised_by", "resolved_by"],
    purpose="Concerns raised about an application and how they were resolved",
)
_application_part(
    AssessorAssignment,
    fields=["conflict_details"],
    people=["assessor", "assigned_by"],
    owners=["assessor"],
    purpose="Who assesses an application, and any conflict of interest they declared",
)
register(
    Score,
    fields=["justification"],
    people=["assignment__assessor"],
    owners=["assignment__assessor"],
    basis=Basis.PUBLIC_TASK,
    purpose="An assessor's scores and reasons",
    retention=application_rules("assignment__application__"),
    keep_when=Q(assignment__application__award__isnull=False),
    keep_reason=GRANT_KEPT,
)
_application_part(
    Decision,
    fields=["reason"],
    people=["decided_by"],
    purpose="The decision on an application and why",
)
register(
    MemberAllocation,
    people=["councillor"],
    basis=Basis.PUBLIC_TASK,
    purpose="Each councillor's member-fund pot",
    retention=Rule("Kept for 7 years after the fund's year: financial records"),
    on_erasure=Action.KEEP,
    keep_reason=GRANT_KEPT,
)
register(
    MemberRecommendation,
    people=["recommended_by"],
    basis=Basis.PUBLIC_TASK,
    purpose="Which councillor recommended a member-fund grant",
    retention=Rule("Kept for 7 years after the last payment: financial records"),
    on_erasure=Action.KEEP,
    keep_reason=GRANT_KEPT,
)
for model, people, purpose in (
    (Award, ["awarded_by", "application__created_by"], "Grants awarded and who awarded them"),
    (
        Payment,
        ["created_by", "approved_by", "award__application__created_by"],
        "Grant payments and who approved them",
    ),
    (
        MonitoringReport,
        ["submitted_by", "award__application__created_by"],
        "Monitoring reports on grants",
    ),
):
    register(
        model,
        people=people,
        owners=[people[-1]],
        basis=Basis.LEGAL_OBLIGATION,
        purpose=purpose,
        retention=Rule("Kept for 7 years after the last payment: financial records"),
        on_erasure=Action.KEEP,
        keep_reason=GRANT_KEPT,
    )
register(
    MonitoringPhoto,
    fields=["file", "original_filename"],
    people=["report__award__application__created_by"],
    owners=["report__award__application__created_by"],
    basis=Basis.PUBLIC_TASK,
    purpose="Photos sent with monitoring reports, which may show people",
    retention=Rule(
        "Monitoring photos: deleted 7 years after the last payment",
        Action.DELETE,
        anchor="report__award__payments__paid_at",
        period=SEVEN_YEARS,
    ),
    on_erasure=Action.DELETE,
)
register(
    ExportJob,
    fields=["file"],
    people=["requested_by"],
    basis=Basis.PUBLIC_TASK,
    purpose="Spreadsheets of applications that officers asked for",
    retention=Rule(
        "Exports of applications: deleted 30 days after they were made",
        Action.DELETE,
        anchor="created_at",
        period=timedelta(days=30),
    ),
)


# Participatory budgeting. Ballots hold no voter's identity (who voted is only a keyed hash in
# VoterRecord); the staff who enter, check and confirm them are recorded.
not_personal(
    PostcodePlace, "postcode", reason="a lookup from postcodes to places, about no one person"
)
register(
    Ballot,
    fields=["spoilt_reason"],
    people=["entered_by", "checked_by"],
    basis=Basis.PUBLIC_TASK,
    purpose="To count residents' votes and show which member of staff entered each paper ballot",
    retention=Rule("Kept with the round's result: the record of how the money was decided"),
)
register(
    BallotCorrection,
    fields=["reason"],
    people=["corrected_by"],
    basis=Basis.PUBLIC_TASK,
    purpose="To record who corrected a paper ballot after its double-entry check, when and why",
    retention=Rule("Kept with the round's result: the record of how the money was decided"),
)
register(
    ParticipatoryRound,
    people=["result_confirmed_by"],
    basis=Basis.PUBLIC_TASK,
    purpose="To record who confirmed a residents' vote's result",
    retention=Rule("Kept with the round's result: the record of how the money was decided"),
)
register(
    ShortlistEntry,
    fields=["feasibility_notes", "photo", "photo_alt"],
    people=["decided_by"],
    basis=Basis.PUBLIC_TASK,
    purpose="To publish why each bid was or was not put to the residents' vote, and by whom, "
    "with a photo of the bid (which may show people)",
    retention=Rule("Kept with the round's result: the record of how the money was decided"),
)
