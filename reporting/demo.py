"""Demo reports: the last completed quarter published, the current quarter compiled as a draft.
Runs last in load_demo, after every app has seeded its data."""

from django.utils import timezone

from programmes.models import ReportingPeriod
from programmes.periods import financial_quarter, label_for
from programmes.services import reporting_periods_ensure

from .models import QuarterlyReport
from .services import report_compile_now, report_publish


def _previous(year: int, quarter: int) -> tuple[int, int]:
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def seed_reports(programme) -> list[QuarterlyReport]:
    today = timezone.localdate()
    current = financial_quarter(today)
    last_completed = _previous(*current)
    reporting_periods_ensure(
        programme=programme, first=label_for(*last_completed), last=label_for(*current)
    )
    reports = []
    for (year, quarter), publish in ((last_completed, True), (current, False)):
        period = ReportingPeriod.objects.get(programme=programme, label=label_for(year, quarter))
        existing = QuarterlyReport.objects.filter(programme=programme, period=period).first()
        if existing:
            reports.append(existing)
            continue
        report = report_compile_now(programme=programme, period=period, trigger="demo")
        if publish:
            report = report_publish(report=report, user=None, reason="An illustrative demo report")
        reports.append(report)
    return reports
