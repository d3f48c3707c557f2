"""Funds, rounds, applications, assessment, decisions, awards, payments and monitoring.

Workflows are data: `workflow.py` holds the one table of allowed application transitions and who
may make them; `services.py` makes every change."""

from .applications import (
    ActivityEvent,
    Answer,
    Application,
    ApplicationSection,
    ApplicationStatus,
    BudgetKind,
    BudgetLine,
    ChangeRequest,
    Comment,
    Flag,
    Section,
    SectionStatus,
)
from .assessment import AssessorAssignment, ConflictStatus, Decision, DecisionOutcome, Score
from .base import MONEY, ZERO
from .funds import (
    Criterion,
    EmailTemplate,
    EmailTemplateKind,
    Fund,
    FundKind,
    Question,
    QuestionKind,
    Round,
)
from .grants import (
    Award,
    ExportJob,
    GrantStatus,
    MemberAllocation,
    MemberRecommendation,
    MonitoringPhoto,
    MonitoringReport,
    Payment,
    PaymentStatus,
    ReportStatus,
)

__all__ = [
    "MONEY",
    "ZERO",
    "FundKind",
    "Fund",
    "Round",
    "QuestionKind",
    "Question",
    "Criterion",
    "EmailTemplateKind",
    "EmailTemplate",
    "ApplicationStatus",
    "Application",
    "Section",
    "SectionStatus",
    "ApplicationSection",
    "BudgetKind",
    "BudgetLine",
    "Answer",
    "ChangeRequest",
    "ActivityEvent",
    "Comment",
    "Flag",
    "ConflictStatus",
    "AssessorAssignment",
    "Score",
    "DecisionOutcome",
    "Decision",
    "MemberAllocation",
    "MemberRecommendation",
    "GrantStatus",
    "Award",
    "PaymentStatus",
    "Payment",
    "ReportStatus",
    "MonitoringPhoto",
    "MonitoringReport",
    "ExportJob",
]
