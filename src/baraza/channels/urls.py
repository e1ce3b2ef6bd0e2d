from django.urls import path

from baraza.channels import views
from baraza.channels.webhooks import sms, telegram, whatsapp

urlpatterns = [
    path("", views.channel_status, name="channel-status"),
    path("block/", views.block_reporter, name="channel-block-reporter"),
    path("senders/<int:sender_id>/block/", views.block_sender, name="channel-block-sender"),
    path("telegram/webhook", telegram.webhook, name="telegram-webhook"),
    path("whatsapp/webhook", whatsapp.webhook, name="whatsapp-webhook"),
    path(
        "sms/africastalking/<str:secret>/",
        sms.africastalking,
        name="africastalking-webhook",
    ),
    path("sms/twilio", sms.twilio, name="twilio-webhook"),
]
