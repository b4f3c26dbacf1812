"""The reviewer portal's pages."""

from __future__ import annotations

from django.urls import path

from reviews import views

app_name = "reviews"

urlpatterns = [
    path("", views.home, name="home"),
    path("jobs/<str:flow_name>/start/", views.start_working, name="start"),
    path("tasks/<int:slot_id>/", views.task, name="task"),
    path("tasks/<int:slot_id>/frame/", views.task_frame, name="task-frame"),
    path("tasks/<int:slot_id>/submit/", views.submit, name="submit"),
    path("tasks/<int:slot_id>/release/", views.release, name="release"),
    path("tasks/<int:slot_id>/decline/", views.decline, name="decline"),
]
