"""Each request's login comes from the cache (members/backends.py), never a stale one."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def portal(client):
    return client.get(reverse("members:portal"))


def test_a_cached_login_runs_no_query(client, operator_a, django_assert_num_queries):
    client.force_login(operator_a)
    portal(client)

    with django_assert_num_queries(0):
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
    # nothing a page shows. Only the login itself is read again.
    with django_assert_num_queries(0):
        client.get(reverse("members:directory"))
