import os

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
PDF_SIGNATURE = b"%PDF-"


def validate_pdf(upload):
    """A document must be named .pdf, begin as a PDF and parse as one, and be at most 20 MB.

    Its name only decides which checks fail first: the portal stores every document under a
    name of its own ending in .pdf, whatever the uploaded name was."""
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("The file is %(size)s; documents may be at most %(limit)s."),
            code="too_large",
            params={
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(MAX_DOCUMENT_BYTES),
            },
        )
    if os.path.splitext(upload.name or "")[1].lower() != ".pdf":
        raise ValidationError(
            _("Only PDF files (ending in .pdf) may be uploaded."), code="not_pdf_name"
        )
    position = upload.tell()
    try:
        upload.seek(0)
        # A signature further in is how a file passes as a PDF and as HTML or a program at once.
        if upload.read(len(PDF_SIGNATURE)) != PDF_SIGNATURE:
            raise not_a_pdf()
        upload.seek(0)
        check_pdf_structure(upload)
    finally:
        upload.seek(position)


def check_pdf_structure(upload):
    try:
        reader = PdfReader(upload)
        locked = reader.is_encrypted and not reader.decrypt("")
        pages = 0 if locked else len(reader.pages)
    # A malformed file can fail anywhere in the parser, in any way; each means "not a PDF".
    except Exception as error:
        raise not_a_pdf() from error
    if locked:
        raise ValidationError(
            _("This PDF is protected by a password. Upload a copy without a password."),
            code="encrypted",
        )
    if not pages:
        raise not_a_pdf()


def not_a_pdf():
    return ValidationError(
        _("This file is not a PDF. Upload the document as a PDF file."), code="not_pdf"
    )
