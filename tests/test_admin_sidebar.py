import pytest
from django.contrib import admin
from django.template.loader import get_template
from django.test import RequestFactory
from django.utils import translation

from canto_portal.admin_sidebar import app_list
from tests.members.factories import UserFactory


def djangos_app_list(apps, path, show_changelinks=False):
    request = RequestFactory().get(path)
    return get_template("admin/app_list.html").render(
        {"app_list": apps, "show_changelinks": show_changelinks}, request
    )


def apps_of_a_superuser(path):
    request = RequestFactory().get(path)
    request.user = UserFactory(is_superuser=True, is_staff=True)
    return admin.site.get_app_list(request)


@pytest.mark.parametrize(
    "path",
    ["/admin/members/member/", "/admin/members/", "/admin/", "/admin/members/member/1/change/"],
)
@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("show_changelinks", [False, True])
def test_the_list_of_apps_is_the_markup_djangos_template_writes(
    db, path, language, show_changelinks
):
    with translation.override(language):
        apps = apps_of_a_superuser(path)
        assert app_list(apps, path, show_changelinks=show_changelinks) == djangos_app_list(
            apps, path, show_changelinks
        )


@pytest.mark.parametrize("show_changelinks", [False, True])
def test_a_model_without_an_add_or_list_page_is_written_as_djangos_template_writes_it(
    db, show_changelinks
):
    apps = apps_of_a_superuser("/admin/members/member/")
    apps[0]["models"][0]["add_url"] = None
    max(apps, key=lambda app: len(app["models"]))["models"][-1]["view_only"] = True
    apps[-1]["models"][0]["admin_url"] = None
    apps[-1]["models"][-1]["name"] = "Tom & <Jerry>"
    assert app_list(
        apps, "/admin/members/member/", show_changelinks=show_changelinks
    ) == djangos_app_list(apps, "/admin/members/member/", show_changelinks)


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_login_with_no_app_gets_the_message_djangos_template_writes(language):
    with translation.override(language):
        assert app_list([], "/admin/") == djangos_app_list([], "/admin/")


def test_the_member_lists_sidebar_is_djangos(client, secretariat_user):
    client.force_login(secretariat_user)
    response = client.get("/admin/members/member/")
    sidebar = get_template("admin/nav_sidebar.html").render(
        {"available_apps": response.context["available_apps"]}, response.wsgi_request
    )
    assert sidebar in response.content.decode()


def test_the_index_lists_apps_as_djangos_index_does(client, secretariat_user):
    client.force_login(secretariat_user)
    response = client.get("/admin/")
    listing = djangos_app_list(response.context["app_list"], "/admin/", show_changelinks=True)
    assert listing in response.content.decode()
