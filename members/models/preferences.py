"""What language a person reads the portal and its emails in."""

from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from members.models.people import Contact


class LanguagePreference(models.Model):
    """The language a login last chose: applied when it logs in, on any device, and used for
    the emails sent to its address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="language_preference",
        verbose_name=_("login"),
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("language preference")
        verbose_name_plural = _("language preferences")

    def __str__(self):
        return f"{self.user}: {self.get_language_display()}"


def languages_of(addresses: Iterable[str]) -> dict[str, str]:
    """The language to write to each email address in: its login's choice, else its contact's
    language, else the portal's default. Keyed by the addresses as given; matched whatever
    their case."""
    addresses = list(addresses)
    wanted = {address.lower() for address in addresses}
    languages = dict.fromkeys(wanted, settings.LANGUAGE_CODE)
    contacts = (
        Contact.objects.annotate(address=Lower("email"))
        .filter(address__in=wanted)
        .exclude(language="")
        .values_list("address", "language")
    )
    languages.update(contacts)
    chosen = (
        LanguagePreference.objects.annotate(address=Lower("user__email"))
        .filter(address__in=wanted)
        .values_list("address", "language")
    )
    languages.update(chosen)
    return {address: languages[address.lower()] for address in addresses}


def language_of_contact(contact: Contact) -> str:
    """The language to write to a contact in: their login's choice, else their own, else the
    portal's default."""
    if contact.user_id:
        chosen = LanguagePreference.objects.filter(user_id=contact.user_id).first()
        if chosen:
            return chosen.language
    return contact.language or settings.LANGUAGE_CODE
