import datetime
import time

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from agreements.models import Appointment, Seat
from members.models import Benefit, Contact, Dues, Invitation, Member
from tests.members.factories import (
    ContactFactory,
    DuesFactory,
    MemberFactory,
    MembershipCategoryFactory,
)
from tests.test_query_budgets import SESSION_AND_LOGIN

pytestmark = pytest.mark.django_db


@pytest.fixture
def benefits(member_a):
    benefit = Benefit.objects.create(name="Discounted conference passes")
    benefit.categories.add(member_a.category)
    other = Benefit.objects.create(name="Affiliate newsletter")
    other.categories.add(MembershipCategoryFactory(name="Affiliate"))
    return benefit


def login(client, user):
    client.force_login(user)
    return client


def set_status(member, status):
    Member.objects.filter(pk=member.pk).update(status=status)


# Dashboard ------------------------------------------------------------------------------------


def test_portal_lists_the_benefits_of_the_members_category(client, operator_a, benefits):
    response = login(client, operator_a).get(reverse("members:portal"))

    assert "Discounted conference passes" in response.text
    assert "Affiliate newsletter" not in response.text


@pytest.mark.parametrize("status", [Member.Status.SUSPENDED, Member.Status.LAPSED])
def test_inactive_members_operator_sees_a_notice_and_no_benefits(
    client, operator_a, member_a, benefits, status
):
    set_status(member_a, status)

    response = login(client, operator_a).get(reverse("members:portal"))

    assert response.status_code == 200
    assert 'role="alert"' in response.text
    assert "benefits are" in response.text and "on hold" in response.text
    assert "Discounted conference passes" not in response.text


def test_resigned_members_contact_has_no_portal(client, operator_a, member_a):
    set_status(member_a, Member.Status.RESIGNED)

    assert login(client, operator_a).get(reverse("members:portal")).status_code == 403


def test_portal_shows_dues_history_newest_first(client, operator_a, member_a):
    DuesFactory(member=member_a, year=2024)
    DuesFactory(member=member_a, year=2025, status=Dues.Status.OVERDUE)

    response = login(client, operator_a).get(reverse("members:portal"))

    assert [row.year for row in response.context["dues"]] == [2025, 2024]


def test_portal_says_when_member_is_not_in_good_standing(client, operator_a, member_a):
    DuesFactory(member=member_a, year=2025, status=Dues.Status.OVERDUE)

    response = login(client, operator_a).get(reverse("members:portal"))

    assert "Not in good standing" in response.text


def test_portal_lists_only_the_organisations_own_contacts(client, operator_a, contact_a, member_b):
    ContactFactory(member=member_b, name="Someone Elsewhere")

    response = login(client, operator_a).get(reverse("members:portal"))

    assert "Anya Baptistine" in response.text
    assert "Someone Elsewhere" not in response.text


def test_portal_hides_management_links_from_plain_operators(client, operator_a, contact_a):
    response = login(client, operator_a).get(reverse("members:portal"))

    assert reverse("members:contact_add") not in response.text


def test_portal_shows_management_links_to_member_admins(client, member_admin_a, contact_a):
    response = login(client, member_admin_a).get(reverse("members:portal"))

    assert reverse("members:contact_edit", args=[contact_a.pk]) in response.text
    assert reverse("members:contact_invite", args=[contact_a.pk]) in response.text


def test_portal_shows_who_represents_canto_on_councils(client, operator_a):
    holder = ContactFactory(name="Imani Oyelaran")
    seat = Seat.objects.get(council__name="ISOC Advisory Council", label="Principal seat 1")
    today = timezone.localdate()
    Appointment.objects.create(
        seat=seat,
        contact=holder,
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today + datetime.timedelta(days=600),
        status=Appointment.Status.ACTIVE,
    )

    response = login(client, operator_a).get(reverse("members:portal"))

    assert "ISOC Advisory Council" in response.text
    assert "Imani Oyelaran" in response.text
    assert "Vacant" in response.text


def test_portal_never_shows_staff_notes(client, operator_a, member_a):
    Member.objects.filter(pk=member_a.pk).update(staff_notes="Late payer, chase in March")

    response = login(client, operator_a).get(reverse("members:portal"))

    assert "Late payer" not in response.text


@pytest.mark.parametrize("rows", [5, 50])
def test_portal_query_count_does_not_grow_with_contacts_and_dues(
    client, member_admin_a, member_a, rows, django_assert_num_queries
):
    ContactFactory.create_batch(rows, member=member_a)
    for year in range(2000, 2000 + rows):
        DuesFactory(member=member_a, year=year)
    login(client, member_admin_a)

    # Nothing cached yet: session, user, contact (with MFA state and board term), member
    # with standing, benefits, dues, contacts, pending invitations of those contacts, council
    # seats and their current holders; the billing summary, which the attention panel counts
    # the overdue invoices from; the panel's terms ending of the member's people (board and
    # council) and new briefings.
    with django_assert_num_queries(14):
        response = client.get(reverse("members:portal"))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [5, 50])
def test_portal_seen_again_runs_no_query_but_the_login(
    client, member_admin_a, member_a, rows, django_assert_num_queries
):
    ContactFactory.create_batch(rows, member=member_a)
    login(client, member_admin_a).get(reverse("members:portal"))

    with django_assert_num_queries(SESSION_AND_LOGIN):
        response = client.get(reverse("members:portal"))
    assert response.status_code == 200


def test_portal_shows_dues_recorded_after_a_first_visit(client, member_admin_a, member_a):
    login(client, member_admin_a).get(reverse("members:portal"))
    DuesFactory(member=member_a, year=2031)

    response = client.get(reverse("members:portal"))

    assert "2031" in response.text


def test_portal_edit_link_is_not_shown_to_an_operator_after_a_member_admin_visit(
    client, member_admin_a, member_a
):
    login(client, member_admin_a).get(reverse("members:portal"))
    operator = ContactFactory(member=member_a, with_login=True).user

    response = login(client, operator).get(reverse("members:portal"))

    assert reverse("members:profile_edit") not in response.text


# Profile and contacts -------------------------------------------------------------------------


def test_member_admin_edits_public_profile(client, member_admin_a, member_a):
    response = login(client, member_admin_a).post(
        reverse("members:profile_edit"),
        {"city": "San Fernando", "website": "https://alpha.example", "description": "Fibre."},
    )

    assert response.status_code == 302
    member_a.refresh_from_db()
    assert (member_a.city, member_a.description) == ("San Fernando", "Fibre.")


def test_profile_form_ignores_status_and_category(client, member_admin_a, member_a):
    other = MembershipCategoryFactory(name="Affiliate")

    login(client, member_admin_a).post(
        reverse("members:profile_edit"),
        {"city": "Arima", "status": "resigned", "category": other.pk, "staff_notes": "x"},
    )

    member_a.refresh_from_db()
    assert member_a.status == Member.Status.ACTIVE
    assert member_a.category.name == "Full"
    assert member_a.staff_notes == ""


def test_profile_form_rejects_an_invalid_website(client, member_admin_a, member_a):
    response = login(client, member_admin_a).post(
        reverse("members:profile_edit"), {"website": "not a url"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["website"]


def contact_data(**overrides):
    return {
        "name": "Rohan Oyelaran",
        "email": "rohan@alpha.example",
        "job_title": "Head of Network Operations",
        "role": Contact.Role.TECHNICAL,
        "receives_briefings": "on",
        **overrides,
    }


def test_member_admin_adds_a_contact_to_own_organisation(client, member_admin_a, member_a):
    response = login(client, member_admin_a).post(reverse("members:contact_add"), contact_data())

    assert response.status_code == 302
    assert Contact.objects.get(email="rohan@alpha.example").member == member_a


def test_second_primary_contact_is_refused_with_a_message(client, member_admin_a, member_a):
    ContactFactory(member=member_a, role=Contact.Role.PRIMARY)

    response = login(client, member_admin_a).post(
        reverse("members:contact_add"), contact_data(role=Contact.Role.PRIMARY)
    )

    assert response.status_code == 200
    assert "already has a primary contact" in response.text
    assert not Contact.objects.filter(email="rohan@alpha.example").exists()


def test_duplicate_contact_email_is_refused(client, member_admin_a, contact_a):
    response = login(client, member_admin_a).post(
        reverse("members:contact_add"), contact_data(email=contact_a.email.upper())
    )

    assert response.status_code == 200
    assert "Another contact already uses this email address." in response.text


def test_member_admin_edits_a_contact(client, member_admin_a, contact_a):
    login(client, member_admin_a).post(
        reverse("members:contact_edit", args=[contact_a.pk]),
        contact_data(name="Anya B. Baptistine", email=contact_a.email),
    )

    contact_a.refresh_from_db()
    assert contact_a.name == "Anya B. Baptistine"


def test_login_email_cannot_be_changed_from_the_portal(client, member_admin_a, operator_a):
    contact = operator_a.contact

    login(client, member_admin_a).post(
        reverse("members:contact_edit", args=[contact.pk]),
        contact_data(name=contact.name, email="hijack@elsewhere.example"),
    )

    contact.refresh_from_db()
    assert contact.email == operator_a.email


def test_member_admin_removes_a_contact(client, member_admin_a, contact_a):
    response = login(client, member_admin_a).post(
        reverse("members:contact_remove", args=[contact_a.pk])
    )

    assert response.status_code == 302
    assert not Contact.objects.filter(pk=contact_a.pk).exists()


def test_removing_a_contact_switches_off_their_login(client, member_admin_a, operator_a):
    login(client, member_admin_a).post(
        reverse("members:contact_remove", args=[operator_a.contact.pk])
    )

    operator_a.refresh_from_db()
    assert not operator_a.is_active


def test_member_admin_cannot_remove_themselves(client, member_admin_a):
    contact = member_admin_a.contact

    login(client, member_admin_a).post(reverse("members:contact_remove", args=[contact.pk]))

    assert Contact.objects.filter(pk=contact.pk).exists()


def test_contact_with_board_term_is_not_removed_from_the_portal(client, member_admin_a, member_a):
    from tests.members.factories import BoardTermFactory

    director = BoardTermFactory(contact=ContactFactory(member=member_a)).contact

    response = login(client, member_admin_a).post(
        reverse("members:contact_remove", args=[director.pk]), follow=True
    )

    assert "only the Secretariat may" in response.text
    assert Contact.objects.filter(pk=director.pk).exists()


def test_member_admin_invites_a_contact(client, member_admin_a, contact_a, mailoutbox):
    login(client, member_admin_a).post(reverse("members:contact_invite", args=[contact_a.pk]))

    assert Invitation.objects.get().invited_by == member_admin_a
    assert mailoutbox[0].to == [contact_a.email]


def test_the_invitation_link_is_on_the_portals_public_address_not_the_requests(
    client, settings, member_admin_a, contact_a, mailoutbox
):
    # Behind the proxy the request's host has lost the public port.
    settings.PORTAL_URL = "http://portal.example:8443"
    settings.ALLOWED_HOSTS = ["portal.example"]
    login(client, member_admin_a).post(
        reverse("members:contact_invite", args=[contact_a.pk]), HTTP_HOST="portal.example"
    )

    [message] = mailoutbox
    assert "http://portal.example:8443/invitations/" in message.body
    assert "http://portal.example/" not in message.body


def test_portal_links_to_inviting_a_contact_without_a_login(client, member_admin_a, contact_a):
    response = login(client, member_admin_a).get(reverse("members:portal"))

    assert reverse("members:contact_invite", args=[contact_a.pk]) in response.text


def test_portal_offers_no_removal_of_the_viewers_own_contact(client, member_admin_a, contact_a):
    response = login(client, member_admin_a).get(reverse("members:portal"))

    own = member_admin_a.contact
    assert reverse("members:contact_remove", args=[contact_a.pk]) in response.text
    assert reverse("members:contact_remove", args=[own.pk]) not in response.text


def test_portal_contacts_cached_for_one_member_admin_are_not_shown_to_another(
    client, member_admin_a, member_a
):
    login(client, member_admin_a).get(reverse("members:portal"))
    other_admin = ContactFactory(member=member_a, is_member_admin=True, with_login=True)

    response = login(client, other_admin.user).get(reverse("members:portal"))

    first = member_admin_a.contact
    assert reverse("members:contact_remove", args=[first.pk]) in response.text
    assert reverse("members:contact_remove", args=[other_admin.pk]) not in response.text


def test_portal_contacts_are_kept_no_longer_than_a_pending_invitation_lasts(
    client, member_admin_a, contact_a, mailoutbox
):
    login(client, member_admin_a).post(reverse("members:contact_invite", args=[contact_a.pk]))
    expires_at = timezone.now() + datetime.timedelta(seconds=2)
    contact_a.invitations.update(expires_at=expires_at)
    assert "Invite again" in client.get(reverse("members:portal")).text

    time.sleep((expires_at - timezone.now()).total_seconds() + 0.1)

    assert "Invite again" not in client.get(reverse("members:portal")).text


def test_portal_shows_a_pending_invitation(client, member_admin_a, contact_a, mailoutbox):
    login(client, member_admin_a).post(reverse("members:contact_invite", args=[contact_a.pk]))

    response = client.get(reverse("members:portal"))

    assert "Invite again" in response.text


# Directory and profiles -----------------------------------------------------------------------


def test_directory_lists_active_members_only(client, operator_a, member_b):
    MemberFactory(name="Lapsed Lines", status=Member.Status.LAPSED)

    response = login(client, operator_a).get(reverse("members:directory"))

    names = [member.name for member in response.context["page"]]
    assert names == ["Alpha Telecom", "Bravo Networks"]


def test_directory_says_how_many_members_of_the_register_it_leaves_out(client, operator_a):
    MemberFactory(status=Member.Status.SUSPENDED)
    MemberFactory(status=Member.Status.LAPSED)
    MemberFactory(status=Member.Status.RESIGNED)

    response = login(client, operator_a).get(reverse("members:directory"))

    # The home page counts the four members on the register; the directory lists one.
    assert "1 member<" in response.text
    assert (
        "The directory lists active members only: 2 suspended or lapsed members are not listed."
        in response.text
    )


def test_directory_counts_its_members_in_the_viewers_language(client, operator_a, member_b):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"

    response = login(client, operator_a).get(reverse("members:directory"))

    assert 'role="status">2 miembros</p>' in response.text


def test_directory_filters_by_country(client, operator_a):
    MemberFactory(name="Kingston Cable", country="JM")

    response = login(client, operator_a).get(reverse("members:directory"), {"country": "JM"})

    assert [member.name for member in response.context["page"]] == ["Kingston Cable"]


def test_directory_filters_by_category(client, operator_a):
    affiliate = MembershipCategoryFactory(name="Affiliate")
    MemberFactory(name="Affiliate Fibre", category=affiliate)

    response = login(client, operator_a).get(
        reverse("members:directory"), {"category": affiliate.pk}
    )

    assert [member.name for member in response.context["page"]] == ["Affiliate Fibre"]


def test_directory_searches_by_name(client, operator_a, member_b):
    response = login(client, operator_a).get(reverse("members:directory"), {"q": "bravo"})

    assert [member.name for member in response.context["page"]] == ["Bravo Networks"]


def test_directory_offers_only_countries_with_active_members(client, operator_a):
    MemberFactory(name="Kingston Cable", country="JM", status=Member.Status.SUSPENDED)

    response = login(client, operator_a).get(reverse("members:directory"))

    codes = [code for code, _name in response.context["form"].fields["country"].choices]
    assert codes == ["", "TT"]


def test_directory_paginates_by_25(client, operator_a):
    MemberFactory.create_batch(30)

    response = login(client, operator_a).get(reverse("members:directory"), {"page": 2})

    assert len(response.context["page"]) == 31 - 25
    assert 'rel="prev"' in response.text


def test_directory_keeps_filters_in_page_links(client, operator_a):
    MemberFactory.create_batch(30, country="JM")

    response = login(client, operator_a).get(reverse("members:directory"), {"country": "JM"})

    assert "?country=JM&amp;page=2" in response.text


@pytest.mark.parametrize("rows", [5, 50])
def test_directory_query_count_does_not_grow_with_members(
    client, operator_a, rows, django_assert_num_queries
):
    MemberFactory.create_batch(rows)
    login(client, operator_a)

    # Nothing cached yet: session, user, contact (with board term and MFA state), countries,
    # count, page, members left out, categories (select).
    with django_assert_num_queries(8):
        response = client.get(reverse("members:directory"))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [5, 50])
def test_directory_seen_again_runs_no_query_but_the_login(
    client, operator_a, rows, django_assert_num_queries
):
    MemberFactory.create_batch(rows)
    login(client, operator_a).get(reverse("members:directory"))

    with django_assert_num_queries(SESSION_AND_LOGIN):
        response = client.get(reverse("members:directory"))
    assert response.status_code == 200


def test_directory_lists_a_member_added_after_a_first_visit(client, operator_a):
    login(client, operator_a).get(reverse("members:directory"))
    MemberFactory(name="Aardvark Cable")

    response = client.get(reverse("members:directory"))

    assert "Aardvark Cable" in response.text


def test_directory_drops_a_member_suspended_after_a_first_visit(client, operator_a, member_b):
    login(client, operator_a).get(reverse("members:directory"))
    member_b.status = Member.Status.SUSPENDED
    member_b.save()

    response = client.get(reverse("members:directory"))

    assert member_b.name not in response.text


def test_directory_ignores_unknown_parameters(client, operator_a, member_b):
    response = login(client, operator_a).get(reverse("members:directory"), {"utm": "x"})

    assert member_b.name in response.text


def test_profile_shows_public_fields(client, operator_a, member_b):
    Member.objects.filter(pk=member_b.pk).update(
        public_email="hello@bravo.example", staff_notes="Owes a letter"
    )

    response = login(client, operator_a).get(member_b.get_absolute_url())

    assert "hello@bravo.example" in response.text
    assert "Owes a letter" not in response.text


def test_profile_of_an_inactive_member_is_hidden_from_operators(client, operator_a, member_b):
    set_status(member_b, Member.Status.SUSPENDED)

    assert login(client, operator_a).get(member_b.get_absolute_url()).status_code == 404


def test_secretariat_opens_an_inactive_members_profile(client, secretariat_user, member_b):
    set_status(member_b, Member.Status.SUSPENDED)

    assert login(client, secretariat_user).get(member_b.get_absolute_url()).status_code == 200


def test_profile_query_count(client, operator_a, member_b, django_assert_num_queries):
    login(client, operator_a)

    # Nothing cached yet: session, user, contact (with board term and MFA state), member.
    with django_assert_num_queries(4):
        client.get(member_b.get_absolute_url())


def test_profile_seen_again_runs_no_query_but_the_login(
    client, operator_a, member_b, django_assert_num_queries
):
    login(client, operator_a).get(member_b.get_absolute_url())

    with django_assert_num_queries(SESSION_AND_LOGIN):
        client.get(member_b.get_absolute_url())


def test_profile_shows_a_change_made_after_a_first_visit(client, operator_a, member_b):
    login(client, operator_a).get(member_b.get_absolute_url())
    member_b.city = "Willemstad"
    member_b.save()

    response = client.get(member_b.get_absolute_url())

    assert "Willemstad" in response.text


def test_profile_of_a_suspended_member_seen_by_the_secretariat_stays_hidden_from_operators(
    client, operator_a, member_b, secretariat_user
):
    set_status(member_b, Member.Status.SUSPENDED)
    assert login(client, secretariat_user).get(member_b.get_absolute_url()).status_code == 200

    response = login(client, operator_a).get(member_b.get_absolute_url())

    assert response.status_code == 404


# Navigation -----------------------------------------------------------------------------------


def test_operator_navigation_links_portal_and_directory(client, operator_a):
    response = login(client, operator_a).get(reverse("home"))

    assert f'href="{reverse("members:portal")}"' in response.text
    assert f'href="{reverse("members:directory")}"' in response.text


def test_secretariat_navigation_has_directory_but_no_portal(client, secretariat_user):
    response = login(client, secretariat_user).get(reverse("home"))

    assert f'href="{reverse("members:portal")}"' not in response.text
    assert f'href="{reverse("members:directory")}"' in response.text


def test_anonymous_navigation_links_no_member_pages(client):
    response = client.get(reverse("home"))

    assert reverse("members:portal") not in response.text
    assert reverse("members:directory") not in response.text
