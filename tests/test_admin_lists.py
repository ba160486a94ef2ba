from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import _boolean_icon

from canto_portal.admin_lists import QuickRowsMixin, boolean_icon
from members.models import Member
from tests.members.factories import MemberFactory


class QuickMemberAdmin(QuickRowsMixin, admin.ModelAdmin):
    pass


def test_a_rows_action_checkbox_is_the_markup_django_writes(db):
    member = MemberFactory(name="Caribbean <Cable>")
    quick = QuickMemberAdmin(Member, admin.site)
    assert quick.action_checkbox(member) == admin.ModelAdmin(Member, admin.site).action_checkbox(
        member
    )


def test_a_boolean_icon_is_the_one_the_admin_shows():
    for value in (True, False, None):
        assert boolean_icon(value) == _boolean_icon(value)
