from django.urls import path

from agreements import views
from agreements.feeds import LatestBriefingsFeed

app_name = "agreements"

urlpatterns = [
    # Agreement register (issue 4)
    path("agreements/", views.RegisterView.as_view(), name="register"),
    path("agreements/print/", views.register_print, name="register_print"),
    path("agreements/export/<str:format_name>/", views.register_export, name="register_export"),
    path("agreements/<str:reference>/", views.agreement_detail, name="detail"),
    path("agreements/<str:reference>/review/", views.review_create, name="review"),
    path(
        "agreements/<str:reference>/documents/<int:pk>/",
        views.document_download,
        name="document",
    ),
    # Council seats (issue 5)
    path("representatives/", views.representatives, name="representatives"),
    # Briefings (issue 6)
    path("briefings/", views.BriefingListView.as_view(), name="briefings"),
    path("briefings/feed/", LatestBriefingsFeed(), name="briefing_feed"),
    path("briefings/<slug:slug>/", views.briefing_detail, name="briefing"),
    path("exchanges/", views.ExchangeListView.as_view(), name="exchanges"),
    path("exchanges/<int:pk>/attachment/", views.exchange_attachment, name="exchange_attachment"),
]
