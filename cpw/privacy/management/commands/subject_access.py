from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cpw.privacy.models import AccessKind, SubjectAccessRequest
from cpw.privacy.services import Subject, record_access, subject_access_zip


class Command(BaseCommand):
    help = "Write a ZIP of every record about the person with this email address."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("out", help="where to write the ZIP, e.g. request.zip")
        parser.add_argument("--name", default="", help="also match records naming this person")
        parser.add_argument(
            "--council",
            default="",
            help=(
                "only what this council (its slug) answers for, as its data protection officer "
                "sees it; every council's records without it"
            ),
        )

    def handle(self, *args, email, out, name="", council="", **options):
        subject = Subject(email=email, name=name)
        if not subject:
            raise CommandError("Give an email address.")
        council_id = None
        if council:
            # the council model through a link: the privacy app sits below the programmes app
            council_model = SubjectAccessRequest._meta.get_field("council").related_model
            council_id = (
                council_model._default_manager.filter(slug=council)
                .values_list("pk", flat=True)
                .first()
            )
            if council_id is None:
                raise CommandError(f"No council has the slug {council!r}.")
        content, total = subject_access_zip(subject, council_id=council_id)
        Path(out).write_bytes(content)
        record_access(
            user=None,
            what=f"Subject access from the command line ({total} records)",
            rows=total,
            kind=AccessKind.SUBJECT_ACCESS,
            council=council_id,
        )
        self.stdout.write(f"{total} records written to {out}")
