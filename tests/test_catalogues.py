"""The Spanish, French and Dutch catalogues are complete and current: every string of the code
and templates is translated, none is a guess, and the compiled files say what the sources say.
Extracting the strings needs GNU gettext (Debian's `gettext`), as bin/update-catalogues does."""

import re
import shutil
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
LOCALE = Path(settings.BASE_DIR) / "locale"
# What bin/update-catalogues leaves out: other people's code, tests and built files.
NOT_EXTRACTED = [".venv", "bench", "tests", "staticfiles", "deploy", "locale"]


def catalogue(language):
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def entry_key(entry):
    return (entry.msgctxt, entry.msgid, entry.msgid_plural)


def named(entries):
    return sorted(entry.msgid for entry in entries)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated(language):
    assert named(catalogue(language).untranslated_entries()) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_plural_entry_has_each_form_the_language_counts(language):
    """A form missing is no translation for the counts it serves: Spanish and French have a
    third form, and "7 days" or "117 members" would stay in English."""
    held = catalogue(language)
    forms = int(re.search(r"nplurals=(\d+)", held.metadata["Plural-Forms"]).group(1))
    incomplete = [
        entry
        for entry in held
        if entry.msgid_plural and sorted(entry.msgstr_plural) != list(range(forms))
    ]
    assert named(incomplete) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_entry_is_fuzzy(language):
    assert named(catalogue(language).fuzzy_entries()) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_entry_is_obsolete(language):
    assert named(catalogue(language).obsolete_entries()) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_file_is_compiled_from_the_po_file(language):
    compiled = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    expected = {
        entry_key(entry): (entry.msgstr, entry.msgstr_plural)
        for entry in catalogue(language).translated_entries()
    }
    assert {entry_key(e): (e.msgstr, e.msgstr_plural) for e in compiled if e.msgid} == expected


@pytest.fixture(scope="module")
def extracted(tmp_path_factory):
    """The catalogues makemessages writes from today's code. It writes next to the code it
    reads, so it reads the project through links from a folder of its own."""
    if shutil.which("xgettext") is None:
        pytest.fail("GNU gettext is needed to extract the strings: apt-get install gettext")
    folder = tmp_path_factory.mktemp("project")
    for item in Path(settings.BASE_DIR).iterdir():
        if item.name not in NOT_EXTRACTED and not item.name.startswith("."):
            (folder / item.name).symlink_to(item)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)
        patch.setattr(settings, "LOCALE_PATHS", [folder / "locale"])
        call_command(
            "makemessages",
            locale=LANGUAGES,
            ignore_patterns=NOT_EXTRACTED,
            no_location=True,
            symlinks=True,
            verbosity=0,
        )
    return folder / "locale"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_catalogue_holds_exactly_the_strings_of_the_code_today(language, extracted):
    today = polib.pofile(str(extracted / language / "LC_MESSAGES" / "django.po"))
    wanted = {entry_key(entry) for entry in today if not entry.obsolete}
    held = {entry_key(entry) for entry in catalogue(language) if not entry.obsolete}
    assert {
        "missing": sorted(map(str, wanted - held)),
        "left over": sorted(map(str, held - wanted)),
    } == {
        "missing": [],
        "left over": [],
    }
