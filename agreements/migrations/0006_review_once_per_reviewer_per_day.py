from django.conf import settings
from django.db import migrations, models
from django.db.models import Count


def merge_same_day_reviews(apps, schema_editor):
    """Leaves one review per board member, agreement and day, the latest, so that the
    constraint can be added. Earlier ones that say the same (double clicks) go; an earlier one
    that says something else is kept in the latest's comments, so no director's words are lost."""
    Review = apps.get_model("agreements", "Review")
    repeated = (
        Review.objects.values("agreement", "reviewer", "reviewed_on")
        .annotate(count=Count("pk"))
        .filter(count__gt=1)
    )
    for day in repeated:
        reviews = list(
            Review.objects.filter(
                agreement=day["agreement"],
                reviewer=day["reviewer"],
                reviewed_on=day["reviewed_on"],
            ).order_by("-created_at", "-pk")
        )
        kept, earlier = reviews[0], reviews[1:]
        said = {(kept.outcome, kept.comments, kept.next_review_on)}
        for review in earlier:
            if (review.outcome, review.comments, review.next_review_on) in said:
                continue
            said.add((review.outcome, review.comments, review.next_review_on))
            note = (
                f"Earlier the same day: {review.outcome}, next review "
                f"{review.next_review_on or 'not set'}. {review.comments}"
            )
            kept.comments = f"{kept.comments}\n\n{note.strip()}".strip()
        kept.save(update_fields=["comments"])
        Review.objects.filter(pk__in=[review.pk for review in earlier]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("agreements", "0005_information_exchange_confidentiality"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(merge_same_day_reviews, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="review",
            constraint=models.UniqueConstraint(
                fields=("agreement", "reviewer", "reviewed_on"),
                name="review_once_per_reviewer_per_day",
                violation_error_message=(
                    "This board member has already reviewed this agreement that day; the "
                    "Secretariat can correct that review."
                ),
            ),
        ),
    ]
