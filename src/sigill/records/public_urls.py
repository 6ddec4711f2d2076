from django.urls import path

from sigill.records import public_views

app_name = "records_public"

urlpatterns = [
    path("verify/", public_views.verify, name="verify"),
]
