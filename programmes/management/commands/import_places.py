from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cpw.core import tabular, uploads
from programmes.models import Council
from programmes.places_io import COLUMNS, MAX_BYTES, read_rows
from programmes.services import places_import


class Command(BaseCommand):
    help = (
        "Add or update a council's places from a CSV or XLSX file, all or nothing. Columns: "
        + ", ".join(COLUMNS)
        + " (name and kind required)."
    )

    def add_arguments(self, parser):
        parser.add_argument("council_slug")
        parser.add_argument("file")
        parser.add_argument(
            "--check", action="store_true", help="Check the file and report, saving nothing."
        )

    def handle(self, council_slug, file, check=False, **options):
        council = Council.objects.filter(slug=council_slug).first()
        if council is None:
            raise CommandError(f"There is no council called '{council_slug}'")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file at {file}")
        if path.stat().st_size > MAX_BYTES:
            raise CommandError(f"The file must be smaller than {uploads.size_label(MAX_BYTES)}")
        content = path.read_bytes()
        try:
            uploads.check_bytes(content, name=path.name, kinds=uploads.TABLES, max_bytes=MAX_BYTES)
            summary = places_import(
                council=council, rows=read_rows(path.name, content), dry_run=check
            )
        except tabular.ImportRejected as exc:
            lines = [f"  Row {e.row}, {e.column}: {e.message}" for e in exc.row_errors]
            if exc.more_message:
                lines.append(f"  {exc.more_message}")
            raise CommandError(exc.messages[0] + "\n" + "\n".join(lines)) from None
        except ValidationError as exc:
            raise CommandError(
                "Nothing was imported:\n" + "\n".join(f"  {m}" for m in exc.messages)
            ) from None
        done = "Checked (nothing saved)" if check else "Imported"
        self.stdout.write(
            self.style.SUCCESS(
                f"{done} {council}'s places: {summary.created} new, {summary.updated} changed, "
                f"{summary.unchanged} unchanged"
            )
        )
