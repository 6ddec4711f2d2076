from django.urls import path

from sigill.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:year>/<int:month>/", views.month, name="month"),
    path("<int:year>/<int:month>/report.csv", views.csv, name="csv"),
    path("<int:year>/<int:month>/report.pdf", views.pdf, name="pdf"),
    path("<int:year>/<int:month>/accounts/<slug:slug>/", views.account, name="account"),
]
