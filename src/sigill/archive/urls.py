from django.urls import path

from sigill.archive import views

app_name = "archive"

urlpatterns = [
    path("", views.search, name="search"),
    path("items/<int:pk>/", views.item, name="item"),
    path("items/<int:pk>/secret/", views.mark_secret, name="mark_secret"),
    path("files/<int:pk>/", views.attachment, name="attachment"),
    path("capture/", views.manual_capture, name="manual_capture"),
]
