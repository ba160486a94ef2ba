"""Two Secretariat staff issuing dues at the same moment, from two database connections:
numbers never repeat and have no gap. PostgreSQL only: SQLite serialises writers."""

import pytest
from django.db import connection

from members.models import Invoice
from members.services import billing
from tests.concurrency import at_once
from tests.members.billing.factories import YEAR, rate
from tests.members.factories import MemberFactory, UserFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="Concurrent issuing needs PostgreSQL. Run with DATABASE_URL=postgres://…",
    ),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def issue_at_once(users, before_issue):
    """issue_dues by each user on its own connection, all at the same moment, each after
    `before_issue(its index)`."""
    return at_once(
        [lambda user=user: billing.issue_dues(year=YEAR, by=user) for user in users],
        prepare=before_issue,
    )


def test_two_issuers_at_once_never_share_a_number_and_leave_no_gap():
    rate()
    for n in range(20):
        MemberFactory(name=f"Operator {n:02d}")
    users = [UserFactory(is_staff=True), UserFactory(is_staff=True)]

    outcomes = issue_at_once(users, before_issue=lambda index: None)

    assert sorted(len(issued) for issued in outcomes) == [0, 20]
    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == [f"CANTO-{YEAR}-{n:04d}" for n in range(1, 21)]


def test_issuers_adding_members_between_runs_continue_the_sequence():
    rate()
    MemberFactory(name="First Operator")
    users = [UserFactory(is_staff=True), UserFactory(is_staff=True)]

    def a_new_member_each(index):
        MemberFactory(name=f"Late Operator {index}")

    issue_at_once(users, before_issue=a_new_member_each)

    numbers = sorted(Invoice.objects.values_list("number", flat=True))
    assert numbers == [f"CANTO-{YEAR}-{n:04d}" for n in range(1, 4)]
    assert Invoice.objects.values("member").distinct().count() == 3
