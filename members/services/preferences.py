"""A login's choice of language."""

from django.conf import settings

from members.models import LanguagePreference


def save_language(*, user, language: str) -> LanguagePreference:
    """Remembers the language a login chose, for its next login and the emails it receives."""
    if language not in dict(settings.LANGUAGES):
        raise ValueError(f"{language!r} is not a language of the portal")
    preference, _created = LanguagePreference.objects.update_or_create(
        user=user, defaults={"language": language}
    )
    return preference
