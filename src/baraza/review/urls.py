from django.urls import path

from baraza.review import views

urlpatterns = [path("<int:case_id>/", views.decision_page, name="decision-page")]
