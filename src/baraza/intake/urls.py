from django.urls import path

from baraza.intake import views

urlpatterns = [
    path("", views.report_form, name="report-form"),
    path("submitted/<str:tracking_code>/", views.report_submitted, name="report-submitted"),
    path("status/", views.report_status, name="report-status"),
]
