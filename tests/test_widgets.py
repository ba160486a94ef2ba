from django import forms
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from canto_portal.widgets import ListSelect

CHOICES = [("", "Any"), ("tt", "Trinidad & Tobago"), ("jm", "Jamaica <JM>")]
GROUPED = [("", "Any"), ("Caribbean", [("tt", "Trinidad & Tobago"), ("jm", "Jamaica")])]


def test_a_list_select_writes_the_markup_of_djangos_select():
    attrs = {"id": "id_country", "class": "wide"}
    for value in ("", "jm", None):
        assert ListSelect(choices=CHOICES).render("country", value, attrs) == forms.Select(
            choices=CHOICES
        ).render("country", value, attrs).replace("\n  ", "").replace("\n", "")


def test_a_list_select_writes_option_groups_as_djangos_select_does():
    rendered = ListSelect(choices=GROUPED).render("country", "tt", {"id": "id_country"})
    expected = forms.Select(choices=GROUPED).render("country", "tt", {"id": "id_country"})
    assert rendered == expected.replace("\n  ", "").replace("\n", "")


def test_a_list_select_escapes_and_writes_attributes_as_djangos_select_does():
    choices = [("", gettext_lazy("Any")), ('"quoted"', mark_safe("<b>safe</b>")), ("x", "a & b")]
    attrs = {"id": "id_kind", "required": True, "disabled": False, "data-x": 'say "hi"'}
    rendered = ListSelect(choices=choices).render("kind", '"quoted"', attrs)
    expected = forms.Select(choices=choices).render("kind", '"quoted"', attrs)
    assert rendered == expected.replace("\n  ", "").replace("\n", "")
