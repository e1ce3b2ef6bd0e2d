from django.urls import path

from baraza.review import views

decision_urls = [
    path("<int:case_id>/", views.decision_page, name="decision-page"),
    path("<int:case_id>/appeal/", views.appeal, name="decision-appeal"),
]
review_urls = [
    path("", views.review_queue, name="review-queue"),
    path("<int:case_id>/", views.review_page, name="review-case"),
    path("<int:case_id>/assign/", views.assign, name="review-assign"),
    path("<int:case_id>/assess/", views.assess, name="review-assess"),
    path("<int:case_id>/decide/", views.decide, name="review-decide"),
]
