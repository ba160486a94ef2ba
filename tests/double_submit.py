"""A double click, as the server sees it: the form's page once, then the same POST twice."""

import re

from canto_portal.submissions import FIELD


def form_token(response):
    """The one-time token of the form on a page."""
    return re.search(rf'name="{FIELD}" value="([^"]+)"', response.text)[1]


def post_twice(client, url, data=None):
    """The responses to the first and the second sending of one filled-in form."""
    data = {**(data or {}), FIELD: form_token(client.get(url))}
    return client.post(url, data), client.post(url, data)


def sent_twice_message(response):
    return "This form was sent twice; it was acted on once." in response.text
