"""Every email of the portal is written in its recipient's language: one place renders the
subject, the text and the HTML under that language, with its date and number formats."""

from collections.abc import Mapping, Sequence

from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import formats, translation
from django.utils.functional import Promise


def email_message(
    *,
    to: Sequence[str],
    language: str,
    subject: str | Promise,
    template: str,
    context: Mapping[str, object],
    subject_values: Mapping[str, object] | None = None,
    headers: Mapping[str, str] | None = None,
) -> EmailMultiAlternatives:
    """A message to `to` in `language`, from `template`.txt and `template`.html.

    `subject` is a lazy translation, translated here; `subject_values` fill its placeholders
    after it is, dates and numbers written the language's way."""
    with translation.override(language):
        subject_text = str(subject)
        if subject_values is not None:
            subject_text %= {key: formats.localize(value) for key, value in subject_values.items()}
        message = EmailMultiAlternatives(
            subject=subject_text,
            body=render_to_string(f"{template}.txt", context),
            to=list(to),
            headers={**(headers or {}), "Content-Language": language},
            alternatives=[(render_to_string(f"{template}.html", context), "text/html")],
        )
    return message
