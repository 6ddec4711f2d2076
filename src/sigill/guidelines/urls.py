from django.urls import path

from sigill.guidelines import views

app_name = "guidelines"

urlpatterns = [
    path("", views.current, name="current"),
    path("versions/new/", views.publish, name="publish"),
    path("versions/<int:number>/", views.version, name="version"),
    path("versions/<int:number>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("report/", views.report, name="report"),
]
