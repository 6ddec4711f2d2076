from django.urls import path

from sigill.alerts import views

app_name = "alerts"

urlpatterns = [
    path("", views.alert_list, name="list"),
    path("preferences/", views.preferences, name="preferences"),
    path("rota/", views.rota, name="rota"),
    path("rota/week/", views.assign_week, name="assign_week"),
    path("rota/day/", views.assign_day, name="assign_day"),
]
