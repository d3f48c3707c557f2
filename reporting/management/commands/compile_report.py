from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from programmes.models import Programme, ReportingPeriod
from programmes.periods import parse_label
from reporting.services import report_compile_now


class Command(BaseCommand):
    help = "Compile a new version of a programme's steering-group report for a period, now."

    def add_arguments(self, parser):
        parser.add_argument("programme", help="the programme's slug, e.g. cpw")
        parser.add_argument("period", help="the period, e.g. 2024-Q1")

    def handle(self, *args, programme, period, **options):
        found = Programme.objects.filter(slug=programme).first()
        if found is None:
            known = ", ".join(Programme.objects.values_list("slug", flat=True)) or "none"
            raise CommandError(f"There is no programme '{programme}'. Programmes: {known}.")
        try:
            parse_label(period)
            reporting_period = ReportingPeriod.objects.filter(
                programme=found, label=period.strip().upper()
            ).first()
            if reporting_period is None:
                raise ValidationError(f"{found.name} has no reporting period {period}.")
            report = report_compile_now(programme=found, period=reporting_period)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Compiled {found.short_name} {reporting_period.label} report, version "
                f"{report.version} ({len(report.pdf):,} byte PDF, {len(report.xlsx):,} byte XLSX)."
            )
        )
