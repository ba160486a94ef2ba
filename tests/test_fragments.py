"""The cache of rendered fragments (canto_portal/fragments.py): read again until the data,
the day or the language change, never after."""

import datetime

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.utils import timezone, translation

from agreements.models import SentAlert
from canto_portal import fragments
from tests.agreements.factories import AgreementFactory, PartnerFactory
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


class Counter:
    """A compute function that says how often it ran."""

    def __init__(self):
        self.calls = 0

    def __call__(self):
        self.calls += 1
        return f"rendered {self.calls}"


@pytest.fixture
def compute():
    return Counter()


def test_a_value_is_computed_once_and_then_read_from_the_cache(compute):
    fragments.cached("test", compute)

    assert fragments.cached("test", compute) == "rendered 1"
    assert compute.calls == 1


def test_none_is_cached_like_any_other_value():
    calls = []

    def nothing():
        calls.append(1)

    fragments.cached("test", nothing)
    fragments.cached("test", nothing)

    assert len(calls) == 1


def test_what_the_caller_varies_on_gets_its_own_value(compute):
    fragments.cached("test", compute, vary_on=("JM",))

    assert fragments.cached("test", compute, vary_on=("TT",)) == "rendered 2"


def test_each_language_gets_its_own_value(compute):
    fragments.cached("test", compute)

    with translation.override("es"):
        assert fragments.cached("test", compute) == "rendered 2"


def test_a_new_day_computes_again(compute, monkeypatch):
    fragments.cached("test", compute)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda: tomorrow)

    assert fragments.cached("test", compute) == "rendered 2"


def test_saving_a_member_computes_again(compute, member_a):
    fragments.cached("test", compute)
    member_a.city = "Bridgetown"
    member_a.save()

    assert fragments.cached("test", compute) == "rendered 2"


def test_deleting_a_member_computes_again(compute):
    member = MemberFactory()
    fragments.cached("test", compute)
    member.delete()

    assert fragments.cached("test", compute) == "rendered 2"


def test_changing_an_agreements_partners_computes_again(compute):
    agreement = AgreementFactory()
    fragments.cached("test", compute)
    agreement.partners.add(PartnerFactory())

    assert fragments.cached("test", compute) == "rendered 2"


def test_a_record_no_page_shows_leaves_the_cache_alone(compute):
    fragments.cached("test", compute)
    SentAlert.objects.create(key="expiry-90:test")

    assert fragments.cached("test", compute) == "rendered 1"


def test_a_migration_computes_again(compute):
    fragments.cached("test", compute)
    call_command("migrate", "members", verbosity=0)

    assert fragments.cached("test", compute) == "rendered 2"


def test_a_lost_version_never_brings_back_an_older_value(compute):
    fragments.cached("test", compute)
    fragments.cache.delete(fragments.VERSION_KEY)

    assert fragments.cached("test", compute) == "rendered 2"


def test_the_version_is_renewed_again_once_the_transaction_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        MemberFactory()
        MemberFactory()

    assert callbacks == [fragments.renew_version]


def test_a_fragment_read_from_the_cache_goes_into_a_page_unescaped(member_a):
    def profile():
        return fragments.fragment(
            "test", "members/includes/member_profile.html", {"member": member_a}
        )

    profile()
    page = Template("{{ profile }}").render(Context({"profile": profile()}))

    assert '<dl class="facts">' in page


def test_a_login_stamping_its_last_login_leaves_the_cache_alone(compute, operator_a):
    fragments.cached("test", compute)
    operator_a.last_login = timezone.now()
    operator_a.save(update_fields=["last_login"])

    assert fragments.cached("test", compute) == "rendered 1"


def test_a_login_changing_its_name_computes_again(compute, operator_a):
    fragments.cached("test", compute)
    operator_a.first_name = "Renamed"
    operator_a.save()

    assert fragments.cached("test", compute) == "rendered 2"


def test_many_writes_in_one_transaction_renew_the_version_once_and_once_more_at_commit(
    monkeypatch, django_capture_on_commit_callbacks
):
    renewals = []
    set_in_cache = fragments.cache.set

    def spy(key, value, timeout):
        if key == fragments.VERSION_KEY:
            renewals.append(value)
        set_in_cache(key, value, timeout)

    monkeypatch.setattr(fragments.cache, "set", spy)
    with django_capture_on_commit_callbacks(execute=True):
        MemberFactory.create_batch(20)

    assert len(renewals) == 2


def test_a_write_after_a_read_in_the_same_transaction_is_seen_at_once(compute):
    MemberFactory()
    fragments.cached("test", compute)
    MemberFactory()

    assert fragments.cached("test", compute) == "rendered 2"
