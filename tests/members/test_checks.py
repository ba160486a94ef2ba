"""`manage.py check --deploy` warns while invoices would print the demo's bank details."""

from members.checks import invoices_name_a_real_bank


def test_the_demos_example_bank_details_are_warned_of(settings):
    settings.CANTO_BANK_DETAILS = settings.EXAMPLE_BANK_DETAILS
    assert [warning.id for warning in invoices_name_a_real_bank(None)] == ["members.W001"]


def test_real_bank_details_pass(settings):
    settings.CANTO_BANK_DETAILS = "Bank: Republic Bank, Port of Spain\nAccount name: CANTO"
    assert invoices_name_a_real_bank(None) == []
