"""Headers every page carries, and the templates that make a strict policy possible."""

import re
from pathlib import Path

import pytest
from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Emails and PDFs are not served to a browser under the portal's policy.
NOT_SERVED = {"emails", "pdf"}


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_that_admits_only_the_portals_own_files(client):
    response = client.get("/")

    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_pages_carry_nosniff_referrer_policy_opener_policy_and_frame_denial(client):
    response = client.get("/")

    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_no_served_template_has_an_inline_style_or_script():
    inline = re.compile(r"<style|\sstyle=|<script(?![^>]*\ssrc=)|\son[a-z]+=", re.IGNORECASE)
    offenders = [
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if path.relative_to(TEMPLATES).parts[0] not in NOT_SERVED
        and inline.search(path.read_text())
    ]

    assert offenders == []
