"""The back office's index lists the apps and models the login may open; the list, whose
every model asks for a permission, is built once for the page."""

from unittest import mock

import pytest
from django.contrib import admin

pytestmark = pytest.mark.django_db


def test_the_index_builds_its_list_of_apps_once(client, secretariat_user):
    client.force_login(secretariat_user)
    with mock.patch.object(
        admin.site, "_build_app_dict", wraps=admin.site._build_app_dict
    ) as build:
        response = client.get("/admin/")
    assert response.status_code == 200
    assert build.call_count == 1
    assert response.context["app_list"] is response.context["available_apps"]


def test_an_apps_own_index_lists_only_its_models(client, secretariat_user):
    client.force_login(secretariat_user)
    response = client.get("/admin/members/")
    assert [app["app_label"] for app in response.context["app_list"]] == ["members"]
