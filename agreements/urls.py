from django.urls import path

from agreements.feeds import LatestBriefingsFeed
from agreements.views import briefings, exchanges, register, seats
from members.access import ANYONE, requires

app_name = "agreements"

urlpatterns = [
    path("agreements/", register.RegisterView.as_view(), name="register"),
    path("agreements/print/", register.register_print, name="register_print"),
    path("agreements/export/<str:format_name>/", register.register_export, name="register_export"),
    path("agreements/<str:reference>/", register.agreement_detail, name="detail"),
    path("agreements/<str:reference>/review/", register.review_create, name="review"),
    path(
        "agreements/<str:reference>/documents/<int:pk>/",
        register.document_download,
        name="document",
    ),
    path("representatives/", seats.representatives, name="representatives"),
    path("briefings/", briefings.BriefingListView.as_view(), name="briefings"),
    path("briefings/feed/", requires(ANYONE)(LatestBriefingsFeed()), name="briefing_feed"),
    path("briefings/<slug:slug>/", briefings.briefing_detail, name="briefing"),
    path("exchanges/", exchanges.ExchangeListView.as_view(), name="exchanges"),
    path(
        "exchanges/<int:pk>/attachment/", exchanges.exchange_attachment, name="exchange_attachment"
    ),
]
