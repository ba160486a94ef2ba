"""The footer's language switch: a cookie for everyone, and saved with the login of whoever is
logged in, so that their next login and their emails use it too."""

from django.utils.translation import check_for_language
from django.views.i18n import set_language as set_language_cookie

from members.access import ANYONE, requires
from members.services import save_language


@requires(ANYONE)
def set_language(request):
    response = set_language_cookie(request)
    language = request.POST.get("language", "")
    if request.method == "POST" and request.user.is_authenticated and check_for_language(language):
        save_language(user=request.user, language=language)
    return response
