"""The personal data the evaluation app holds (see cpw.core.personal_data)."""

from django.db.models import F, Q

from cpw.core.personal_data import Action, Basis, Rule, not_personal, register

from .models import (
    CompositeIndex,
    Framework,
    IStatement,
    Metric,
    MetricTier,
    Observation,
    Practice,
    Statement,
    SurveyResponse,
    SurveyWave,
    WeStatement,
)

for model in (Framework, Practice, MetricTier, Metric, SurveyWave, CompositeIndex):
    not_personal(model, "name", reason="names a part of the evaluation framework")
for model in (Statement, IStatement, WeStatement):
    not_personal(model, "text", reason="the wording of a statement")

register(
    Observation,
    fields=["note"],
    people=["recorded_by"],
    basis=Basis.PUBLIC_TASK,
    purpose="To record who entered each figure and why",
    retention=Rule("Kept for the life of the programme and 6 years after"),
)
register(
    SurveyResponse,
    fields=["respondent_ref"],
    basis=Basis.PUBLIC_TASK,
    purpose="To measure the programme's effect; the reference links a response to a respondent",
    retention=Rule(
        "Survey responses: anonymised once a report covering the wave has been published",
        Action.ANONYMISE,
        anchor="wave__closes",
        where=Q(
            wave__framework__programme__quarterly_reports__status="published",
            wave__framework__programme__quarterly_reports__period__end__gte=F("wave__closes"),
        ),
    ),
)
