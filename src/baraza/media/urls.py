from django.urls import path

from baraza.media import views

urlpatterns = [
    path("<int:medium_id>/derivative", views.derivative, name="media-derivative"),
    path("<int:medium_id>/thumbnail", views.thumbnail, name="media-thumbnail"),
    path("<int:medium_id>/original", views.original, name="media-original"),
    path("viewing/", views.viewing, name="media-viewing"),
]
