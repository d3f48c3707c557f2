from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from cpw.accounts.demo import DEMO_PASSWORD, seed_people
from evaluation.demo import seed_evaluation
from funds.demo import seed_funds
from funds.participatory.demo import DEMO_CARD_CODE, DEMO_POSTCODE
from groundbreakers.demo import seed_groundbreakers
from programmes.demo import seed_delivery_plan, seed_places, seed_programme
from reporting.demo import seed_reports


class Command(BaseCommand):
    help = "Load the Community Powered Warwickshire demo programme and one account per role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load demo accounts even under production settings (never do this on a live site).",
        )

    def handle(self, *args, allow_production=False, **options):
        if (settings.SETTINGS_MODULE or "").endswith("production") and not allow_production:
            raise CommandError("Refusing to load demo accounts under production settings.")
        with transaction.atomic():
            places = seed_places()
            programme = seed_programme(places)
            accounts = seed_people(programme, places)
            seed_delivery_plan(programme)
            seed_funds(programme, places)
            seed_groundbreakers(programme)
            seed_evaluation(programme, places)
            # Reports last: they read what every app has seeded.
            seed_reports(programme)
        self.stdout.write(self.style.SUCCESS(f"Loaded demo programme: {programme.name}"))
        self.stdout.write(
            self.style.WARNING(
                "DEMO ONLY: these accounts share a published password. Never load them on a live site."
            )
        )
        width = max(len(label) for label, _ in accounts)
        for label, email in accounts:
            self.stdout.write(f"  {label.ljust(width)}  {email}")
        self.stdout.write(f"  Password for every demo account: {DEMO_PASSWORD}")
        self.stdout.write(
            f"  Residents' vote open now (Funds › Residents Decide): polling card code "
            f"{DEMO_CARD_CODE}, postcode {DEMO_POSTCODE}"
        )
