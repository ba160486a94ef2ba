import pytest
from django.utils import translation
from django_countries import countries

from agreements.models import Agreement
from canto_portal.choices import choice_label, country_name


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize("value", [*Agreement.Status.values, "unknown"])
def test_a_choice_label_is_what_get_display_gives_in_the_active_language(language, value):
    agreement = Agreement(status=value)
    with translation.override(language):
        assert choice_label(agreement, "status") == agreement.get_status_display()


def test_a_choice_label_follows_the_language_switched_to():
    agreement = Agreement(kind=Agreement.Kind.MOU)
    with translation.override("en"):
        english = choice_label(agreement, "kind")
    with translation.override("fr"):
        assert choice_label(agreement, "kind") == agreement.get_kind_display() != english


@pytest.mark.parametrize("language", ["en", "fr", "es", "nl"])
def test_a_country_name_is_the_one_django_countries_gives_in_the_active_language(language):
    with translation.override(language):
        for code in ("TT", "JM", "DE", "CW", "XK"):
            assert country_name(code) == countries.name(code)


def test_a_country_name_follows_the_language_switched_to():
    with translation.override("en"):
        english = country_name("DE")
    with translation.override("fr"):
        assert country_name("DE") == countries.name("DE") != english
