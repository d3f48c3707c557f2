"""Store the survey results' aggregates of waves that have none yet (waves imported before the
aggregates were stored), or of every wave with --all. Safe to run again: a wave is rebuilt from
its scores in one transaction."""

from django.core.management.base import BaseCommand
from django.db import transaction

from evaluation.models import SurveyWave
from evaluation.services import survey_aggregates_recompute


class Command(BaseCommand):
    help = "Store the survey aggregates of waves that have none (every wave with --all)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="Rebuild every wave, not just those without any"
        )

    def handle(self, *args, **options):
        waves = SurveyWave.objects.order_by("pk")
        if not options["all"]:
            waves = waves.filter(aggregated_at__isnull=True)
        done = 0
        for wave in waves.iterator():
            with transaction.atomic():
                rows = survey_aggregates_recompute(wave=wave)
            done += 1
            self.stdout.write(f"{wave}: {rows:,} figures from {wave.response_count:,} responses")
        self.stdout.write(f"{done} wave{'' if done == 1 else 's'} rebuilt")
