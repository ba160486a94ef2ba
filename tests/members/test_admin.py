import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from canto_portal import versions
from canto_portal.admin_pages import CSRF_TOKEN_PLACEHOLDER
from members.models import Contact, Dues, Member
from tests.members.factories import (
    ContactFactory,
    DuesFactory,
    MemberFactory,
    MembershipCategoryFactory,
    UserFactory,
    activate_totp,
)
from tests.test_query_budgets import SESSION_AND_LOGIN

pytestmark = pytest.mark.django_db

CHANGELISTS = [
    "admin:members_member_changelist",
    "admin:members_contact_changelist",
    "admin:members_dues_changelist",
    "admin:members_boardterm_changelist",
    "admin:members_membershipcategory_changelist",
    "admin:members_benefit_changelist",
]


@pytest.fixture
def secretariat_client(client, secretariat_user):
    client.force_login(secretariat_user)
    return client


def member_form_data(category, **overrides):
    data = {
        "name": "Leeward Fibre",
        "slug": "leeward-fibre",
        "category": category.pk,
        "country": "LC",
        "city": "Castries",
        "website": "https://leeward.example",
        "joined_on": "2010-04-01",
        "status": "active",
        "contacts-TOTAL_FORMS": "0",
        "contacts-INITIAL_FORMS": "0",
        "dues-TOTAL_FORMS": "0",
        "dues-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def contact_rows(*rows):
    data = {"contacts-TOTAL_FORMS": str(len(rows)), "contacts-INITIAL_FORMS": "0"}
    for index, (name, email, role) in enumerate(rows):
        data |= {
            f"contacts-{index}-name": name,
            f"contacts-{index}-email": email,
            f"contacts-{index}-role": role,
        }
    return data


@pytest.mark.parametrize("url_name", CHANGELISTS)
def test_secretariat_opens_every_member_register_list(secretariat_client, url_name):
    assert secretariat_client.get(reverse(url_name)).status_code == 200


def test_secretariat_opens_a_member_with_its_inlines(secretariat_client):
    member = MemberFactory()
    ContactFactory(member=member)
    DuesFactory(member=member)

    response = secretariat_client.get(reverse("admin:members_member_change", args=[member.pk]))

    assert response.status_code == 200
    assert "contacts-TOTAL_FORMS" in response.text
    assert "dues-TOTAL_FORMS" in response.text


@pytest.mark.parametrize(
    "standing", ["good", "not"], ids=["in-good-standing", "not-in-good-standing"]
)
def test_secretariat_filters_members_by_good_standing(secretariat_client, standing):
    good = MemberFactory(name="Paid Up")
    behind = MemberFactory(name="Behind")
    DuesFactory(member=behind, status=Dues.Status.OVERDUE)

    response = secretariat_client.get(
        reverse("admin:members_member_changelist"), {"standing": standing}
    )

    shown = list(response.context["cl"].result_list)
    assert shown == ([good] if standing == "good" else [behind])


def test_anonymous_visitor_is_sent_to_the_admin_login(client):
    response = client.get(reverse("admin:members_member_changelist"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_member_operator_cannot_use_the_admin(client, operator_a):
    client.force_login(operator_a)

    response = client.get(reverse("admin:members_member_changelist"))

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_staff_outside_the_secretariat_group_is_refused(client):
    staff = UserFactory(is_staff=True)
    activate_totp(staff)
    client.force_login(staff)

    assert client.get(reverse("admin:members_member_changelist")).status_code == 403


def test_secretariat_adds_a_member(secretariat_client):
    category = MembershipCategoryFactory()

    response = secretariat_client.post(
        reverse("admin:members_member_add"), member_form_data(category)
    )

    assert response.status_code == 302
    assert Member.objects.get().name == "Leeward Fibre"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("website", "leeward dot example", "Enter a valid URL."),
        ("joined_on", "2999-01-01", "The joining date cannot be in the future."),
    ],
)
def test_member_form_refuses_bad_input_and_saves_nothing(secretariat_client, field, value, message):
    category = MembershipCategoryFactory()

    response = secretariat_client.post(
        reverse("admin:members_member_add"), member_form_data(category, **{field: value})
    )

    assert response.status_code == 200
    assert message in response.text
    assert not Member.objects.exists()


def test_member_form_refuses_a_duplicate_name_in_the_same_country(secretariat_client):
    existing = MemberFactory(name="Leeward Fibre", slug="existing", country="LC")

    response = secretariat_client.post(
        reverse("admin:members_member_add"), member_form_data(existing.category)
    )

    assert response.status_code == 200
    assert "A member with this name already exists in this country." in response.text
    assert Member.objects.count() == 1


def test_member_form_refuses_two_primary_contacts_and_saves_nothing(secretariat_client):
    category = MembershipCategoryFactory()
    data = member_form_data(category) | contact_rows(
        ("Ana One", "ana@leeward.example", "primary"),
        ("Ben Two", "ben@leeward.example", "primary"),
    )

    response = secretariat_client.post(reverse("admin:members_member_add"), data)

    assert response.status_code == 200
    assert "A member can have only one primary contact." in response.text
    assert not Member.objects.exists()
    assert not Contact.objects.exists()


def test_member_form_refuses_a_second_primary_contact_next_to_a_saved_one(secretariat_client):
    member = MemberFactory()
    ContactFactory(member=member, role=Contact.Role.PRIMARY)
    data = member_form_data(member.category, name=member.name, slug=member.slug)
    data |= contact_rows(("Ben Two", "ben@leeward.example", "primary"))

    response = secretariat_client.post(
        reverse("admin:members_member_change", args=[member.pk]), data
    )

    assert response.status_code == 200
    assert "This member already has a primary contact." in response.text
    assert member.contacts.count() == 1


def test_member_form_refuses_dues_for_a_year_that_has_them(secretariat_client):
    member = MemberFactory()
    DuesFactory(member=member, year=2025)
    data = member_form_data(member.category, name=member.name, slug=member.slug)
    data |= {
        "dues-TOTAL_FORMS": "1",
        "dues-INITIAL_FORMS": "0",
        "dues-0-year": "2025",
        "dues-0-amount": "5000",
        "dues-0-currency": "USD",
        "dues-0-status": "issued",
    }

    response = secretariat_client.post(
        reverse("admin:members_member_change", args=[member.pk]), data
    )

    assert response.status_code == 200
    assert "already has dues for this year" in response.text.replace("&#x27;", "'")
    assert member.dues.count() == 1


def test_member_list_rendered_afresh_runs_the_same_queries_for_10_and_100_members(
    secretariat_client,
):
    def afresh_queries():
        # Everything the page shows, the login's roles and permissions included.
        versions.renew()
        return count_member_list_queries(secretariat_client)

    for _ in range(10):
        DuesFactory(member=MemberFactory())
    with_ten = afresh_queries()
    for _ in range(90):
        DuesFactory(member=MemberFactory())

    # The session, the login and its roles, its permissions (2), the categories and
    # countries to filter by, the count, the rows, and the date hierarchy's range and its
    # days (2).
    assert with_ten == afresh_queries() == 11


def test_admin_login_goes_through_the_portal_login_and_its_second_factor(client):
    response = client.get(reverse("admin:login"), {"next": "/admin/"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_admin_login_form_does_not_accept_a_password_alone(client, secretariat_user):
    response = client.post(
        reverse("admin:login"),
        {"username": secretariat_user.username, "password": "correct-horse-battery"},
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def member_list(client, **params):
    response = client.get(reverse("admin:members_member_changelist"), params)
    assert response.status_code == 200
    return response


def count_member_list_queries(client, **params):
    with CaptureQueriesContext(connection) as context:
        member_list(client, **params)
    return len(context.captured_queries)


def test_member_list_shows_a_member_changed_after_a_first_visit(secretariat_client):
    member = MemberFactory(name="Windward Cable")
    member_list(secretariat_client)

    member.name = "Leeward Cable"
    member.save()

    response = member_list(secretariat_client)
    assert "Leeward Cable" in response.text
    assert "Windward Cable" not in response.text


def test_member_list_filtered_after_an_unfiltered_visit_shows_only_the_filtered_members(
    secretariat_client,
):
    MemberFactory(name="Kingston Fibre", country="JM")
    MemberFactory(name="Port of Spain Wireless", country="TT")
    member_list(secretariat_client)

    response = member_list(secretariat_client, country="TT")

    assert "Port of Spain Wireless" in response.text
    assert "Kingston Fibre" not in response.text


def test_member_list_country_filter_offers_only_the_countries_members_are_in(
    secretariat_client,
):
    MemberFactory(country="JM")

    response = member_list(secretariat_client)

    assert "?country=JM" in response.text
    assert "Zimbabwe" not in response.text


def test_member_list_category_filter_offers_a_category_added_after_a_first_visit(
    secretariat_client,
):
    MemberFactory()
    member_list(secretariat_client)

    MembershipCategoryFactory(name="Observer")

    assert "Observer" in member_list(secretariat_client).text


def test_member_list_does_not_count_all_members_next_to_a_search(secretariat_client):
    MemberFactory(name="Windward Cable")
    MemberFactory(name="Leeward Fibre")

    response = member_list(secretariat_client, q="Windward")

    assert "1 result" in response.text
    assert "2 total" not in response.text


def test_member_list_seen_again_runs_no_query_but_the_login_however_many_members(
    secretariat_client,
):
    def warm_queries():
        member_list(secretariat_client)
        return count_member_list_queries(secretariat_client)

    for _ in range(10):
        DuesFactory(member=MemberFactory())
    with_ten = warm_queries()
    for _ in range(90):
        DuesFactory(member=MemberFactory())

    assert with_ten == warm_queries() == SESSION_AND_LOGIN


@pytest.fixture
def viewer(db):
    """Staff who may look at the register but not change it: no actions, so no checkboxes."""
    user = UserFactory(is_staff=True)
    activate_totp(user)
    user.user_permissions.add(
        Permission.objects.get(codename="view_member", content_type__app_label="members")
    )
    return user


def test_member_list_rendered_for_a_viewer_gives_the_secretariat_its_actions(
    client, viewer, secretariat_user
):
    MemberFactory()
    client.force_login(viewer)
    assert 'name="_selected_action"' not in member_list(client).text

    client.force_login(secretariat_user)
    response = member_list(client)

    assert 'name="_selected_action"' in response.text
    assert 'value="invite_member_contacts"' in response.text


def test_member_list_rendered_for_the_secretariat_gives_a_viewer_no_actions(
    client, viewer, secretariat_user
):
    MemberFactory()
    client.force_login(secretariat_user)
    assert 'name="_selected_action"' in member_list(client).text

    client.force_login(viewer)
    response = member_list(client)

    assert 'name="_selected_action"' not in response.text
    assert "invite_member_contacts" not in response.text


def test_member_list_shows_the_message_of_an_edit_next_to_the_changed_member(
    secretariat_client,
):
    member = MemberFactory(name="Windward Cable")
    member_list(secretariat_client)
    data = member_form_data(
        member.category, name="Leeward Cable", slug=member.slug, country=member.country
    )

    response = secretariat_client.post(
        reverse("admin:members_member_change", args=[member.pk]), data, follow=True
    )

    assert response.redirect_chain[-1][0].startswith(reverse("admin:members_member_changelist"))
    assert "was changed successfully" in response.text
    assert "Leeward Cable" in response.text


def csrf_token_in(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_member_list_seen_again_carries_a_fresh_csrf_token_each_time(secretariat_client):
    MemberFactory()

    first, second = (csrf_token_in(member_list(secretariat_client).text) for _ in range(2))

    assert first != second
    assert CSRF_TOKEN_PLACEHOLDER not in member_list(secretariat_client).text


def test_member_list_seen_again_offers_actions_that_pass_the_csrf_check(
    secretariat_user, mailoutbox
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(secretariat_user)
    member = ContactFactory().member
    member_list(client)
    token = csrf_token_in(member_list(client).text)

    response = client.post(
        reverse("admin:members_member_changelist"),
        {
            "action": "invite_member_contacts",
            "_selected_action": [member.pk],
            "csrfmiddlewaretoken": token,
        },
    )

    assert response.status_code == 302
    assert len(mailoutbox) == 1


def test_member_list_is_never_shown_to_staff_without_permission(client, secretariat_user):
    client.force_login(secretariat_user)
    member_list(client)
    staff = UserFactory(is_staff=True)
    activate_totp(staff)
    client.force_login(staff)

    response = client.get(reverse("admin:members_member_changelist"))

    assert response.status_code == 403


def test_member_list_with_a_filter_that_does_not_exist_is_answered_and_not_kept(
    secretariat_client,
):
    url = reverse("admin:members_member_changelist")

    responses = [secretariat_client.get(url, {"no_such_field": "1"}) for _ in range(2)]

    assert [r.status_code for r in responses] == [302, 302]
