from django.urls import path

from sigill.publishing import views

app_name = "publishing"

urlpatterns = [
    path("", views.index, name="index"),
    path("month/", views.month, name="month"),
    path("week/", views.week, name="week"),
    path("new/", views.new, name="new"),
    path("rules/", views.rules, name="rules"),
    path("feed/", views.feed, name="feed"),
    path("feed/<str:token>.ics", views.ical, name="ical"),
    path("<int:pk>/", views.draft, name="draft"),
    path("<int:pk>/checks/", views.checks, name="checks"),
    path("<int:pk>/history/", views.history, name="history"),
    path("<int:pk>/media/", views.add_media, name="add_media"),
    path("<int:pk>/media/<int:media_pk>/remove/", views.remove_media, name="remove_media"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/publish-now/", views.publish_now, name="publish_now"),
    path("<int:pk>/approve/", views.approve, name="approve"),
    path("<int:pk>/send-back/", views.send_back, name="send_back"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/override/", views.override, name="override"),
    path("<int:pk>/reschedule/", views.reschedule, name="reschedule"),
]
