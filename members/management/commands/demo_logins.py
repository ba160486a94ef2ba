from django.conf import settings
from django.core.management.base import BaseCommand

from members.demo import DEMO_LOGINS


class Command(BaseCommand):
    help = "Prints the demo logins that seed_demo creates while DEBUG is on."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: there are no demo logins.")
            return
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {settings.DEMO_PASSWORD})"))
        for role, email in DEMO_LOGINS.items():
            self.stdout.write(f"  {role:<12} {email}")
        self.stdout.write("Open http://127.0.0.1:8000/ and log in at /accounts/login/")
