from io import StringIO

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agreements.models import AgreementDocument, InformationExchange
from members.demo import DEMO_LOGINS, current_demo_code
from members.models import BoardTerm, Contact, Dues, Member
from members.roles import Roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)


def register_counts():
    return {
        model.__name__: model.objects.count() for model in [Member, Contact, Dues, BoardTerm]
    } | {"users": get_user_model().objects.count()}


def test_seed_demo_builds_123_members_in_34_countries(seeded):
    current = Member.objects.current()

    assert current.count() == 123
    assert current.values("country").distinct().count() == 34


def test_seed_demo_has_8_founding_members_of_1985(seeded):
    founding = Member.objects.filter(founding_member=True)

    assert founding.count() == 8
    assert set(founding.values_list("joined_on__year", flat=True)) == {1985}


def test_seed_demo_gives_every_member_two_to_five_contacts_and_one_primary(seeded):
    for member in Member.objects.prefetch_related("contacts"):
        contacts = list(member.contacts.all())
        assert 2 <= len(contacts) <= 5
        assert sum(c.role == Contact.Role.PRIMARY for c in contacts) == 1


def test_seed_demo_mixes_dues_statuses(seeded):
    statuses = set(Dues.objects.values_list("status", flat=True))

    assert statuses == {"paid", "issued", "overdue", "waived"}


def test_seed_demo_seats_a_board_of_directors(seeded):
    board = BoardTerm.objects.current()

    assert board.count() == 9
    assert board.filter(role=BoardTerm.Role.CHAIR).count() == 1


def test_seed_demo_is_idempotent(seeded):
    before = register_counts()

    call_command("seed_demo", verbosity=0)

    assert register_counts() == before


def history_rows():
    return {
        model.__name__: model.history.count()
        for model in apps.get_models()
        if hasattr(model, "history")
    }


def test_seeding_again_writes_no_history_when_nothing_changed(seeded):
    before = history_rows()

    call_command("seed_demo", verbosity=0)

    assert history_rows() == before


def test_seeding_again_writes_nothing_when_nothing_changed(seeded):
    with CaptureQueriesContext(connection) as queries:
        call_command("seed_demo", verbosity=0)

    writes = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].lstrip().split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]
    assert writes == []


def stored_files(folder):
    return sorted(path.relative_to(folder) for path in folder.rglob("*") if path.is_file())


def test_seeding_a_rebuilt_database_stores_no_second_copy_of_a_demo_pdf(
    seeded, tmp_private_storage
):
    stored = stored_files(tmp_private_storage)
    # A database rebuilt while the stored files were kept: the rows are gone, the files not.
    AgreementDocument.objects.all().delete()
    InformationExchange.objects.all().delete()

    call_command("seed_demo", verbosity=0)

    assert stored_files(tmp_private_storage) == stored
    assert {str(document.file) for document in AgreementDocument.objects.all()} | {
        str(exchange.attachment) for exchange in InformationExchange.objects.all()
    } == {str(path) for path in stored}


def test_seed_demo_creates_the_demo_logins_while_debug_is_on(seeded):
    emails = set(get_user_model().objects.values_list("email", flat=True))

    assert set(DEMO_LOGINS.values()) <= emails


def test_seed_demo_creates_no_login_when_debug_is_off(settings):
    settings.DEBUG = False

    call_command("seed_demo", verbosity=0)

    assert Member.objects.count() == 123
    assert not get_user_model().objects.exists()


def test_demo_operator_logs_in_with_the_readme_password(seeded, client, settings):
    response = client.post(
        "/accounts/login/",
        {"login": DEMO_LOGINS["operator"], "password": settings.DEMO_PASSWORD},
    )

    assert response.status_code == 302
    assert client.get("/portal/").status_code == 200


def test_demo_operator_is_a_member_admin_as_the_readme_says(seeded):
    assert Roles(get_user_model().objects.get(email=DEMO_LOGINS["operator"])).is_member_admin


@pytest.mark.parametrize("role", ["secretariat", "board"])
def test_demo_logins_that_need_two_factor_accept_the_printed_code(seeded, role):
    authenticator = Authenticator.objects.get(
        user__email=DEMO_LOGINS[role], type=Authenticator.Type.TOTP
    )

    assert TOTP(authenticator).validate_code(current_demo_code(role))


def test_demo_logins_prints_the_address_the_portal_is_served_at(settings):
    settings.DEBUG = True
    settings.PORTAL_URL = "http://127.0.0.1:9000"
    output = StringIO()

    call_command("demo_logins", stdout=output)

    assert "Open http://127.0.0.1:9000/accounts/login/ " in output.getvalue()


def test_demo_logins_suggests_a_fresh_code_command_that_names_the_same_address(settings):
    settings.DEBUG = True
    settings.PORTAL_URL = "http://127.0.0.1:8123"
    output = StringIO()

    call_command("demo_logins", stdout=output)

    command = output.getvalue().split("For a fresh code: ")[1].strip()
    assert command == "PORTAL_URL=http://127.0.0.1:8123 .venv/bin/python manage.py demo_logins"
