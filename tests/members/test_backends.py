"""Each request reads its login from the database and the login's permissions from the cache
(members/backends.py), never stale ones."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from tests.test_query_budgets import SESSION_AND_LOGIN

pytestmark = pytest.mark.django_db

MEMBER_LIST = "/admin/members/member/"


def portal(client):
    return client.get(reverse("members:portal"))


def test_a_page_seen_again_reads_only_the_session_and_the_login(
    client, operator_a, django_assert_num_queries
):
    client.force_login(operator_a)
    portal(client)

    with django_assert_num_queries(SESSION_AND_LOGIN):
        assert portal(client).status_code == 200


def test_a_password_changed_elsewhere_ends_the_session(client, operator_a):
    client.force_login(operator_a)
    portal(client)
    operator_a.set_password("a-new-password-chosen-elsewhere")
    operator_a.save()

    assert portal(client).status_code == 302


def test_a_deactivated_login_is_logged_out_on_its_next_request(client, operator_a):
    client.force_login(operator_a)
    portal(client)
    operator_a.is_active = False
    operator_a.save()

    assert portal(client).status_code == 302


def test_a_deleted_login_is_logged_out_on_its_next_request(client, operator_a):
    client.force_login(operator_a)
    portal(client)
    operator_a.delete()

    assert portal(client).status_code == 302


def test_logging_in_again_keeps_other_pages_cached(client, operator_a, django_assert_num_queries):
    client.force_login(operator_a)
    client.get(reverse("members:directory"))
    client.logout()
    client.force_login(operator_a)

    # The login's roles and the directory are still cached: a new `last_login` changes
    # nothing a page shows.
    with django_assert_num_queries(SESSION_AND_LOGIN):
        client.get(reverse("members:directory"))


def test_a_permission_withdrawn_from_a_group_closes_the_admin_page_at_once(
    client, secretariat_user
):
    client.force_login(secretariat_user)
    assert client.get(MEMBER_LIST).status_code == 200

    group = Group.objects.get(user=secretariat_user)
    group.permissions.remove(*Permission.objects.filter(content_type__model="member"))

    assert client.get(MEMBER_LIST).status_code == 403
