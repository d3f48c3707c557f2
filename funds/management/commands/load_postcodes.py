from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cpw.core import tabular
from funds.participatory.services import postcodes_import
from programmes.models import Council


class Command(BaseCommand):
    help = (
        "Load a council's postcode → place lookup for residents' votes from a CSV or XLSX file "
        "with the columns postcode and place (the place's ONS code or name), all or nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("council_slug")
        parser.add_argument("file")

    def handle(self, council_slug, file, **options):
        council = Council.objects.filter(slug=council_slug).first()
        if council is None:
            raise CommandError(f"There is no council called '{council_slug}'")
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"There is no file at {file}")
        try:
            _, rows = tabular.read_dicts(
                path.read_bytes(), name=path.name, normalise_header=lambda h: h.strip().lower()
            )
            summary = postcodes_import(council=council, rows=rows)
        except tabular.ImportRejected as exc:
            lines = [f"  Row {e.row}, {e.column}: {e.message}" for e in exc.row_errors]
            if exc.more_message:
                lines.append(f"  {exc.more_message}")
            raise CommandError(exc.messages[0] + "\n" + "\n".join(lines)) from None
        except ValidationError as exc:
            raise CommandError("Nothing was loaded:\n" + "\n".join(exc.messages)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {council}'s postcodes: {summary.created} new, {summary.updated} changed"
            )
        )
