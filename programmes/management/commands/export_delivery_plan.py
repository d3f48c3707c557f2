from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programmes.models import Programme
from programmes.plan_io import COLUMNS, export_rows, to_csv, to_xlsx
from programmes.selectors import delivery_plan_get


class Command(BaseCommand):
    help = "Export a delivery plan to a CSV or XLSX file in the import format."

    def add_arguments(self, parser):
        parser.add_argument("programme_slug")
        parser.add_argument("file", help="Where to write: a path ending .csv or .xlsx")

    def handle(self, programme_slug, file, **options):
        programme = Programme.objects.filter(slug=programme_slug).first()
        if programme is None:
            raise CommandError(f"There is no programme called '{programme_slug}'")
        path = Path(file)
        suffix = path.suffix.lower()
        if suffix not in (".csv", ".xlsx"):
            raise CommandError("The file name must end .csv or .xlsx")
        plan = delivery_plan_get(programme)
        # No plan yet: the headings alone, as a template (exporting never creates a plan).
        headings, rows = export_rows(plan) if plan else export_rows(None, [])
        headings = headings[: len(COLUMNS) + 1]
        content = to_csv(headings, rows) if suffix == ".csv" else to_xlsx(headings, rows)
        path.write_bytes(content)
        self.stdout.write(self.style.SUCCESS(f"Wrote {len(rows)} commitments to {path}"))
