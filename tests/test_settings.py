import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env):
    environment = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    environment |= env
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=environment | {"DJANGO_SETTINGS_MODULE": "canto_portal.settings"},
        capture_output=True,
        text=True,
    )


def test_startup_fails_clearly_without_secret_key_when_debug_is_off():
    result = load_settings(DEBUG="false")

    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_startup_succeeds_with_secret_key_when_debug_is_off():
    result = load_settings(DEBUG="false", SECRET_KEY="a-long-random-production-secret-value")

    assert result.returncode == 0, result.stderr


def test_development_starts_without_secret_key():
    assert load_settings(DEBUG="true").returncode == 0
