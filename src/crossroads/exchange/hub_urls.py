from django.urls import path

from . import hub_views

app_name = "hub"
urlpatterns = [
    path("directory", hub_views.directory, name="directory"),
    path("messages", hub_views.messages, name="messages"),
    path("mailbox", hub_views.mailbox, name="mailbox"),
    path("mailbox/ack", hub_views.mailbox_ack, name="mailbox-ack"),
    path("witness", hub_views.witness, name="witness"),
]
