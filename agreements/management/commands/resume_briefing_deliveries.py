from django.core.management.base import BaseCommand

from agreements.tasks import resume_deliveries


class Command(BaseCommand):
    help = (
        "Queues the emails of published members briefings that are still pending, for example "
        "after a worker was stopped while sending. Run it before starting the worker "
        "(`manage.py db_worker`); each recipient still gets a briefing once."
    )

    def handle(self, *args, **options):
        briefing_ids = resume_deliveries()
        self.stdout.write(
            self.style.SUCCESS(
                f"Queued the pending emails of {len(briefing_ids)} briefing(s)."
                if briefing_ids
                else "No briefing emails are pending."
            )
        )
