"""@acts_once when the second sending arrives while the first is still being handled, as a
double click on a slow form does; the views here stand for any form's view."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.shortcuts import redirect
from django.test import RequestFactory

from canto_portal import submissions
from canto_portal.submissions import FIELD, acts_once


class SlowForm:
    """A view that creates one row per run and finishes only when the test lets it."""

    def __init__(self, outcomes):
        self.outcomes = iter(outcomes)
        self.runs = 0
        self.started = threading.Event()
        self.finish = threading.Event()
        self.view = acts_once(self.handle)

    def handle(self, request):
        self.runs += 1
        self.started.set()
        self.finish.wait(5)
        return next(self.outcomes)(request)

    def post(self):
        request = RequestFactory().post("/form/", {FIELD: "one-token"})
        request.user = AnonymousUser()
        request._messages = CookieStorage(request)
        return self.view(request)

    def double_click(self):
        with ThreadPoolExecutor(max_workers=2) as pool:
            first = pool.submit(self.post)
            self.started.wait(5)
            second = pool.submit(self.post)
            # Time for the second to find the first still running.
            time.sleep(0.3)
            self.finish.set()
            responses = first.result(), second.result()
        return responses


def done(request):
    return redirect("/done/")


def form_with_errors(request):
    return HttpResponse("The form, with its errors")


def test_a_repeat_during_the_first_waits_and_goes_where_the_first_went():
    form = SlowForm([done, done])

    first, second = form.double_click()

    assert first["Location"] == second["Location"] == "/done/"
    assert form.runs == 1


def test_a_repeat_of_a_form_that_came_back_with_errors_runs_itself():
    form = SlowForm([form_with_errors, done])

    _first, second = form.double_click()

    assert second["Location"] == "/done/"
    assert form.runs == 2


def test_a_repeat_that_waits_too_long_goes_back_to_the_form(monkeypatch):
    monkeypatch.setattr(submissions, "WAIT_SECONDS", 0.3)
    form = SlowForm([done])

    with ThreadPoolExecutor(max_workers=1) as pool:
        first = pool.submit(form.post)
        form.started.wait(5)
        second = form.post()
        form.finish.set()
        first.result()

    assert second["Location"] == "/form/"
    assert form.runs == 1
