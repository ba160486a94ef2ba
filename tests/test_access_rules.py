"""Every URL of the site declares who may open it, and enforces what it declares.

The admin (staff and the second factor, checked by Django's admin and the MFA middleware),
allauth's account pages are not the portal's views."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from members.access import AccessRule
from members.roles import Roles

pytestmark = pytest.mark.django_db

NOT_THE_PORTALS = ("allauth",)
# A value for each kind of URL argument: objects that do not exist, so an admitted viewer
# gets 404 while a refused one must still be refused first.
SAMPLE_ARGUMENTS = {
    "reference": "CANTO-AGR-1999-999",
    "pk": 999999,
    "slug": "no-such-thing",
    "token": "no-such-token",
    "format_name": "csv",
    "number": "CANTO-1999-9999",
    "payment": 999999,
    "document_pk": 999999,
}
ROLES = ["operator_a", "member_admin_a", "board_user", "secretariat_user"]


def site_patterns(resolvers=None, namespace=""):
    """(view name, pattern, view) for every URL pattern of the portal's own views."""
    for entry in resolvers if resolvers is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            module = getattr(entry.urlconf_module, "__name__", "")
            if entry.app_name == "admin" or module.startswith(NOT_THE_PORTALS):
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from site_patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name}", entry, entry.callback


def access_rule_of(view):
    view_class = getattr(view, "view_class", None)
    return getattr(view_class or view, "access_rule", None)


SITE = sorted((name, pattern, view) for name, pattern, view in site_patterns())


def test_the_site_has_pages_to_check():
    names = {name for name, _pattern, _view in SITE}

    assert {"home", "members:portal", "agreements:register", "agreements:review"} <= names


@pytest.mark.parametrize(("name", "pattern", "view"), SITE, ids=[name for name, *_ in SITE])
def test_every_page_declares_an_access_rule(name, pattern, view):
    assert isinstance(access_rule_of(view), AccessRule), f"{name} declares no access rule"


def path_of(name, pattern):
    arguments = {key: SAMPLE_ARGUMENTS[key] for key in pattern.pattern.converters}
    return reverse(name, kwargs=arguments)


GUARDED = [
    (name, pattern, view)
    for name, pattern, view in SITE
    if not getattr(access_rule_of(view), "public", False)
]


@pytest.mark.parametrize(("name", "pattern", "view"), GUARDED, ids=[n for n, *_ in GUARDED])
def test_anonymous_visitors_are_sent_to_log_in(client, name, pattern, view):
    path = path_of(name, pattern)

    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "pattern", "view"), GUARDED, ids=[n for n, *_ in GUARDED])
def test_a_login_gets_403_exactly_when_its_roles_are_not_admitted(
    client, request, role, name, pattern, view
):
    user = request.getfixturevalue(role)
    client.force_login(user)
    admitted = access_rule_of(view).admits(Roles(user))

    response = client.get(path_of(name, pattern))

    assert (response.status_code == 403) is not admitted, (
        f"{role} on {name}: {response.status_code}"
    )
