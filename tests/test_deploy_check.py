"""`manage.py check --deploy` with a production environment: no warning at all."""

import os
import secrets
import subprocess
import sys

from django.conf import settings


def test_deploy_checks_pass_with_the_production_environment():
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "portal.canto.example",
        "CACHE_URL": "redis://127.0.0.1:6379/0",
        "CANTO_BANK_DETAILS": "Bank: Royal Caribbean Bank\\nAccount name: CANTO",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert result.returncode == 0, result.stderr
