from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cpw.privacy.models import AccessKind
from cpw.privacy.services import Subject, record_access, subject_access_zip


class Command(BaseCommand):
    help = "Write a ZIP of every record about the person with this email address."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("out", help="where to write the ZIP, e.g. request.zip")
        parser.add_argument("--name", default="", help="also match records naming this person")

    def handle(self, *args, email, out, name="", **options):
        subject = Subject(email=email, name=name)
        if not subject:
            raise CommandError("Give an email address.")
        content, total = subject_access_zip(subject)
        Path(out).write_bytes(content)
        record_access(
            user=None,
            what=f"Subject access from the command line ({total} records)",
            rows=total,
            kind=AccessKind.SUBJECT_ACCESS,
        )
        self.stdout.write(f"{total} records written to {out}")
