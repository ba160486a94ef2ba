"""Each invoice keeps the sum of its payments, filled here from the payments recorded so far."""

from decimal import Decimal

from django.db import migrations, models
from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce


def add_up_payments(apps, schema_editor):
    Invoice = apps.get_model("members", "Invoice")
    Payment = apps.get_model("members", "Payment")
    paid = (
        Payment.objects.filter(invoice=OuterRef("pk"))
        .order_by()
        .values("invoice")
        .annotate(paid=Sum("amount"))
        .values("paid")
    )
    money = models.DecimalField(max_digits=12, decimal_places=2)
    Invoice.objects.filter(payments__isnull=False).update(
        paid=Coalesce(Subquery(paid, output_field=money), Decimal("0"), output_field=money)
    )


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0010_payment_import_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="invoice",
            name="paid",
            field=models.DecimalField(
                decimal_places=2,
                default=Decimal("0"),
                editable=False,
                max_digits=12,
                verbose_name="paid so far",
            ),
        ),
        migrations.RunPython(add_up_payments, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="invoice",
            constraint=models.CheckConstraint(
                condition=models.Q(("paid__gte", 0), ("paid__lte", models.F("total"))),
                name="invoice_paid_within_total",
                violation_error_message="An invoice cannot be paid more than its total.",
            ),
        ),
    ]
