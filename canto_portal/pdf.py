"""PDFs the portal renders itself (invoices, receipts, board packs) from a template, with
WeasyPrint. Only the portal's own static files are read while rendering: text typed by a user
(a Markdown link, an image address) must never make the server fetch another host, or a file
outside static/.

Every PDF is tagged, so that a screen reader follows its headings and tables, and says in what
language it is written (the <html lang> of the template, the active language). WeasyPrint writes
one standard's identification a document: board packs claim PDF/UA-1; what members keep for
their books (invoices, receipts) claims PDF/A-3a, the archival standard's accessible level,
which asks for the same tags and Unicode text."""

from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

STATIC_FILES = (Path(settings.BASE_DIR) / "static").as_uri() + "/"
STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "pdf.css"

ACCESSIBLE = "pdf/ua-1"
ARCHIVAL = "pdf/a-3a"


class StaticFilesOnly(URLFetcher):
    def fetch(self, url, headers=None):
        if not url.startswith(STATIC_FILES) or ".." in url:
            raise ValueError(f"Not fetched while rendering a PDF: {url}")
        return super().fetch(url, headers)


def render_pdf(template_name: str, context: dict, *, variant: str = ACCESSIBLE) -> bytes:
    """The template rendered as a PDF document of `variant` (ACCESSIBLE or ARCHIVAL), in the
    active language."""
    html = render_to_string(template_name, context)
    fetcher = StaticFilesOnly(allowed_protocols={"file"})
    document = HTML(string=html, base_url=STATIC_FILES, url_fetcher=fetcher)
    return document.write_pdf(
        stylesheets=[CSS(filename=str(STYLESHEET), url_fetcher=fetcher)], pdf_variant=variant
    )
