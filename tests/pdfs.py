"""What a PDF says of itself, read with pypdf: its text, whether it is tagged, its language,
and the standards its XMP metadata claims."""

import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from pypdf import PdfReader

STANDARDS = {
    "http://www.aiim.org/pdfa/ns/id/": "pdfaid",
    "http://www.aiim.org/pdfua/ns/id/": "pdfuaid",
}


@dataclass
class Standards:
    tagged: bool
    language: str
    # As `{"pdfaid:part": "3", "pdfaid:conformance": "A"}`.
    claims: dict[str, str]


def text_of(document: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(document)).pages)


def standards_of(document: bytes) -> Standards:
    catalog = PdfReader(io.BytesIO(document)).trailer["/Root"]
    mark_info = catalog.get("/MarkInfo", {})
    claims = {}
    if "/Metadata" in catalog:
        for element in ET.fromstring(catalog["/Metadata"].get_object().get_data()).iter():
            properties = [*element.attrib.items(), (element.tag, element.text)]
            for name, value in properties:
                namespace, _, local = name.lstrip("{").partition("}")
                if namespace in STANDARDS:
                    claims[f"{STANDARDS[namespace]}:{local}"] = value
    return Standards(
        tagged=bool(mark_info.get("/Marked")) and "/StructTreeRoot" in catalog,
        language=str(catalog.get("/Lang", "")),
        claims=claims,
    )
