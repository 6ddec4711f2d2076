from django.urls import path

from sigill.registry import public_views

app_name = "registry_public"

urlpatterns = [
    path("accounts/", public_views.public_list, name="list"),
    path("accounts.json", public_views.public_json, name="json"),
    path("accounts.csv", public_views.public_csv, name="csv"),
    path("accounts.schema.json", public_views.public_schema, name="schema"),
    path("accounts/embed/", public_views.public_embed, name="embed"),
]
