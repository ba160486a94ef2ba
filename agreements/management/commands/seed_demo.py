from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from agreements import demo as agreements_demo
from members import demo as members_demo
from members import demo_billing
from members.models import Member


class Command(BaseCommand):
    help = "Builds the fictional demo data. Safe to run again: it updates instead of adding."

    def handle(self, *args, **options):
        with transaction.atomic():
            members_demo.seed()
            demo_billing.seed(timezone.localdate())
            agreements_demo.seed(timezone.localdate())
            if settings.DEBUG:
                members_demo.seed_demo_logins()
        current = Member.objects.current()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {current.count()} members in "
                f"{current.values('country').distinct().count()} countries and territories."
            )
        )
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: no demo logins were created.")
