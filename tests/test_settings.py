import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def load_settings(**env):
    environment = {
        k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "CACHE_URL"}
    }
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


def test_startup_fails_clearly_without_a_shared_cache_when_debug_is_off():
    result = load_settings(DEBUG="false", SECRET_KEY="a-long-random-production-secret-value")

    assert result.returncode != 0
    assert "CACHE_URL is not set" in result.stderr


def test_startup_succeeds_with_secret_key_and_cache_when_debug_is_off():
    result = load_settings(
        DEBUG="false",
        SECRET_KEY="a-long-random-production-secret-value",
        CACHE_URL="redis://127.0.0.1:6379/0",
    )

    assert result.returncode == 0, result.stderr


def test_an_unknown_cache_url_is_refused_clearly():
    result = load_settings(DEBUG="true", CACHE_URL="memcached://127.0.0.1:11211")

    assert result.returncode != 0
    assert "CACHE_URL 'memcached://127.0.0.1:11211' is not understood" in result.stderr


def test_development_starts_without_secret_key():
    assert load_settings(DEBUG="true").returncode == 0


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit_compilation():
    if connection.vendor != "postgresql":
        pytest.skip("JIT compilation is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
