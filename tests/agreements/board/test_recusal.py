"""Recusal: declared by a director before voting, or automatic when their own member
organisation is named on the resolution's agreement."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agreements.models import Recusal, Resolution
from agreements.services.board import cast_vote, declare_recusal, open_resolution
from tests.agreements.board.factories import AgreementInterestFactory, ResolutionFactory, director
from tests.agreements.factories import AgreementFactory

pytestmark = pytest.mark.django_db


def circulate(agreement):
    from django.utils import timezone

    return open_resolution(
        title="Renew the agreement",
        text="The Board renews it.",
        method=Resolution.Method.CIRCULATION,
        agreement=agreement,
        deadline=timezone.now() + timezone.timedelta(days=7),
    )


def test_a_director_whose_member_sponsors_the_agreement_is_recused_automatically():
    interest = AgreementInterestFactory()
    interested = director(member=interest.member)
    other = director()
    resolution = circulate(interest.agreement)
    recusal = Recusal.objects.get(resolution=resolution)
    assert (recusal.director, recusal.automatic) == (interested, True)
    assert interest.member.name in recusal.reason
    assert not Recusal.objects.filter(director=other).exists()


def test_an_automatically_recused_director_cannot_vote():
    interest = AgreementInterestFactory(kind="party")
    interested = director(member=interest.member)
    resolution = circulate(interest.agreement)
    with pytest.raises(ValidationError, match="You are recused"):
        cast_vote(resolution=resolution, director=interested, choice="approve")


def test_no_recusal_for_an_agreement_naming_no_member():
    director()
    resolution = circulate(AgreementFactory())
    assert not resolution.recusals.exists()


def test_a_director_declares_a_conflict_before_voting(client):
    resolution = ResolutionFactory()
    voter = director()
    client.force_login(voter.user)
    url = reverse("agreements:board_recuse", args=[resolution.pk])
    client.post(url, {"reason": "My brother works for the partner."})
    assert Recusal.objects.get().director == voter


def test_a_conflict_declared_after_voting_is_refused():
    resolution = ResolutionFactory()
    voter = director()
    cast_vote(resolution=resolution, director=voter, choice="approve")
    with pytest.raises(ValidationError, match="a conflict is declared before voting"):
        declare_recusal(resolution=resolution, director=voter, reason="Late conflict")
    assert not Recusal.objects.exists()


def test_a_conflict_without_a_reason_is_refused():
    with pytest.raises(ValidationError, match="Say what the conflict is."):
        declare_recusal(resolution=ResolutionFactory(), director=director(), reason="  ")
