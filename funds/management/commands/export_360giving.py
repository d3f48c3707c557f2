from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from funds import opendata
from funds.models import Fund


class Command(BaseCommand):
    help = "Write a fund's awarded grants as 360Giving data: export_360giving <fund-slug> <file.json|file.csv|file.xlsx>"

    def add_arguments(self, parser):
        parser.add_argument("fund_slug")
        parser.add_argument("path")

    def handle(self, *args, fund_slug, path, **options):
        fund = Fund.objects.filter(slug=fund_slug).first()
        if fund is None:
            raise CommandError(f"There is no fund called '{fund_slug}'")
        target = Path(path)
        suffix = target.suffix.lower()
        if suffix == ".json":
            target.write_text(opendata.as_json(fund), encoding="utf-8")
        elif suffix == ".csv":
            target.write_bytes(opendata.as_csv(fund))
        elif suffix == ".xlsx":
            target.write_bytes(opendata.as_xlsx(fund))
        else:
            raise CommandError("The file name must end in .json, .csv or .xlsx")
        count = len(opendata.awards_for(fund))
        self.stdout.write(self.style.SUCCESS(f"Wrote {count} grants from {fund.name} to {target}"))
