import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from members.services.billing import run_dues_cycle
from members.tasks import send_dues_reminders


class Command(BaseCommand):
    help = (
        "The daily dues cycle: dues records follow their invoices, members overdue past "
        "DUES_LAPSE_PROPOSAL_DAYS are proposed for lapsing (the Secretariat decides), and the "
        "invoice reminders due are queued for the background worker. Each reminder goes once "
        "per invoice and stage, so running it again sends nothing new."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="Run as if today were this date (YYYY-MM-DD), for catching up a missed day.",
        )

    def handle(self, *args, date=None, **options):
        today = timezone.localdate()
        if date:
            try:
                today = datetime.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError(f"--date must look like 2026-01-31, not {date!r}.") from error
        result = run_dues_cycle(today=today)
        send_dues_reminders.enqueue(today.isoformat())
        self.stdout.write(
            self.style.SUCCESS(
                f"{today}: {result['dues_updated']} dues records updated, "
                f"{result['lapse_proposals']} lapse proposals, reminders queued."
            )
        )
