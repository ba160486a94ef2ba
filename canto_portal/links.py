from django.conf import settings


def absolute_url(path, request=None):
    """A full link for an email. Inside a request the request knows the address; outside one
    (a task, a cron command) PORTAL_URL, the site's public address, does."""
    if request is not None:
        return request.build_absolute_uri(path)
    return f"{settings.PORTAL_URL.rstrip('/')}{path}"
