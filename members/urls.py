from django.urls import path

from members.views import billing, portal, unsubscribe

app_name = "members"

urlpatterns = [
    path("portal/", portal.portal, name="portal"),
    path("portal/profile/", portal.profile_edit, name="profile_edit"),
    path("portal/contacts/add/", portal.contact_edit, name="contact_add"),
    path("portal/contacts/<int:pk>/", portal.contact_edit, name="contact_edit"),
    path("portal/contacts/<int:pk>/remove/", portal.contact_remove, name="contact_remove"),
    path("portal/contacts/<int:pk>/invite/", portal.contact_invite, name="contact_invite"),
    path("portal/invoices/", billing.invoices, name="invoices"),
    path("portal/invoices/<str:number>/", billing.invoice_detail, name="invoice"),
    path("portal/invoices/<str:number>/pdf/", billing.invoice_download, name="invoice_pdf"),
    path(
        "portal/invoices/<str:number>/receipts/<int:payment>/pdf/",
        billing.receipt_download,
        name="receipt_pdf",
    ),
    path(
        "portal/invoices/<str:number>/credit-note/pdf/",
        billing.credit_note_download,
        name="credit_note_pdf",
    ),
    path("members/", portal.directory, name="directory"),
    path("members/<slug:slug>/", portal.member_detail, name="detail"),
    path("invitations/<str:token>/", portal.invitation, name="invitation"),
    path("unsubscribe/<str:token>/", unsubscribe.unsubscribe, name="unsubscribe"),
]
