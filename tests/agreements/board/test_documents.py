"""Meeting documents are PDFs, checked like agreement documents."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import MeetingDocument
from tests.agreements.board.factories import BoardMeetingFactory, MeetingDocumentFactory, director
from tests.agreements.factories import PDF_BYTES

pytestmark = pytest.mark.django_db


def test_a_meeting_document_that_is_not_a_pdf_is_refused():
    document = MeetingDocument(
        meeting=BoardMeetingFactory(),
        title="Minutes draft",
        file=SimpleUploadedFile("minutes.pdf", b"<html>not a pdf</html>"),
    )
    with pytest.raises(ValidationError, match="This file is not a PDF"):
        document.full_clean()
    assert not MeetingDocument.objects.exists()


def test_the_secretariat_cannot_upload_a_non_pdf_in_the_admin(client, secretariat_user):
    meeting = BoardMeetingFactory()
    client.force_login(secretariat_user)
    url = f"/admin/agreements/boardmeeting/{meeting.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update(
        {
            "starts_at_0": meeting.starts_at.date().isoformat(),
            "starts_at_1": "10:00",
            "agenda-TOTAL_FORMS": 0,
            "agenda-INITIAL_FORMS": 0,
            "documents-TOTAL_FORMS": 1,
            "documents-INITIAL_FORMS": 0,
            "documents-0-title": "Budget",
            "documents-0-file": SimpleUploadedFile("budget.pdf", b"MZ not a pdf"),
            "pack_downloads-TOTAL_FORMS": 0,
            "pack_downloads-INITIAL_FORMS": 0,
        }
    )
    response = client.post(url, data)
    assert "This file is not a PDF" in response.text
    assert not MeetingDocument.objects.exists()


def test_a_director_downloads_a_meeting_document(client):
    document = MeetingDocumentFactory()
    client.force_login(director().user)
    response = client.get(reverse("agreements:board_meeting_document", args=[document.pk]))
    assert b"".join(response.streaming_content) == PDF_BYTES
