import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from members.models import BoardTerm, Contact, Dues, Member
from tests.members.factories import (
    BoardTermFactory,
    ContactFactory,
    DuesFactory,
    MemberFactory,
)

pytestmark = pytest.mark.django_db


def test_member_slug_is_unique_in_the_database():
    MemberFactory(name="Alpha", slug="alpha")

    with pytest.raises(IntegrityError), transaction.atomic():
        MemberFactory(name="Another Alpha", slug="alpha")


def test_member_name_is_unique_per_country_whatever_the_case():
    MemberFactory(name="Coralwave Telecom", country="JM")

    with pytest.raises(IntegrityError), transaction.atomic():
        MemberFactory(name="CORALWAVE TELECOM", slug="other", country="JM")


def test_same_member_name_is_allowed_in_another_country():
    MemberFactory(name="Coralwave Telecom", country="JM")

    MemberFactory(name="Coralwave Telecom", slug="coralwave-bb", country="BB")

    assert Member.objects.filter(name="Coralwave Telecom").count() == 2


def test_duplicate_member_name_in_country_is_refused_with_a_message():
    MemberFactory(name="Coralwave Telecom", country="JM")
    duplicate = MemberFactory.build(name="coralwave telecom", slug="x", country="JM")

    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()

    assert "already exists in this country" in str(error.value)


def test_joining_date_in_the_future_is_refused():
    member = MemberFactory.build(joined_on=timezone.localdate() + datetime.timedelta(days=1))

    with pytest.raises(ValidationError) as error:
        member.full_clean()

    assert "joined_on" in error.value.message_dict


def test_invalid_website_is_refused():
    member = MemberFactory.build(website="not a website")

    with pytest.raises(ValidationError) as error:
        member.full_clean()

    assert "website" in error.value.message_dict


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("active", "suspended"),
        ("active", "lapsed"),
        ("active", "resigned"),
        ("suspended", "active"),
        ("lapsed", "active"),
        ("resigned", "active"),
    ],
)
def test_allowed_status_moves_are_saved_with_their_date(old, new):
    member = MemberFactory(status=old, status_changed_on=datetime.date(2020, 1, 1))
    member = Member.objects.get(pk=member.pk)

    member.status = new
    member.full_clean()
    member.save()

    member.refresh_from_db()
    assert member.status == new
    assert member.status_changed_on == timezone.localdate()


@pytest.mark.parametrize(("old", "new"), [("lapsed", "suspended"), ("resigned", "lapsed")])
def test_disallowed_status_moves_are_refused_and_not_saved(old, new):
    member = MemberFactory(status=old)
    member = Member.objects.get(pk=member.pk)
    member.status = new

    with pytest.raises(ValidationError) as error:
        member.save()

    assert "cannot move" in str(error.value)
    assert Member.objects.get(pk=member.pk).status == old


def test_member_with_dues_cannot_be_deleted():
    dues = DuesFactory()

    with pytest.raises(ProtectedError):
        dues.member.delete()

    assert Member.objects.filter(pk=dues.member.pk).exists()


def test_member_without_history_can_be_deleted():
    member = MemberFactory()

    member.delete()

    assert not Member.objects.filter(pk=member.pk).exists()


def test_a_member_has_at_most_one_primary_contact():
    member = MemberFactory()
    ContactFactory(member=member, role=Contact.Role.PRIMARY)

    with pytest.raises(IntegrityError), transaction.atomic():
        ContactFactory(member=member, role=Contact.Role.PRIMARY)


def test_second_primary_contact_is_refused_with_a_message():
    member = MemberFactory()
    ContactFactory(member=member, role=Contact.Role.PRIMARY)
    second = ContactFactory.build(member=member, role=Contact.Role.PRIMARY)

    with pytest.raises(ValidationError) as error:
        second.full_clean()

    assert "already has a primary contact" in str(error.value)


def test_two_members_may_each_have_a_primary_contact():
    ContactFactory(role=Contact.Role.PRIMARY)
    ContactFactory(role=Contact.Role.PRIMARY)

    assert Contact.objects.filter(role=Contact.Role.PRIMARY).count() == 2


def test_contact_email_is_unique_whatever_the_case():
    ContactFactory(email="ceo@alpha.example")

    with pytest.raises(IntegrityError), transaction.atomic():
        ContactFactory(email="CEO@Alpha.example")


def test_one_dues_per_member_and_year():
    dues = DuesFactory(year=2025)

    with pytest.raises(IntegrityError), transaction.atomic():
        DuesFactory(member=dues.member, year=2025)


def test_duplicate_dues_year_is_refused_with_a_message():
    dues = DuesFactory(year=2025)
    duplicate = DuesFactory.build(member=dues.member, year=2025)

    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()

    assert "already has dues for this year" in str(error.value)


def test_paid_dues_need_a_payment_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        DuesFactory(status=Dues.Status.PAID, paid_on=None)


def test_dues_amount_cannot_be_negative():
    with pytest.raises(IntegrityError), transaction.atomic():
        DuesFactory(amount=-1)


def test_board_term_must_end_after_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        BoardTermFactory(starts_on=datetime.date(2025, 5, 1), ends_on=datetime.date(2025, 4, 30))


def test_current_board_is_derived_from_terms():
    today = timezone.localdate()
    current = BoardTermFactory()
    BoardTermFactory(
        starts_on=today - datetime.timedelta(days=800),
        ends_on=today - datetime.timedelta(days=70),
    )
    BoardTermFactory(starts_on=today + datetime.timedelta(days=10), ends_on=None)

    assert list(BoardTerm.objects.current()) == [current]


def test_member_with_overdue_dues_is_not_in_good_standing():
    member = MemberFactory()
    DuesFactory(member=member, year=2025, status=Dues.Status.OVERDUE)

    assert not member.in_good_standing
    assert member not in Member.objects.in_good_standing()
    assert member in Member.objects.not_in_good_standing()


def test_active_member_with_dues_paid_or_issued_is_in_good_standing():
    member = MemberFactory()
    DuesFactory(member=member, year=2025, status=Dues.Status.PAID)
    DuesFactory(member=member, year=2026, status=Dues.Status.ISSUED)

    assert member.in_good_standing
    assert list(Member.objects.in_good_standing()) == [member]


def test_suspended_member_is_not_in_good_standing():
    member = MemberFactory(status=Member.Status.SUSPENDED)

    assert not member.in_good_standing
    assert not Member.objects.in_good_standing().exists()


def test_member_changes_are_kept_in_history():
    member = MemberFactory(city="Kingston")
    member.city = "Montego Bay"
    member.save()

    assert [h.city for h in member.history.order_by("history_date")] == [
        "Kingston",
        "Montego Bay",
    ]
