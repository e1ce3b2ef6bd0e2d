from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "baraza.review"
    label = "review"
    verbose_name = "Review"
