from django.urls import path

from baraza.cases import views

urlpatterns = [
    path("", views.case_queue_page, name="case-queue"),
    path("<int:case_id>/", views.case_page, name="case-page"),
    path("<int:case_id>/status/", views.change_status, name="case-status"),
    path("<int:case_id>/merge/", views.merge, name="case-merge"),
    path("<int:case_id>/split/", views.split, name="case-split"),
    path(
        "<int:case_id>/suggestions/<int:suggestion_id>/",
        views.resolve_suggestion,
        name="case-suggestion",
    ),
    path(
        "<int:case_id>/contact/<str:tracking_code>/",
        views.reveal_contact,
        name="case-reveal-contact",
    ),
]
