"""The cache of rendered parts (canto_portal/fragments.py, canto_portal/versions.py): a part
is read again until the data it shows, the day or the language change, never after; a change
to data it does not show leaves it alone."""

import dataclasses
import datetime
import time

import pytest
from django.apps import apps
from django.core.cache import caches
from django.core.management import call_command
from django.template import Context, Template
from django.utils import timezone, translation

from agreements.apps import REGISTER
from canto_portal import fragments, versions
from canto_portal.models import AuditAction, AuditEvent
from members.apps import LOGINS, MEMBERS
from members.models import Member
from tests.agreements.factories import AgreementFactory, PartnerFactory
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


class Counter:
    """A compute function that says how often it ran."""

    def __init__(self):
        self.calls = 0

    def __call__(self, *key):
        self.calls += 1
        return f"rendered {self.calls}"


@pytest.fixture
def compute():
    return Counter()


def members_part(compute, key=None):
    return fragments.cached("test", compute, key=key, shows=[MEMBERS])


def register_part(compute):
    return fragments.cached("test-register", compute, shows=[REGISTER])


@dataclasses.dataclass(frozen=True)
class Country:
    code: str


def test_a_value_is_computed_once_and_then_read_from_the_cache(compute):
    members_part(compute)

    assert members_part(compute) == "rendered 1"
    assert compute.calls == 1


def test_none_is_cached_like_any_other_value():
    calls = []

    def nothing():
        calls.append(1)

    members_part(nothing)
    members_part(nothing)

    assert len(calls) == 1


def test_a_part_is_computed_from_its_key():
    def flag(country):
        return f"flag of {country.code}"

    assert members_part(flag, key=Country("JM")) == "flag of JM"


def test_each_key_gets_its_own_value(compute):
    members_part(compute, key=Country("JM"))

    assert members_part(compute, key=Country("TT")) == "rendered 2"


@pytest.mark.parametrize("key", [("JM",), {"country": "JM"}, "JM"])
def test_a_key_that_is_not_a_frozen_dataclass_is_refused(compute, key):
    with pytest.raises(TypeError):
        members_part(compute, key=key)


def test_a_part_showing_a_scope_no_model_belongs_to_is_refused(compute):
    with pytest.raises(LookupError):
        fragments.cached("test", compute, shows=["membres"])


def test_a_value_not_kept_is_computed_each_time():
    calls = []

    def free_text():
        calls.append(1)
        return fragments.NotKept("results for a search")

    assert members_part(free_text) == "results for a search"
    assert members_part(free_text) == "results for a search"
    assert len(calls) == 2


def outer_part(compute, inner):
    """A part whose value holds another part."""

    def holding_inner():
        return (compute(), fragments.cached("test-inner", inner[0], shows=[MEMBERS], **inner[1]))

    return fragments.cached("test-outer", holding_inner, shows=[MEMBERS])


def test_a_part_holding_a_value_not_kept_is_not_kept_either(compute):
    inner = (lambda: fragments.NotKept("results for a search"), {})
    outer_part(compute, inner)

    assert outer_part(compute, inner) == ("rendered 2", "results for a search")


def test_a_part_holding_a_part_kept_briefly_is_kept_no_longer(compute):
    inner = (Counter(), {"timeout": lambda value: 2})
    outer_part(compute, inner)
    assert outer_part(compute, inner) == ("rendered 1", "rendered 1")
    time.sleep(2.1)

    assert outer_part(compute, inner) == ("rendered 2", "rendered 2")


def test_each_language_gets_its_own_value(compute):
    members_part(compute)

    with translation.override("es"):
        assert members_part(compute) == "rendered 2"


def test_a_new_day_computes_again(compute, monkeypatch):
    members_part(compute)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda: tomorrow)

    assert members_part(compute) == "rendered 2"


def test_saving_a_member_computes_again_what_shows_members(compute, member_a):
    members_part(compute)
    member_a.city = "Bridgetown"
    member_a.save()

    assert members_part(compute) == "rendered 2"


def test_saving_a_member_leaves_what_shows_only_agreements(compute, member_a):
    register_part(compute)
    member_a.name = "Renamed Telecom"
    member_a.save()

    assert register_part(compute) == "rendered 1"


def test_saving_an_agreement_leaves_what_shows_only_members(compute):
    agreement = AgreementFactory()
    members_part(compute)
    agreement.title = "Renamed agreement"
    agreement.save()

    assert members_part(compute) == "rendered 1"


def test_a_part_that_shows_two_scopes_is_computed_again_after_a_change_to_either(compute):
    def both():
        return fragments.cached("test-both", compute, shows=[MEMBERS, REGISTER])

    both()
    MemberFactory()
    both()
    AgreementFactory()

    assert both() == "rendered 3"


def test_deleting_a_member_computes_again(compute):
    member = MemberFactory()
    members_part(compute)
    member.delete()

    assert members_part(compute) == "rendered 2"


def test_changing_an_agreements_partners_computes_again(compute):
    agreement = AgreementFactory()
    register_part(compute)
    agreement.partners.add(PartnerFactory())

    assert register_part(compute) == "rendered 2"


def test_updating_members_in_bulk_computes_again(compute, member_a):
    members_part(compute)
    Member.objects.filter(pk=member_a.pk).update(city="Bridgetown")

    assert members_part(compute) == "rendered 2"


def test_creating_members_in_bulk_computes_again(compute, member_a):
    members_part(compute)
    Member.objects.bulk_create([MemberFactory.build(category=member_a.category)])

    assert members_part(compute) == "rendered 2"


def test_updating_several_members_at_once_computes_again(compute, member_a):
    members_part(compute)
    member_a.city = "Bridgetown"
    Member.objects.bulk_update([member_a], ["city"])

    assert members_part(compute) == "rendered 2"


def test_deleting_members_in_bulk_computes_again(compute):
    member = MemberFactory()
    members_part(compute)
    Member.objects.filter(pk=member.pk).delete()

    assert members_part(compute) == "rendered 2"


def test_a_record_no_page_shows_leaves_the_cache_alone(compute):
    register_part(compute)
    AuditEvent.objects.create(action=AuditAction.LOGIN)

    assert register_part(compute) == "rendered 1"


def test_a_migration_computes_everything_again(compute):
    members_part(compute)
    call_command("migrate", "members", verbosity=0)

    assert members_part(compute) == "rendered 2"


def test_a_restarted_shared_cache_never_brings_back_an_older_value(compute):
    members_part(compute)
    caches["default"].clear()

    assert members_part(compute) == "rendered 2"


def test_a_part_cached_before_a_transaction_commits_is_computed_again_after(
    compute, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        MemberFactory()
        # What another process, which does not see the write yet, would cache meanwhile.
        members_part(compute)

    assert members_part(compute) == "rendered 2"


def test_a_write_after_a_read_in_the_same_transaction_is_seen_at_once(compute):
    MemberFactory()
    members_part(compute)
    MemberFactory()

    assert members_part(compute) == "rendered 2"


def test_a_fragment_read_from_the_cache_goes_into_a_page_unescaped(member_a):
    def profile():
        return fragments.fragment(
            "test",
            "members/includes/member_profile.html",
            lambda: {"member": member_a},
            shows=[MEMBERS],
        )

    profile()
    page = Template("{{ profile }}").render(Context({"profile": profile()}))

    assert '<dl class="facts">' in page


def test_a_login_stamping_its_last_login_leaves_the_cache_alone(compute, operator_a):
    fragments.cached("test", compute, shows=[LOGINS])
    operator_a.last_login = timezone.now()
    operator_a.save(update_fields=["last_login"])

    assert fragments.cached("test", compute, shows=[LOGINS]) == "rendered 1"


def test_a_login_changing_its_name_computes_again_what_shows_logins(compute, operator_a):
    fragments.cached("test", compute, shows=[LOGINS])
    operator_a.first_name = "Renamed"
    operator_a.save()

    assert fragments.cached("test", compute, shows=[LOGINS]) == "rendered 2"


def test_every_watched_model_of_the_portal_renews_its_version_on_bulk_writes():
    """Models of other packages (logins, groups, authenticators) keep their own managers:
    the portal writes them through save() only."""
    portal_apps = {"members", "agreements"}
    watched = [m for m in versions.watched_models() if m._meta.app_label in portal_apps]

    assert {m._meta.app_label for m in watched} == portal_apps
    for model in watched:
        assert isinstance(model._default_manager.all(), versions.WatchedQuerySet), model


def test_every_model_of_the_portal_is_watched_or_shown_on_no_cached_part():
    # Written and read afresh on every page that shows them: deliveries, alerts sent, the
    # numbering and reminders of invoices, lapse proposals, languages, and the Board's
    # decisions, whose pages are never cached.
    shown_nowhere = {
        "InformationExchange",
        "BriefingDelivery",
        "SentAlert",
        "LanguagePreference",
        "InvoiceNumberSequence",
        "InvoiceReminder",
        "LapseProposal",
        "BoardMeeting",
        "AgendaItem",
        "MeetingDocument",
        "BoardPackDownload",
        "AgreementInterest",
        "Resolution",
        "Vote",
        "Recusal",
        "Minutes",
        "ActionItem",
    }
    watched = versions.watched_models()
    for app in ("members", "agreements"):
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical") or model.__name__ in shown_nowhere:
                continue
            assert model in watched, model
