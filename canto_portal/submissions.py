"""One submission of a form acts once, however often the browser sends it.

A page whose form creates or removes something puts a fresh one-time token in it
(`{% submission_token %}`, from the `submissions` template library), and its view is wrapped in
`@acts_once`. The first POST bearing a token runs the view; a repeat of that token (a
double click, a POST sent again after a reload) does not run it, and is sent where the first
went, with a message saying so.

A POST without a token runs the view as before: the token spares people a duplicate, it
guards nothing, so the data's own rules (unique constraints) stay the last word."""

import hashlib
import secrets
import time
from functools import wraps

from django.contrib import messages
from django.core.cache import cache
from django.http.response import HttpResponseRedirectBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _

FIELD = "submission_token"
IN_PROGRESS = "in progress"
# A repeat within this time is recognised: long enough for a POST sent again from the
# browser's history, short enough for the cache to hold few of them.
REMEMBER_SECONDS = 60 * 60
# A repeat that arrives while the first is still running waits for it this long, so that it
# can send the visitor where the first went (an invitation is emailed inside the first).
WAIT_SECONDS = 10
POLL_SECONDS = 0.1


def new_token() -> str:
    return secrets.token_urlsafe(24)


def submission_key(request, token: str) -> str:
    # A digest, so the cache holds nothing that a page ever showed.
    digest = hashlib.sha256(f"{request.user.pk}:{token}".encode()).hexdigest()
    return f"submission:{digest}"


def acts_once(view):
    """Runs the view once per submission token; see the module's docstring."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        token = request.POST.get(FIELD) if request.method == "POST" else None
        if not token:
            return view(request, *args, **kwargs)
        key = submission_key(request, token)
        deadline = time.monotonic() + WAIT_SECONDS
        while not cache.add(key, IN_PROGRESS, REMEMBER_SECONDS):
            outcome = cache.get(key)
            if outcome not in (None, IN_PROGRESS):
                messages.info(request, _("This form was sent twice; it was acted on once."))
                return redirect(outcome)
            if time.monotonic() > deadline:
                messages.warning(
                    request,
                    _(
                        "This form is still being handled; check the result before sending "
                        "it again."
                    ),
                )
                return redirect(request.path)
            time.sleep(POLL_SECONDS)
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            cache.delete(key)
            raise
        if isinstance(response, HttpResponseRedirectBase):
            cache.set(key, response["Location"], REMEMBER_SECONDS)
        else:
            # The form came back with its errors, so nothing was done: a repeat waiting for
            # this one runs as the first.
            cache.delete(key)
        return response

    return wrapped
