from django.conf import settings
from django.test import Client


def logged_in_page(context, live_server, user):
    """A page carrying a session of `user`: the login form itself is tested elsewhere."""
    client = Client()
    client.force_login(user)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "domain": host,
                "path": "/",
            }
        ]
    )
    return context.new_page()
