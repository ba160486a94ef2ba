"""Votes: each current director votes once, may change it while the resolution is open, and
every refusal writes nothing."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from agreements.models import Recusal, Resolution, Vote
from agreements.services.board import cast_vote, close_resolution, edit_resolution
from tests.agreements.board.factories import ResolutionFactory, VoteFactory, director
from tests.members.factories import ContactFactory

pytestmark = pytest.mark.django_db


def vote_url(resolution):
    return reverse("agreements:board_vote", args=[resolution.pk])


def test_director_votes_and_the_tally_counts_it(client):
    resolution = ResolutionFactory()
    voter = director()
    client.force_login(voter.user)
    response = client.post(vote_url(resolution), {"choice": "approve"}, follow=True)
    assert "Your vote is recorded." in response.text
    assert response.context["tally"].approve == 1
    assert Vote.objects.get().director == voter


def test_director_changes_their_vote_while_open():
    resolution = ResolutionFactory()
    voter = director()
    first = cast_vote(resolution=resolution, director=voter, choice="approve")
    cast_vote(resolution=resolution, director=voter, choice="oppose", replacing=first.pk)
    assert list(Vote.objects.values_list("choice", flat=True)) == ["oppose"]


def test_vote_after_the_deadline_is_refused():
    resolution = ResolutionFactory(deadline=timezone.now() + datetime.timedelta(hours=1))
    with pytest.raises(ValidationError, match="Voting on this resolution has ended"):
        cast_vote(
            resolution=resolution,
            director=director(),
            choice="approve",
            now=timezone.now() + datetime.timedelta(hours=2),
        )
    assert not Vote.objects.exists()


def test_vote_by_a_recused_director_is_refused(client):
    resolution = ResolutionFactory()
    voter = director()
    Recusal.objects.create(resolution=resolution, director=voter, reason="Employer is a party")
    client.force_login(voter.user)
    response = client.post(vote_url(resolution), {"choice": "approve"}, follow=True)
    assert "You are recused from this resolution" in response.text
    assert not Vote.objects.exists()


@pytest.mark.parametrize("role", ["secretariat_user", "operator_a"])
def test_vote_forged_by_a_non_director_is_refused(role, request, client):
    resolution = ResolutionFactory()
    client.force_login(request.getfixturevalue(role))
    response = client.post(vote_url(resolution), {"choice": "approve"}, follow=True)
    if role == "secretariat_user":
        assert "Only a current director may vote." in response.text
    else:
        assert response.status_code == 404
    assert not Vote.objects.exists()


def test_a_double_submitted_vote_counts_once(client):
    resolution = ResolutionFactory()
    client.force_login(director().user)
    client.post(vote_url(resolution), {"choice": "approve"})
    # The same form sent again without its one-time token still meets the service's check.
    response = client.post(vote_url(resolution), {"choice": "oppose"}, follow=True)
    assert "You have already voted on this resolution" in response.text
    assert list(Vote.objects.values_list("choice", flat=True)) == ["approve"]


def test_a_double_submitted_vote_with_its_token_acts_once(client):
    resolution = ResolutionFactory()
    client.force_login(director().user)
    data = {"choice": "approve", "submission_token": "one-token"}
    client.post(vote_url(resolution), data)
    response = client.post(vote_url(resolution), data, follow=True)
    assert "This form was sent twice; it was acted on once." in response.text
    assert Vote.objects.count() == 1


def test_a_director_whose_term_ended_cannot_vote_but_keeps_past_votes(client):
    old_vote = VoteFactory(choice="oppose")
    contact = old_vote.director
    close_resolution(resolution=old_vote.resolution)
    contact.board_terms.update(ends_on=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(ValidationError, match="Only a current director may vote."):
        cast_vote(resolution=ResolutionFactory(), director=contact, choice="approve")
    client.force_login(director().user)
    page = client.get(old_vote.resolution.get_absolute_url())
    assert contact.name in page.text
    assert Vote.objects.filter(director=contact).count() == 1


def test_a_contact_who_is_not_a_director_cannot_vote_through_the_service():
    with pytest.raises(ValidationError, match="Only a current director may vote."):
        cast_vote(resolution=ResolutionFactory(), director=ContactFactory(), choice="approve")
    assert not Vote.objects.exists()


def test_editing_the_text_voids_every_vote_and_keeps_both_versions(client):
    resolution = ResolutionFactory(text="First wording.")
    VoteFactory(resolution=resolution)
    VoteFactory(resolution=resolution, choice="oppose")
    edit_resolution(resolution=resolution, title=resolution.title, text="Second wording.")
    assert Vote.objects.live().count() == 0
    assert Vote.objects.filter(voided_at__isnull=False).count() == 2
    assert list(resolution.history.values_list("text", flat=True)) == [
        "Second wording.",
        "First wording.",
    ]
    client.force_login(director().user)
    page = client.get(resolution.get_absolute_url())
    assert "First wording." in page.text
    assert "Votes voided by a change of the wording" in page.text


def test_a_director_votes_again_after_the_text_changed():
    resolution = ResolutionFactory()
    voter = director()
    cast_vote(resolution=resolution, director=voter, choice="approve")
    edit_resolution(resolution=resolution, title=resolution.title, text="New text.")
    cast_vote(resolution=resolution, director=voter, choice="oppose")
    assert list(Vote.objects.live().values_list("choice", flat=True)) == ["oppose"]


def test_editing_the_title_voids_every_vote():
    resolution = ResolutionFactory(title="Renew the agreement")
    VoteFactory(resolution=resolution)
    edit_resolution(resolution=resolution, title="Terminate the agreement", text=resolution.text)
    assert Vote.objects.live().count() == 0
    assert Vote.objects.filter(voided_at__isnull=False).count() == 1


def test_the_resolution_page_keeps_the_title_the_votes_were_cast_on(client):
    resolution = ResolutionFactory(title="Renew the agreement")
    VoteFactory(resolution=resolution)
    edit_resolution(resolution=resolution, title="Terminate the agreement", text=resolution.text)
    client.force_login(director().user)
    page = client.get(resolution.get_absolute_url())
    assert "<strong>Renew the agreement</strong>" in page.text


def test_renaming_a_resolution_in_the_admin_voids_its_votes_and_tells_the_directors(
    client, secretariat_user, django_capture_on_commit_callbacks
):
    resolution = ResolutionFactory(title="Renew the agreement")
    VoteFactory(resolution=resolution)
    deadline = timezone.localtime(resolution.deadline)
    client.force_login(secretariat_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:agreements_resolution_change", args=[resolution.pk]),
            {
                "title": "Terminate the agreement",
                "text": resolution.text,
                "deadline_0": deadline.strftime("%Y-%m-%d"),
                "deadline_1": deadline.strftime("%H:%M:%S"),
                **{
                    f"{inline}-{count}_FORMS": 0
                    for inline in ("votes", "recusals")
                    for count in ("TOTAL", "INITIAL")
                },
            },
        )
    assert Resolution.objects.get().title == "Terminate the agreement"
    assert Vote.objects.live().count() == 0
    queued = DBTaskResult.objects.values_list("task_path", flat=True)
    assert "agreements.tasks_board.notify_votes_voided" in queued


def test_saving_a_resolution_unchanged_keeps_the_votes():
    resolution = ResolutionFactory()
    VoteFactory(resolution=resolution)
    edit_resolution(resolution=resolution, title=resolution.title, text=resolution.text)
    assert Vote.objects.live().count() == 1
