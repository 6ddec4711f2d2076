from django.urls import path

from sigill.records.views import common, disclosure

app_name = "records"

urlpatterns = [
    path("", common.index, name="index"),
    path("requests/", disclosure.request_list, name="requests"),
    path("requests/new/", disclosure.request_create, name="request_create"),
    path("requests/<int:pk>/", disclosure.request_detail, name="request"),
    path("requests/<int:pk>/add/", disclosure.add_records, name="request_add"),
    path("requests/<int:pk>/records/<int:record>/", disclosure.review_record, name="record_review"),
    path("requests/<int:pk>/decide/", disclosure.decide, name="request_decide"),
    path("requests/<int:pk>/withdraw/", disclosure.withdraw, name="request_withdraw"),
    path("requests/<int:pk>/package/<str:fmt>/", disclosure.download, name="package"),
]
