"""Spreadsheet files and cells as canto_portal.spreadsheets reads and writes them, whatever the
table: encodings, delimiters, formulas. The resources built on them are tested in each app."""

import datetime
import io

import openpyxl
import pytest

from canto_portal.spreadsheets.cells import escape_formula
from canto_portal.spreadsheets.formats import CSV, XLSX, UnreadableFile


def xlsx(*rows):
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# CSV as people save it


def test_latin_1_csv_is_read_with_its_accents():
    dataset = CSV().create_dataset("name,job_title\nRenée Désirée,Gérante\n".encode("latin-1"))

    assert dataset.dict == [{"name": "Renée Désirée", "job_title": "Gérante"}]


def test_utf_8_csv_with_a_byte_order_mark_is_read():
    dataset = CSV().create_dataset("name\nZoë\n".encode("utf-8-sig"))

    assert dataset.headers == ["name"] and dataset["name"] == ["Zoë"]


def test_utf_16_unicode_text_from_excel_is_read():
    dataset = CSV().create_dataset("name\nJosé\n".encode("utf-16"))

    assert dataset["name"] == ["José"]


def test_semicolon_separated_csv_from_a_french_or_dutch_excel_is_read():
    dataset = CSV().create_dataset("email;name\nfr@alpha.example;Hélène\n".encode("cp1252"))

    assert dataset.dict == [{"email": "fr@alpha.example", "name": "Hélène"}]


def test_western_text_with_curly_quotes_and_dashes_is_read_as_windows_western():
    text = "name,description\nCôte d’Ivoire Télécom,“Fibre” – 5 € a month… Škoda\n"

    dataset = CSV().create_dataset(text.encode("cp1252"))

    assert dataset["description"] == ["“Fibre” – 5 € a month… Škoda"]


@pytest.mark.parametrize(
    "text",
    [
        "email,name,job_title\nt@alpha.example,山田太郎,技術部長\n",
        "email,name\nt@alpha.example,やまだ たろう\n",
        "email,name\nt@alpha.example,田中・一郎\n",
    ],
    ids=["kanji", "kana", "kanji-with-a-full-width-sign"],
)
def test_a_shift_jis_csv_is_refused_naming_the_encoding_problem(text):
    with pytest.raises(UnreadableFile) as refusal:
        CSV().create_dataset(text.encode("shift_jis"))

    message = str(refusal.value)
    assert "not in an encoding the portal reads" in message
    assert "line 2" in message and "Shift-JIS" in message and "CSV UTF-8" in message


# XLSX


def test_xlsx_values_dates_and_numbers_are_read():
    data = xlsx(["name", "joined_on", "amount"], ["Alpha", datetime.date(2015, 2, 11), 5000.5])

    dataset = XLSX().create_dataset(data)

    assert dataset.headers == ["name", "joined_on", "amount"]
    assert dataset[0] == ("Alpha", datetime.datetime(2015, 2, 11), 5000.5)


def test_a_formula_cell_in_xlsx_is_refused_naming_the_cell():
    data = xlsx(["name", "city"], ["Alpha", "Castries"], ["Bravo", '=HYPERLINK("http://x","y")'])

    with pytest.raises(UnreadableFile) as refusal:
        XLSX().create_dataset(data)

    message = str(refusal.value)
    assert "Cell B3 holds a formula" in message
    assert '=HYPERLINK("http://x","y")' in message and "paste it as values only" in message


def test_a_formula_in_an_xlsx_heading_is_refused_naming_the_cell():
    with pytest.raises(UnreadableFile, match="Cell A1 holds a formula"):
        XLSX().create_dataset(xlsx(["=1+1", "name"], ["x", "Alpha"]))


# Formula quoting on export


@pytest.mark.parametrize("text", ["=1+1", "+SUM(A1)", "-2+3", "@cmd", "\t=1", "\r=1"])
def test_export_quotes_text_that_a_spreadsheet_would_run(text):
    assert escape_formula(text) == "'" + text


@pytest.mark.parametrize("value", ["Ordinary text", "", None, 42, datetime.date(2025, 1, 1)])
def test_export_leaves_other_values_alone(value):
    assert escape_formula(value) == value
