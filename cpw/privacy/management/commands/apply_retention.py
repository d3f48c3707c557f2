from django.core.management.base import BaseCommand

from cpw.privacy.services import retention_apply


class Command(BaseCommand):
    help = "Delete or anonymise personal data past its retention period (see the register)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would change; change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        result = retention_apply(dry_run=dry_run)
        for line in result.lines():
            self.stdout.write(line)
        total = sum(entry.records for entry in result.entries)
        verb = "would be changed" if dry_run else "changed"
        self.stdout.write(f"{total} records {verb}.")
