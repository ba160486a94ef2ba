"""The back office's index lists the apps and models the login may open. The list, whose every
model asks for permissions, is built once per process for each set of permissions and
language, and follows a change of permissions at once."""

from unittest import mock

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission

from members.roles import SECRETARIAT_GROUP
from tests.members.factories import UserFactory, activate_totp

pytestmark = pytest.mark.django_db


def staff_with(*codenames):
    user = UserFactory(is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    activate_totp(user)
    return user


def models_listed(response):
    return {model["object_name"] for app in response.context["app_list"] for model in app["models"]}


def test_the_index_and_its_page_context_share_one_list(client, secretariat_user):
    client.force_login(secretariat_user)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert response.context["app_list"] is response.context["available_apps"]


def test_a_second_login_with_the_same_permissions_gets_the_list_built_for_the_first(client):
    first, second = UserFactory(is_staff=True), UserFactory(is_staff=True)
    for user in (first, second):
        user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
        activate_totp(user)
    client.force_login(first)
    client.get("/admin/")
    client.force_login(second)
    with mock.patch.object(
        admin.site, "_build_app_dict", wraps=admin.site._build_app_dict
    ) as build:
        response = client.get("/admin/")
    assert response.status_code == 200
    assert build.call_count == 0


def test_a_permission_granted_shows_its_model_on_the_next_page(client):
    user = staff_with("view_member")
    client.force_login(user)
    assert models_listed(client.get("/admin/")) == {"Member"}
    user.user_permissions.add(Permission.objects.get(codename="view_invoice"))
    assert models_listed(client.get("/admin/")) == {"Member", "Invoice"}


def test_the_list_is_named_in_the_logins_language(client, secretariat_user):
    client.force_login(secretariat_user)
    assert "Member register" in client.get("/admin/").text
    response = client.get("/admin/", headers={"accept-language": "fr"})
    assert "Registre des membres" in response.text


def test_an_apps_own_index_lists_only_its_models(client, secretariat_user):
    client.force_login(secretariat_user)
    response = client.get("/admin/members/")
    assert [app["app_label"] for app in response.context["app_list"]] == ["members"]
