import pytest
from django.core.management import call_command
from django.utils import timezone

from members.models import CreditNote, DuesRate, Invoice, LapseProposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    call_command("seed_demo", verbosity=0)


def statuses(year):
    return [invoice.status for invoice in Invoice.objects.filter(year=year).with_status()]


def test_seed_demo_sets_rates_for_full_associate_and_affiliate(seeded):
    year = timezone.localdate().year
    rates = dict(DuesRate.objects.filter(year=year).values_list("category__name", "amount"))
    assert set(rates) == {"Full", "Associate", "Affiliate"}
    assert rates["Full"] > rates["Associate"] > rates["Affiliate"]


def test_seed_demo_has_a_believable_year(seeded):
    this_year = statuses(timezone.localdate().year)
    paid = this_year.count(Invoice.Status.PAID)
    assert paid > len(this_year) / 2
    assert this_year.count(Invoice.Status.OVERDUE) > 1
    assert Invoice.Status.PARTLY_PAID in this_year or Invoice.Status.OVERDUE in this_year
    assert this_year.count(Invoice.Status.VOID) == 1
    assert CreditNote.objects.count() == 1
    assert statuses(timezone.localdate().year - 1).count(Invoice.Status.WAIVED) == 1


def test_seed_demo_puts_one_member_in_the_lapse_queue(seeded):
    assert LapseProposal.objects.pending().count() == 1


def test_seeding_again_adds_no_invoice(seeded):
    before = Invoice.objects.count()
    call_command("seed_demo", verbosity=0)
    assert Invoice.objects.count() == before
