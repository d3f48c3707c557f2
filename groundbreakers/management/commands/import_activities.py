from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cpw.core.tabular import ImportRejected
from groundbreakers.activity_io import MAX_BYTES, activities_import, read_table
from programmes.models import Programme


class Command(BaseCommand):
    help = (
        "Import a programme's engagement log from a CSV or XLSX file, all or nothing. An "
        "activity with the same title, date and groundbreaker as one in the log updates it."
    )

    def add_arguments(self, parser):
        parser.add_argument("programme_slug")
        parser.add_argument("file")

    def handle(self, programme_slug, file, **options):
        programme = Programme.objects.select_related("council").filter(slug=programme_slug).first()
        if programme is None:
            raise CommandError(f"There is no programme called '{programme_slug}'")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file at {file}")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError("The file must be smaller than 10 MB")
        try:
            rows = read_table(path.name, path.read_bytes())
            summary = activities_import(programme=programme, rows=rows)
        except ImportRejected as exc:
            lines = [
                f"  Row {e.row}{f', {e.column}' if e.column else ''}: {e.message}"
                for e in exc.row_errors
            ]
            if exc.more_message:
                lines.append(f"  {exc.more_message}")
            raise CommandError("Nothing was imported:\n" + "\n".join(lines)) from None
        except ValidationError as exc:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(f"  {m}" for m in exc.messages)
            ) from None
        self.stdout.write(
            self.style.SUCCESS(f"Imported {programme.name}'s activity log: {summary}")
        )
