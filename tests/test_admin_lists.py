import datetime

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import _boolean_icon, results
from django.test import RequestFactory

from canto_portal.admin_lists import QuickRowsMixin, boolean_icon, columns, quick_results
from members.models import Member
from tests.members.factories import MemberFactory, UserFactory


class QuickMemberAdmin(QuickRowsMixin, admin.ModelAdmin):
    pass


def test_a_rows_action_checkbox_is_the_markup_django_writes(db):
    member = MemberFactory(name="Caribbean <Cable>")
    quick = QuickMemberAdmin(Member, admin.site)
    assert quick.action_checkbox(member) == admin.ModelAdmin(Member, admin.site).action_checkbox(
        member
    )


def test_a_boolean_icon_is_the_one_the_admin_shows():
    for value in (True, False, None, 1, 0):
        assert boolean_icon(value) == _boolean_icon(value)


@pytest.fixture
def members(db):
    MemberFactory(name="Caribbean <Cable> & Co", city="", founding_member=True)
    MemberFactory(name="Bravo", status=Member.Status.SUSPENDED, joined_on=datetime.date(1999, 1, 2))
    MemberFactory(name="Alpha", website="")
    MemberFactory(name="__primary_key__")


def change_list(model_admin, query=""):
    request = RequestFactory().get(f"/admin/members/member/{query}")
    request.user = UserFactory(is_superuser=True, is_staff=True)
    return model_admin.get_changelist_instance(request)


def rows(cl):
    return [list(row) for row in results(cl)], [list(row) for row in quick_results(cl)]


@pytest.mark.parametrize(
    "query", ["", "?status=active&o=2.-1", "?_popup=1&_to_field=id", "?q=__primary_key__"]
)
def test_the_member_lists_rows_are_the_markup_django_writes(members, query):
    django_rows, quick_rows = rows(change_list(admin.site.get_model_admin(Member), query))
    assert quick_rows == django_rows


def test_the_member_list_writes_its_rows_itself(members):
    assert columns(change_list(admin.site.get_model_admin(Member))) is not None


class ColumnsOfEveryKindAdmin(QuickRowsMixin, admin.ModelAdmin):
    list_display = [
        "id",
        "name",
        "category",
        "status",
        "joined_on",
        "founding_member",
        "website",
        "ended",
    ]
    list_display_links = ["status", "category"]

    @admin.display(boolean=True)
    def ended(self, obj):
        return obj.status == Member.Status.SUSPENDED or None

    @admin.display(empty_value="(none)")
    def nothing(self, obj):
        return ""


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"list_display_links": None},
        {"list_display_links": ()},
        {"list_display": ["nothing", "joined_on", "name"]},
        {"empty_value_display": "n/a"},
    ],
)
def test_columns_of_every_kind_are_the_markup_django_writes(members, options):
    model_admin = type("Admin", (ColumnsOfEveryKindAdmin,), options)(Member, admin.site)
    django_rows, quick_rows = rows(change_list(model_admin))
    assert quick_rows == django_rows


def test_a_list_showing_a_model_attribute_is_left_to_django(members):
    model_admin = type("Admin", (ColumnsOfEveryKindAdmin,), {"list_display": ["__str__"]})(
        Member, admin.site
    )
    cl = change_list(model_admin)
    assert columns(cl) is None
    assert [list(row) for row in quick_results(cl)] == [list(row) for row in results(cl)]
