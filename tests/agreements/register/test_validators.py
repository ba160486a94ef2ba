"""validate_pdf: a document is a PDF by its name, its first bytes and its structure; each
attack file below passed the older check, which looked for the signature anywhere in the
first kilobyte."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from agreements.validators import validate_pdf
from tests.agreements.factories import PDF_BYTES

HTML_POLYGLOT = b"<html><script>alert(document.cookie)</script><!--\n" + PDF_BYTES + b"\n-->"
SVG_WITH_SIGNATURE = (
    b'<svg xmlns="http://www.w3.org/2000/svg"><!-- %PDF-1.7 -->'
    b"<script>alert(document.cookie)</script></svg>"
)
EXE_WITH_SIGNATURE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"%PDF-1.4\n" + PDF_BYTES


def refusal(name, content):
    with pytest.raises(ValidationError) as error:
        validate_pdf(SimpleUploadedFile(name, content))
    return error.value.code


def pdf(pages=1, password=None):
    buffer = io.BytesIO()
    writer = PdfWriter()
    for _page in range(pages):
        writer.add_blank_page(width=612, height=792)
    if password is not None:
        writer.encrypt(user_password=password, owner_password="owner")
    writer.write(buffer)
    return buffer.getvalue()


def test_a_real_pdf_is_accepted():
    validate_pdf(SimpleUploadedFile("annex.pdf", PDF_BYTES))


def test_a_pdf_named_in_capitals_is_accepted():
    validate_pdf(SimpleUploadedFile("ANNEX.PDF", PDF_BYTES))


def test_a_pdf_that_opens_without_a_password_is_accepted_though_encrypted():
    validate_pdf(SimpleUploadedFile("annex.pdf", pdf(password="")))


def test_html_polyglot_named_html_is_refused():
    assert refusal("annex.html", HTML_POLYGLOT) == "not_pdf_name"


def test_html_polyglot_named_pdf_is_refused():
    assert refusal("annex.pdf", HTML_POLYGLOT) == "not_pdf"


def test_svg_with_a_pdf_signature_is_refused():
    assert refusal("diagram.svg", SVG_WITH_SIGNATURE) == "not_pdf_name"


def test_svg_with_a_pdf_signature_named_pdf_is_refused():
    assert refusal("diagram.pdf", SVG_WITH_SIGNATURE) == "not_pdf"


def test_exe_named_pdf_is_refused():
    assert refusal("invoice.pdf", EXE_WITH_SIGNATURE) == "not_pdf"


def test_exe_that_begins_with_the_pdf_signature_is_refused():
    assert refusal("invoice.pdf", b"%PDF-1.4\nMZ\x90\x00" + b"\x00" * 2000) == "not_pdf"


def test_right_to_left_override_hiding_an_exe_extension_is_refused():
    # Shown by browsers and file managers as "invoiceexe.pdf".
    assert refusal("invoice\u202efdp.exe", PDF_BYTES) == "not_pdf_name"


def test_a_pdf_without_an_extension_is_refused():
    assert refusal("annex", PDF_BYTES) == "not_pdf_name"


def test_a_truncated_pdf_is_refused():
    assert refusal("annex.pdf", PDF_BYTES[: len(PDF_BYTES) // 2]) == "not_pdf"


def test_a_pdf_signature_alone_is_refused():
    assert refusal("annex.pdf", b"%PDF-1.7\n") == "not_pdf"


def test_a_pdf_without_pages_is_refused():
    assert refusal("annex.pdf", pdf(pages=0)) == "not_pdf"


def test_a_password_protected_pdf_is_refused_with_its_own_message():
    assert refusal("annex.pdf", pdf(password="secret")) == "encrypted"


def test_a_checked_upload_can_still_be_read_whole():
    upload = SimpleUploadedFile("annex.pdf", PDF_BYTES)

    validate_pdf(upload)

    assert upload.read() == PDF_BYTES
