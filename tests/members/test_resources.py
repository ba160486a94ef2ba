"""The member register's import and export resources, used directly (Resource.import_data).
The admin's two-step flow is tested in test_import_admin.py."""

import csv
import datetime
import io
import os
from decimal import Decimal

import openpyxl
import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from canto_portal.spreadsheets.formats import CSV, XLSX
from members.models import BoardTerm, Contact, Dues, Member
from members.resources import (
    BoardTermResource,
    ContactResource,
    DuesResource,
    MemberResource,
)
from tests.members.factories import (
    BoardTermFactory,
    ContactFactory,
    DuesFactory,
    MemberFactory,
    MembershipCategoryFactory,
)

pytestmark = pytest.mark.django_db

MEMBER_HEADER = "slug,name,category,country,city,joined_on,status"
# 10,000 contacts import in about 5 s on SQLite and on PostgreSQL. The failing
# variant proves all or nothing, which does not depend on size, with 2,000 rows by default to
# keep the suite fast; IMPORT_TEST_ROWS=10000 runs both at full size.
LARGE_FILE_ROWS = int(os.environ.get("IMPORT_TEST_ROWS", "10000"))
LARGE_BAD_FILE_ROWS = int(os.environ.get("IMPORT_TEST_ROWS", "2000"))


def read_csv(text, encoding="utf-8"):
    return CSV().create_dataset(text.encode(encoding) if isinstance(text, str) else text)


def run_import(resource_class, dataset, dry_run=False):
    return resource_class().import_data(dataset, dry_run=dry_run)


def row_errors(result):
    """Every row-level message of an import, flattened."""
    return [
        message
        for row in result.invalid_rows
        for messages in row.error_dict.values()
        for message in messages
    ]


def base_errors(result):
    return [str(error.error) for error in result.base_errors]


def counts():
    return (
        Member.objects.count(),
        Contact.objects.count(),
        Dues.objects.count(),
        BoardTerm.objects.count(),
    )


@pytest.fixture
def register():
    """A small register with something of every kind, including awkward text."""
    member = MemberFactory(name="Caribe Fibre", country="JM", public_phone="+1 876 555 0100")
    other = MemberFactory(name="Isla Telecom", country="BB", founding_member=True)
    ContactFactory(member=member, email="Ana@Caribe.example", phone="+1 876 555 0101")
    ContactFactory(member=other, role=Contact.Role.PRIMARY, is_member_admin=True)
    DuesFactory(member=member, year=2025, amount=Decimal("5000.00"))
    DuesFactory(member=other, year=2025, status=Dues.Status.OVERDUE, paid_on=None)
    BoardTermFactory(contact=ContactFactory(member=other))
    return member


# Round trip


@pytest.mark.parametrize("file_format", [CSV, XLSX], ids=["csv", "xlsx"])
@pytest.mark.parametrize(
    "resource_class", [MemberResource, ContactResource, DuesResource, BoardTermResource]
)
def test_export_then_import_of_the_same_file_changes_nothing(register, resource_class, file_format):
    before = counts()
    updated = dict(Member.objects.values_list("pk", "updated_at"))
    # As the admin exports: native dates and numbers in XLSX, text in CSV.
    exported = resource_class().export(force_native_type=file_format is XLSX)
    data = file_format().export_data(exported)
    data = data.encode() if isinstance(data, str) else data

    result = run_import(resource_class, file_format().create_dataset(data))

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["skip"] == resource_class().get_queryset().count() > 0
    assert result.totals["new"] == result.totals["update"] == 0
    assert counts() == before
    assert dict(Member.objects.values_list("pk", "updated_at")) == updated


def test_export_uses_natural_keys_never_ids(register):
    dataset = ContactResource().export()

    assert dataset.headers[:2] == ["email", "member"]
    assert "id" not in dataset.headers
    assert register.slug in dataset["member"]


# Creating and updating


def test_import_creates_members_with_country_names_codes_and_category_names():
    MembershipCategoryFactory(name="Associate", annual_dues=Decimal("2500"), voting_rights=False)
    dataset = read_csv(
        f"{MEMBER_HEADER}\n"
        "leeward-fibre,Leeward Fibre,Full,LC,Castries,2010-04-01,active\n"
        "windward-link,Windward Link,associate,Saint Vincent and the Grenadines,Kingstown,"
        "2012-05-01,Active\n"
        "bahama-net,Bahama Net,FULL,The Bahamas,Nassau,2014-06-01,active\n"
    )

    result = run_import(MemberResource, dataset)

    assert result.totals["new"] == 3, row_errors(result) + base_errors(result)
    windward = Member.objects.get(slug="windward-link")
    assert (windward.country.code, windward.category.name) == ("VC", "Associate")
    assert Member.objects.get(slug="bahama-net").country.code == "BS"


def test_a_file_without_slugs_identifies_members_by_name_and_country():
    existing = MemberFactory(name="Leeward Fibre", slug="leeward", country="LC")
    dataset = read_csv(
        "name,country,category,joined_on\n"
        "leeward fibre,LC,Full,2001-03-01\n"
        "Leeward Fibre,Antigua and Barbuda,Full,2011-03-01\n"
    )

    result = run_import(MemberResource, dataset)

    assert (result.totals["update"], result.totals["new"]) == (1, 1), row_errors(result)
    existing.refresh_from_db()
    assert existing.name == "leeward fibre"
    assert Member.objects.filter(slug="leeward-fibre-ag", country="AG").exists()


def test_contacts_name_their_member_by_slug_or_unique_name(member_a):
    dataset = read_csv(
        "email,member,name,role\n"
        f"one@alpha.example,{member_a.slug},One,primary\n"
        "two@alpha.example,alpha telecom,Two,technical\n"
    )

    result = run_import(ContactResource, dataset)

    assert result.totals["new"] == 2, row_errors(result)
    assert set(member_a.contacts.values_list("email", flat=True)) == {
        "one@alpha.example",
        "two@alpha.example",
    }


def test_a_member_name_used_in_two_countries_must_be_given_as_slug():
    MemberFactory(name="Digital Link", slug="digital-link-tt", country="TT")
    MemberFactory(name="Digital Link", slug="digital-link-jm", country="JM")
    dataset = read_csv("email,member,name\nx@link.example,Digital Link,X\n")

    result = run_import(ContactResource, dataset)

    (message,) = row_errors(result)
    assert "digital-link-tt" in message and "digital-link-jm" in message
    assert not Contact.objects.exists()


def test_contact_emails_match_whatever_their_case(register):
    dataset = read_csv(f"email,member,name\nana@CARIBE.example,{register.slug},Ana Maria\n")

    result = run_import(ContactResource, dataset)

    assert result.totals["update"] == 1, row_errors(result)
    assert Contact.objects.get(email__iexact="ana@caribe.example").name == "Ana Maria"


# Bad files: a clear message, and nothing written


def test_one_unknown_country_writes_nothing_and_says_where_and_what_to_do():
    MembershipCategoryFactory()
    dataset = read_csv(
        f"{MEMBER_HEADER}\n"
        "good-one,Good One,Full,TT,Port of Spain,2010-01-01,active\n"
        "bad-one,Bad One,Full,Narnia,Cair Paravel,2010-01-01,active\n"
    )

    result = run_import(MemberResource, dataset)

    assert not Member.objects.exists()
    (message,) = row_errors(result)
    assert "Row 2 (line 3 of the file)" in message
    assert "column “country”" in message and "value “Narnia”" in message
    assert "two-letter ISO code" in message


def test_wrong_columns_are_named_with_a_suggestion_and_nothing_is_read():
    MembershipCategoryFactory()
    dataset = read_csv("slug,name,categroy,cuntry,colour\nx,X,Full,TT,blue\n")

    result = run_import(MemberResource, dataset)

    (message,) = base_errors(result)
    assert "Unknown column “categroy”; did you mean “category”?" in message
    assert "Unknown column “colour”" in message
    assert "The columns for members are: slug, name, category" in message
    assert not result.invalid_rows and not Member.objects.exists()


def test_a_missing_key_column_is_named():
    dataset = read_csv("member,name\nalpha,Someone\n")

    result = run_import(ContactResource, dataset)

    assert "Missing required columns: email." in base_errors(result)[0]
    assert not Contact.objects.exists()


def test_headings_are_read_whatever_their_case_and_spacing(member_a):
    dataset = read_csv(f"Email, Member ,Job Title,NAME\nz@alpha.example,{member_a.slug},CTO,Zed\n")

    result = run_import(ContactResource, dataset)

    assert result.totals["new"] == 1, base_errors(result)
    assert Contact.objects.get().job_title == "CTO"


def test_the_same_email_twice_in_a_file_is_refused(member_a):
    dataset = read_csv(
        "email,member,name\n"
        f"sam@alpha.example,{member_a.slug},Sam\n"
        f"SAM@alpha.example,{member_a.slug},Samuel\n"
    )

    result = run_import(ContactResource, dataset)

    (message,) = row_errors(result)
    assert "Row 2" in message and "Row 1 of this file already has this email" in message
    assert not Contact.objects.exists()


def test_a_second_primary_contact_is_refused_in_the_file_and_against_the_register(
    member_a, member_b
):
    ContactFactory(member=member_b, role=Contact.Role.PRIMARY)
    dataset = read_csv(
        "email,member,name,role\n"
        f"p1@alpha.example,{member_a.slug},P1,primary\n"
        f"p2@alpha.example,{member_a.slug},P2,primary\n"
        f"p3@bravo.example,{member_b.slug},P3,Primary\n"
        f"t1@alpha.example,{member_a.slug},T1,technical\n"
    )

    result = run_import(ContactResource, dataset)

    messages = row_errors(result)
    assert [int(m.split()[1]) for m in messages] == [2, 3]
    assert all("This member already has a primary contact." in m for m in messages)
    assert Contact.objects.count() == 1


def test_a_contact_made_primary_counts_against_a_new_primary_later_in_the_file(member_a):
    ContactFactory(member=member_a, email="old@alpha.example", role=Contact.Role.TECHNICAL)
    dataset = read_csv(
        "email,member,name,role\n"
        f"old@alpha.example,{member_a.slug},Old,primary\n"
        f"new@alpha.example,{member_a.slug},New,primary\n"
    )

    result = run_import(ContactResource, dataset)

    (message,) = row_errors(result)
    assert message.startswith("Row 2") and "already has a primary contact" in message
    assert Contact.objects.get().role == Contact.Role.TECHNICAL


def test_the_primary_contact_can_be_handed_over_within_a_file(member_a):
    ContactFactory(member=member_a, email="old@alpha.example", role=Contact.Role.PRIMARY)
    dataset = read_csv(
        "email,member,name,role\n"
        f"old@alpha.example,{member_a.slug},Old,technical\n"
        f"new@alpha.example,{member_a.slug},New,primary\n"
    )

    result = run_import(ContactResource, dataset)

    assert (result.totals["update"], result.totals["new"]) == (1, 1), row_errors(result)
    assert member_a.contacts.get(role=Contact.Role.PRIMARY).email == "new@alpha.example"


def test_a_member_name_taken_in_its_country_is_refused_in_the_file_and_against_the_register():
    MembershipCategoryFactory()
    MemberFactory(name="Caribe Fibre", slug="caribe", country="JM")
    dataset = read_csv(
        f"{MEMBER_HEADER}\n"
        "isla,Isla Net,Full,BB,Bridgetown,2010-01-01,active\n"
        "isla-2,ISLA NET,Full,BB,Bridgetown,2010-01-01,active\n"
        "caribe-2,caribe fibre,Full,JM,Kingston,2010-01-01,active\n"
        "caribe-bb,Caribe Fibre,Full,BB,Bridgetown,2010-01-01,active\n"
    )

    result = run_import(MemberResource, dataset)

    messages = row_errors(result)
    assert [m.split()[1] for m in messages] == ["2", "3"]
    assert all("A member with this name already exists in this country." in m for m in messages)
    assert Member.objects.count() == 1


def test_a_member_renamed_in_the_file_frees_its_name_for_a_later_row(member_a):
    dataset = read_csv(
        f"{MEMBER_HEADER}\n"
        f"{member_a.slug},Alpha Telecom Holdings,Full,TT,Port of Spain,2010-01-01,active\n"
        "alpha-new,Alpha Telecom,Full,TT,Port of Spain,2011-01-01,active\n"
    )

    result = run_import(MemberResource, dataset)

    assert (result.totals["update"], result.totals["new"]) == (1, 1), row_errors(result)
    assert Member.objects.get(name="Alpha Telecom").slug == "alpha-new"


def test_an_import_writes_one_history_entry_per_row(member_a):
    dataset = read_csv(
        f"{MEMBER_HEADER}\n"
        f"{member_a.slug},Alpha Renamed,Full,TT,Port of Spain,2010-01-01,active\n"
        "new-one,New One,Full,TT,Port of Spain,2011-01-01,active\n"
    )
    before = Member.history.count()

    result = run_import(MemberResource, dataset)

    assert (result.totals["update"], result.totals["new"]) == (1, 1), row_errors(result)
    history = Member.history.order_by("-history_id")[:2]
    assert Member.history.count() == before + 2
    assert {(h.slug, h.name, h.history_type) for h in history} == {
        (member_a.slug, "Alpha Renamed", "~"),
        ("new-one", "New One", "+"),
    }


def test_a_preview_writes_nothing_not_even_history(member_a):
    before = (Member.objects.count(), Member.history.count())
    dataset = read_csv(
        f"{MEMBER_HEADER}\nnew-one,New One,Full,TT,Port of Spain,2011-01-01,active\n"
    )

    result = run_import(MemberResource, dataset, dry_run=True)

    assert result.totals["new"] == 1, row_errors(result)
    assert (Member.objects.count(), Member.history.count()) == before


def test_an_email_of_a_contact_at_another_member_is_refused(member_a, member_b):
    ContactFactory(member=member_a, email="pat@shared.example", name="Pat")
    dataset = read_csv(f"email,member,name\npat@shared.example,{member_b.slug},Pat B\n")

    result = run_import(ContactResource, dataset)

    (message,) = row_errors(result)
    assert "belongs to Pat at Alpha Telecom" in message
    assert Contact.objects.get(email="pat@shared.example").member == member_a


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\n\n"], ids=["empty", "bom", "blank"])
def test_an_empty_file_says_what_the_first_row_must_be(content):
    result = run_import(MemberResource, read_csv(content))

    (message,) = base_errors(result)
    assert "The file is empty or has no heading row" in message
    assert "slug, name, category" in message


def test_bad_dates_numbers_choices_and_yes_no_values_say_what_to_write(member_a):
    dataset = read_csv(
        "member,year,amount,status,paid_on\n"
        f"{member_a.slug},2025,5 000 USD,settled,31/02/2025\n"
        f"{member_a.slug},twenty,5000,paid,2025-01-01\n"
    )

    result = run_import(DuesResource, dataset)

    messages = " ".join(row_errors(result))
    assert "Enter a number such as 5000.00" in messages
    assert "Use one of: issued, paid, overdue, waived." in messages
    assert "Enter the date as YYYY-MM-DD" in messages
    assert "Row 2 (line 3 of the file), column “year”, value “twenty”: Enter a whole number" in (
        messages
    )
    assert not Dues.objects.exists()


def test_yes_no_columns_take_yes_or_no(member_a):
    dataset = read_csv(
        f"email,member,name,is_member_admin,receives_briefings\n"
        f"y@alpha.example,{member_a.slug},Y,Yes,0\n"
        f"n@alpha.example,{member_a.slug},N,maybe,no\n"
    )

    result = run_import(ContactResource, dataset)

    (message,) = row_errors(result)
    assert "column “is_member_admin”, value “maybe”: Use yes or no." in message
    assert not Contact.objects.exists()


def test_model_rules_are_reported_as_row_errors(member_a):
    DuesFactory(member=member_a, year=2024)
    dataset = read_csv(
        f"member,year,amount,status,paid_on\n{member_a.slug},2025,5000,paid,\n"
        f"{member_a.slug},2026,-3,issued,\n"
    )

    result = run_import(DuesResource, dataset)

    messages = row_errors(result)
    assert any("Row 1" in m and "Paid dues need the date they were paid on." in m for m in messages)
    assert any("Row 2" in m and "The amount cannot be negative." in m for m in messages)
    assert Dues.objects.count() == 1


def test_a_forbidden_status_move_is_refused(member_a):
    Member.objects.filter(pk=member_a.pk).update(status=Member.Status.RESIGNED)
    dataset = read_csv(f"slug,status\n{member_a.slug},suspended\n")

    result = run_import(MemberResource, dataset)

    (message,) = row_errors(result)
    assert "cannot move from Resigned to Suspended" in message
    member_a.refresh_from_db()
    assert member_a.status == Member.Status.RESIGNED


def test_an_allowed_status_move_by_import_is_dated_today(member_a):
    Member.objects.filter(pk=member_a.pk).update(
        status=Member.Status.ACTIVE, status_changed_on=datetime.date(2015, 1, 1)
    )
    dataset = read_csv(f"slug,status\n{member_a.slug},lapsed\n")

    result = run_import(MemberResource, dataset)

    assert result.totals["update"] == 1, row_errors(result)
    member_a.refresh_from_db()
    assert (member_a.status, member_a.status_changed_on) == ("lapsed", timezone.localdate())


def test_an_imported_change_renews_the_time_of_last_change(member_a):
    Member.objects.filter(pk=member_a.pk).update(updated_at=timezone.now() - datetime.timedelta(1))
    dataset = read_csv(f"slug,city\n{member_a.slug},Scarborough\n")

    run_import(MemberResource, dataset)

    member_a.refresh_from_db()
    assert member_a.city == "Scarborough"
    assert timezone.now() - member_a.updated_at < datetime.timedelta(minutes=1)


def test_an_unknown_board_contact_is_named(member_a):
    dataset = read_csv("contact,role,starts_on\nnobody@nowhere.example,chair,2025-01-01\n")

    result = run_import(BoardTermResource, dataset)

    (message,) = row_errors(result)
    assert "value “nobody@nowhere.example”" in message and "No contact has this email" in message


def large_file(member, rows, last=None):
    lines = ["email,member,name"] + [
        f"person{n}@alpha.example,{member.slug},Person {n}" for n in range(rows)
    ]
    if last:
        lines[-1] = last
    return read_csv("\n".join(lines))


def test_a_large_file_imports_in_one_go(member_a):
    result = run_import(ContactResource, large_file(member_a, LARGE_FILE_ROWS))

    assert result.totals["new"] == LARGE_FILE_ROWS, row_errors(result)[:3]
    assert Contact.objects.count() == LARGE_FILE_ROWS


def queries_to_import(resource_class, text, dry_run):
    with CaptureQueriesContext(connection) as queries:
        result = run_import(resource_class, read_csv(text), dry_run=dry_run)
    assert not result.has_errors() and not result.has_validation_errors(), row_errors(result)
    return len(queries)


def members_file(rows, city="Castries"):
    return f"{MEMBER_HEADER}\n" + "".join(
        f"m{n},Member {n},Full,LC,{city},2010-04-01,active\n" for n in range(rows)
    )


def contacts_file(members, rows):
    return "email,member,name,role\n" + "".join(
        f"p{n}@x.example,{members[n % len(members)].slug},P {n},technical\n" for n in range(rows)
    )


@pytest.mark.parametrize("dry_run", [True, False], ids=["preview", "save"])
def test_a_members_file_takes_as_many_queries_for_300_rows_as_for_3(dry_run):
    MembershipCategoryFactory()

    small = queries_to_import(MemberResource, members_file(3), dry_run)
    large = queries_to_import(MemberResource, members_file(300), dry_run)

    assert large == small


def test_changing_a_members_file_takes_as_many_queries_for_300_rows_as_for_3():
    MembershipCategoryFactory()
    run_import(MemberResource, read_csv(members_file(300)))

    small = queries_to_import(MemberResource, members_file(3, city="Soufrière"), False)
    large = queries_to_import(MemberResource, members_file(300, city="Vieux Fort"), False)

    assert large == small
    assert Member.objects.filter(city="Vieux Fort").count() == 300


@pytest.mark.parametrize("dry_run", [True, False], ids=["preview", "save"])
def test_a_contacts_file_takes_as_many_queries_for_300_rows_as_for_3(dry_run):
    members = MemberFactory.create_batch(30)

    small = queries_to_import(ContactResource, contacts_file(members[:3], 3), dry_run)
    Contact.objects.all().delete()
    large = queries_to_import(ContactResource, contacts_file(members, 300), dry_run)

    assert large == small


def test_a_large_file_with_one_bad_row_at_the_end_writes_nothing(member_a):
    bad = f"x@alpha.example,{member_a.slug},=cmd|' /C calc'!A0"

    result = run_import(ContactResource, large_file(member_a, LARGE_BAD_FILE_ROWS, last=bad))

    assert result.totals["invalid"] == 1
    assert f"Row {LARGE_BAD_FILE_ROWS} " in row_errors(result)[0]
    assert not Contact.objects.exists()


# Spreadsheet safety


def test_exported_files_carry_no_formula_in_csv_or_xlsx(member_a):
    Member.objects.filter(pk=member_a.pk).update(
        city='=HYPERLINK("http://evil.example","x")', staff_notes="@SUM(1)"
    )
    queryset = Member.objects.filter(pk=member_a.pk)

    csv_text = CSV().export_data(MemberResource().export(queryset))
    # As the admin does for XLSX: dates and numbers stay native.
    exported = MemberResource().export(force_native_type=True)
    workbook = openpyxl.load_workbook(io.BytesIO(XLSX().export_data(exported)))

    (row,) = list(csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff"))))
    assert row["city"] == '\'=HYPERLINK("http://evil.example","x")'
    assert row["staff_notes"] == "'@SUM(1)"
    cells = [cell for row in workbook.active.iter_rows() for cell in row]
    assert not [cell for cell in cells if cell.data_type == "f"]
    assert '\'=HYPERLINK("http://evil.example","x")' in [cell.value for cell in cells]
    # Dates stay dates in XLSX, so the spreadsheet can sort and filter them.
    assert any(isinstance(cell.value, datetime.datetime) for cell in cells)


def test_quoted_text_from_an_export_imports_unchanged(register):
    Contact.objects.filter(email="Ana@Caribe.example").update(phone="+1 (876) 555-0101 ext. 4")
    data = CSV().export_data(ContactResource().export()).encode()
    assert b"'+1 (876) 555-0101 ext. 4" in data

    result = run_import(ContactResource, read_csv(data))

    assert result.totals["skip"] == Contact.objects.count()


@pytest.mark.parametrize(
    "column,value",
    [
        ("name", "=1+1"),
        ("name", "'=1+1"),
        ("job_title", "-2+3"),
        ("job_title", "@SUM(A1:A9)"),
        ("phone", "+cmd|' /C calc'!A0"),
        ("phone", "=1+1"),
    ],
)
def test_imported_text_that_looks_like_a_formula_is_refused(member_a, column, value):
    cells = {"email": "f@alpha.example", "member": member_a.slug, "name": "Fay", column: value}
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(cells))
    writer.writeheader()
    writer.writerow(cells)
    dataset = read_csv(out.getvalue())

    result = run_import(ContactResource, dataset)

    (message,) = row_errors(result)
    assert f"column “{column}”" in message
    assert "formula" in message or "A phone number may start with “+”" in message
    assert not Contact.objects.exists()


@pytest.mark.parametrize(
    "phone", ["+1 868 555 1234", "+1 (868) 555-1234", "+599 9 555 1234 ext. 12", "868 555 1234"]
)
def test_phone_numbers_may_start_with_a_plus(member_a, phone):
    dataset = read_csv(f"email,member,name,phone\np@alpha.example,{member_a.slug},Pia,{phone}\n")

    result = run_import(ContactResource, dataset)

    assert result.totals["new"] == 1, row_errors(result)
    assert Contact.objects.get().phone == phone


# The example files in docs/import-examples/


@pytest.mark.parametrize("extension", ["csv", "xlsx"])
def test_the_example_files_import_into_an_empty_register(extension):
    folder = settings.BASE_DIR / "docs" / "import-examples"
    file_format = CSV() if extension == "csv" else XLSX()

    members = run_import(
        MemberResource, file_format.create_dataset((folder / f"members.{extension}").read_bytes())
    )
    contacts = run_import(
        ContactResource,
        file_format.create_dataset((folder / f"contacts.{extension}").read_bytes()),
    )

    assert members.totals["new"] == Member.objects.count() == 123, row_errors(members)[:3]
    assert Member.objects.values("country").distinct().count() == 34
    assert contacts.totals["new"] == Contact.objects.count() > 2 * 123, row_errors(contacts)[:3]


def test_empty_rows_below_the_data_are_ignored_and_others_reported(member_a):
    dataset = read_csv(
        "email,member,name\n"
        f"a@alpha.example,{member_a.slug},A\n"
        ",,\n"
        f"b@alpha.example,{member_a.slug},B\n"
        ",,\n,,\n"
    )

    result = run_import(ContactResource, dataset)

    (message,) = row_errors(result)
    assert message.startswith("Row 2 (line 3 of the file), column “email”, value “(empty)”")
    assert result.total_rows == 3
    assert not Contact.objects.exists()


def test_a_blank_choice_takes_the_models_default(member_a):
    dataset = read_csv(f"email,member,name,role\nb@alpha.example,{member_a.slug},Bea,\n")

    result = run_import(ContactResource, dataset)

    assert result.totals["new"] == 1, row_errors(result)
    assert Contact.objects.get().role == Contact.Role.OTHER
