"""The Board's pages take as many queries with many meetings, votes and items as with few."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.agreements.board.factories import (
    ActionItemFactory,
    AgendaItemFactory,
    BoardMeetingFactory,
    MeetingDocumentFactory,
    ResolutionFactory,
    VoteFactory,
    director,
)
from tests.agreements.factories import AgreementFactory

pytestmark = pytest.mark.django_db


def grow(meeting, resolution, times):
    for _ in range(times):
        AgendaItemFactory(meeting=meeting, agreement=AgreementFactory())
        MeetingDocumentFactory(meeting=meeting)
        ResolutionFactory(meeting=meeting)
        VoteFactory(resolution=resolution)
        ActionItemFactory(meeting=meeting)
        BoardMeetingFactory()


def queries(client, url):
    # The viewer's roles are cached and forgotten whenever a contact or a board term changes,
    # as growing the data does: the first request reads them afresh, the second is measured.
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("viewer", ["director", "secretariat_user"])
@pytest.mark.parametrize("page", ["board", "meeting", "resolution"])
def test_board_pages_run_the_same_queries_as_data_grows(client, request, viewer, page):
    user = director().user if viewer == "director" else request.getfixturevalue(viewer)
    client.force_login(user)
    meeting = BoardMeetingFactory()
    resolution = ResolutionFactory(meeting=meeting)
    url = {
        "board": reverse("agreements:board_meetings"),
        "meeting": meeting.get_absolute_url(),
        "resolution": resolution.get_absolute_url(),
    }[page]
    grow(meeting, resolution, 2)
    few = queries(client, url)
    grow(meeting, resolution, 8)
    assert queries(client, url) == few
