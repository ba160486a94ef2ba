"""Production data: the cooperation agreement signed with the Internet Society in Port of Spain
on 11 February 2015, its five key commitments and the earlier joint SPAM workshop
(source: shared/reference/isoc-canto-agreement-2015.es.txt)."""

import datetime

from django.db import migrations

REFERENCE = "CANTO-AGR-2015-001"

COMMITMENTS = [
    (
        1,
        "both",
        "Share information on the dynamics of the Internet ecosystem and the status of key issues, "
        "working together with ISOC, the IETF and their experts.",
    ),
    (2, "canto", "CANTO designates two principal representatives to ISOC's Advisory Council."),
    (
        3,
        "canto",
        "Become the participatory forum that contributes significantly to priority projects in the "
        "Caribbean.",
    ),
    (
        4,
        "canto",
        "With ISOC's agreement, CANTO may publish Briefings through ISOC's appropriate channels to "
        "inform the public and the media about key aspects of the Internet sector.",
    ),
    (
        5,
        "both",
        "Exchange information on the general state of the industry and on initiatives in "
        "production.",
    ),
]

SUMMARY = (
    "Formalises several years of joint work between the Internet Society and CANTO to promote "
    "the development of the Internet and education programmes in the Caribbean. Topics named at "
    "signing: IP numbering, VoIP blocking, cybersecurity and hacktivism."
)


def forwards(apps, schema_editor):
    Partner = apps.get_model("agreements", "Partner")
    Agreement = apps.get_model("agreements", "Agreement")
    isoc, _ = Partner.objects.get_or_create(
        name="Internet Society",
        defaults={
            "short_name": "ISOC",
            "kind": "international",
            "country": "US",
            "website": "https://www.internetsociety.org",
            "description": (
                "Global organisation of more than 65,000 members promoting the open development, "
                "evolution and use of the Internet; the organisational home of the IETF."
            ),
        },
    )
    agreement, created = Agreement.objects.get_or_create(
        reference=REFERENCE,
        defaults={
            "title": "Cooperation agreement between the Internet Society and CANTO",
            "kind": "cooperation",
            "status": "active",
            "signed_on": datetime.date(2015, 2, 11),
            "signed_at": "Port of Spain, Trinidad and Tobago",
            "effective_from": datetime.date(2015, 2, 11),
            "renewal": "none",
            "confidentiality": "public",
            "summary": SUMMARY,
        },
    )
    if not created:
        return
    agreement.partners.add(isoc)
    for number, owed_by, text in COMMITMENTS:
        agreement.commitments.create(
            number=number, owed_by=owed_by, text=text, status="in_progress"
        )
    agreement.signatories.create(name="Secretary General of CANTO", side="canto")
    agreement.signatories.create(
        name="Regional Bureau Director for Latin America and the Caribbean, Internet Society",
        side="partner",
        partner=isoc,
    )
    agreement.activities.create(
        title="SPAM workshop",
        kind="workshop",
        place="The Bahamas",
        description="Joint workshop held at the CANTO event in the Bahamas, before the agreement.",
    )


def backwards(apps, schema_editor):
    Agreement = apps.get_model("agreements", "Agreement")
    Agreement.objects.filter(reference=REFERENCE).delete()
    apps.get_model("agreements", "Partner").objects.filter(
        name="Internet Society", agreements__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("agreements", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
