"""A board member's review is recorded once, whether the form is sent twice by a double
click or a second review of the day is attempted."""

import datetime

import pytest
from django.db import IntegrityError, connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from agreements.models import Review
from canto_portal.submissions import FIELD
from tests.agreements.factories import AgreementFactory
from tests.double_submit import form_token, post_twice, sent_twice_message

pytestmark = pytest.mark.django_db

SAME_DAY_MESSAGE = "This board member has already reviewed this agreement that day"


@pytest.fixture
def agreement():
    return AgreementFactory()


@pytest.fixture
def board_client(client, board_user):
    client.force_login(board_user)
    return client


def review_url(agreement):
    return reverse("agreements:review", args=[agreement.reference])


def review_data(**overrides):
    next_review_on = timezone.localdate() + datetime.timedelta(days=180)
    return {"outcome": "renew", "comments": "", "next_review_on": next_review_on} | overrides


def test_double_clicked_review_is_recorded_once(board_client, agreement):
    first, second = post_twice(board_client, review_url(agreement), review_data())

    assert Review.objects.filter(agreement=agreement).count() == 1
    assert first["Location"] == second["Location"] == agreement.get_absolute_url()


def test_second_click_on_a_review_says_it_was_acted_on_once(board_client, agreement):
    _first, second = post_twice(board_client, review_url(agreement), review_data())

    assert sent_twice_message(board_client.get(second["Location"]))


def test_second_review_of_the_same_day_is_refused_with_a_message(board_client, agreement):
    url = review_url(agreement)
    board_client.post(url, review_data() | {FIELD: form_token(board_client.get(url))})

    response = board_client.post(
        url, review_data(outcome="escalate") | {FIELD: form_token(board_client.get(url))}
    )

    assert SAME_DAY_MESSAGE in response.text
    assert list(agreement.reviews.values_list("outcome", flat=True)) == ["renew"]


def test_review_sent_again_without_a_token_is_refused_with_a_message(board_client, agreement):
    board_client.post(review_url(agreement), review_data())

    response = board_client.post(review_url(agreement), review_data())

    assert SAME_DAY_MESSAGE in response.text
    assert agreement.reviews.count() == 1


def test_review_refused_for_its_errors_is_recorded_once_corrected(board_client, agreement):
    url = review_url(agreement)
    token = form_token(board_client.get(url))
    board_client.post(url, review_data(outcome="") | {FIELD: token})

    board_client.post(url, review_data() | {FIELD: token})

    assert agreement.reviews.count() == 1


def test_database_refuses_a_second_review_by_one_reviewer_on_one_day(board_user, agreement):
    Review.objects.create(agreement=agreement, reviewer=board_user, outcome="noted")

    with pytest.raises(IntegrityError):
        Review.objects.create(agreement=agreement, reviewer=board_user, outcome="renew")


def test_reviews_by_one_reviewer_on_different_days_are_both_kept(board_user, agreement):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    Review.objects.create(
        agreement=agreement, reviewer=board_user, outcome="noted", reviewed_on=yesterday
    )

    Review.objects.create(agreement=agreement, reviewer=board_user, outcome="renew")

    assert agreement.reviews.count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_upgrade_keeps_one_review_a_day_and_the_words_of_those_merged(board_user, agreement):
    before = [("agreements", "0005_information_exchange_confidentiality")]
    executor = MigrationExecutor(connection)
    after = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    OldReview = executor.loader.project_state(before).apps.get_model("agreements", "Review")
    for outcome, comments in [("renew", "Renew for 3 years."), ("renew", "Renew for 3 years.")]:
        OldReview.objects.create(
            agreement_id=agreement.pk, reviewer_id=board_user.pk, outcome=outcome, comments=comments
        )
    OldReview.objects.create(
        agreement_id=agreement.pk, reviewer_id=board_user.pk, outcome="escalate", comments="Ask"
    )

    MigrationExecutor(connection).migrate(after)

    review = Review.objects.get(agreement=agreement)
    assert review.outcome == "escalate"
    assert (
        review.comments
        == "Ask\n\nEarlier the same day: renew, next review not set. Renew for 3 years."
    )
