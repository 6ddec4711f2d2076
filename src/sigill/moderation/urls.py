from django.urls import path

from sigill.moderation import views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("bulk/", views.bulk, name="bulk"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/decide/", views.decide, name="decide"),
    path("cases/<int:pk>/unhide/", views.unhide, name="unhide"),
    path("decisions/<int:pk>/platform/", views.platform_act, name="platform_act"),
    path("decisions/<int:pk>/evidence/", views.evidence, name="evidence"),
    path("findings/<int:pk>/wrong/", views.finding_wrong, name="finding_wrong"),
    path("reports/<int:pk>/handled/", views.report_handled, name="report_handled"),
    path("registrations/", views.registrations, name="registrations"),
    path("registrations/<int:pk>/", views.register, name="register"),
    path("supervision/", views.supervision, name="supervision"),
    path("supervision/<slug:slug>/", views.account_supervision, name="account"),
    path("check/", views.check_draft, name="check"),
    path("word-lists/", views.word_lists, name="word_lists"),
    path("word-lists/<slug:name>/", views.word_list, name="word_list"),
]
