import pytest
from django.utils import translation

from agreements.models import Agreement
from canto_portal.choices import choice_label


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
