"""The board pack is a tagged PDF/UA document, in the language of the director reading it."""

import pytest
from django.urls import reverse

from tests.agreements.board.factories import AgendaItemFactory, BoardMeetingFactory, director
from tests.pdfs import standards_of

pytestmark = pytest.mark.django_db


def test_the_board_pack_is_tagged_pdf_ua_in_the_readers_language(client):
    meeting = BoardMeetingFactory(title="Reunión de primavera")
    AgendaItemFactory(meeting=meeting, title="Informe del tesorero")
    client.force_login(director().user)

    response = client.get(
        reverse("agreements:board_pack", args=[meeting.pk]), HTTP_ACCEPT_LANGUAGE="es"
    )

    standards = standards_of(response.content)
    assert standards.tagged
    assert standards.language == "es"
    assert standards.claims == {"pdfuaid:part": "1"}
