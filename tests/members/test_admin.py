import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Contact, Dues, Member
from tests.members.factories import (
    ContactFactory,
    DuesFactory,
    MemberFactory,
    MembershipCategoryFactory,
    UserFactory,
)

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
    client.force_login(UserFactory(is_staff=True))

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


def test_member_list_runs_the_same_queries_for_10_and_100_members(secretariat_client):
    def count_queries():
        with CaptureQueriesContext(connection) as context:
            response = secretariat_client.get(reverse("admin:members_member_changelist"))
        assert response.status_code == 200
        return len(context.captured_queries)

    for _ in range(10):
        DuesFactory(member=MemberFactory())
    with_ten = count_queries()
    for _ in range(90):
        DuesFactory(member=MemberFactory())
    with_hundred = count_queries()

    assert with_ten == with_hundred
    assert with_hundred <= 15


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
