"""CSV and XLSX files as people actually save them, and refused with a reason a person can act
on when the portal cannot read them faithfully."""

import codecs
from io import BytesIO

import openpyxl
import tablib
from django.conf import settings
from django.utils.translation import gettext as _
from import_export.formats import base_formats


class UnreadableFile(ValueError):
    """A file whose content would import as something other than what its author sees."""


# Windows-1252 puts signs and a few letters at bytes 0x80–0x9F. Western text uses some of them
# (curly quotes, dashes, the euro) and the others hardly ever; a Japanese, Chinese or Korean code
# page read as Windows-1252 shows those others at nearly every character, because those code
# pages start most characters with a byte of that range.
RARE_SIGNS = frozenset(bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore")) - set(
    "‘’“”–—…•€™"
)


def looks_garbled(text: str) -> bool:
    """True when a good part of the non-ASCII characters are the rare signs above."""
    foreign = [character for character in text if ord(character) > 0x7F]
    rare = sum(character in RARE_SIGNS for character in foreign)
    return rare >= 2 and rare * 3 >= len(foreign)


def encoding_refusal(text: str) -> UnreadableFile:
    """The refusal for a file whose bytes are in an encoding the portal does not read,
    quoting the first line that shows it."""
    lines = text.splitlines() or [""]
    number, line = next(
        ((n, line) for n, line in enumerate(lines, 1) if any(ord(c) > 0x7F for c in line)),
        (1, lines[0]),
    )
    return UnreadableFile(
        _(
            "The file is not in an encoding the portal reads (UTF-8, UTF-16 or Windows "
            "Western), so its accents and non-Latin letters would be garbled: line "
            "%(line)s would read “%(text)s”. It may be in a Japanese, Chinese or Korean code "
            "page such as Shift-JIS. In your spreadsheet, save it as “CSV UTF-8” and upload "
            "it again."
        )
        % {"line": number, "text": line[:80]}
    )


def decode_text(data: bytes) -> str:
    """Excel saves "CSV UTF-8" with a byte-order mark, plain "CSV" in the Windows code page
    and "Unicode text" as UTF-16; all three are accepted. Anything else is refused rather
    than guessed: a wrong guess imports garbled names that look fine in the preview."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        # Five bytes have no character in Windows-1252; a file that uses them is in another
        # code page.
        raise encoding_refusal(data.decode("cp1252", errors="replace")) from None
    if looks_garbled(text):
        raise encoding_refusal(text)
    return text


class CSV(base_formats.CSV):
    """CSV in any of the encodings above, separated by commas, or by semicolons as Excel does
    in the French, Dutch and Spanish locales of the region."""

    # Read as bytes so that decode_text, not the storage's fixed encoding, chooses the encoding.
    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        text = decode_text(in_stream) if isinstance(in_stream, bytes) else in_stream
        text = text.lstrip("\ufeff")
        if not text.strip():
            return tablib.Dataset()
        first_line = text.split("\n", 1)[0]
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
        return tablib.import_set(text, format="csv", delimiter=delimiter)

    def export_data(self, dataset, **kwargs):
        # Excel opens UTF-8 CSV correctly only when it carries a byte-order mark.
        return "\ufeff" + super().export_data(dataset, **kwargs)


class XLSX(base_formats.XLSX):
    """The first sheet of a workbook. A formula is refused, naming its cell: the library reads
    the value the spreadsheet last computed, which a file written by a program other than
    Excel does not carry, so the cell would import as empty without a word."""

    def create_dataset(self, in_stream):
        workbook = openpyxl.load_workbook(BytesIO(in_stream), read_only=True, data_only=False)
        rows = workbook.active.iter_rows()
        dataset = tablib.Dataset()
        header = next(rows, ())
        self.refuse_formulas(header)
        dataset.headers = [cell.value for cell in header]
        keep_blank = not getattr(settings, "IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES", False)
        for row in rows:
            self.refuse_formulas(row)
            values = [cell.value for cell in row]
            if keep_blank or any(value is not None for value in values):
                dataset.append(values)
        workbook.close()
        return dataset

    def refuse_formulas(self, cells):
        for cell in cells:
            if cell.data_type == "f":
                raise UnreadableFile(
                    _(
                        "Cell %(cell)s holds a formula (%(formula)s). The portal imports "
                        "values, not formulas: copy the column and paste it as values only, "
                        "then upload the file again."
                    )
                    % {"cell": cell.coordinate, "formula": str(cell.value)[:80]}
                )


FORMATS = [CSV, XLSX]
