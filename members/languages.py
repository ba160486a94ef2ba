"""A login's saved language, applied when it logs in: the login's own response switches to it
and leaves it in the language cookie that every later request reads."""

from django.conf import settings
from django.utils import translation

from members.models import LanguagePreference


def apply_saved_language(sender, request, user, **kwargs):
    """On login (the `user_logged_in` signal): the login's saved language, if it has one."""
    chosen = LanguagePreference.objects.filter(user=user).first()
    if chosen is None:
        return
    translation.activate(chosen.language)
    request.LANGUAGE_CODE = chosen.language
    request.saved_language = chosen.language


class SavedLanguageCookieMiddleware:
    """Writes the language a login brought with it into the language cookie."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        language = getattr(request, "saved_language", None)
        if language:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                path=settings.LANGUAGE_COOKIE_PATH,
                domain=settings.LANGUAGE_COOKIE_DOMAIN,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            )
        return response
