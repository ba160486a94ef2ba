import io

import pytest
from django.template import engines
from django.utils import translation
from pypdf import PdfReader

from canto_portal import pdf
from tests.pdfs import standards_of


@pytest.fixture
def template(tmp_path, settings):
    """A template extending the portal's PDF layout, from a folder of the test's own."""
    (tmp_path / "letter.html").write_text(
        '{% extends "pdf/base.html" %}{% block content %}<h1>{{ heading }}</h1>'
        '<p><a href="https://example.org/x.png">link</a><img src="https://example.org/x.png">'
        "</p>{% endblock %}"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    engines._templates = None
    engines._engines = {}
    yield "letter.html"
    engines._templates = None
    engines._engines = {}


def text_of(document: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)


def test_a_template_renders_to_a_pdf_whose_text_can_be_read(template):
    document = pdf.render_pdf(template, {"heading": "Invoice CANTO-2027-0001"})

    assert document.startswith(b"%PDF-")
    assert "Invoice CANTO-2027-0001" in text_of(document)
    assert "Caribbean Association of National Telecommunication Organizations" in text_of(document)


def test_a_remote_address_is_refused():
    with pytest.raises(ValueError, match="Not fetched"):
        pdf.StaticFilesOnly().fetch("https://example.org/tracker.png")


def test_a_file_outside_the_static_folder_is_refused():
    with pytest.raises(ValueError, match="Not fetched"):
        pdf.StaticFilesOnly().fetch("file:///etc/passwd")


def test_a_page_with_remote_images_still_renders_without_them(template):
    document = pdf.render_pdf(template, {"heading": "Offline"})

    assert "Offline" in text_of(document)


def test_a_pdf_is_tagged_for_screen_readers_in_the_active_language(template):
    with translation.override("es"):
        document = pdf.render_pdf(template, {"heading": "Acta"})

    standards = standards_of(document)
    assert standards.tagged
    assert standards.language == "es"
    assert standards.claims == {"pdfuaid:part": "1"}


def test_an_archival_pdf_claims_pdf_a_3a_and_is_tagged_too(template):
    document = pdf.render_pdf(template, {"heading": "Factura"}, variant=pdf.ARCHIVAL)

    standards = standards_of(document)
    assert standards.tagged
    assert standards.language == "en"
    assert standards.claims == {"pdfaid:part": "3", "pdfaid:conformance": "A"}
