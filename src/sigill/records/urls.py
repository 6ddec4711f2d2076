from django.urls import path

from sigill.records.views import closure, common, disclosure, earchive, retention

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
    path("retention/", retention.rules, name="rules"),
    path("retention/<int:pk>/", retention.rule_detail, name="rule"),
    path("retention/<int:pk>/dispose/", retention.rule_dispose, name="rule_dispose"),
    path("retention/<int:pk>/retire/", retention.rule_retire, name="rule_retire"),
    path("holds/", retention.holds, name="holds"),
    path("holds/<int:pk>/release/", retention.hold_release, name="hold_release"),
    path("disposals/", retention.disposals, name="disposals"),
    path("earchive/", earchive.earchive, name="earchive"),
    path("closures/", closure.closures, name="closures"),
    path("closures/<int:pk>/", closure.closure_detail, name="closure"),
    path("closures/<int:pk>/<str:action>/", closure.closure_act, name="closure_act"),
]
