"""A closed resolution and its votes refuse every change, whoever asks: the model refuses,
not only the forms."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from agreements.models import Resolution, Vote
from agreements.services.board import cast_vote, close_resolution, edit_resolution
from tests.agreements.board.factories import ResolutionFactory, VoteFactory, director

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_vote():
    vote = VoteFactory()
    close_resolution(resolution=vote.resolution)
    return Vote.objects.get(pk=vote.pk)


def test_editing_a_closed_resolution_is_refused(closed_vote):
    with pytest.raises(ValidationError, match="This resolution is closed"):
        edit_resolution(resolution=closed_vote.resolution, title="New", text="New text")
    assert Resolution.objects.get().title != "New"


def test_saving_a_closed_resolution_is_refused_by_the_model(closed_vote):
    resolution = Resolution.objects.get()
    resolution.text = "Changed behind the service's back"
    with pytest.raises(ValidationError, match="This resolution is closed"):
        resolution.save()


def test_deleting_a_closed_resolution_is_refused_by_the_model(closed_vote):
    with pytest.raises(ValidationError):
        Resolution.objects.get().delete()


def test_changing_or_deleting_a_vote_of_a_closed_resolution_is_refused(closed_vote):
    closed_vote.choice = Vote.Choice.OPPOSE
    with pytest.raises(ValidationError):
        closed_vote.save()
    with pytest.raises(ValidationError):
        closed_vote.delete()
    assert Vote.objects.get().choice == Vote.Choice.APPROVE


def test_voting_on_a_closed_resolution_is_refused(closed_vote):
    with pytest.raises(ValidationError, match="This resolution is closed"):
        cast_vote(resolution=closed_vote.resolution, director=director(), choice="approve")
    assert Vote.objects.count() == 1


def test_the_secretariat_cannot_edit_a_closed_resolution_in_the_admin(
    client, secretariat_user, closed_vote
):
    client.force_login(secretariat_user)
    url = reverse("admin:agreements_resolution_change", args=[closed_vote.resolution_id])
    client.post(url, {"title": "New", "text": "New", "method": "circulation"})
    assert Resolution.objects.get().title != "New"


def test_closing_twice_is_refused(closed_vote):
    with pytest.raises(ValidationError):
        close_resolution(resolution=closed_vote.resolution)


def test_an_open_resolution_can_still_be_edited():
    resolution = ResolutionFactory()
    edit_resolution(resolution=resolution, title="Better title", text=resolution.text)
    assert Resolution.objects.get().title == "Better title"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="The trigger is PostgreSQL's.")
def test_the_database_refuses_an_update_of_a_closed_resolution_or_its_votes(closed_vote):
    for change in [
        lambda: Resolution.objects.update(text="Changed behind the model's back"),
        lambda: Vote.objects.update(choice=Vote.Choice.OPPOSE),
        lambda: Vote.objects.all().delete(),
    ]:
        with pytest.raises(DatabaseError), transaction.atomic():
            change()
    assert Vote.objects.get().choice == Vote.Choice.APPROVE
