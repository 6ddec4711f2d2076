from django.urls import path

from sigill.connectors import views, webhooks

app_name = "connectors"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("accounts/<slug:slug>/", views.account, name="account"),
    path("accounts/<slug:slug>/connect/", views.connect, name="connect"),
    path("accounts/<slug:slug>/reconnect/", views.reconnect, name="reconnect"),
    path("accounts/<slug:slug>/sync/", views.sync_now, name="sync_now"),
    path("import/", views.import_export, name="import"),
    path("import/<uuid:pk>/", views.import_run, name="import_run"),
    path("import/<uuid:pk>/retry/", views.import_retry, name="import_retry"),
    path("import/<uuid:pk>/discard/", views.import_discard, name="import_discard"),
    path("webhooks/meta/", webhooks.meta, name="meta_webhook"),
    path("outgoing-media/<str:token>/", views.outgoing_media, name="outgoing_media"),
]
