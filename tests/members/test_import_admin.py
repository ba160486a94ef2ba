"""Import and export through the admin, as the Secretariat does it: upload, preview (dry run),
confirm; export with the list's filter. And who may do which."""

import io

import openpyxl
import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Contact, Member
from members.resources import ContactResource, MemberResource
from tests.members.factories import (
    ContactFactory,
    MemberFactory,
    MembershipCategoryFactory,
    UserFactory,
    activate_totp,
)

pytestmark = pytest.mark.django_db

CSV_FORMAT, XLSX_FORMAT = "0", "1"
MEMBER_URLS = {
    name: f"admin:members_member_{name}"
    for name in ["changelist", "import", "process_import", "export"]
}


@pytest.fixture
def secretariat_client(client, secretariat_user):
    client.force_login(secretariat_user)
    return client


def staff_client(client, *codenames):
    user = UserFactory(is_staff=True)
    activate_totp(user)
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client.force_login(user)
    return client


def upload(client, model, content, name="members.csv", file_format=CSV_FORMAT):
    return client.post(
        reverse(f"admin:members_{model}_import"),
        {"format": file_format, "import_file": SimpleUploadedFile(name, content)},
    )


def confirm(client, model, preview):
    form = preview.context["confirm_form"]
    data = {name: form.initial.get(name, "") for name in form.fields}
    return client.post(reverse(f"admin:members_{model}_process_import"), data, follow=True)


def export(client, model, resource_class, file_format, query=""):
    fields = {
        f"{resource_class.__name__.lower()}_{name}": "on"
        for name in resource_class().get_export_order()
    }
    return client.post(
        reverse(f"admin:members_{model}_export") + query,
        {"format": file_format, "resource": "0", **fields},
    )


def response_messages(response):
    return [str(m) for m in response.context["messages"]]


# Two steps: preview, then confirm


def test_upload_shows_a_preview_and_writes_nothing_until_confirmed(secretariat_client):
    MembershipCategoryFactory()
    content = (
        b"slug,name,category,country,city,joined_on,status\n"
        b"leeward-fibre,Leeward Fibre,Full,LC,Castries,2010-04-01,active\n"
    )

    preview = upload(secretariat_client, "member", content)

    assert preview.status_code == 200
    assert "Preview" in preview.text and "Confirm import" in preview.text
    assert preview.context["result"].totals["new"] == 1
    assert not Member.objects.exists()

    done = confirm(secretariat_client, "member", preview)

    assert done.redirect_chain[-1][0] == reverse(MEMBER_URLS["changelist"])
    assert Member.objects.get().name == "Leeward Fibre"
    assert any("1 new" in message for message in response_messages(done))
    # Imported rows are in the admin history like any other change.
    assert LogEntry.objects.filter(object_id=str(Member.objects.get().pk)).exists()


def test_the_history_of_imported_members_names_who_imported_them(
    secretariat_client, secretariat_user, member_a
):
    content = (
        b"slug,name,category,country,joined_on\n"
        + f"{member_a.slug},Alpha Renamed,Full,TT,2010-01-01\n".encode()
        + b"new-one,New One,Full,TT,2011-01-01\n"
    )

    confirm(secretariat_client, "member", upload(secretariat_client, "member", content))

    latest = Member.history.order_by("-history_id")[:2]
    assert {(h.name, h.history_type, h.history_user) for h in latest} == {
        ("Alpha Renamed", "~", secretariat_user),
        ("New One", "+", secretariat_user),
    }


def test_a_bad_row_shows_where_and_why_and_offers_no_confirm(secretariat_client):
    MembershipCategoryFactory()
    content = (
        b"slug,name,category,country,city,joined_on,status\n"
        b"good-one,Good One,Full,TT,Port of Spain,2010-01-01,active\n"
        b"bad-one,Bad One,Platinum,Narnia,Cair Paravel,2010-01-01,active\n"
    )

    response = upload(secretariat_client, "member", content)

    assert "Some rows failed to validate" in response.text
    assert "Nothing was imported." in response.text
    assert "confirm_form" not in response.context
    assert "value “Narnia”" in response.text and "two-letter ISO code" in response.text
    assert "value “Platinum”" in response.text and "Use one of the membership categories" in (
        response.text
    )
    assert not Member.objects.exists()


def test_wrong_columns_are_explained_in_the_admin(secretariat_client):
    response = upload(secretariat_client, "contact", b"mail,organisation\nx@y.example,z\n")

    assert "Unknown column “mail”; did you mean “email”?" in response.text
    assert "Nothing was imported." in response.text
    assert "Traceback" not in response.text
    assert "confirm_form" not in response.context
    assert not Contact.objects.exists()


def test_an_empty_upload_is_refused_with_a_message(secretariat_client):
    response = upload(secretariat_client, "member", b"")

    assert response.status_code == 200
    assert "The submitted file is empty." in response.text


def test_a_file_with_headings_only_says_there_is_nothing_to_import(secretariat_client):
    response = upload(secretariat_client, "contact", b"email,member,name\n")

    assert "No valid data to import" in response.text
    assert "confirm_form" not in response.context


def test_a_latin_1_file_previews_with_its_accents(secretariat_client, member_a):
    content = f"email,member,name\nre@alpha.example,{member_a.slug},Renée\n".encode("latin-1")

    preview = upload(secretariat_client, "contact", content, name="contacts.csv")
    confirm(secretariat_client, "contact", preview)

    assert "Renée" in preview.text
    assert Contact.objects.get().name == "Renée"


def test_a_confirm_that_no_longer_passes_writes_nothing_and_says_so(
    secretariat_client, member_a, member_b
):
    content = (
        "email,member,name\n"
        f"new@alpha.example,{member_a.slug},New Person\n"
        f"kim@shared.example,{member_a.slug},Kim\n"
    ).encode()
    preview = upload(secretariat_client, "contact", content)
    assert "confirm_form" in preview.context
    # Between preview and confirm, someone gives the address to another member's contact.
    ContactFactory(member=member_b, email="kim@shared.example")

    done = confirm(secretariat_client, "contact", preview)

    assert any("Nothing was imported" in m for m in response_messages(done))
    assert done.redirect_chain[-1][0] == reverse("admin:members_contact_import")
    assert list(Contact.objects.values_list("email", flat=True)) == ["kim@shared.example"]


# Round trip through XLSX, and export with the list's filter


def test_the_demo_members_round_trip_through_xlsx_unchanged(secretariat_client):
    for index in range(5):
        member = MemberFactory(public_phone=f"+1 868 555 010{index}")
        ContactFactory(member=member)
    updated = dict(Member.objects.values_list("pk", "updated_at"))

    exported = export(secretariat_client, "member", MemberResource, XLSX_FORMAT)
    preview = upload(
        secretariat_client, "member", exported.content, "m.xlsx", file_format=XLSX_FORMAT
    )

    assert exported["Content-Type"].startswith("application/vnd.openxmlformats")
    assert preview.context["result"].totals["skip"] == 5
    assert "Skipped" in preview.text
    confirm(secretariat_client, "member", preview)
    assert dict(Member.objects.values_list("pk", "updated_at")) == updated


def test_export_honours_the_lists_filter_and_search(secretariat_client):
    MemberFactory(name="Lapsed Cable", status=Member.Status.LAPSED)
    MemberFactory(name="Active Cable")
    MemberFactory(name="Active Radio")

    filtered = export(
        secretariat_client, "member", MemberResource, XLSX_FORMAT, query="?status__exact=lapsed"
    )
    searched = export(secretariat_client, "member", MemberResource, CSV_FORMAT, query="?q=Radio")

    sheet = openpyxl.load_workbook(io.BytesIO(filtered.content)).active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Lapsed Cable"]
    assert "Active Radio" in searched.text and "Cable" not in searched.text


def test_the_changelist_export_link_carries_the_filter(secretariat_client):
    response = secretariat_client.get(reverse(MEMBER_URLS["changelist"]) + "?status__exact=lapsed")

    assert reverse(MEMBER_URLS["export"]) + "?status__exact=lapsed" in response.text


# Who may import and export


@pytest.mark.parametrize(
    "app,model",
    [
        ("members", "member"),
        ("members", "contact"),
        ("members", "dues"),
        ("members", "boardterm"),
        ("agreements", "partner"),
        ("agreements", "agreement"),
        ("agreements", "commitment"),
        ("agreements", "appointment"),
    ],
)
def test_the_secretariat_sees_both_buttons_and_the_import_page(secretariat_client, app, model):
    response = secretariat_client.get(reverse(f"admin:{app}_{model}_changelist"))
    page = secretariat_client.get(reverse(f"admin:{app}_{model}_import"))

    assert reverse(f"admin:{app}_{model}_import") in response.text
    assert reverse(f"admin:{app}_{model}_export") in response.text
    assert page.status_code == 200 and "File to import" in page.text


def test_staff_without_the_permissions_see_no_buttons_and_are_refused(client):
    staff = staff_client(client, "view_member", "add_member", "change_member")

    listing = staff.get(reverse(MEMBER_URLS["changelist"]))

    assert listing.status_code == 200
    assert reverse(MEMBER_URLS["import"]) not in listing.text
    assert reverse(MEMBER_URLS["export"]) not in listing.text
    assert staff.get(reverse(MEMBER_URLS["import"])).status_code == 403
    assert staff.post(reverse(MEMBER_URLS["process_import"]), {}).status_code == 403
    assert staff.get(reverse(MEMBER_URLS["export"])).status_code == 403
    content = b"slug,name\nsneaky,Sneaky\n"
    assert upload(staff, "member", content).status_code == 403
    assert not Member.objects.exists()


def test_export_permission_alone_shows_only_the_export_button(client):
    staff = staff_client(client, "view_contact", "export_contact")
    ContactFactory(name="Listed Person")

    listing = staff.get(reverse("admin:members_contact_changelist"))
    exported = export(staff, "contact", ContactResource, CSV_FORMAT)

    assert reverse("admin:members_contact_export") in listing.text
    assert reverse("admin:members_contact_import") not in listing.text
    assert "Listed Person" in exported.text
    assert staff.get(reverse("admin:members_contact_import")).status_code == 403


def test_board_members_and_operators_cannot_reach_the_import(client, board_user, operator_a):
    for user in (board_user, operator_a):
        client.force_login(user)
        response = client.get(reverse(MEMBER_URLS["import"]))
        assert response.status_code == 302
        assert "/login/" in response["Location"]


# A confirm step that the preview did not make


def confirm_data(preview, **changes):
    form = preview.context["confirm_form"]
    return {**{name: form.initial.get(name, "") for name in form.fields}, **changes}


def post_confirm(client, data):
    return client.post(reverse(MEMBER_URLS["process_import"]), data)


@pytest.fixture
def member_preview(secretariat_client):
    MembershipCategoryFactory()
    content = (
        b"slug,name,category,country,city,joined_on,status\n"
        b"leeward-fibre,Leeward Fibre,Full,LC,Castries,2010-04-01,active\n"
    )
    return upload(secretariat_client, "member", content)


@pytest.mark.parametrize(
    "import_file_name",
    ["../../../../etc/passwd", "/etc/passwd", "/tmp/../etc/passwd"],
    ids=["relative", "absolute", "absolute-with-dot-dot"],
)
def test_a_confirm_whose_file_name_was_changed_to_a_path_is_refused(
    secretariat_client, member_preview, import_file_name
):
    response = post_confirm(
        secretariat_client, confirm_data(member_preview, import_file_name=import_file_name)
    )

    assert response.status_code == 400
    assert "does not match the preview" in response.text
    assert "root:" not in response.text
    assert not Member.objects.exists()


def test_a_confirm_with_the_format_swapped_after_the_preview_is_refused(
    secretariat_client, member_preview
):
    for file_format in (XLSX_FORMAT, "7", "csv"):
        response = post_confirm(
            secretariat_client, confirm_data(member_preview, format=file_format)
        )

        assert response.status_code == 400
        assert "does not match the preview" in response.text
    assert not Member.objects.exists()


def test_a_confirm_without_the_previews_signature_is_refused(secretariat_client, member_preview):
    response = post_confirm(secretariat_client, confirm_data(member_preview, signature=""))

    assert response.status_code == 400
    assert not Member.objects.exists()


def test_a_preview_cannot_be_confirmed_by_another_login(client, member_preview, secretariat_user):
    colleague = UserFactory(is_staff=True)
    colleague.groups.set(secretariat_user.groups.all())
    activate_totp(colleague)
    client.force_login(colleague)

    response = post_confirm(client, confirm_data(member_preview))

    assert response.status_code == 400
    assert not Member.objects.exists()


def test_a_preview_confirmed_twice_imports_once_and_says_so(secretariat_client, member_preview):
    data = confirm_data(member_preview)

    first = post_confirm(secretariat_client, data)
    second = post_confirm(secretariat_client, data)

    assert first.status_code == 302
    assert second.status_code == 400 and "already confirmed" in second.text
    assert Member.objects.count() == 1


# Files the portal cannot read faithfully


def test_an_xlsx_with_a_formula_cell_is_refused_naming_the_cell(secretariat_client):
    MembershipCategoryFactory()
    workbook = openpyxl.Workbook()
    workbook.active.append(["slug", "name", "category", "country", "joined_on"])
    workbook.active.append(["leeward", "Leeward Fibre", "Full", "LC", "2010-04-01"])
    workbook.active.append(["windward", '=CONCAT("Wind","ward")', "Full", "VC", "2012-05-01"])
    content = io.BytesIO()
    workbook.save(content)

    response = upload(
        secretariat_client, "member", content.getvalue(), "m.xlsx", file_format=XLSX_FORMAT
    )

    assert "Cell B3 holds a formula" in response.text
    assert "confirm_form" not in response.context
    assert not Member.objects.exists()


def test_a_shift_jis_csv_is_refused_with_the_encoding_problem(secretariat_client, member_a):
    content = f"email,member,name\nt@alpha.example,{member_a.slug},山田太郎\n".encode("shift_jis")

    response = upload(secretariat_client, "contact", content, name="contacts.csv")

    assert "not in an encoding the portal reads" in response.text
    assert "CSV UTF-8" in response.text
    assert "confirm_form" not in response.context
    assert not Contact.objects.exists()
