from django.conf import settings


def absolute_url(path):
    """A full link for an email or a feed, on the site's public address, PORTAL_URL. Never the
    request's: behind the proxy its host has lost the public port, and a task or a cron
    command has no request."""
    return f"{settings.PORTAL_URL.rstrip('/')}{path}"
