"""Fictional briefings and information exchanges on the topics of the 2015 agreement."""

import datetime

from django.utils import timezone
from django.utils.text import slugify

from agreements import services as briefing_services
from agreements.demo.register import demo_officer, store_pdf
from agreements.models import (
    Agreement,
    Audience,
    Briefing,
    BriefingMove,
    Confidentiality,
    InformationExchange,
    Partner,
    Topic,
)

ISOC_PARTNER = "Internet Society"
ISOC_AGREEMENT = "CANTO-AGR-2015-001"


def demo_briefings():
    """Fictional briefings on the topics of the 2015 agreement. `path` is the workflow each
    one has walked; `days_ago` when it was published. Two wait for the Secretariat to show
    the workflow: a members draft for ISOC's channel (publishing it emails the members) and a
    public one submitted to ISOC (publishing it puts it on the home page and in the feed)."""
    return [
        {
            "slug": "ip-numbering-ipv6-readiness-2026",
            "title": "IPv6 readiness across Caribbean operators",
            "summary": "Where the region stands on IPv6 and what operators can do this year.",
            "topics": ["ip-numbering"],
            "audience": Audience.PUBLIC,
            "isoc": True,
            "path": "published",
            "days_ago": 40,
            "body": (
                "## Where the region stands\n\n"
                "IPv4 addresses are exhausted at the regional registry. Operators that have "
                "not started deploying IPv6 now pay for translation equipment instead.\n\n"
                "## What operators can do\n\n"
                "1. Request an IPv6 allocation and publish a numbering plan.\n"
                "2. Enable IPv6 on the core and on new customer equipment first.\n"
                "3. Measure: share of traffic over IPv6, per service.\n\n"
                "More on the [Internet Society's IPv6 pages](https://www.internetsociety.org/)."
            ),
        },
        {
            "slug": "voip-blocking-consumer-impact",
            "title": "VoIP blocking and its cost to consumers",
            "summary": "Why blocking internet calls harms consumers and the industry.",
            "topics": ["voip-blocking"],
            "audience": Audience.PUBLIC,
            "isoc": True,
            "path": "published",
            "days_ago": 120,
            "body": (
                "Blocking voice over IP protects revenue for a short while and costs trust "
                "for a long one.\n\n"
                "- Consumers move to workarounds that operators cannot see or support.\n"
                "- Regulators across the region are reviewing blocking rules.\n"
                "- Operators that **offer** VoIP bundles keep their customers."
            ),
        },
        {
            "slug": "cybersecurity-incident-response-teams",
            "title": "National incident response teams: a practical start",
            "summary": "How small administrations can set up a response team with operators.",
            "topics": ["cybersecurity", "hacktivism"],
            "audience": Audience.PUBLIC,
            "isoc": True,
            "path": "published",
            "days_ago": 200,
            "body": (
                "Defacements by hacktivists and ransomware reach small states as often as "
                "large ones.\n\n"
                "A response team needs three things first: a contact list of operators, an "
                "agreed way to share indicators, and one person on call."
            ),
        },
        {
            "slug": "spam-traffic-members-update",
            "title": "Spam traffic on member networks: members update",
            "summary": "Figures from members' mail gateways since the Nassau workshop.",
            "topics": ["spam"],
            "audience": Audience.MEMBERS,
            "isoc": False,
            "path": "published_before_emails",
            "days_ago": 15,
            "body": (
                "Since the spam workshop, members' gateways report falling volumes.\n\n"
                "| Quarter | Share of mail refused |\n|---|---|\n| Q1 | 61 % |\n| Q2 | 54 % |"
            ),
        },
        {
            "slug": "hacktivism-outlook-2027",
            "title": "Hacktivism outlook for 2027",
            "summary": "What members should prepare for in the coming election season.",
            "topics": ["hacktivism", "cybersecurity"],
            "audience": Audience.MEMBERS,
            "isoc": True,
            "path": "draft",
            "body": (
                "Campaigns timed with elections and regional events are expected.\n\n"
                "Members should review their denial-of-service protection with upstream "
                "providers before the season starts."
            ),
        },
        {
            "slug": "voip-interconnection-outlook",
            "title": "Interconnection of VoIP services: an outlook",
            "summary": "How regulators and operators are settling VoIP interconnection.",
            "topics": ["voip-blocking"],
            "audience": Audience.PUBLIC,
            "isoc": True,
            "path": "submitted",
            "body": (
                "Several regulators now expect operators to interconnect VoIP services on the "
                "same terms as other voice traffic.\n\n"
                "This outlook sums up the consultations under way and what they mean for "
                "operators' numbering and routing."
            ),
        },
        {
            "slug": "numbering-plan-consultation-2025",
            "title": "Numbering plan consultation (withdrawn)",
            "summary": "Withdrawn: the consultation it described was postponed.",
            "topics": ["ip-numbering"],
            "audience": Audience.PUBLIC,
            "isoc": True,
            "path": "withdrawn",
            "days_ago": 300,
            "body": "The consultation described here was postponed by the regulator.",
        },
    ]


def demo_exchanges(today):
    day = datetime.timedelta(days=1)
    return [
        (
            "State of Internet exchange points in the Caribbean",
            today - 60 * day,
            InformationExchange.Direction.RECEIVED,
            Confidentiality.PUBLIC,
            "ISOC's yearly survey of exchange points and traffic kept in the region.",
        ),
        (
            "Members' broadband initiatives in production",
            today - 30 * day,
            InformationExchange.Direction.SENT,
            Confidentiality.MEMBERS,
            "Fibre and fixed wireless projects members have in production.",
        ),
        (
            "Board note on the ISOC cooperation review",
            today - 10 * day,
            InformationExchange.Direction.SENT,
            Confidentiality.BOARD,
            "Points for the next review meeting with ISOC.",
        ),
    ]


def seed_briefings(today):
    """The demo briefings, walked through the workflow by the Secretariat's partnerships
    officer, and information exchanged with ISOC. Existing briefings (by slug) and exchanges
    (by title) are left as they are, so a second run changes nothing."""
    officer = demo_officer()
    isoc = Partner.objects.filter(name=ISOC_PARTNER).first()
    agreement = Agreement.objects.filter(reference=ISOC_AGREEMENT).first()
    if officer is None or isoc is None:
        return
    for spec in demo_briefings():
        if Briefing.objects.filter(slug=spec["slug"]).exists():
            continue
        seed_briefing(spec, officer, isoc, agreement, today)
    for title, exchanged_on, direction, confidentiality, description in demo_exchanges(today):
        if InformationExchange.objects.filter(title=title).exists():
            continue
        exchange = InformationExchange(
            title=title,
            exchanged_on=exchanged_on,
            partner=isoc,
            agreement=agreement,
            direction=direction,
            confidentiality=confidentiality,
            description=description,
        )
        store_pdf(
            exchange.attachment,
            f"{slugify(title)}.pdf",
            [title, description, "Fictional demo document."],
        )


def seed_briefing(spec, officer, isoc, agreement, today):
    briefing = Briefing(
        slug=spec["slug"],
        title=spec["title"],
        summary=spec["summary"],
        body=spec["body"],
        audience=spec["audience"],
        channel=isoc if spec["isoc"] else None,
        agreement=agreement if spec["isoc"] else None,
        created_by=officer,
    )
    briefing.save()
    briefing.topics.set(Topic.objects.filter(slug__in=spec["topics"]))
    path = spec["path"]
    if path == "draft":
        return
    if path == "submitted":
        briefing_services.submit(
            briefing=briefing, by=officer, note="Sent to ISOC's regional bureau (fictional)."
        )
        return
    if path == "published_before_emails":
        # Published before members received briefings by email: no deliveries are queued,
        # so the demo does not email every demo contact when the worker starts.
        published_at = timezone.now() - datetime.timedelta(days=spec["days_ago"])
        Briefing.objects.filter(pk=briefing.pk).update(
            status=Briefing.Status.PUBLISHED, published_at=published_at
        )
        BriefingMove.objects.create(
            briefing=briefing,
            from_status=Briefing.Status.DRAFT,
            to_status=Briefing.Status.PUBLISHED,
            moved_by=officer,
            moved_at=published_at,
        )
        return
    approved_on = today - datetime.timedelta(days=spec["days_ago"] + 3)
    briefing_services.submit(briefing=briefing, by=officer)
    briefing_services.record_partner_approval(
        briefing=briefing,
        by=officer,
        approved_by="ISOC Regional Bureau (fictional approver)",
        approved_on=approved_on,
        reference=f"ISOC-LAC-{approved_on:%Y}-{briefing.pk:03d}",
    )
    briefing_services.publish(briefing=briefing, by=officer)
    published_at = timezone.now() - datetime.timedelta(days=spec["days_ago"])
    Briefing.objects.filter(pk=briefing.pk).update(published_at=published_at)
    if path == "withdrawn":
        briefing_services.withdraw(
            briefing=briefing,
            by=officer,
            note="The regulator postponed the consultation (fictional).",
        )
