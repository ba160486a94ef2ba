from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


def validate_pdf(upload):
    """A document must be a PDF by its content, not by its name, and at most 20 MB."""
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("The file is %(size)s; documents may be at most %(limit)s."),
            code="too_large",
            params={
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(MAX_DOCUMENT_BYTES),
            },
        )
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(position)
    # PDF readers accept the header anywhere in the first kilobyte.
    if b"%PDF-" not in head:
        raise ValidationError(
            _("This file is not a PDF. Upload the document as a PDF file."), code="not_pdf"
        )
