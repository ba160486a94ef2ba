import shlex

from django.conf import settings
from django.core.management.base import BaseCommand
from django.urls import reverse

from canto_portal.links import absolute_url
from members.demo import DEMO_LOGINS, DEMO_TOTP_SECRETS, current_demo_code


class Command(BaseCommand):
    help = (
        "Prints the demo logins that seed_demo creates while DEBUG is on, with the current "
        "two-factor codes of those that need one. Run it again for a fresh code."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            self.stdout.write("DEBUG is off: there are no demo logins.")
            return
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {settings.DEMO_PASSWORD})"))
        for role, email in DEMO_LOGINS.items():
            line = f"  {role:<12} {email}"
            if role in DEMO_TOTP_SECRETS:
                line += (
                    f"   authenticator code now: {current_demo_code(role)}"
                    f" (secret {DEMO_TOTP_SECRETS[role]})"
                )
            self.stdout.write(line)
        # Run by hand in another terminal, the command knows the address only from
        # PORTAL_URL: the command it suggests carries the one `make run` serves at.
        self.stdout.write(
            f"Open {absolute_url(reverse('account_login'))} . For a fresh code: "
            f"PORTAL_URL={shlex.quote(settings.PORTAL_URL)} .venv/bin/python manage.py demo_logins"
        )
