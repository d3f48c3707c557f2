from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from programmes.models import Programme
from programmes.plan_io import MAX_BYTES, read_table
from programmes.services import delivery_plan_import


class Command(BaseCommand):
    help = "Import a delivery plan from a CSV or XLSX file, all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("programme_slug")
        parser.add_argument("file")
        parser.add_argument(
            "--unmatched-leads",
            choices=["error", "create", "skip"],
            default="error",
            help="What to do with leads that match nobody: report an error (default), add them "
            "as new organisations, or leave them out.",
        )

    def handle(self, programme_slug, file, unmatched_leads="error", **options):
        programme = Programme.objects.filter(slug=programme_slug).first()
        if programme is None:
            raise CommandError(f"There is no programme called '{programme_slug}'")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file at {file}")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError("The file must be smaller than 10 MB")
        try:
            table = read_table(path.name, path.read_bytes())
            summary = delivery_plan_import(
                programme=programme, table=table, unmatched=unmatched_leads
            )
        except ValidationError as exc:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(f"  {m}" for m in exc.messages)
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {programme.name}'s delivery plan: {summary.created} new, "
                f"{summary.updated} changed, {summary.unchanged} unchanged"
            )
        )
