import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from agreements.alerts import send_alerts


class Command(BaseCommand):
    help = (
        "Emails the responsible staff member and the Board about agreements expiring in 90, 30 "
        "and 7 days, overdue reviews and past-due commitments. Run it daily (cron); each alert "
        "goes out once, so running it again the same day sends nothing new."
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
        sent = send_alerts(today)
        for alert in sent:
            self.stdout.write(f"sent {alert.key} to {len(alert.recipients)} recipients")
        self.stdout.write(self.style.SUCCESS(f"{len(sent)} alerts sent for {today}."))
