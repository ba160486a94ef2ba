"""Back-office pages kept in the cache whole, per login: rendered once per version of the data
they show, then read back. The login is in the key because the page shows its name and what
its permissions open. The cached page holds a placeholder where the CSRF token goes, and each
response gets a freshly masked token; a page with messages to show is rendered afresh."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token

from canto_portal.fragments import TIMEOUT, cached

# Where a cached admin page has its CSRF token: each response puts a fresh one there.
CSRF_TOKEN_PLACEHOLDER = "csrf-token-of-this-response"


@dataclass(frozen=True)
class AdminPage:
    """What a kept back-office page depends on: the login and the query string."""

    login: int | None
    query: tuple[tuple[str, tuple[str, ...]], ...]


def kept_admin_page(
    name: str,
    request: HttpRequest,
    render: Callable[[dict], HttpResponse],
    *,
    shows: Iterable[str],
) -> HttpResponse | None:
    """The page `render(extra_context)` gives for this login and query string, from the cache
    when rendered before for the same data; None when it is not to be kept (a form posted,
    messages waiting, or anything but a page: a redirect for a filter that does not exist),
    and the caller answers afresh. `render` is given the CSRF token's placeholder."""
    if request.method != "GET" or len(messages.get_messages(request)):
        return None

    # Rendered from the request, which holds no more than the key: the login, the query
    # string, and neither messages nor a CSRF token.
    def page(key: AdminPage) -> str | None:
        response = render({"csrf_token": CSRF_TOKEN_PLACEHOLDER})
        if response.status_code != 200 or not hasattr(response, "render"):
            return None
        return response.render().content.decode()

    html = cached(
        name,
        page,
        key=AdminPage(
            request.user.pk,
            tuple((param, tuple(values)) for param, values in sorted(request.GET.lists())),
        ),
        shows=shows,
        timeout=lambda html: TIMEOUT if html else 0,
    )
    if html is None:
        return None
    return HttpResponse(html.replace(CSRF_TOKEN_PLACEHOLDER, get_token(request)))
