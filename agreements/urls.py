from django.urls import path
from django.views.decorators.http import conditional_page

from agreements.feeds import LatestBriefingsFeed
from agreements.views import attention, board, briefings, exchanges, register, search, seats
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
    # 304 to a reader whose copy is current: the feed sets Last-Modified, and an ETag is
    # made from the content.
    path(
        "briefings/feed/",
        requires(ANYONE)(conditional_page(LatestBriefingsFeed())),
        name="briefing_feed",
    ),
    path("briefings/<slug:slug>/", briefings.briefing_detail, name="briefing"),
    path("exchanges/", exchanges.ExchangeListView.as_view(), name="exchanges"),
    path(
        "exchanges/<int:pk>/attachment/", exchanges.exchange_attachment, name="exchange_attachment"
    ),
    path("board/", attention.board_attention, name="board"),
    path("board/meetings/", board.board_index, name="board_meetings"),
    path("board/charts/", attention.board_charts_page, name="board_charts"),
    path("search/", search.search_page, name="search"),
    path("charts/<slug:slug>.csv", attention.chart_csv, name="chart_csv"),
    path("board/meetings/<int:pk>/", board.meeting_detail, name="board_meeting"),
    path("board/meetings/<int:pk>/pack/", board.meeting_pack, name="board_pack"),
    path(
        "board/meetings/documents/<int:pk>/",
        board.meeting_document,
        name="board_meeting_document",
    ),
    path("board/resolutions/<int:pk>/", board.resolution_detail, name="board_resolution"),
    path("board/resolutions/<int:pk>/vote/", board.resolution_vote, name="board_vote"),
    path("board/resolutions/<int:pk>/recuse/", board.resolution_recuse, name="board_recuse"),
]
