"""What canto_portal.spreadsheets.resources does for every import, whatever the table: the
preview shows each row's changes, a confirmed import finds the rows it leaves unchanged, and
a choice is typed in the importer's language. Each app tests its own resources."""

import pytest
from django.utils import translation
from import_export.resources import Diff

from canto_portal.spreadsheets.formats import CSV
from canto_portal.spreadsheets.resources import RowDiff
from members.models import Member
from members.resources import MemberResource
from tests.members.factories import MemberFactory

pytestmark = pytest.mark.django_db


def members_file(*members, city=None):
    """The members' own export, with the first member moved to `city`."""
    rows = MemberResource().export(queryset=Member.objects.filter(pk__in=[m.pk for m in members]))
    if city:
        first = dict(zip(rows.headers, rows[0], strict=True)) | {"city": city}
        rows[0] = tuple(first.values())
    return CSV().create_dataset(CSV().export_data(rows).encode())


def test_a_confirmed_file_saves_the_changed_row_and_skips_the_unchanged_one():
    moved, stayed = MemberFactory(city="Kingston"), MemberFactory(city="Castries")

    result = MemberResource().import_data(members_file(moved, stayed, city="Montego Bay"))

    assert (result.totals["update"], result.totals["skip"]) == (1, 1)
    assert Member.objects.get(pk=moved.pk).city == "Montego Bay"


def test_the_preview_shows_the_new_value_of_a_changed_cell():
    member = MemberFactory(city="Kingston")

    result = MemberResource().import_data(members_file(member, city="Montego Bay"), dry_run=True)

    (row,) = result.valid_rows()
    assert row.import_type == "update" and any("Montego Bay" in cell for cell in row.diff)
    assert Member.objects.get(pk=member.pk).city == "Kingston"


@pytest.mark.parametrize(("language", "typed"), [("fr", "suspendu"), ("nl", "Geschorst")])
def test_a_status_is_read_by_its_label_in_the_importers_language(language, typed):
    member = MemberFactory()
    dataset = CSV().create_dataset(f"slug,status\n{member.slug},{typed}\n".encode())

    with translation.override(language):
        result = MemberResource().import_data(dataset)

    assert not result.has_validation_errors()
    assert Member.objects.get(pk=member.pk).status == Member.Status.SUSPENDED


@pytest.mark.parametrize("new", [True, False], ids=["new row", "changed row"])
def test_the_previews_cells_read_as_the_librarys_own_diff(new):
    left = ["", "same", "Kingston", "", "a < b & c", None, "line\nbreak", "Port of Spain"]
    right = ["", "same", "Montego Bay", "added", "a < b", "None", "line\nbreaks", "Pt. Spain"]
    diffs = []
    for diff_class in (Diff, RowDiff):
        diff = diff_class(MemberResource(), Member(), new)
        diff.left, diff.right = left, right
        diffs.append(diff.as_html())

    assert diffs[0] == diffs[1]
