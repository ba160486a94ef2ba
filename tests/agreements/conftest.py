import pytest


@pytest.fixture
def role_client(request, client):
    """A client logged in as the role named by the test's `role` parameter ("anonymous" or
    the name of a user fixture from tests/conftest.py)."""
    role = request.node.callspec.params["role"]
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    return client
