"""Only current directors and the Secretariat: others logged in get 403 on the index and 404 on
every meeting, document and resolution; anonymous visitors are sent to log in."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import BoardPackDownload
from tests.agreements.board.factories import (
    BoardMeetingFactory,
    MeetingDocumentFactory,
    ResolutionFactory,
    director,
)

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "operator_a", "member_admin_a", "board_user", "secretariat_user"]
EXPECTED_INDEX = {
    "anonymous": 302,
    "operator_a": 403,
    "member_admin_a": 403,
    "board_user": 200,
    "secretariat_user": 200,
}
EXPECTED_OBJECT = {**EXPECTED_INDEX, "operator_a": 404, "member_admin_a": 404}


def object_urls():
    meeting = BoardMeetingFactory()
    document = MeetingDocumentFactory(meeting=meeting)
    resolution = ResolutionFactory(meeting=meeting)
    return [
        reverse("agreements:board_meeting", args=[meeting.pk]),
        reverse("agreements:board_pack", args=[meeting.pk]),
        reverse("agreements:board_meeting_document", args=[document.pk]),
        reverse("agreements:board_resolution", args=[resolution.pk]),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_board_index_by_role(role, role_client):
    assert role_client.get(reverse("agreements:board_meetings")).status_code == EXPECTED_INDEX[role]


@pytest.mark.parametrize("role", ROLES)
def test_board_objects_by_role(role, role_client):
    statuses = {role_client.get(url).status_code for url in object_urls()}
    assert statuses == {EXPECTED_OBJECT[role]}


def test_a_missing_meeting_is_404_for_a_director(client):
    client.force_login(director().user)
    assert client.get(reverse("agreements:board_meeting", args=[999])).status_code == 404


def test_a_board_pack_download_by_an_operator_is_refused_and_not_recorded(client, operator_a):
    meeting = BoardMeetingFactory()
    client.force_login(operator_a)
    assert client.get(reverse("agreements:board_pack", args=[meeting.pk])).status_code == 404
    assert not BoardPackDownload.objects.exists()


def test_a_director_whose_term_ended_loses_access_at_once(client):
    contact = director()
    client.force_login(contact.user)
    assert client.get(reverse("agreements:board_meetings")).status_code == 200
    contact.board_terms.update(ends_on=timezone.localdate() - datetime.timedelta(days=1))
    assert client.get(reverse("agreements:board_meetings")).status_code == 403
    resolution_url = reverse("agreements:board_resolution", args=[ResolutionFactory().pk])
    assert client.get(resolution_url).status_code == 404


def test_a_director_without_a_second_factor_is_sent_to_set_one_up(client):
    contact = director()
    contact.user.authenticator_set.all().delete()
    client.force_login(contact.user)
    response = client.get(reverse("agreements:board_meetings"))
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]
