from django.urls import path

from sigill.registry import views

app_name = "registry"

urlpatterns = [
    path("", views.account_list, name="accounts"),
    path("accounts/new/", views.account_create, name="account_create"),
    path("accounts/import/", views.account_import, name="import"),
    path("accounts/<slug:slug>/", views.account_detail, name="account"),
    path("accounts/<slug:slug>/edit/", views.account_edit, name="account_edit"),
    path("accounts/<slug:slug>/status/", views.account_status, name="account_status"),
    path("accounts/<slug:slug>/editors/", views.editor_assign, name="editor_assign"),
    path("accounts/<slug:slug>/review/", views.account_review, name="account_review"),
    path("editors/<int:pk>/revoke/", views.editor_revoke, name="editor_revoke"),
    path("access-review/", views.access_review, name="access_review"),
    path("reviews/", views.reviews_due, name="reviews_due"),
    path("platforms/", views.platform_list, name="platforms"),
    path("platforms/<slug:slug>/", views.platform_edit, name="platform_edit"),
]
