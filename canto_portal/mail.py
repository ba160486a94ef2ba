"""Every email of the portal is built here, so every kind carries the same headers, and each is
written in its recipient's language: the subject, the text and the HTML under that language,
with its date and number formats.

All portal mail is written by the portal, not by a person: it says so (Auto-Submitted, RFC
3834, so that vacation responders do not answer it), and replies go to the Secretariat, not to
the sending address. Message-IDs and List-Ids name the portal's own domain, the host of
PORTAL_URL."""

from collections.abc import Mapping, Sequence
from email.policy import EmailPolicy
from email.utils import make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.functional import Promise

# The longest line RFC 5322 allows, without its CRLF.
MAX_LINE_LENGTH = 998


class OneLineHeader(str):
    """A header written as it is, on one line.

    The email package folds headers at 78 characters, and a value it cannot fold there (a URL
    has no spaces) it writes as RFC 2047 encoded words: `List-Unsubscribe: =?utf-8?q?=3Chttps...`,
    which mail clients do not read as the plain `<URL>` RFC 2369 asks for. A value that names
    its header is kept as it is and asked to fold itself (EmailPolicy.header_store_parse); this
    one writes itself unchanged, which RFC 5322 allows up to 998 characters."""

    name: str

    def __new__(cls, name: str, value: str) -> "OneLineHeader":
        if not value.isascii() or len(value.splitlines()) > 1:
            raise ValueError(f"The {name} header must be one line of ASCII.")
        if len(name) + len(": ") + len(value) > MAX_LINE_LENGTH:
            raise ValueError(f"The {name} header is longer than a line may be.")
        header = super().__new__(cls, value)
        header.name = name
        return header

    def __reduce__(self) -> tuple[type["OneLineHeader"], tuple[str, str]]:
        # Copies (the test outbox keeps deep copies) are made the way this one was.
        return (OneLineHeader, (self.name, str(self)))

    def fold(self, *, policy: EmailPolicy) -> str:
        return f"{self.name}: {self}{policy.linesep}"


def portal_domain() -> str:
    """The host of PORTAL_URL, without its port."""
    host = urlsplit(settings.PORTAL_URL).hostname
    if not host:
        raise ImproperlyConfigured(f"PORTAL_URL names no host: {settings.PORTAL_URL!r}.")
    return host


def list_id(name: str, label: str) -> str:
    """A List-Id (RFC 2919): `name` for people, `label` under the portal's domain for filters."""
    return f"{name} <{label}.{portal_domain()}>"


def portal_headers(
    *,
    language: str,
    message_key: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """The headers every portal email carries, with `headers` added, each a `OneLineHeader`."""
    message_id = (
        f"<{message_key}@{portal_domain()}>" if message_key else make_msgid(domain=portal_domain())
    )
    all_headers = {
        "Message-ID": message_id,
        "Auto-Submitted": "auto-generated",
        "Content-Language": language,
        **(headers or {}),
    }
    return {name: OneLineHeader(name, value) for name, value in all_headers.items()}


def email_message(
    *,
    to: Sequence[str],
    language: str,
    subject: str | Promise,
    template: str,
    context: Mapping[str, object],
    subject_values: Mapping[str, object] | None = None,
    message_key: str | None = None,
    headers: Mapping[str, str] | None = None,
) -> EmailMultiAlternatives:
    """A message to `to` in `language`, from `template`.txt and `template`.html.

    `subject` is a lazy translation, translated here; `subject_values` fill its placeholders
    after it is, dates and numbers written the language's way. A `message_key` makes the
    Message-ID, the same for every attempt at one message, so that a resend after a crash is
    recognised as the same message. `headers` are ASCII, each written on one line."""
    context = {**context, "LANGUAGE_CODE": language}
    with translation.override(language):
        subject_text = str(subject)
        if subject_values is not None:
            subject_text %= {key: formats.localize(value) for key, value in subject_values.items()}
        message = EmailMultiAlternatives(
            subject=subject_text,
            body=render_to_string(f"{template}.txt", context),
            to=list(to),
            reply_to=[settings.SECRETARIAT_EMAIL],
            headers=portal_headers(language=language, message_key=message_key, headers=headers),
            alternatives=[(render_to_string(f"{template}.html", context), "text/html")],
        )
    return message
